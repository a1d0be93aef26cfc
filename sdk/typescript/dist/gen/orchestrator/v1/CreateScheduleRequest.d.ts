import type { ScheduleSpec as _orchestrator_v1_ScheduleSpec, ScheduleSpec__Output as _orchestrator_v1_ScheduleSpec__Output } from '../../orchestrator/v1/ScheduleSpec';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { OverlapPolicy as _orchestrator_v1_OverlapPolicy, OverlapPolicy__Output as _orchestrator_v1_OverlapPolicy__Output } from '../../orchestrator/v1/OverlapPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
/**
 * Input of CreateSchedule.
 */
export interface CreateScheduleRequest {
    /**
     * The schedule's id: letters, digits, '-', '_' and '.', at most 128 bytes.
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
     * Which version; 0: the latest at each fire.
     */
    'recipeVersion'?: (number);
    /**
     * The runs' parameters (bound as CreateRun binds them).
     */
    'params'?: (_google_protobuf_Struct | null);
    /**
     * What a fire does while a run it started is still going.
     */
    'overlap'?: (_orchestrator_v1_OverlapPolicy);
    /**
     * After a server was down, fire times at most this old still fire
     * (10 s to 366 days; unset: 5 minutes). Older ones are missed.
     */
    'catchupWindow'?: (_google_protobuf_Duration | null);
    /**
     * Created paused (with `note`).
     */
    'paused'?: (boolean);
    /**
     * Why (at most 1 KiB).
     */
    'note'?: (string);
    /**
     * Added to the labels of every run it starts (with `schedule` = its id).
     */
    'labels'?: ({
        [key: string]: string;
    });
}
/**
 * Input of CreateSchedule.
 */
export interface CreateScheduleRequest__Output {
    /**
     * The schedule's id: letters, digits, '-', '_' and '.', at most 128 bytes.
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
     * Which version; 0: the latest at each fire.
     */
    'recipeVersion': (number);
    /**
     * The runs' parameters (bound as CreateRun binds them).
     */
    'params': (_google_protobuf_Struct__Output | null);
    /**
     * What a fire does while a run it started is still going.
     */
    'overlap': (_orchestrator_v1_OverlapPolicy__Output);
    /**
     * After a server was down, fire times at most this old still fire
     * (10 s to 366 days; unset: 5 minutes). Older ones are missed.
     */
    'catchupWindow': (_google_protobuf_Duration__Output | null);
    /**
     * Created paused (with `note`).
     */
    'paused': (boolean);
    /**
     * Why (at most 1 KiB).
     */
    'note': (string);
    /**
     * Added to the labels of every run it starts (with `schedule` = its id).
     */
    'labels': ({
        [key: string]: string;
    });
}
