import type { CriterionParam as _orchestrator_v1_CriterionParam, CriterionParam__Output as _orchestrator_v1_CriterionParam__Output } from '../../orchestrator/v1/CriterionParam';
/**
 * A criterion kind.
 */
export interface CriterionKind {
    /**
     * Its name, as used in `Criterion.kind`.
     */
    'name'?: (string);
    /**
     * What it checks.
     */
    'description'?: (string);
    /**
     * Its parameters.
     */
    'params'?: (_orchestrator_v1_CriterionParam)[];
    /**
     * True for kinds that call an LLM.
     */
    'usesLlm'?: (boolean);
}
/**
 * A criterion kind.
 */
export interface CriterionKind__Output {
    /**
     * Its name, as used in `Criterion.kind`.
     */
    'name': (string);
    /**
     * What it checks.
     */
    'description': (string);
    /**
     * Its parameters.
     */
    'params': (_orchestrator_v1_CriterionParam__Output)[];
    /**
     * True for kinds that call an LLM.
     */
    'usesLlm': (boolean);
}
