"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.TaskFailureAction = void 0;
/**
 * What a required task that used its retries does to its run.
 */
exports.TaskFailureAction = {
    /**
     * The server policy's default.
     */
    TASK_FAILURE_ACTION_UNSPECIFIED: 'TASK_FAILURE_ACTION_UNSPECIFIED',
    /**
     * The run fails: the failed task's downstream tasks are SKIPPED, every
     * other open task CANCELLED.
     */
    TASK_FAILURE_ACTION_FAIL: 'TASK_FAILURE_ACTION_FAIL',
    /**
     * The planner (models.utility or main) is asked to revise what is left,
     * given the goal, what succeeded (with outputs) and what failed and why.
     * The failed task's downstream tasks are SKIPPED ("replaced by the revised
     * plan") and the revision's tasks added; its first tasks get the failed
     * task's inputs. Other branches keep running meanwhile. A `plan.revised`
     * event has the diff; the planner's tokens are charged to the budget. A
     * revision the planner cannot make fails the run with its reason.
     */
    TASK_FAILURE_ACTION_REPLAN: 'TASK_FAILURE_ACTION_REPLAN',
};
