import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
/**
 * Input of FailTask.
 */
export interface FailTaskRequest {
    /**
     * The lease from the assignment.
     */
    'leaseId'?: (string);
    /**
     * What went wrong.
     */
    'error'?: (string);
    /**
     * Whether a fresh attempt may succeed.
     */
    'retryable'?: (boolean);
    /**
     * Cumulative usage of this turn (totals, not deltas; see HeartbeatRequest.usage).
     */
    'usage'?: (_orchestrator_v1_Usage | null);
}
/**
 * Input of FailTask.
 */
export interface FailTaskRequest__Output {
    /**
     * The lease from the assignment.
     */
    'leaseId': (string);
    /**
     * What went wrong.
     */
    'error': (string);
    /**
     * Whether a fresh attempt may succeed.
     */
    'retryable': (boolean);
    /**
     * Cumulative usage of this turn (totals, not deltas; see HeartbeatRequest.usage).
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
}
