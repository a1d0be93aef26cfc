"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.AttemptStatus = void 0;
/**
 * Status of one attempt of a task.
 */
exports.AttemptStatus = {
    /**
     * Never stored.
     */
    ATTEMPT_STATUS_UNSPECIFIED: 'ATTEMPT_STATUS_UNSPECIFIED',
    /**
     * Holds a live lease.
     */
    ATTEMPT_STATUS_RUNNING: 'ATTEMPT_STATUS_RUNNING',
    /**
     * Completed and accepted.
     */
    ATTEMPT_STATUS_SUCCEEDED: 'ATTEMPT_STATUS_SUCCEEDED',
    /**
     * Failed (by the agent, by verification, or by running past its
     * timeout: event `attempt.failed`).
     */
    ATTEMPT_STATUS_FAILED: 'ATTEMPT_STATUS_FAILED',
    /**
     * The lease expired before the timeout without an outcome: the agent is
     * presumed dead (event `attempt.lost`).
     */
    ATTEMPT_STATUS_LOST: 'ATTEMPT_STATUS_LOST',
    /**
     * Ended because its run was cancelled.
     */
    ATTEMPT_STATUS_CANCELLED: 'ATTEMPT_STATUS_CANCELLED',
    /**
     * Between two turns: its agent asked for another turn (ContinueTask),
     * which no lease holds yet; the last turn's lease is spent.
     */
    ATTEMPT_STATUS_CONTINUING: 'ATTEMPT_STATUS_CONTINUING',
};
