import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { FireKind as _orchestrator_v1_FireKind, FireKind__Output as _orchestrator_v1_FireKind__Output } from '../../orchestrator/v1/FireKind';
import type { FireOutcome as _orchestrator_v1_FireOutcome, FireOutcome__Output as _orchestrator_v1_FireOutcome__Output } from '../../orchestrator/v1/FireOutcome';
/**
 * One fire of a schedule.
 */
export interface ScheduleFire {
    /**
     * The time it was for (TriggerSchedule: when it was called).
     */
    'fireTime'?: (_google_protobuf_Timestamp | null);
    /**
     * What started it.
     */
    'kind'?: (_orchestrator_v1_FireKind);
    /**
     * How it ended.
     */
    'outcome'?: (_orchestrator_v1_FireOutcome);
    /**
     * The run it started.
     */
    'runId'?: (string);
    /**
     * Why it failed or was skipped.
     */
    'detail'?: (string);
    /**
     * When it was recorded.
     */
    'recordedAt'?: (_google_protobuf_Timestamp | null);
}
/**
 * One fire of a schedule.
 */
export interface ScheduleFire__Output {
    /**
     * The time it was for (TriggerSchedule: when it was called).
     */
    'fireTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * What started it.
     */
    'kind': (_orchestrator_v1_FireKind__Output);
    /**
     * How it ended.
     */
    'outcome': (_orchestrator_v1_FireOutcome__Output);
    /**
     * The run it started.
     */
    'runId': (string);
    /**
     * Why it failed or was skipped.
     */
    'detail': (string);
    /**
     * When it was recorded.
     */
    'recordedAt': (_google_protobuf_Timestamp__Output | null);
}
