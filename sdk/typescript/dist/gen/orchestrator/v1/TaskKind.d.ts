/**
 * The kind of work a task is.
 */
export declare const TaskKind: {
    /**
     * Same as TASK_KIND_AGENT.
     */
    readonly TASK_KIND_UNSPECIFIED: "TASK_KIND_UNSPECIFIED";
    /**
     * Executed by the agent named in `TaskSpec.agent`.
     */
    readonly TASK_KIND_AGENT: "TASK_KIND_AGENT";
    /**
     * Merges its dependencies' outputs per `TaskSpec.aggregate`; no agent needed
     * except for AGGREGATE_MODE_LLM_SUMMARY.
     */
    readonly TASK_KIND_AGGREGATE: "TASK_KIND_AGGREGATE";
    /**
     * Delegates to a child run (`TaskSpec.child`): started when the task is
     * ready, with a budget carved out of what the run has left; the task
     * completes with the child's output and fails with its failure. Names no
     * agent (the child's tasks do); `timeout`, when set, bounds the child.
     */
    readonly TASK_KIND_RUN: "TASK_KIND_RUN";
};
/**
 * The kind of work a task is.
 */
export type TaskKind = 
/**
 * Same as TASK_KIND_AGENT.
 */
'TASK_KIND_UNSPECIFIED' | 0
/**
 * Executed by the agent named in `TaskSpec.agent`.
 */
 | 'TASK_KIND_AGENT' | 1
/**
 * Merges its dependencies' outputs per `TaskSpec.aggregate`; no agent needed
 * except for AGGREGATE_MODE_LLM_SUMMARY.
 */
 | 'TASK_KIND_AGGREGATE' | 2
/**
 * Delegates to a child run (`TaskSpec.child`): started when the task is
 * ready, with a budget carved out of what the run has left; the task
 * completes with the child's output and fails with its failure. Names no
 * agent (the child's tasks do); `timeout`, when set, bounds the child.
 */
 | 'TASK_KIND_RUN' | 3;
/**
 * The kind of work a task is.
 */
export type TaskKind__Output = typeof TaskKind[keyof typeof TaskKind];
