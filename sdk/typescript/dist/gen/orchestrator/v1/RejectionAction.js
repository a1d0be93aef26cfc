"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.RejectionAction = void 0;
/**
 * What a rejection at an approval gate does to the task.
 */
exports.RejectionAction = {
    /**
     * Use the default (FAIL).
     */
    REJECTION_ACTION_UNSPECIFIED: 'REJECTION_ACTION_UNSPECIFIED',
    /**
     * The task fails (and so the run, unless the task is optional).
     */
    REJECTION_ACTION_FAIL: 'REJECTION_ACTION_FAIL',
    /**
     * The task is skipped; its dependents run without its output.
     */
    REJECTION_ACTION_SKIP: 'REJECTION_ACTION_SKIP',
};
