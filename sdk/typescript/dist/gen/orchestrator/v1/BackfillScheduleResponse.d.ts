import type { ScheduleFire as _orchestrator_v1_ScheduleFire, ScheduleFire__Output as _orchestrator_v1_ScheduleFire__Output } from '../../orchestrator/v1/ScheduleFire';
/**
 * Output of BackfillSchedule.
 */
export interface BackfillScheduleResponse {
    /**
     * Each fire time's fire, oldest first (times backfilled before are not
     * fired again and not listed).
     */
    'fires'?: (_orchestrator_v1_ScheduleFire)[];
}
/**
 * Output of BackfillSchedule.
 */
export interface BackfillScheduleResponse__Output {
    /**
     * Each fire time's fire, oldest first (times backfilled before are not
     * fired again and not listed).
     */
    'fires': (_orchestrator_v1_ScheduleFire__Output)[];
}
