/**
 * What started a fire.
 */
export declare const FireKind: {
    /**
     * Not set.
     */
    readonly FIRE_KIND_UNSPECIFIED: "FIRE_KIND_UNSPECIFIED";
    /**
     * Its fire time came.
     */
    readonly FIRE_KIND_SCHEDULED: "FIRE_KIND_SCHEDULED";
    /**
     * TriggerSchedule.
     */
    readonly FIRE_KIND_TRIGGERED: "FIRE_KIND_TRIGGERED";
    /**
     * BackfillSchedule.
     */
    readonly FIRE_KIND_BACKFILL: "FIRE_KIND_BACKFILL";
};
/**
 * What started a fire.
 */
export type FireKind = 
/**
 * Not set.
 */
'FIRE_KIND_UNSPECIFIED' | 0
/**
 * Its fire time came.
 */
 | 'FIRE_KIND_SCHEDULED' | 1
/**
 * TriggerSchedule.
 */
 | 'FIRE_KIND_TRIGGERED' | 2
/**
 * BackfillSchedule.
 */
 | 'FIRE_KIND_BACKFILL' | 3;
/**
 * What started a fire.
 */
export type FireKind__Output = typeof FireKind[keyof typeof FireKind];
