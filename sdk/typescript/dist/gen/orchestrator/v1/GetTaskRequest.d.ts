/**
 * Input of GetTask.
 */
export interface GetTaskRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * The task's id within the run.
     */
    'taskId'?: (string);
}
/**
 * Input of GetTask.
 */
export interface GetTaskRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * The task's id within the run.
     */
    'taskId': (string);
}
