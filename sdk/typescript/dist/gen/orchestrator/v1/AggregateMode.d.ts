/**
 * How an aggregate task merges its dependencies' outputs.
 */
export declare const AggregateMode: {
    /**
     * Same as AGGREGATE_MODE_CONCAT.
     */
    readonly AGGREGATE_MODE_UNSPECIFIED: "AGGREGATE_MODE_UNSPECIFIED";
    /**
     * A list of the dependencies' outputs, in `depends_on` order.
     */
    readonly AGGREGATE_MODE_CONCAT: "AGGREGATE_MODE_CONCAT";
    /**
     * The dependencies' outputs (JSON objects) merged key by key, later wins.
     */
    readonly AGGREGATE_MODE_JSON_MERGE: "AGGREGATE_MODE_JSON_MERGE";
    /**
     * An LLM summary of the dependencies' outputs.
     */
    readonly AGGREGATE_MODE_LLM_SUMMARY: "AGGREGATE_MODE_LLM_SUMMARY";
};
/**
 * How an aggregate task merges its dependencies' outputs.
 */
export type AggregateMode = 
/**
 * Same as AGGREGATE_MODE_CONCAT.
 */
'AGGREGATE_MODE_UNSPECIFIED' | 0
/**
 * A list of the dependencies' outputs, in `depends_on` order.
 */
 | 'AGGREGATE_MODE_CONCAT' | 1
/**
 * The dependencies' outputs (JSON objects) merged key by key, later wins.
 */
 | 'AGGREGATE_MODE_JSON_MERGE' | 2
/**
 * An LLM summary of the dependencies' outputs.
 */
 | 'AGGREGATE_MODE_LLM_SUMMARY' | 3;
/**
 * How an aggregate task merges its dependencies' outputs.
 */
export type AggregateMode__Output = typeof AggregateMode[keyof typeof AggregateMode];
