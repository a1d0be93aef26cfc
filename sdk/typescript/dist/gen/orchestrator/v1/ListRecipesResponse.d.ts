import type { Recipe as _orchestrator_v1_Recipe, Recipe__Output as _orchestrator_v1_Recipe__Output } from '../../orchestrator/v1/Recipe';
/**
 * Output of ListRecipes.
 */
export interface ListRecipesResponse {
    /**
     * The page, by name. A page also ends before `page_size` recipes when
     * they reach the server's message size: follow `next_page_token`.
     */
    'recipes'?: (_orchestrator_v1_Recipe)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken'?: (string);
}
/**
 * Output of ListRecipes.
 */
export interface ListRecipesResponse__Output {
    /**
     * The page, by name. A page also ends before `page_size` recipes when
     * they reach the server's message size: follow `next_page_token`.
     */
    'recipes': (_orchestrator_v1_Recipe__Output)[];
    /**
     * Pass as `page_token` for the next page; empty on the last page.
     */
    'nextPageToken': (string);
}
