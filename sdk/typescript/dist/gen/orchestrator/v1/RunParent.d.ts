/**
 * The task a child run was started for.
 */
export interface RunParent {
    /**
     * The parent run.
     */
    'runId'?: (string);
    /**
     * Its TASK_KIND_RUN task.
     */
    'taskId'?: (string);
    /**
     * The attempt of that task that started it.
     */
    'attempt'?: (number);
    /**
     * 1 for a child of a top-level run, 2 for its child, and so on.
     */
    'depth'?: (number);
}
/**
 * The task a child run was started for.
 */
export interface RunParent__Output {
    /**
     * The parent run.
     */
    'runId': (string);
    /**
     * Its TASK_KIND_RUN task.
     */
    'taskId': (string);
    /**
     * The attempt of that task that started it.
     */
    'attempt': (number);
    /**
     * 1 for a child of a top-level run, 2 for its child, and so on.
     */
    'depth': (number);
}
