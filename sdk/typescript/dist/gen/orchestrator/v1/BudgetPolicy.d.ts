/**
 * What a run does when one of its budgets is exhausted.
 */
export declare const BudgetPolicy: {
    /**
     * Use the server's configured default (which defaults to FAIL).
     */
    readonly BUDGET_POLICY_UNSPECIFIED: "BUDGET_POLICY_UNSPECIFIED";
    /**
     * Fail the run; its failure reason names the budget.
     */
    readonly BUDGET_POLICY_FAIL: "BUDGET_POLICY_FAIL";
    /**
     * Pause the run; ResumeRun with a raised budget continues it.
     */
    readonly BUDGET_POLICY_PAUSE: "BUDGET_POLICY_PAUSE";
    /**
     * Keep going cheaper: utility model, skip optional tasks, skip LLM judging.
     */
    readonly BUDGET_POLICY_DEGRADE: "BUDGET_POLICY_DEGRADE";
};
/**
 * What a run does when one of its budgets is exhausted.
 */
export type BudgetPolicy = 
/**
 * Use the server's configured default (which defaults to FAIL).
 */
'BUDGET_POLICY_UNSPECIFIED' | 0
/**
 * Fail the run; its failure reason names the budget.
 */
 | 'BUDGET_POLICY_FAIL' | 1
/**
 * Pause the run; ResumeRun with a raised budget continues it.
 */
 | 'BUDGET_POLICY_PAUSE' | 2
/**
 * Keep going cheaper: utility model, skip optional tasks, skip LLM judging.
 */
 | 'BUDGET_POLICY_DEGRADE' | 3;
/**
 * What a run does when one of its budgets is exhausted.
 */
export type BudgetPolicy__Output = typeof BudgetPolicy[keyof typeof BudgetPolicy];
