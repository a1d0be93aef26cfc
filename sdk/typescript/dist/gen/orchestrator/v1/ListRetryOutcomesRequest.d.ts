/**
 * Input of ListRetryOutcomes.
 */
export interface ListRetryOutcomesRequest {
    /**
     * Only this agent's (empty: every agent's).
     */
    'agent'?: (string);
}
/**
 * Input of ListRetryOutcomes.
 */
export interface ListRetryOutcomesRequest__Output {
    /**
     * Only this agent's (empty: every agent's).
     */
    'agent': (string);
}
