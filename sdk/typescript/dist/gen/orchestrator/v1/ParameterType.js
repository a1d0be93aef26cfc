"use strict";
// Original file: proto/orchestrator/v1/recipe.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.ParameterType = void 0;
/**
 * A parameter's type.
 */
exports.ParameterType = {
    /**
     * Same as PARAMETER_TYPE_STRING.
     */
    PARAMETER_TYPE_UNSPECIFIED: 'PARAMETER_TYPE_UNSPECIFIED',
    /**
     * Text.
     */
    PARAMETER_TYPE_STRING: 'PARAMETER_TYPE_STRING',
    /**
     * Any number.
     */
    PARAMETER_TYPE_NUMBER: 'PARAMETER_TYPE_NUMBER',
    /**
     * A whole number.
     */
    PARAMETER_TYPE_INTEGER: 'PARAMETER_TYPE_INTEGER',
    /**
     * true or false.
     */
    PARAMETER_TYPE_BOOLEAN: 'PARAMETER_TYPE_BOOLEAN',
    /**
     * Any JSON value.
     */
    PARAMETER_TYPE_JSON: 'PARAMETER_TYPE_JSON',
};
