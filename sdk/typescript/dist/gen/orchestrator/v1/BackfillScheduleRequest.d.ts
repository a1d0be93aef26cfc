import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { OverlapPolicy as _orchestrator_v1_OverlapPolicy, OverlapPolicy__Output as _orchestrator_v1_OverlapPolicy__Output } from '../../orchestrator/v1/OverlapPolicy';
/**
 * Input of BackfillSchedule.
 */
export interface BackfillScheduleRequest {
    /**
     * The schedule's id.
     */
    'scheduleId'?: (string);
    /**
     * The first fire time that may fire (inclusive).
     */
    'startTime'?: (_google_protobuf_Timestamp | null);
    /**
     * The end of the range (exclusive).
     */
    'endTime'?: (_google_protobuf_Timestamp | null);
    /**
     * Unset: the schedule's.
     */
    'overlap'?: (_orchestrator_v1_OverlapPolicy);
}
/**
 * Input of BackfillSchedule.
 */
export interface BackfillScheduleRequest__Output {
    /**
     * The schedule's id.
     */
    'scheduleId': (string);
    /**
     * The first fire time that may fire (inclusive).
     */
    'startTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * The end of the range (exclusive).
     */
    'endTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * Unset: the schedule's.
     */
    'overlap': (_orchestrator_v1_OverlapPolicy__Output);
}
