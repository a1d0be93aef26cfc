/**
 * Output of DeleteSchedule.
 */
export interface DeleteScheduleResponse {
}
/**
 * Output of DeleteSchedule.
 */
export interface DeleteScheduleResponse__Output {
}
