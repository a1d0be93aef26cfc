import type { Run as _orchestrator_v1_Run, Run__Output as _orchestrator_v1_Run__Output } from '../../orchestrator/v1/Run';
/**
 * Output of CreateRun.
 */
export interface CreateRunResponse {
    /**
     * The run.
     */
    'run'?: (_orchestrator_v1_Run | null);
    /**
     * True when `request_id` matched an earlier request and no new run was made.
     */
    'deduplicated'?: (boolean);
}
/**
 * Output of CreateRun.
 */
export interface CreateRunResponse__Output {
    /**
     * The run.
     */
    'run': (_orchestrator_v1_Run__Output | null);
    /**
     * True when `request_id` matched an earlier request and no new run was made.
     */
    'deduplicated': (boolean);
}
