import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
import type { Criterion as _orchestrator_v1_Criterion, Criterion__Output as _orchestrator_v1_Criterion__Output } from '../../orchestrator/v1/Criterion';
/**
 * Input of Verify.
 */
export interface VerifyRequest {
    /**
     * The output to check (any JSON value; strings are checked as text).
     */
    'output'?: (_google_protobuf_Value | null);
    /**
     * The criteria.
     */
    'criteria'?: (_orchestrator_v1_Criterion)[];
}
/**
 * Input of Verify.
 */
export interface VerifyRequest__Output {
    /**
     * The output to check (any JSON value; strings are checked as text).
     */
    'output': (_google_protobuf_Value__Output | null);
    /**
     * The criteria.
     */
    'criteria': (_orchestrator_v1_Criterion__Output)[];
}
