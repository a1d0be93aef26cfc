/**
 * How a fire ended.
 */
export declare const FireOutcome: {
    /**
     * Not set.
     */
    readonly FIRE_OUTCOME_UNSPECIFIED: "FIRE_OUTCOME_UNSPECIFIED";
    /**
     * Its run started (`run_id`).
     */
    readonly FIRE_OUTCOME_STARTED: "FIRE_OUTCOME_STARTED";
    /**
     * Skipped by the overlap policy.
     */
    readonly FIRE_OUTCOME_SKIPPED: "FIRE_OUTCOME_SKIPPED";
    /**
     * Waiting for the running run to end (buffer_one).
     */
    readonly FIRE_OUTCOME_BUFFERED: "FIRE_OUTCOME_BUFFERED";
    /**
     * Its run could not be made (`detail` says why: the recipe deleted, the
     * workspace at its limit of unfinished runs, …).
     */
    readonly FIRE_OUTCOME_FAILED: "FIRE_OUTCOME_FAILED";
};
/**
 * How a fire ended.
 */
export type FireOutcome = 
/**
 * Not set.
 */
'FIRE_OUTCOME_UNSPECIFIED' | 0
/**
 * Its run started (`run_id`).
 */
 | 'FIRE_OUTCOME_STARTED' | 1
/**
 * Skipped by the overlap policy.
 */
 | 'FIRE_OUTCOME_SKIPPED' | 2
/**
 * Waiting for the running run to end (buffer_one).
 */
 | 'FIRE_OUTCOME_BUFFERED' | 3
/**
 * Its run could not be made (`detail` says why: the recipe deleted, the
 * workspace at its limit of unfinished runs, …).
 */
 | 'FIRE_OUTCOME_FAILED' | 4;
/**
 * How a fire ended.
 */
export type FireOutcome__Output = typeof FireOutcome[keyof typeof FireOutcome];
