/**
 * What happens when a task's retries are exhausted.
 */
export declare const RetriesExhaustedAction: {
    /**
     * Use the default (FAIL).
     */
    readonly RETRIES_EXHAUSTED_ACTION_UNSPECIFIED: "RETRIES_EXHAUSTED_ACTION_UNSPECIFIED";
    /**
     * The task fails; the run fails unless the task is optional.
     */
    readonly RETRIES_EXHAUSTED_ACTION_FAIL: "RETRIES_EXHAUSTED_ACTION_FAIL";
    /**
     * The run pauses so that a person can look (RetryTask or ResumeRun).
     */
    readonly RETRIES_EXHAUSTED_ACTION_PAUSE: "RETRIES_EXHAUSTED_ACTION_PAUSE";
};
/**
 * What happens when a task's retries are exhausted.
 */
export type RetriesExhaustedAction = 
/**
 * Use the default (FAIL).
 */
'RETRIES_EXHAUSTED_ACTION_UNSPECIFIED' | 0
/**
 * The task fails; the run fails unless the task is optional.
 */
 | 'RETRIES_EXHAUSTED_ACTION_FAIL' | 1
/**
 * The run pauses so that a person can look (RetryTask or ResumeRun).
 */
 | 'RETRIES_EXHAUSTED_ACTION_PAUSE' | 2;
/**
 * What happens when a task's retries are exhausted.
 */
export type RetriesExhaustedAction__Output = typeof RetriesExhaustedAction[keyof typeof RetriesExhaustedAction];
