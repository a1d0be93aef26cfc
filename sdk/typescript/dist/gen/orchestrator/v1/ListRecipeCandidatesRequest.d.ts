/**
 * Input of ListRecipeCandidates.
 */
export interface ListRecipeCandidatesRequest {
    /**
     * Runs a graph needs to be a candidate (2–100; 0 = 3).
     */
    'minRuns'?: (number);
}
/**
 * Input of ListRecipeCandidates.
 */
export interface ListRecipeCandidatesRequest__Output {
    /**
     * Runs a graph needs to be a candidate (2–100; 0 = 3).
     */
    'minRuns': (number);
}
