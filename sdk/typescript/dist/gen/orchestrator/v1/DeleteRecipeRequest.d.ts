/**
 * Input of DeleteRecipe.
 */
export interface DeleteRecipeRequest {
    /**
     * The recipe's name.
     */
    'name'?: (string);
}
/**
 * Input of DeleteRecipe.
 */
export interface DeleteRecipeRequest__Output {
    /**
     * The recipe's name.
     */
    'name': (string);
}
