/**
 * A parameter of a criterion kind.
 */
export interface CriterionParam {
    /**
     * Key in `Criterion.params`.
     */
    'name'?: (string);
    /**
     * JSON type: string, number, integer, boolean, object, array, any.
     */
    'type'?: (string);
    /**
     * Whether it must be given.
     */
    'required'?: (boolean);
    /**
     * What it means.
     */
    'description'?: (string);
}
/**
 * A parameter of a criterion kind.
 */
export interface CriterionParam__Output {
    /**
     * Key in `Criterion.params`.
     */
    'name': (string);
    /**
     * JSON type: string, number, integer, boolean, object, array, any.
     */
    'type': (string);
    /**
     * Whether it must be given.
     */
    'required': (boolean);
    /**
     * What it means.
     */
    'description': (string);
}
