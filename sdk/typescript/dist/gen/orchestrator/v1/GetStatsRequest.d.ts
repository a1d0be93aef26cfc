import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { StatsGroup as _orchestrator_v1_StatsGroup, StatsGroup__Output as _orchestrator_v1_StatsGroup__Output } from '../../orchestrator/v1/StatsGroup';
/**
 * Input of GetStats.
 */
export interface GetStatsRequest {
    /**
     * The window's start (default: 7 days before its end).
     */
    'startTime'?: (_google_protobuf_Timestamp | null);
    /**
     * The window's end, exclusive (default: now).
     */
    'endTime'?: (_google_protobuf_Timestamp | null);
    /**
     * What to group by.
     */
    'groupBy'?: (_orchestrator_v1_StatsGroup);
}
/**
 * Input of GetStats.
 */
export interface GetStatsRequest__Output {
    /**
     * The window's start (default: 7 days before its end).
     */
    'startTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * The window's end, exclusive (default: now).
     */
    'endTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * What to group by.
     */
    'groupBy': (_orchestrator_v1_StatsGroup__Output);
}
