import type { TaskStatus as _orchestrator_v1_TaskStatus, TaskStatus__Output as _orchestrator_v1_TaskStatus__Output } from '../../orchestrator/v1/TaskStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
/**
 * Output of ContinueTask.
 */
export interface ContinueTaskResponse {
    /**
     * CONTINUING; FAILED when the attempt had used its turns (an optional
     * task's dependents still run); or CANCELLED / SKIPPED when a budget that
     * ran out at this call's charge ended the run.
     */
    'taskStatus'?: (_orchestrator_v1_TaskStatus);
    /**
     * The turn that comes next (0 when the attempt failed).
     */
    'nextTurn'?: (number);
    /**
     * When the next turn becomes READY.
     */
    'nextTurnAt'?: (_google_protobuf_Timestamp | null);
    /**
     * Why the attempt failed, when it did.
     */
    'error'?: (string);
}
/**
 * Output of ContinueTask.
 */
export interface ContinueTaskResponse__Output {
    /**
     * CONTINUING; FAILED when the attempt had used its turns (an optional
     * task's dependents still run); or CANCELLED / SKIPPED when a budget that
     * ran out at this call's charge ended the run.
     */
    'taskStatus': (_orchestrator_v1_TaskStatus__Output);
    /**
     * The turn that comes next (0 when the attempt failed).
     */
    'nextTurn': (number);
    /**
     * When the next turn becomes READY.
     */
    'nextTurnAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * Why the attempt failed, when it did.
     */
    'error': (string);
}
