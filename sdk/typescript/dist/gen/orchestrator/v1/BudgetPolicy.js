"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.BudgetPolicy = void 0;
/**
 * What a run does when one of its budgets is exhausted.
 */
exports.BudgetPolicy = {
    /**
     * Use the server's configured default (which defaults to FAIL).
     */
    BUDGET_POLICY_UNSPECIFIED: 'BUDGET_POLICY_UNSPECIFIED',
    /**
     * Fail the run; its failure reason names the budget.
     */
    BUDGET_POLICY_FAIL: 'BUDGET_POLICY_FAIL',
    /**
     * Pause the run; ResumeRun with a raised budget continues it.
     */
    BUDGET_POLICY_PAUSE: 'BUDGET_POLICY_PAUSE',
    /**
     * Keep going cheaper: utility model, skip optional tasks, skip LLM judging.
     */
    BUDGET_POLICY_DEGRADE: 'BUDGET_POLICY_DEGRADE',
};
