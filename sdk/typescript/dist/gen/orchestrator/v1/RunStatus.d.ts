/**
 * Lifecycle of a run.
 *
 * CREATED → PLANNING → EXECUTING → VERIFYING → COMPLETED | FAILED | CANCELLED
 *
 * plus PAUSED, entered by PauseRun, by an exhausted budget under the `pause`
 * policy, or by a task whose retries ran out under the `pause` action.
 */
export declare const RunStatus: {
    /**
     * Never stored; refused as a filter value.
     */
    readonly RUN_STATUS_UNSPECIFIED: "RUN_STATUS_UNSPECIFIED";
    /**
     * Accepted and persisted; the coordinator has not started it yet.
     */
    readonly RUN_STATUS_CREATED: "RUN_STATUS_CREATED";
    /**
     * The coordinator is asking the planner for a task graph (goal-only runs).
     */
    readonly RUN_STATUS_PLANNING: "RUN_STATUS_PLANNING";
    /**
     * Tasks are being dispatched and executed.
     */
    readonly RUN_STATUS_EXECUTING: "RUN_STATUS_EXECUTING";
    /**
     * All tasks are terminal; the run's own success criteria are being checked.
     */
    readonly RUN_STATUS_VERIFYING: "RUN_STATUS_VERIFYING";
    /**
     * Held: nothing new is dispatched; running attempts are told to pause.
     */
    readonly RUN_STATUS_PAUSED: "RUN_STATUS_PAUSED";
    /**
     * Terminal: every required task succeeded and the run's criteria passed.
     */
    readonly RUN_STATUS_COMPLETED: "RUN_STATUS_COMPLETED";
    /**
     * Terminal: see `Run.failure_reason`.
     */
    readonly RUN_STATUS_FAILED: "RUN_STATUS_FAILED";
    /**
     * Terminal: cancelled by CancelRun.
     */
    readonly RUN_STATUS_CANCELLED: "RUN_STATUS_CANCELLED";
};
/**
 * Lifecycle of a run.
 *
 * CREATED → PLANNING → EXECUTING → VERIFYING → COMPLETED | FAILED | CANCELLED
 *
 * plus PAUSED, entered by PauseRun, by an exhausted budget under the `pause`
 * policy, or by a task whose retries ran out under the `pause` action.
 */
export type RunStatus = 
/**
 * Never stored; refused as a filter value.
 */
'RUN_STATUS_UNSPECIFIED' | 0
/**
 * Accepted and persisted; the coordinator has not started it yet.
 */
 | 'RUN_STATUS_CREATED' | 1
/**
 * The coordinator is asking the planner for a task graph (goal-only runs).
 */
 | 'RUN_STATUS_PLANNING' | 2
/**
 * Tasks are being dispatched and executed.
 */
 | 'RUN_STATUS_EXECUTING' | 3
/**
 * All tasks are terminal; the run's own success criteria are being checked.
 */
 | 'RUN_STATUS_VERIFYING' | 4
/**
 * Held: nothing new is dispatched; running attempts are told to pause.
 */
 | 'RUN_STATUS_PAUSED' | 5
/**
 * Terminal: every required task succeeded and the run's criteria passed.
 */
 | 'RUN_STATUS_COMPLETED' | 6
/**
 * Terminal: see `Run.failure_reason`.
 */
 | 'RUN_STATUS_FAILED' | 7
/**
 * Terminal: cancelled by CancelRun.
 */
 | 'RUN_STATUS_CANCELLED' | 8;
/**
 * Lifecycle of a run.
 *
 * CREATED → PLANNING → EXECUTING → VERIFYING → COMPLETED | FAILED | CANCELLED
 *
 * plus PAUSED, entered by PauseRun, by an exhausted budget under the `pause`
 * policy, or by a task whose retries ran out under the `pause` action.
 */
export type RunStatus__Output = typeof RunStatus[keyof typeof RunStatus];
