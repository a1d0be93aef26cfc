import type { CriterionKind as _orchestrator_v1_CriterionKind, CriterionKind__Output as _orchestrator_v1_CriterionKind__Output } from '../../orchestrator/v1/CriterionKind';
/**
 * Output of ListCriterionKinds.
 */
export interface ListCriterionKindsResponse {
    /**
     * Every kind the server knows.
     */
    'kinds'?: (_orchestrator_v1_CriterionKind)[];
}
/**
 * Output of ListCriterionKinds.
 */
export interface ListCriterionKindsResponse__Output {
    /**
     * Every kind the server knows.
     */
    'kinds': (_orchestrator_v1_CriterionKind__Output)[];
}
