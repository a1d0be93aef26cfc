/**
 * What a rejection at an approval gate does to the task.
 */
export declare const RejectionAction: {
    /**
     * Use the default (FAIL).
     */
    readonly REJECTION_ACTION_UNSPECIFIED: "REJECTION_ACTION_UNSPECIFIED";
    /**
     * The task fails (and so the run, unless the task is optional).
     */
    readonly REJECTION_ACTION_FAIL: "REJECTION_ACTION_FAIL";
    /**
     * The task is skipped; its dependents run without its output.
     */
    readonly REJECTION_ACTION_SKIP: "REJECTION_ACTION_SKIP";
};
/**
 * What a rejection at an approval gate does to the task.
 */
export type RejectionAction = 
/**
 * Use the default (FAIL).
 */
'REJECTION_ACTION_UNSPECIFIED' | 0
/**
 * The task fails (and so the run, unless the task is optional).
 */
 | 'REJECTION_ACTION_FAIL' | 1
/**
 * The task is skipped; its dependents run without its output.
 */
 | 'REJECTION_ACTION_SKIP' | 2;
/**
 * What a rejection at an approval gate does to the task.
 */
export type RejectionAction__Output = typeof RejectionAction[keyof typeof RejectionAction];
