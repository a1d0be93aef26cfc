"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.RunStatus = void 0;
/**
 * Lifecycle of a run.
 *
 * CREATED → PLANNING → EXECUTING → VERIFYING → COMPLETED | FAILED | CANCELLED
 *
 * plus PAUSED, entered by PauseRun, by an exhausted budget under the `pause`
 * policy, or by a task whose retries ran out under the `pause` action.
 */
exports.RunStatus = {
    /**
     * Never stored; refused as a filter value.
     */
    RUN_STATUS_UNSPECIFIED: 'RUN_STATUS_UNSPECIFIED',
    /**
     * Accepted and persisted; the coordinator has not started it yet.
     */
    RUN_STATUS_CREATED: 'RUN_STATUS_CREATED',
    /**
     * The coordinator is asking the planner for a task graph (goal-only runs).
     */
    RUN_STATUS_PLANNING: 'RUN_STATUS_PLANNING',
    /**
     * Tasks are being dispatched and executed.
     */
    RUN_STATUS_EXECUTING: 'RUN_STATUS_EXECUTING',
    /**
     * All tasks are terminal; the run's own success criteria are being checked.
     */
    RUN_STATUS_VERIFYING: 'RUN_STATUS_VERIFYING',
    /**
     * Held: nothing new is dispatched; running attempts are told to pause.
     */
    RUN_STATUS_PAUSED: 'RUN_STATUS_PAUSED',
    /**
     * Terminal: every required task succeeded and the run's criteria passed.
     */
    RUN_STATUS_COMPLETED: 'RUN_STATUS_COMPLETED',
    /**
     * Terminal: see `Run.failure_reason`.
     */
    RUN_STATUS_FAILED: 'RUN_STATUS_FAILED',
    /**
     * Terminal: cancelled by CancelRun.
     */
    RUN_STATUS_CANCELLED: 'RUN_STATUS_CANCELLED',
};
