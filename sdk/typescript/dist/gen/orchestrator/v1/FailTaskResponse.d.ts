import type { TaskStatus as _orchestrator_v1_TaskStatus, TaskStatus__Output as _orchestrator_v1_TaskStatus__Output } from '../../orchestrator/v1/TaskStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
/**
 * Output of FailTask.
 */
export interface FailTaskResponse {
    /**
     * The task's status after the failure.
     */
    'taskStatus'?: (_orchestrator_v1_TaskStatus);
    /**
     * When the retry becomes ready, if one was scheduled.
     */
    'retryAt'?: (_google_protobuf_Timestamp | null);
    /**
     * The backoff chosen.
     */
    'backoff'?: (_google_protobuf_Duration | null);
}
/**
 * Output of FailTask.
 */
export interface FailTaskResponse__Output {
    /**
     * The task's status after the failure.
     */
    'taskStatus': (_orchestrator_v1_TaskStatus__Output);
    /**
     * When the retry becomes ready, if one was scheduled.
     */
    'retryAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * The backoff chosen.
     */
    'backoff': (_google_protobuf_Duration__Output | null);
}
