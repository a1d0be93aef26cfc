import type { Long } from '@grpc/proto-loader';
/**
 * Input of WatchRun.
 */
export interface WatchRunRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * Send events with a sequence number above this one (0 = from the start).
     */
    'afterSeq'?: (number | string | Long);
}
/**
 * Input of WatchRun.
 */
export interface WatchRunRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * Send events with a sequence number above this one (0 = from the start).
     */
    'afterSeq': (number);
}
