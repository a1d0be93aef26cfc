import type { RetryOutcome as _orchestrator_v1_RetryOutcome, RetryOutcome__Output as _orchestrator_v1_RetryOutcome__Output } from '../../orchestrator/v1/RetryOutcome';
/**
 * Output of ListRetryOutcomes.
 */
export interface ListRetryOutcomesResponse {
    /**
     * By agent, then model.
     */
    'outcomes'?: (_orchestrator_v1_RetryOutcome)[];
}
/**
 * Output of ListRetryOutcomes.
 */
export interface ListRetryOutcomesResponse__Output {
    /**
     * By agent, then model.
     */
    'outcomes': (_orchestrator_v1_RetryOutcome__Output)[];
}
