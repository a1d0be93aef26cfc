/**
 * A warning about a run.
 */
export interface AdviceWarning {
    /**
     * BUDGET_BELOW_PREDICTED, NO_CRITERIA, LOW_PASS_RATE (an agent under 60%
     * of at least 5 tasks), VAGUE_GOAL, BROAD_GOAL, NO_PLAN, NO_HISTORY.
     */
    'code'?: (string);
    /**
     * What it means here.
     */
    'message'?: (string);
}
/**
 * A warning about a run.
 */
export interface AdviceWarning__Output {
    /**
     * BUDGET_BELOW_PREDICTED, NO_CRITERIA, LOW_PASS_RATE (an agent under 60%
     * of at least 5 tasks), VAGUE_GOAL, BROAD_GOAL, NO_PLAN, NO_HISTORY.
     */
    'code': (string);
    /**
     * What it means here.
     */
    'message': (string);
}
