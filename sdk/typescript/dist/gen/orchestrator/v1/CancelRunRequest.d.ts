/**
 * Input of CancelRun.
 */
export interface CancelRunRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * Why (kept as the run's failure reason).
     */
    'reason'?: (string);
}
/**
 * Input of CancelRun.
 */
export interface CancelRunRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * Why (kept as the run's failure reason).
     */
    'reason': (string);
}
