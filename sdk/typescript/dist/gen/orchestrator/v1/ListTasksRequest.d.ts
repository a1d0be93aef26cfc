import type { TaskStatus as _orchestrator_v1_TaskStatus, TaskStatus__Output as _orchestrator_v1_TaskStatus__Output } from '../../orchestrator/v1/TaskStatus';
/**
 * Input of ListTasks.
 */
export interface ListTasksRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * Only tasks in one of these statuses (all when empty).
     */
    'statuses'?: (_orchestrator_v1_TaskStatus)[];
    /**
     * At most this many (1–1000; 0 = 100).
     */
    'pageSize'?: (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken'?: (string);
}
/**
 * Input of ListTasks.
 */
export interface ListTasksRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * Only tasks in one of these statuses (all when empty).
     */
    'statuses': (_orchestrator_v1_TaskStatus__Output)[];
    /**
     * At most this many (1–1000; 0 = 100).
     */
    'pageSize': (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken': (string);
}
