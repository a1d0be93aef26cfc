import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
/**
 * A task's condition: a JSONPath predicate over its inputs, an object of its
 * dependencies' outputs by task id (`$.classify.label` is the `label` of task
 * `classify`'s output).
 */
export interface Condition {
    /**
     * A JSONPath (RFC 9535; at most 512 bytes, brackets nested at most 4 deep,
     * no descendant segment `..`, no `match`/`search`: it is checked inside the
     * run's write transaction; a task id with `-` or `.` is named in brackets,
     * `$['spam-filter'].label`),
     * e.g. `$.classify.label`, or `$[?@.score > 0.5]` (some dependency's output
     * has a score above 0.5).
     */
    'path'?: (string);
    /**
     * When set, one of the values the path selects must equal it (numbers by
     * value; at most 4 KiB of JSON). Unset: the path must select something.
     */
    'equals'?: (_google_protobuf_Value | null);
    /**
     * Run the task when the condition does not hold instead.
     */
    'negate'?: (boolean);
}
/**
 * A task's condition: a JSONPath predicate over its inputs, an object of its
 * dependencies' outputs by task id (`$.classify.label` is the `label` of task
 * `classify`'s output).
 */
export interface Condition__Output {
    /**
     * A JSONPath (RFC 9535; at most 512 bytes, brackets nested at most 4 deep,
     * no descendant segment `..`, no `match`/`search`: it is checked inside the
     * run's write transaction; a task id with `-` or `.` is named in brackets,
     * `$['spam-filter'].label`),
     * e.g. `$.classify.label`, or `$[?@.score > 0.5]` (some dependency's output
     * has a score above 0.5).
     */
    'path': (string);
    /**
     * When set, one of the values the path selects must equal it (numbers by
     * value; at most 4 KiB of JSON). Unset: the path must select something.
     */
    'equals': (_google_protobuf_Value__Output | null);
    /**
     * Run the task when the condition does not hold instead.
     */
    'negate': (boolean);
}
