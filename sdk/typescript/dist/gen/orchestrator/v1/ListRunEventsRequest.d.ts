import type { Long } from '@grpc/proto-loader';
/**
 * Input of ListRunEvents.
 */
export interface ListRunEventsRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * Start after this sequence number (ignored when page_token is set).
     */
    'afterSeq'?: (number | string | Long);
    /**
     * At most this many (1–1000; 0 = 100).
     */
    'pageSize'?: (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken'?: (string);
}
/**
 * Input of ListRunEvents.
 */
export interface ListRunEventsRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * Start after this sequence number (ignored when page_token is set).
     */
    'afterSeq': (number);
    /**
     * At most this many (1–1000; 0 = 100).
     */
    'pageSize': (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken': (string);
}
