import type { GroupStats as _orchestrator_v1_GroupStats, GroupStats__Output as _orchestrator_v1_GroupStats__Output } from '../../orchestrator/v1/GroupStats';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { AdviceAccuracy as _orchestrator_v1_AdviceAccuracy, AdviceAccuracy__Output as _orchestrator_v1_AdviceAccuracy__Output } from '../../orchestrator/v1/AdviceAccuracy';
import type { Long } from '@grpc/proto-loader';
/**
 * Output of GetStats.
 */
export interface GetStatsResponse {
    /**
     * One per group, by key.
     */
    'groups'?: (_orchestrator_v1_GroupStats)[];
    /**
     * Outcomes the figures stand on.
     */
    'outcomes'?: (number | string | Long);
    /**
     * The window held more than 50,000 outcomes: the figures are of its newest.
     */
    'truncated'?: (boolean);
    /**
     * The window used.
     */
    'startTime'?: (_google_protobuf_Timestamp | null);
    /**
     * The window's end used.
     */
    'endTime'?: (_google_protobuf_Timestamp | null);
    /**
     * The advice given in the window against the runs that followed it.
     */
    'advice'?: (_orchestrator_v1_AdviceAccuracy | null);
}
/**
 * Output of GetStats.
 */
export interface GetStatsResponse__Output {
    /**
     * One per group, by key.
     */
    'groups': (_orchestrator_v1_GroupStats__Output)[];
    /**
     * Outcomes the figures stand on.
     */
    'outcomes': (number);
    /**
     * The window held more than 50,000 outcomes: the figures are of its newest.
     */
    'truncated': (boolean);
    /**
     * The window used.
     */
    'startTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * The window's end used.
     */
    'endTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * The advice given in the window against the runs that followed it.
     */
    'advice': (_orchestrator_v1_AdviceAccuracy__Output | null);
}
