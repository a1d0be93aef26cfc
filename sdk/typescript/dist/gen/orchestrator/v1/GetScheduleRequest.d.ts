/**
 * Input of GetSchedule.
 */
export interface GetScheduleRequest {
    /**
     * The schedule's id.
     */
    'scheduleId'?: (string);
}
/**
 * Input of GetSchedule.
 */
export interface GetScheduleRequest__Output {
    /**
     * The schedule's id.
     */
    'scheduleId': (string);
}
