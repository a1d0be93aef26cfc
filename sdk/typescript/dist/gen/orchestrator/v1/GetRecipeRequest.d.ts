/**
 * Input of GetRecipe.
 */
export interface GetRecipeRequest {
    /**
     * The recipe's name.
     */
    'name'?: (string);
    /**
     * Which version; 0: the latest.
     */
    'version'?: (number);
}
/**
 * Input of GetRecipe.
 */
export interface GetRecipeRequest__Output {
    /**
     * The recipe's name.
     */
    'name': (string);
    /**
     * Which version; 0: the latest.
     */
    'version': (number);
}
