/**
 * Input of ListCriterionKinds.
 */
export interface ListCriterionKindsRequest {
}
/**
 * Input of ListCriterionKinds.
 */
export interface ListCriterionKindsRequest__Output {
}
