import type { TaskStatus as _orchestrator_v1_TaskStatus, TaskStatus__Output as _orchestrator_v1_TaskStatus__Output } from '../../orchestrator/v1/TaskStatus';
import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from '../../orchestrator/v1/Verdict';
import type { TaskAssignment as _orchestrator_v1_TaskAssignment, TaskAssignment__Output as _orchestrator_v1_TaskAssignment__Output } from '../../orchestrator/v1/TaskAssignment';
/**
 * Output of CompleteTask.
 */
export interface CompleteTaskResponse {
    /**
     * The task's status after the completion (SUCCEEDED, or RETRY_SCHEDULED /
     * FAILED when verification rejected the output).
     */
    'taskStatus'?: (_orchestrator_v1_TaskStatus);
    /**
     * The verdict on the output, if the task has criteria.
     */
    'verdict'?: (_orchestrator_v1_Verdict | null);
    /**
     * The agent's next task, when `claim_next` was set and one was ready (when
     * `max_next` is 0 or 1).
     */
    'next'?: (_orchestrator_v1_TaskAssignment | null);
    /**
     * The next tasks handed out when `max_next` is more than 1 (then `next` is
     * unset), bounded as PollTask's `assignments` are.
     */
    'nextTasks'?: (_orchestrator_v1_TaskAssignment)[];
}
/**
 * Output of CompleteTask.
 */
export interface CompleteTaskResponse__Output {
    /**
     * The task's status after the completion (SUCCEEDED, or RETRY_SCHEDULED /
     * FAILED when verification rejected the output).
     */
    'taskStatus': (_orchestrator_v1_TaskStatus__Output);
    /**
     * The verdict on the output, if the task has criteria.
     */
    'verdict': (_orchestrator_v1_Verdict__Output | null);
    /**
     * The agent's next task, when `claim_next` was set and one was ready (when
     * `max_next` is 0 or 1).
     */
    'next': (_orchestrator_v1_TaskAssignment__Output | null);
    /**
     * The next tasks handed out when `max_next` is more than 1 (then `next` is
     * unset), bounded as PollTask's `assignments` are.
     */
    'nextTasks': (_orchestrator_v1_TaskAssignment__Output)[];
}
