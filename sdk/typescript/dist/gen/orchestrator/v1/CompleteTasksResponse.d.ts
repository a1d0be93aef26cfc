import type { CompleteTaskResult as _orchestrator_v1_CompleteTaskResult, CompleteTaskResult__Output as _orchestrator_v1_CompleteTaskResult__Output } from '../../orchestrator/v1/CompleteTaskResult';
import type { TaskAssignment as _orchestrator_v1_TaskAssignment, TaskAssignment__Output as _orchestrator_v1_TaskAssignment__Output } from '../../orchestrator/v1/TaskAssignment';
/**
 * Output of CompleteTasks.
 */
export interface CompleteTasksResponse {
    /**
     * One result per completion, in the request's order.
     */
    'results'?: (_orchestrator_v1_CompleteTaskResult)[];
    /**
     * The next tasks handed out, when `claim_next` was set; none when a
     * completion went on to be verified (its judges run before this answer).
     */
    'nextTasks'?: (_orchestrator_v1_TaskAssignment)[];
}
/**
 * Output of CompleteTasks.
 */
export interface CompleteTasksResponse__Output {
    /**
     * One result per completion, in the request's order.
     */
    'results': (_orchestrator_v1_CompleteTaskResult__Output)[];
    /**
     * The next tasks handed out, when `claim_next` was set; none when a
     * completion went on to be verified (its judges run before this answer).
     */
    'nextTasks': (_orchestrator_v1_TaskAssignment__Output)[];
}
