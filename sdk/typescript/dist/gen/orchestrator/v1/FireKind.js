"use strict";
// Original file: proto/orchestrator/v1/schedule.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.FireKind = void 0;
/**
 * What started a fire.
 */
exports.FireKind = {
    /**
     * Not set.
     */
    FIRE_KIND_UNSPECIFIED: 'FIRE_KIND_UNSPECIFIED',
    /**
     * Its fire time came.
     */
    FIRE_KIND_SCHEDULED: 'FIRE_KIND_SCHEDULED',
    /**
     * TriggerSchedule.
     */
    FIRE_KIND_TRIGGERED: 'FIRE_KIND_TRIGGERED',
    /**
     * BackfillSchedule.
     */
    FIRE_KIND_BACKFILL: 'FIRE_KIND_BACKFILL',
};
