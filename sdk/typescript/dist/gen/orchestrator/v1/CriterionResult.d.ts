/**
 * The result of one criterion.
 */
export interface CriterionResult {
    /**
     * The criterion's id.
     */
    'criterionId'?: (string);
    /**
     * The criterion's kind.
     */
    'kind'?: (string);
    /**
     * Whether the output satisfied it.
     */
    'passed'?: (boolean);
    /**
     * Score in [0, 1]; rules score 1 or 0, a judge its own score.
     */
    'score'?: (number | string);
    /**
     * Why it passed or failed, in words an agent can act on.
     */
    'reason'?: (string);
    /**
     * Copied from the criterion.
     */
    'advisory'?: (boolean);
    /**
     * Not evaluated (e.g. llm_judge under the degrade budget policy).
     */
    'skipped'?: (boolean);
    /**
     * The verifier could not evaluate it (the judge failed or gave no score):
     * not the output's fault, never fed back to the task as feedback.
     */
    'error'?: (boolean);
}
/**
 * The result of one criterion.
 */
export interface CriterionResult__Output {
    /**
     * The criterion's id.
     */
    'criterionId': (string);
    /**
     * The criterion's kind.
     */
    'kind': (string);
    /**
     * Whether the output satisfied it.
     */
    'passed': (boolean);
    /**
     * Score in [0, 1]; rules score 1 or 0, a judge its own score.
     */
    'score': (number);
    /**
     * Why it passed or failed, in words an agent can act on.
     */
    'reason': (string);
    /**
     * Copied from the criterion.
     */
    'advisory': (boolean);
    /**
     * Not evaluated (e.g. llm_judge under the degrade budget policy).
     */
    'skipped': (boolean);
    /**
     * The verifier could not evaluate it (the judge failed or gave no score):
     * not the output's fault, never fed back to the task as feedback.
     */
    'error': (boolean);
}
