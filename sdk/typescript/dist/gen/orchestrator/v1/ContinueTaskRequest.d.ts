import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
/**
 * Input of ContinueTask.
 */
export interface ContinueTaskRequest {
    /**
     * The lease from the assignment (spent by this call).
     */
    'leaseId'?: (string);
    /**
     * What the next turn needs to go on (any JSON value; at most 256 KiB).
     */
    'checkpoint'?: (_google_protobuf_Value | null);
    /**
     * Cumulative usage of this turn (totals of the turn, not deltas; the
     * server adds them to the attempt's earlier turns).
     */
    'usage'?: (_orchestrator_v1_Usage | null);
    /**
     * Names of the tools used in this turn (see HeartbeatRequest.tools_used).
     */
    'toolsUsed'?: (string)[];
}
/**
 * Input of ContinueTask.
 */
export interface ContinueTaskRequest__Output {
    /**
     * The lease from the assignment (spent by this call).
     */
    'leaseId': (string);
    /**
     * What the next turn needs to go on (any JSON value; at most 256 KiB).
     */
    'checkpoint': (_google_protobuf_Value__Output | null);
    /**
     * Cumulative usage of this turn (totals of the turn, not deltas; the
     * server adds them to the attempt's earlier turns).
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
    /**
     * Names of the tools used in this turn (see HeartbeatRequest.tools_used).
     */
    'toolsUsed': (string)[];
}
