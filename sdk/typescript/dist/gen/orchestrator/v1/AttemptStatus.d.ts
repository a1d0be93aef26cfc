/**
 * Status of one attempt of a task.
 */
export declare const AttemptStatus: {
    /**
     * Never stored.
     */
    readonly ATTEMPT_STATUS_UNSPECIFIED: "ATTEMPT_STATUS_UNSPECIFIED";
    /**
     * Holds a live lease.
     */
    readonly ATTEMPT_STATUS_RUNNING: "ATTEMPT_STATUS_RUNNING";
    /**
     * Completed and accepted.
     */
    readonly ATTEMPT_STATUS_SUCCEEDED: "ATTEMPT_STATUS_SUCCEEDED";
    /**
     * Failed (by the agent, by verification, or by running past its
     * timeout: event `attempt.failed`).
     */
    readonly ATTEMPT_STATUS_FAILED: "ATTEMPT_STATUS_FAILED";
    /**
     * The lease expired before the timeout without an outcome: the agent is
     * presumed dead (event `attempt.lost`).
     */
    readonly ATTEMPT_STATUS_LOST: "ATTEMPT_STATUS_LOST";
    /**
     * Ended because its run was cancelled.
     */
    readonly ATTEMPT_STATUS_CANCELLED: "ATTEMPT_STATUS_CANCELLED";
    /**
     * Between two turns: its agent asked for another turn (ContinueTask),
     * which no lease holds yet; the last turn's lease is spent.
     */
    readonly ATTEMPT_STATUS_CONTINUING: "ATTEMPT_STATUS_CONTINUING";
};
/**
 * Status of one attempt of a task.
 */
export type AttemptStatus = 
/**
 * Never stored.
 */
'ATTEMPT_STATUS_UNSPECIFIED' | 0
/**
 * Holds a live lease.
 */
 | 'ATTEMPT_STATUS_RUNNING' | 1
/**
 * Completed and accepted.
 */
 | 'ATTEMPT_STATUS_SUCCEEDED' | 2
/**
 * Failed (by the agent, by verification, or by running past its
 * timeout: event `attempt.failed`).
 */
 | 'ATTEMPT_STATUS_FAILED' | 3
/**
 * The lease expired before the timeout without an outcome: the agent is
 * presumed dead (event `attempt.lost`).
 */
 | 'ATTEMPT_STATUS_LOST' | 4
/**
 * Ended because its run was cancelled.
 */
 | 'ATTEMPT_STATUS_CANCELLED' | 5
/**
 * Between two turns: its agent asked for another turn (ContinueTask),
 * which no lease holds yet; the last turn's lease is spent.
 */
 | 'ATTEMPT_STATUS_CONTINUING' | 6;
/**
 * Status of one attempt of a task.
 */
export type AttemptStatus__Output = typeof AttemptStatus[keyof typeof AttemptStatus];
