import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
/**
 * Input of Heartbeat.
 */
export interface HeartbeatRequest {
    /**
     * The lease from the assignment.
     */
    'leaseId'?: (string);
    /**
     * What fraction of the work is done, in [0, 1].
     */
    'progress'?: (number | string);
    /**
     * A short progress note for the event log.
     */
    'message'?: (string);
    /**
     * Cumulative usage of this turn so far (totals, not deltas): the
     * attempt's, until it asks for another turn with ContinueTask; from then
     * on each turn reports its own, and the server adds them up.
     */
    'usage'?: (_orchestrator_v1_Usage | null);
    /**
     * Extend the lease by this much (default: the server's lease duration; at most 10 minutes).
     */
    'extendBy'?: (_google_protobuf_Duration | null);
    /**
     * Names of the tools used so far in this attempt; one outside the effective
     * tool policy is a violation (recorded, and per the server's policy the
     * attempt fails).
     */
    'toolsUsed'?: (string)[];
}
/**
 * Input of Heartbeat.
 */
export interface HeartbeatRequest__Output {
    /**
     * The lease from the assignment.
     */
    'leaseId': (string);
    /**
     * What fraction of the work is done, in [0, 1].
     */
    'progress': (number);
    /**
     * A short progress note for the event log.
     */
    'message': (string);
    /**
     * Cumulative usage of this turn so far (totals, not deltas): the
     * attempt's, until it asks for another turn with ContinueTask; from then
     * on each turn reports its own, and the server adds them up.
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
    /**
     * Extend the lease by this much (default: the server's lease duration; at most 10 minutes).
     */
    'extendBy': (_google_protobuf_Duration__Output | null);
    /**
     * Names of the tools used so far in this attempt; one outside the effective
     * tool policy is a violation (recorded, and per the server's policy the
     * attempt fails).
     */
    'toolsUsed': (string)[];
}
