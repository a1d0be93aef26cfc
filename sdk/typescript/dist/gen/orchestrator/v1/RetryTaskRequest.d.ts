/**
 * Input of RetryTask.
 */
export interface RetryTaskRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * The task's id.
     */
    'taskId'?: (string);
}
/**
 * Input of RetryTask.
 */
export interface RetryTaskRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * The task's id.
     */
    'taskId': (string);
}
