import type { TaskAssignment as _orchestrator_v1_TaskAssignment, TaskAssignment__Output as _orchestrator_v1_TaskAssignment__Output } from '../../orchestrator/v1/TaskAssignment';
/**
 * Output of PollTask.
 */
export interface PollTaskResponse {
    /**
     * The task to do, or unset when none came up within `wait` (when
     * `max_tasks` is 0 or 1).
     */
    'assignment'?: (_orchestrator_v1_TaskAssignment | null);
    /**
     * The tasks handed out when `max_tasks` is more than 1 (then `assignment`
     * is unset): at most `max_tasks`, and fewer once their specs and inputs
     * reach half the server's message limit, so that the answer stays within it.
     */
    'assignments'?: (_orchestrator_v1_TaskAssignment)[];
}
/**
 * Output of PollTask.
 */
export interface PollTaskResponse__Output {
    /**
     * The task to do, or unset when none came up within `wait` (when
     * `max_tasks` is 0 or 1).
     */
    'assignment': (_orchestrator_v1_TaskAssignment__Output | null);
    /**
     * The tasks handed out when `max_tasks` is more than 1 (then `assignment`
     * is unset): at most `max_tasks`, and fewer once their specs and inputs
     * reach half the server's message limit, so that the answer stays within it.
     */
    'assignments': (_orchestrator_v1_TaskAssignment__Output)[];
}
