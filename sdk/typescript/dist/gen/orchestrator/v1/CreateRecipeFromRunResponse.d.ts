import type { Recipe as _orchestrator_v1_Recipe, Recipe__Output as _orchestrator_v1_Recipe__Output } from '../../orchestrator/v1/Recipe';
import type { ParameterFromValue as _orchestrator_v1_ParameterFromValue, ParameterFromValue__Output as _orchestrator_v1_ParameterFromValue__Output } from '../../orchestrator/v1/ParameterFromValue';
/**
 * Output of CreateRecipeFromRun.
 */
export interface CreateRecipeFromRunResponse {
    /**
     * The recipe version made; unset with `suggest`.
     */
    'recipe'?: (_orchestrator_v1_Recipe | null);
    /**
     * With `suggest`: the model's proposals that hold (each value occurs in
     * the run, each name is a parameter name, none twice). Pass them, edited
     * as you like, as `parameters` to make the recipe.
     */
    'suggestions'?: (_orchestrator_v1_ParameterFromValue)[];
}
/**
 * Output of CreateRecipeFromRun.
 */
export interface CreateRecipeFromRunResponse__Output {
    /**
     * The recipe version made; unset with `suggest`.
     */
    'recipe': (_orchestrator_v1_Recipe__Output | null);
    /**
     * With `suggest`: the model's proposals that hold (each value occurs in
     * the run, each name is a parameter name, none twice). Pass them, edited
     * as you like, as `parameters` to make the recipe.
     */
    'suggestions': (_orchestrator_v1_ParameterFromValue__Output)[];
}
