import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
/**
 * When a schedule fires: a cron expression or a fixed interval.
 */
export interface ScheduleSpec {
    /**
     * Five fields (minute hour day-of-month month day-of-week), or six with
     * seconds first; names (MON, JAN), ranges, steps, lists, L, W and #, and
     * @hourly/@daily/@weekly/@monthly/@yearly. At most 256 bytes.
     */
    'cron'?: (string);
    /**
     * Every this long (1 s to 366 days, whole seconds), at the multiples of
     * it since the Unix epoch (every hour: on the hour, UTC).
     */
    'interval'?: (_google_protobuf_Duration | null);
    /**
     * The IANA time zone a cron expression is read in ("Europe/Paris";
     * empty: UTC). Across a daylight-saving change, a fixed time of day (one
     * value each for second, minute and hour) that does not exist fires right
     * after the gap and one that happens twice fires once; a pattern with
     * several values in those fields skips the gap's times and matches both
     * halves of a repeated hour (croner's behaviour, as Vixie cron's).
     */
    'timeZone'?: (string);
    /**
     * Each fire starts up to this much later than its fire time (0 to 1 h, and
     * less than the interval, at most half the catch-up window), the same
     * delay on every replica, so that many
     * schedules on one fire time do not start at one instant.
     */
    'jitter'?: (_google_protobuf_Duration | null);
    /**
     * One of the two.
     */
    'trigger'?: "cron" | "interval";
}
/**
 * When a schedule fires: a cron expression or a fixed interval.
 */
export interface ScheduleSpec__Output {
    /**
     * Five fields (minute hour day-of-month month day-of-week), or six with
     * seconds first; names (MON, JAN), ranges, steps, lists, L, W and #, and
     * @hourly/@daily/@weekly/@monthly/@yearly. At most 256 bytes.
     */
    'cron'?: (string);
    /**
     * Every this long (1 s to 366 days, whole seconds), at the multiples of
     * it since the Unix epoch (every hour: on the hour, UTC).
     */
    'interval'?: (_google_protobuf_Duration__Output | null);
    /**
     * The IANA time zone a cron expression is read in ("Europe/Paris";
     * empty: UTC). Across a daylight-saving change, a fixed time of day (one
     * value each for second, minute and hour) that does not exist fires right
     * after the gap and one that happens twice fires once; a pattern with
     * several values in those fields skips the gap's times and matches both
     * halves of a repeated hour (croner's behaviour, as Vixie cron's).
     */
    'timeZone': (string);
    /**
     * Each fire starts up to this much later than its fire time (0 to 1 h, and
     * less than the interval, at most half the catch-up window), the same
     * delay on every replica, so that many
     * schedules on one fire time do not start at one instant.
     */
    'jitter': (_google_protobuf_Duration__Output | null);
    /**
     * One of the two.
     */
    'trigger'?: "cron" | "interval";
}
