import type { RetryPolicy as _orchestrator_v1_RetryPolicy, RetryPolicy__Output as _orchestrator_v1_RetryPolicy__Output } from '../../orchestrator/v1/RetryPolicy';
import type { TaskFailureAction as _orchestrator_v1_TaskFailureAction, TaskFailureAction__Output as _orchestrator_v1_TaskFailureAction__Output } from '../../orchestrator/v1/TaskFailureAction';
/**
 * Per-run overrides of the server policy.
 */
export interface RunPolicy {
    /**
     * Retry policy for tasks that don't set their own.
     */
    'defaultRetry'?: (_orchestrator_v1_RetryPolicy | null);
    /**
     * Tools denied to every task of the run (the run layer of the tool policy).
     */
    'toolsDenied'?: (string)[];
    /**
     * If the run's own criteria fail, re-run the aggregator once with the verdict as feedback.
     */
    'rerunAggregatorOnFailedCriteria'?: (boolean);
    /**
     * Retry a task whose attempt failed verification, with the verdict as
     * feedback (unset: true). False fails the task at once: for kinds of work
     * where retries never rescue (see the README, "Planning with an LLM").
     */
    'retryOnVerdict'?: (boolean);
    /**
     * What a required task that used its retries does (unset: the server
     * policy's `on_task_failure`, itself FAIL by default).
     */
    'onTaskFailure'?: (_orchestrator_v1_TaskFailureAction);
    /**
     * With REPLAN: revisions at most, 1 to 10 (0: the server policy's
     * `planner.max_replans`, default 2); the next required failure fails the run.
     */
    'maxReplans'?: (number);
    '_retryOnVerdict'?: "retryOnVerdict";
}
/**
 * Per-run overrides of the server policy.
 */
export interface RunPolicy__Output {
    /**
     * Retry policy for tasks that don't set their own.
     */
    'defaultRetry': (_orchestrator_v1_RetryPolicy__Output | null);
    /**
     * Tools denied to every task of the run (the run layer of the tool policy).
     */
    'toolsDenied': (string)[];
    /**
     * If the run's own criteria fail, re-run the aggregator once with the verdict as feedback.
     */
    'rerunAggregatorOnFailedCriteria': (boolean);
    /**
     * Retry a task whose attempt failed verification, with the verdict as
     * feedback (unset: true). False fails the task at once: for kinds of work
     * where retries never rescue (see the README, "Planning with an LLM").
     */
    'retryOnVerdict'?: (boolean);
    /**
     * What a required task that used its retries does (unset: the server
     * policy's `on_task_failure`, itself FAIL by default).
     */
    'onTaskFailure': (_orchestrator_v1_TaskFailureAction__Output);
    /**
     * With REPLAN: revisions at most, 1 to 10 (0: the server policy's
     * `planner.max_replans`, default 2); the next required failure fails the run.
     */
    'maxReplans': (number);
    '_retryOnVerdict'?: "retryOnVerdict";
}
