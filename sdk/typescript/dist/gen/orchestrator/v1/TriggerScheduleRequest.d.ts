/**
 * Input of TriggerSchedule.
 */
export interface TriggerScheduleRequest {
    /**
     * The schedule's id.
     */
    'scheduleId'?: (string);
    /**
     * A retry with the same id fires once (at most 128 bytes; empty: a new fire).
     */
    'requestId'?: (string);
}
/**
 * Input of TriggerSchedule.
 */
export interface TriggerScheduleRequest__Output {
    /**
     * The schedule's id.
     */
    'scheduleId': (string);
    /**
     * A retry with the same id fires once (at most 128 bytes; empty: a new fire).
     */
    'requestId': (string);
}
