/**
 * Output of DeleteRecipe.
 */
export interface DeleteRecipeResponse {
    /**
     * How many versions were deleted.
     */
    'versions'?: (number);
}
/**
 * Output of DeleteRecipe.
 */
export interface DeleteRecipeResponse__Output {
    /**
     * How many versions were deleted.
     */
    'versions': (number);
}
