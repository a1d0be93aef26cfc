import type { RunView as _orchestrator_v1_RunView, RunView__Output as _orchestrator_v1_RunView__Output } from '../../orchestrator/v1/RunView';
/**
 * Input of GetRun.
 */
export interface GetRunRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * How much of the run to answer with (default FULL).
     */
    'view'?: (_orchestrator_v1_RunView);
}
/**
 * Input of GetRun.
 */
export interface GetRunRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * How much of the run to answer with (default FULL).
     */
    'view': (_orchestrator_v1_RunView__Output);
}
