import type { Schedule as _orchestrator_v1_Schedule, Schedule__Output as _orchestrator_v1_Schedule__Output } from '../../orchestrator/v1/Schedule';
/**
 * Output of ListSchedules.
 */
export interface ListSchedulesResponse {
    /**
     * The page, by id.
     */
    'schedules'?: (_orchestrator_v1_Schedule)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken'?: (string);
}
/**
 * Output of ListSchedules.
 */
export interface ListSchedulesResponse__Output {
    /**
     * The page, by id.
     */
    'schedules': (_orchestrator_v1_Schedule__Output)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken': (string);
}
