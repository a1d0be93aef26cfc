/**
 * A literal of a run that becomes a parameter of the recipe made from it.
 */
export interface ParameterFromValue {
    /**
     * The parameter's name (letters, digits and '_', not starting with a digit).
     */
    'name'?: (string);
    /**
     * The text of the run that becomes `{{name}}` wherever it occurs (1 byte
     * to 16 KiB, without "{{" or "}}"); the parameter's default.
     */
    'value'?: (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description'?: (string);
}
/**
 * A literal of a run that becomes a parameter of the recipe made from it.
 */
export interface ParameterFromValue__Output {
    /**
     * The parameter's name (letters, digits and '_', not starting with a digit).
     */
    'name': (string);
    /**
     * The text of the run that becomes `{{name}}` wherever it occurs (1 byte
     * to 16 KiB, without "{{" or "}}"); the parameter's default.
     */
    'value': (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description': (string);
}
