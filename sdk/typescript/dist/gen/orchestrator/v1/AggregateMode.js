"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.AggregateMode = void 0;
/**
 * How an aggregate task merges its dependencies' outputs.
 */
exports.AggregateMode = {
    /**
     * Same as AGGREGATE_MODE_CONCAT.
     */
    AGGREGATE_MODE_UNSPECIFIED: 'AGGREGATE_MODE_UNSPECIFIED',
    /**
     * A list of the dependencies' outputs, in `depends_on` order.
     */
    AGGREGATE_MODE_CONCAT: 'AGGREGATE_MODE_CONCAT',
    /**
     * The dependencies' outputs (JSON objects) merged key by key, later wins.
     */
    AGGREGATE_MODE_JSON_MERGE: 'AGGREGATE_MODE_JSON_MERGE',
    /**
     * An LLM summary of the dependencies' outputs.
     */
    AGGREGATE_MODE_LLM_SUMMARY: 'AGGREGATE_MODE_LLM_SUMMARY',
};
