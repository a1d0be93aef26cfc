/**
 * Input of ApproveTask.
 */
export interface ApproveTaskRequest {
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
 * Input of ApproveTask.
 */
export interface ApproveTaskRequest__Output {
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
