import type { CriterionResult as _orchestrator_v1_CriterionResult, CriterionResult__Output as _orchestrator_v1_CriterionResult__Output } from '../../orchestrator/v1/CriterionResult';
/**
 * A verifier's verdict over an output.
 */
export interface Verdict {
    /**
     * True when every required (non-advisory, non-skipped) criterion passed.
     */
    'passed'?: (boolean);
    /**
     * Mean score of the evaluated criteria.
     */
    'score'?: (number | string);
    /**
     * One result per criterion, in order.
     */
    'results'?: (_orchestrator_v1_CriterionResult)[];
    /**
     * A one-line summary of the failures (empty when passed).
     */
    'summary'?: (string);
}
/**
 * A verifier's verdict over an output.
 */
export interface Verdict__Output {
    /**
     * True when every required (non-advisory, non-skipped) criterion passed.
     */
    'passed': (boolean);
    /**
     * Mean score of the evaluated criteria.
     */
    'score': (number);
    /**
     * One result per criterion, in order.
     */
    'results': (_orchestrator_v1_CriterionResult__Output)[];
    /**
     * A one-line summary of the failures (empty when passed).
     */
    'summary': (string);
}
