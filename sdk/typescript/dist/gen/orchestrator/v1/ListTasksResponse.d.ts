import type { Task as _orchestrator_v1_Task, Task__Output as _orchestrator_v1_Task__Output } from '../../orchestrator/v1/Task';
/**
 * Output of ListTasks.
 */
export interface ListTasksResponse {
    /**
     * The page, in plan order. A page also ends before `page_size` tasks when
     * their inputs and outputs reach the server's message size: follow
     * `next_page_token` as usual; a page always holds at least one task.
     */
    'tasks'?: (_orchestrator_v1_Task)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken'?: (string);
}
/**
 * Output of ListTasks.
 */
export interface ListTasksResponse__Output {
    /**
     * The page, in plan order. A page also ends before `page_size` tasks when
     * their inputs and outputs reach the server's message size: follow
     * `next_page_token` as usual; a page always holds at least one task.
     */
    'tasks': (_orchestrator_v1_Task__Output)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken': (string);
}
