import type { RunStatus as _orchestrator_v1_RunStatus, RunStatus__Output as _orchestrator_v1_RunStatus__Output } from '../../orchestrator/v1/RunStatus';
import type { RunView as _orchestrator_v1_RunView, RunView__Output as _orchestrator_v1_RunView__Output } from '../../orchestrator/v1/RunView';
/**
 * Input of ListRuns.
 */
export interface ListRunsRequest {
    /**
     * Only runs in one of these statuses (all when empty).
     */
    'statuses'?: (_orchestrator_v1_RunStatus)[];
    /**
     * Only runs carrying every one of these labels.
     */
    'labels'?: ({
        [key: string]: string;
    });
    /**
     * At most this many (1–500; 0 = 50).
     */
    'pageSize'?: (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken'?: (string);
    /**
     * How much of each run to answer with (default BASIC: without plans).
     */
    'view'?: (_orchestrator_v1_RunView);
    /**
     * Only the child runs that this run's TASK_KIND_RUN tasks started.
     */
    'parentRunId'?: (string);
}
/**
 * Input of ListRuns.
 */
export interface ListRunsRequest__Output {
    /**
     * Only runs in one of these statuses (all when empty).
     */
    'statuses': (_orchestrator_v1_RunStatus__Output)[];
    /**
     * Only runs carrying every one of these labels.
     */
    'labels': ({
        [key: string]: string;
    });
    /**
     * At most this many (1–500; 0 = 50).
     */
    'pageSize': (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken': (string);
    /**
     * How much of each run to answer with (default BASIC: without plans).
     */
    'view': (_orchestrator_v1_RunView__Output);
    /**
     * Only the child runs that this run's TASK_KIND_RUN tasks started.
     */
    'parentRunId': (string);
}
