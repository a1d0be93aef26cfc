/**
 * A parameter's type.
 */
export declare const ParameterType: {
    /**
     * Same as PARAMETER_TYPE_STRING.
     */
    readonly PARAMETER_TYPE_UNSPECIFIED: "PARAMETER_TYPE_UNSPECIFIED";
    /**
     * Text.
     */
    readonly PARAMETER_TYPE_STRING: "PARAMETER_TYPE_STRING";
    /**
     * Any number.
     */
    readonly PARAMETER_TYPE_NUMBER: "PARAMETER_TYPE_NUMBER";
    /**
     * A whole number.
     */
    readonly PARAMETER_TYPE_INTEGER: "PARAMETER_TYPE_INTEGER";
    /**
     * true or false.
     */
    readonly PARAMETER_TYPE_BOOLEAN: "PARAMETER_TYPE_BOOLEAN";
    /**
     * Any JSON value.
     */
    readonly PARAMETER_TYPE_JSON: "PARAMETER_TYPE_JSON";
};
/**
 * A parameter's type.
 */
export type ParameterType = 
/**
 * Same as PARAMETER_TYPE_STRING.
 */
'PARAMETER_TYPE_UNSPECIFIED' | 0
/**
 * Text.
 */
 | 'PARAMETER_TYPE_STRING' | 1
/**
 * Any number.
 */
 | 'PARAMETER_TYPE_NUMBER' | 2
/**
 * A whole number.
 */
 | 'PARAMETER_TYPE_INTEGER' | 3
/**
 * true or false.
 */
 | 'PARAMETER_TYPE_BOOLEAN' | 4
/**
 * Any JSON value.
 */
 | 'PARAMETER_TYPE_JSON' | 5;
/**
 * A parameter's type.
 */
export type ParameterType__Output = typeof ParameterType[keyof typeof ParameterType];
