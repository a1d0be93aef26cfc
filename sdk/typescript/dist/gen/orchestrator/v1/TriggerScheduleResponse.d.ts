import type { ScheduleFire as _orchestrator_v1_ScheduleFire, ScheduleFire__Output as _orchestrator_v1_ScheduleFire__Output } from '../../orchestrator/v1/ScheduleFire';
/**
 * Output of TriggerSchedule.
 */
export interface TriggerScheduleResponse {
    /**
     * The fire, with its outcome (and its run when it started one).
     */
    'fire'?: (_orchestrator_v1_ScheduleFire | null);
}
/**
 * Output of TriggerSchedule.
 */
export interface TriggerScheduleResponse__Output {
    /**
     * The fire, with its outcome (and its run when it started one).
     */
    'fire': (_orchestrator_v1_ScheduleFire__Output | null);
}
