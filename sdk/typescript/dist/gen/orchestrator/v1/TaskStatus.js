"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.TaskStatus = void 0;
/**
 * Lifecycle of a task inside a run.
 *
 * PENDING → READY → RUNNING → VERIFYING → SUCCEEDED | FAILED | SKIPPED | CANCELLED
 *
 * plus WAITING_APPROVAL (an approval gate) and RETRY_SCHEDULED (a failed
 * attempt waits out its backoff before a fresh attempt).
 */
exports.TaskStatus = {
    /**
     * Never stored; refused as a filter value.
     */
    TASK_STATUS_UNSPECIFIED: 'TASK_STATUS_UNSPECIFIED',
    /**
     * Waiting for its dependencies.
     */
    TASK_STATUS_PENDING: 'TASK_STATUS_PENDING',
    /**
     * Dependencies done; waiting for an agent to claim it.
     */
    TASK_STATUS_READY: 'TASK_STATUS_READY',
    /**
     * An attempt holds a lease on it.
     */
    TASK_STATUS_RUNNING: 'TASK_STATUS_RUNNING',
    /**
     * The attempt's output is being checked against the task's criteria.
     */
    TASK_STATUS_VERIFYING: 'TASK_STATUS_VERIFYING',
    /**
     * Held by an approval gate until ApproveTask or RejectTask.
     */
    TASK_STATUS_WAITING_APPROVAL: 'TASK_STATUS_WAITING_APPROVAL',
    /**
     * The last attempt failed; a fresh attempt becomes READY after the backoff.
     */
    TASK_STATUS_RETRY_SCHEDULED: 'TASK_STATUS_RETRY_SCHEDULED',
    /**
     * Terminal: an attempt's output was accepted.
     */
    TASK_STATUS_SUCCEEDED: 'TASK_STATUS_SUCCEEDED',
    /**
     * Terminal: retries exhausted, or failed with a non-retryable error.
     */
    TASK_STATUS_FAILED: 'TASK_STATUS_FAILED',
    /**
     * Terminal: not run because an upstream task failed (or was optional and degraded away).
     */
    TASK_STATUS_SKIPPED: 'TASK_STATUS_SKIPPED',
    /**
     * Terminal: its run was cancelled.
     */
    TASK_STATUS_CANCELLED: 'TASK_STATUS_CANCELLED',
    /**
     * Its agent asked for another turn of the same attempt (ContinueTask): it
     * waits out the server's continuation delay, then is READY for that turn.
     */
    TASK_STATUS_CONTINUING: 'TASK_STATUS_CONTINUING',
};
