"use strict";
// Original file: proto/orchestrator/v1/schedule.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.OverlapPolicy = void 0;
/**
 * What happens when a fire time comes while a run the schedule started is
 * still going (Temporal's overlap policies).
 */
exports.OverlapPolicy = {
    /**
     * Same as OVERLAP_POLICY_SKIP.
     */
    OVERLAP_POLICY_UNSPECIFIED: 'OVERLAP_POLICY_UNSPECIFIED',
    /**
     * The fire is skipped (recorded as FIRE_OUTCOME_SKIPPED).
     */
    OVERLAP_POLICY_SKIP: 'OVERLAP_POLICY_SKIP',
    /**
     * One fire waits, and starts when the running run ends; later fires while
     * one waits are skipped.
     */
    OVERLAP_POLICY_BUFFER_ONE: 'OVERLAP_POLICY_BUFFER_ONE',
    /**
     * The running runs are cancelled and the fire starts.
     */
    OVERLAP_POLICY_CANCEL_PREVIOUS: 'OVERLAP_POLICY_CANCEL_PREVIOUS',
    /**
     * The fire starts beside the running runs.
     */
    OVERLAP_POLICY_ALLOW_ALL: 'OVERLAP_POLICY_ALLOW_ALL',
};
