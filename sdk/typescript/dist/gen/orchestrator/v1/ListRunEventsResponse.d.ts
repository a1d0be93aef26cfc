import type { RunEvent as _orchestrator_v1_RunEvent, RunEvent__Output as _orchestrator_v1_RunEvent__Output } from '../../orchestrator/v1/RunEvent';
/**
 * Output of ListRunEvents.
 */
export interface ListRunEventsResponse {
    /**
     * The page, in sequence order.
     */
    'events'?: (_orchestrator_v1_RunEvent)[];
    /**
     * Pass as `page_token` for the next page; empty when no more events exist now.
     */
    'nextPageToken'?: (string);
}
/**
 * Output of ListRunEvents.
 */
export interface ListRunEventsResponse__Output {
    /**
     * The page, in sequence order.
     */
    'events': (_orchestrator_v1_RunEvent__Output)[];
    /**
     * Pass as `page_token` for the next page; empty when no more events exist now.
     */
    'nextPageToken': (string);
}
