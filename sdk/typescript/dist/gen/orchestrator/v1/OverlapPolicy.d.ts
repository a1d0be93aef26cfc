/**
 * What happens when a fire time comes while a run the schedule started is
 * still going (Temporal's overlap policies).
 */
export declare const OverlapPolicy: {
    /**
     * Same as OVERLAP_POLICY_SKIP.
     */
    readonly OVERLAP_POLICY_UNSPECIFIED: "OVERLAP_POLICY_UNSPECIFIED";
    /**
     * The fire is skipped (recorded as FIRE_OUTCOME_SKIPPED).
     */
    readonly OVERLAP_POLICY_SKIP: "OVERLAP_POLICY_SKIP";
    /**
     * One fire waits, and starts when the running run ends; later fires while
     * one waits are skipped.
     */
    readonly OVERLAP_POLICY_BUFFER_ONE: "OVERLAP_POLICY_BUFFER_ONE";
    /**
     * The running runs are cancelled and the fire starts.
     */
    readonly OVERLAP_POLICY_CANCEL_PREVIOUS: "OVERLAP_POLICY_CANCEL_PREVIOUS";
    /**
     * The fire starts beside the running runs.
     */
    readonly OVERLAP_POLICY_ALLOW_ALL: "OVERLAP_POLICY_ALLOW_ALL";
};
/**
 * What happens when a fire time comes while a run the schedule started is
 * still going (Temporal's overlap policies).
 */
export type OverlapPolicy = 
/**
 * Same as OVERLAP_POLICY_SKIP.
 */
'OVERLAP_POLICY_UNSPECIFIED' | 0
/**
 * The fire is skipped (recorded as FIRE_OUTCOME_SKIPPED).
 */
 | 'OVERLAP_POLICY_SKIP' | 1
/**
 * One fire waits, and starts when the running run ends; later fires while
 * one waits are skipped.
 */
 | 'OVERLAP_POLICY_BUFFER_ONE' | 2
/**
 * The running runs are cancelled and the fire starts.
 */
 | 'OVERLAP_POLICY_CANCEL_PREVIOUS' | 3
/**
 * The fire starts beside the running runs.
 */
 | 'OVERLAP_POLICY_ALLOW_ALL' | 4;
/**
 * What happens when a fire time comes while a run the schedule started is
 * still going (Temporal's overlap policies).
 */
export type OverlapPolicy__Output = typeof OverlapPolicy[keyof typeof OverlapPolicy];
