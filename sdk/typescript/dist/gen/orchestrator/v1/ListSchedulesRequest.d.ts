/**
 * Input of ListSchedules.
 */
export interface ListSchedulesRequest {
    /**
     * At most this many (1–100; 0 = 20).
     */
    'pageSize'?: (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken'?: (string);
}
/**
 * Input of ListSchedules.
 */
export interface ListSchedulesRequest__Output {
    /**
     * At most this many (1–100; 0 = 20).
     */
    'pageSize': (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken': (string);
}
