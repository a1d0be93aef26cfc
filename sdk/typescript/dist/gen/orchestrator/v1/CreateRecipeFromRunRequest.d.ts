import type { ParameterFromValue as _orchestrator_v1_ParameterFromValue, ParameterFromValue__Output as _orchestrator_v1_ParameterFromValue__Output } from '../../orchestrator/v1/ParameterFromValue';
/**
 * Input of CreateRecipeFromRun.
 */
export interface CreateRecipeFromRunRequest {
    /**
     * The completed run of the caller's workspace.
     */
    'runId'?: (string);
    /**
     * The recipe's name (a new one, or one to add a version to).
     */
    'name'?: (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description'?: (string);
    /**
     * The literals that become parameters (at most 64); none: a recipe
     * without parameters.
     */
    'parameters'?: (_orchestrator_v1_ParameterFromValue)[];
    /**
     * Ask the utility model which literals to make parameters, store nothing
     * and answer its checked proposals; not with `parameters`.
     */
    'suggest'?: (boolean);
}
/**
 * Input of CreateRecipeFromRun.
 */
export interface CreateRecipeFromRunRequest__Output {
    /**
     * The completed run of the caller's workspace.
     */
    'runId': (string);
    /**
     * The recipe's name (a new one, or one to add a version to).
     */
    'name': (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description': (string);
    /**
     * The literals that become parameters (at most 64); none: a recipe
     * without parameters.
     */
    'parameters': (_orchestrator_v1_ParameterFromValue__Output)[];
    /**
     * Ask the utility model which literals to make parameters, store nothing
     * and answer its checked proposals; not with `parameters`.
     */
    'suggest': (boolean);
}
