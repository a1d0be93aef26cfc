"use strict";
// Original file: proto/orchestrator/v1/run.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.RunView = void 0;
/**
 * How much of a run an answer carries.
 */
exports.RunView = {
    /**
     * The RPC's default: FULL for GetRun, BASIC for ListRuns.
     */
    RUN_VIEW_UNSPECIFIED: 'RUN_VIEW_UNSPECIFIED',
    /**
     * Everything but the plan (ListTasks pages through the tasks).
     */
    RUN_VIEW_BASIC: 'RUN_VIEW_BASIC',
    /**
     * With the plan.
     */
    RUN_VIEW_FULL: 'RUN_VIEW_FULL',
};
