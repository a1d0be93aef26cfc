/**
 * Input of ResumeSchedule.
 */
export interface ResumeScheduleRequest {
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
 * Input of ResumeSchedule.
 */
export interface ResumeScheduleRequest__Output {
    /**
     * The schedule's id.
     */
    'scheduleId': (string);
    /**
     * Why (at most 1 KiB).
     */
    'note': (string);
}
