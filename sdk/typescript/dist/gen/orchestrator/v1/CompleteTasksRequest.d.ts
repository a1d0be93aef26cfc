import type { CompleteTaskRequest as _orchestrator_v1_CompleteTaskRequest, CompleteTaskRequest__Output as _orchestrator_v1_CompleteTaskRequest__Output } from '../../orchestrator/v1/CompleteTaskRequest';
/**
 * Input of CompleteTasks.
 */
export interface CompleteTasksRequest {
    /**
     * The completions (1 to 64), each as CompleteTask takes it; their own
     * `claim_next` and `max_next` are ignored (the call's count).
     */
    'completions'?: (_orchestrator_v1_CompleteTaskRequest)[];
    /**
     * Also claim next ready tasks of the completed attempts' agent, as
     * CompleteTask's `claim_next` does, after the completions.
     */
    'claimNext'?: (boolean);
    /**
     * With `claim_next`: up to this many next tasks (0 or 1 = one; at most 64).
     */
    'maxNext'?: (number);
}
/**
 * Input of CompleteTasks.
 */
export interface CompleteTasksRequest__Output {
    /**
     * The completions (1 to 64), each as CompleteTask takes it; their own
     * `claim_next` and `max_next` are ignored (the call's count).
     */
    'completions': (_orchestrator_v1_CompleteTaskRequest__Output)[];
    /**
     * Also claim next ready tasks of the completed attempts' agent, as
     * CompleteTask's `claim_next` does, after the completions.
     */
    'claimNext': (boolean);
    /**
     * With `claim_next`: up to this many next tasks (0 or 1 = one; at most 64).
     */
    'maxNext': (number);
}
