/**
 * Input of DeleteSchedule.
 */
export interface DeleteScheduleRequest {
    /**
     * The schedule's id.
     */
    'scheduleId'?: (string);
}
/**
 * Input of DeleteSchedule.
 */
export interface DeleteScheduleRequest__Output {
    /**
     * The schedule's id.
     */
    'scheduleId': (string);
}
