"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.TaskKind = void 0;
/**
 * The kind of work a task is.
 */
exports.TaskKind = {
    /**
     * Same as TASK_KIND_AGENT.
     */
    TASK_KIND_UNSPECIFIED: 'TASK_KIND_UNSPECIFIED',
    /**
     * Executed by the agent named in `TaskSpec.agent`.
     */
    TASK_KIND_AGENT: 'TASK_KIND_AGENT',
    /**
     * Merges its dependencies' outputs per `TaskSpec.aggregate`; no agent needed
     * except for AGGREGATE_MODE_LLM_SUMMARY.
     */
    TASK_KIND_AGGREGATE: 'TASK_KIND_AGGREGATE',
    /**
     * Delegates to a child run (`TaskSpec.child`): started when the task is
     * ready, with a budget carved out of what the run has left; the task
     * completes with the child's output and fails with its failure. Names no
     * agent (the child's tasks do); `timeout`, when set, bounds the child.
     */
    TASK_KIND_RUN: 'TASK_KIND_RUN',
};
