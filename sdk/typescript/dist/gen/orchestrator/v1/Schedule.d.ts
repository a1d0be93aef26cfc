import type { ScheduleSpec as _orchestrator_v1_ScheduleSpec, ScheduleSpec__Output as _orchestrator_v1_ScheduleSpec__Output } from '../../orchestrator/v1/ScheduleSpec';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { OverlapPolicy as _orchestrator_v1_OverlapPolicy, OverlapPolicy__Output as _orchestrator_v1_OverlapPolicy__Output } from '../../orchestrator/v1/OverlapPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { ScheduleFire as _orchestrator_v1_ScheduleFire, ScheduleFire__Output as _orchestrator_v1_ScheduleFire__Output } from '../../orchestrator/v1/ScheduleFire';
import type { Long } from '@grpc/proto-loader';
/**
 * A schedule.
 */
export interface Schedule {
    /**
     * Its id.
     */
    'scheduleId'?: (string);
    /**
     * When it fires.
     */
    'spec'?: (_orchestrator_v1_ScheduleSpec | null);
    /**
     * The recipe each fire runs.
     */
    'recipe'?: (string);
    /**
     * Its version; 0: the latest at each fire.
     */
    'recipeVersion'?: (number);
    /**
     * The runs' parameters.
     */
    'params'?: (_google_protobuf_Struct | null);
    /**
     * What a fire does while a run it started is still going.
     */
    'overlap'?: (_orchestrator_v1_OverlapPolicy);
    /**
     * Fire times at most this old still fire after downtime.
     */
    'catchupWindow'?: (_google_protobuf_Duration | null);
    /**
     * Whether it is paused.
     */
    'paused'?: (boolean);
    /**
     * The note of the last create, pause or resume.
     */
    'note'?: (string);
    /**
     * Added to the labels of every run it starts.
     */
    'labels'?: ({
        [key: string]: string;
    });
    /**
     * Its next fire times (at most 5; none while paused).
     */
    'nextFireTimes'?: (_google_protobuf_Timestamp)[];
    /**
     * Its latest fires, newest first (at most 10).
     */
    'recentFires'?: (_orchestrator_v1_ScheduleFire)[];
    /**
     * Fire times missed while no server ran, older than the catch-up window.
     */
    'missedFires'?: (number | string | Long);
    /**
     * When it was made.
     */
    'createdAt'?: (_google_protobuf_Timestamp | null);
    /**
     * Who made it (a key id, or "local").
     */
    'createdBy'?: (string);
    /**
     * The workspace it belongs to.
     */
    'workspace'?: (string);
}
/**
 * A schedule.
 */
export interface Schedule__Output {
    /**
     * Its id.
     */
    'scheduleId': (string);
    /**
     * When it fires.
     */
    'spec': (_orchestrator_v1_ScheduleSpec__Output | null);
    /**
     * The recipe each fire runs.
     */
    'recipe': (string);
    /**
     * Its version; 0: the latest at each fire.
     */
    'recipeVersion': (number);
    /**
     * The runs' parameters.
     */
    'params': (_google_protobuf_Struct__Output | null);
    /**
     * What a fire does while a run it started is still going.
     */
    'overlap': (_orchestrator_v1_OverlapPolicy__Output);
    /**
     * Fire times at most this old still fire after downtime.
     */
    'catchupWindow': (_google_protobuf_Duration__Output | null);
    /**
     * Whether it is paused.
     */
    'paused': (boolean);
    /**
     * The note of the last create, pause or resume.
     */
    'note': (string);
    /**
     * Added to the labels of every run it starts.
     */
    'labels': ({
        [key: string]: string;
    });
    /**
     * Its next fire times (at most 5; none while paused).
     */
    'nextFireTimes': (_google_protobuf_Timestamp__Output)[];
    /**
     * Its latest fires, newest first (at most 10).
     */
    'recentFires': (_orchestrator_v1_ScheduleFire__Output)[];
    /**
     * Fire times missed while no server ran, older than the catch-up window.
     */
    'missedFires': (number);
    /**
     * When it was made.
     */
    'createdAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * Who made it (a key id, or "local").
     */
    'createdBy': (string);
    /**
     * The workspace it belongs to.
     */
    'workspace': (string);
}
