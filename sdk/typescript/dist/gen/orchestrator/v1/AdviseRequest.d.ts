import type { CreateRunRequest as _orchestrator_v1_CreateRunRequest, CreateRunRequest__Output as _orchestrator_v1_CreateRunRequest__Output } from '../../orchestrator/v1/CreateRunRequest';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
/**
 * Input of Advise.
 */
export interface AdviseRequest {
    /**
     * The run as CreateRun takes it: a plan, a recipe with its params, or a
     * goal alone. Its request_id is ignored.
     */
    'run'?: (_orchestrator_v1_CreateRunRequest | null);
    /**
     * How far back history is read (default 30 days, at most 400).
     */
    'history'?: (_google_protobuf_Duration | null);
}
/**
 * Input of Advise.
 */
export interface AdviseRequest__Output {
    /**
     * The run as CreateRun takes it: a plan, a recipe with its params, or a
     * goal alone. Its request_id is ignored.
     */
    'run': (_orchestrator_v1_CreateRunRequest__Output | null);
    /**
     * How far back history is read (default 30 days, at most 400).
     */
    'history': (_google_protobuf_Duration__Output | null);
}
