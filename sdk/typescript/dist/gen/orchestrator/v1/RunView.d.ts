/**
 * How much of a run an answer carries.
 */
export declare const RunView: {
    /**
     * The RPC's default: FULL for GetRun, BASIC for ListRuns.
     */
    readonly RUN_VIEW_UNSPECIFIED: "RUN_VIEW_UNSPECIFIED";
    /**
     * Everything but the plan (ListTasks pages through the tasks).
     */
    readonly RUN_VIEW_BASIC: "RUN_VIEW_BASIC";
    /**
     * With the plan.
     */
    readonly RUN_VIEW_FULL: "RUN_VIEW_FULL";
};
/**
 * How much of a run an answer carries.
 */
export type RunView = 
/**
 * The RPC's default: FULL for GetRun, BASIC for ListRuns.
 */
'RUN_VIEW_UNSPECIFIED' | 0
/**
 * Everything but the plan (ListTasks pages through the tasks).
 */
 | 'RUN_VIEW_BASIC' | 1
/**
 * With the plan.
 */
 | 'RUN_VIEW_FULL' | 2;
/**
 * How much of a run an answer carries.
 */
export type RunView__Output = typeof RunView[keyof typeof RunView];
