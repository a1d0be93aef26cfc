/**
 * Input of RejectTask.
 */
export interface RejectTaskRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * The task's id.
     */
    'taskId'?: (string);
    /**
     * Kept in the event log with the approver's identity.
     */
    'comment'?: (string);
}
/**
 * Input of RejectTask.
 */
export interface RejectTaskRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * The task's id.
     */
    'taskId': (string);
    /**
     * Kept in the event log with the approver's identity.
     */
    'comment': (string);
}
