/**
 * Input of PauseRun.
 */
export interface PauseRunRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * Why.
     */
    'reason'?: (string);
}
/**
 * Input of PauseRun.
 */
export interface PauseRunRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * Why.
     */
    'reason': (string);
}
