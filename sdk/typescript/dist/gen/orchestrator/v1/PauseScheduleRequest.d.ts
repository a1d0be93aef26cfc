/**
 * Input of PauseSchedule.
 */
export interface PauseScheduleRequest {
    /**
     * The schedule's id.
     */
    'scheduleId'?: (string);
    /**
     * Why (at most 1 KiB).
     */
    'note'?: (string);
}
/**
 * Input of PauseSchedule.
 */
export interface PauseScheduleRequest__Output {
    /**
     * The schedule's id.
     */
    'scheduleId': (string);
    /**
     * Why (at most 1 KiB).
     */
    'note': (string);
}
