/**
 * Input of GetRunTrace.
 */
export interface GetRunTraceRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
}
/**
 * Input of GetRunTrace.
 */
export interface GetRunTraceRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
}
