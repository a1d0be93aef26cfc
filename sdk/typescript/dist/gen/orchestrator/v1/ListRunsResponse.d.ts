import type { Run as _orchestrator_v1_Run, Run__Output as _orchestrator_v1_Run__Output } from '../../orchestrator/v1/Run';
/**
 * Output of ListRuns.
 */
export interface ListRunsResponse {
    /**
     * The page, newest first. A page also ends before `page_size` runs when
     * its runs reach the server's message size (--max-message-bytes): follow
     * `next_page_token` as usual; a page always holds at least one run.
     */
    'runs'?: (_orchestrator_v1_Run)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken'?: (string);
}
/**
 * Output of ListRuns.
 */
export interface ListRunsResponse__Output {
    /**
     * The page, newest first. A page also ends before `page_size` runs when
     * its runs reach the server's message size (--max-message-bytes): follow
     * `next_page_token` as usual; a page always holds at least one run.
     */
    'runs': (_orchestrator_v1_Run__Output)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken': (string);
}
