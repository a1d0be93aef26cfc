import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
/**
 * A success criterion, checked by the verifier against an output.
 */
export interface Criterion {
    /**
     * Optional id, unique within its list; defaults to "<kind>#<index>".
     */
    'id'?: (string);
    /**
     * The kind: not_empty, contains, not_contains, regex, json_valid,
     * json_schema, json_path_equals, min_length, max_length, one_of, llm_judge.
     * VerifierService.ListCriterionKinds describes each and its parameters.
     */
    'kind'?: (string);
    /**
     * The kind's parameters, e.g. {"value": "hello"} for contains or
     * {"pattern": "^ok"} for regex.
     */
    'params'?: (_google_protobuf_Struct | null);
    /**
     * An advisory criterion is reported but does not fail the verdict.
     */
    'advisory'?: (boolean);
}
/**
 * A success criterion, checked by the verifier against an output.
 */
export interface Criterion__Output {
    /**
     * Optional id, unique within its list; defaults to "<kind>#<index>".
     */
    'id': (string);
    /**
     * The kind: not_empty, contains, not_contains, regex, json_valid,
     * json_schema, json_path_equals, min_length, max_length, one_of, llm_judge.
     * VerifierService.ListCriterionKinds describes each and its parameters.
     */
    'kind': (string);
    /**
     * The kind's parameters, e.g. {"value": "hello"} for contains or
     * {"pattern": "^ok"} for regex.
     */
    'params': (_google_protobuf_Struct__Output | null);
    /**
     * An advisory criterion is reported but does not fail the verdict.
     */
    'advisory': (boolean);
}
