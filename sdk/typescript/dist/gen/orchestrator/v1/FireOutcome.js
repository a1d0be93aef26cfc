"use strict";
// Original file: proto/orchestrator/v1/schedule.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.FireOutcome = void 0;
/**
 * How a fire ended.
 */
exports.FireOutcome = {
    /**
     * Not set.
     */
    FIRE_OUTCOME_UNSPECIFIED: 'FIRE_OUTCOME_UNSPECIFIED',
    /**
     * Its run started (`run_id`).
     */
    FIRE_OUTCOME_STARTED: 'FIRE_OUTCOME_STARTED',
    /**
     * Skipped by the overlap policy.
     */
    FIRE_OUTCOME_SKIPPED: 'FIRE_OUTCOME_SKIPPED',
    /**
     * Waiting for the running run to end (buffer_one).
     */
    FIRE_OUTCOME_BUFFERED: 'FIRE_OUTCOME_BUFFERED',
    /**
     * Its run could not be made (`detail` says why: the recipe deleted, the
     * workspace at its limit of unfinished runs, …).
     */
    FIRE_OUTCOME_FAILED: 'FIRE_OUTCOME_FAILED',
};
