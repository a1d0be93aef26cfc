/**
 * Input of ListRecipes.
 */
export interface ListRecipesRequest {
    /**
     * At most this many (1–500; 0 = 50).
     */
    'pageSize'?: (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken'?: (string);
}
/**
 * Input of ListRecipes.
 */
export interface ListRecipesRequest__Output {
    /**
     * At most this many (1–500; 0 = 50).
     */
    'pageSize': (number);
    /**
     * `next_page_token` of the previous page.
     */
    'pageToken': (string);
}
