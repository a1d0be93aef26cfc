import type { RecipeParameter as _orchestrator_v1_RecipeParameter, RecipeParameter__Output as _orchestrator_v1_RecipeParameter__Output } from '../../orchestrator/v1/RecipeParameter';
import type { CreateRunRequest as _orchestrator_v1_CreateRunRequest, CreateRunRequest__Output as _orchestrator_v1_CreateRunRequest__Output } from '../../orchestrator/v1/CreateRunRequest';
/**
 * Input of CreateRecipe.
 */
export interface CreateRecipeRequest {
    /**
     * The recipe's name (a new one, or one to edit).
     */
    'name'?: (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description'?: (string);
    /**
     * Its parameters.
     */
    'parameters'?: (_orchestrator_v1_RecipeParameter)[];
    /**
     * The run it makes: a CreateRunRequest (a plan or a goal for the planner,
     * criteria, budget, labels, policy, context), without `request_id` and
     * without a recipe of its own.
     */
    'template'?: (_orchestrator_v1_CreateRunRequest | null);
}
/**
 * Input of CreateRecipe.
 */
export interface CreateRecipeRequest__Output {
    /**
     * The recipe's name (a new one, or one to edit).
     */
    'name': (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description': (string);
    /**
     * Its parameters.
     */
    'parameters': (_orchestrator_v1_RecipeParameter__Output)[];
    /**
     * The run it makes: a CreateRunRequest (a plan or a goal for the planner,
     * criteria, budget, labels, policy, context), without `request_id` and
     * without a recipe of its own.
     */
    'template': (_orchestrator_v1_CreateRunRequest__Output | null);
}
