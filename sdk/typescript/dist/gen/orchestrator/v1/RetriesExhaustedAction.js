"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.RetriesExhaustedAction = void 0;
/**
 * What happens when a task's retries are exhausted.
 */
exports.RetriesExhaustedAction = {
    /**
     * Use the default (FAIL).
     */
    RETRIES_EXHAUSTED_ACTION_UNSPECIFIED: 'RETRIES_EXHAUSTED_ACTION_UNSPECIFIED',
    /**
     * The task fails; the run fails unless the task is optional.
     */
    RETRIES_EXHAUSTED_ACTION_FAIL: 'RETRIES_EXHAUSTED_ACTION_FAIL',
    /**
     * The run pauses so that a person can look (RetryTask or ResumeRun).
     */
    RETRIES_EXHAUSTED_ACTION_PAUSE: 'RETRIES_EXHAUSTED_ACTION_PAUSE',
};
