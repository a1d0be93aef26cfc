import type { ParameterType as _orchestrator_v1_ParameterType, ParameterType__Output as _orchestrator_v1_ParameterType__Output } from '../../orchestrator/v1/ParameterType';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
/**
 * A declared parameter of a recipe.
 */
export interface RecipeParameter {
    /**
     * Letters, digits and '_', not starting with a digit, at most 64 bytes.
     */
    'name'?: (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description'?: (string);
    /**
     * Its type; a run's value must be of it.
     */
    'type'?: (_orchestrator_v1_ParameterType);
    /**
     * Its value when a run gives none (at most 16 KiB of JSON); unset: a run
     * must give one.
     */
    'defaultValue'?: (_google_protobuf_Value | null);
}
/**
 * A declared parameter of a recipe.
 */
export interface RecipeParameter__Output {
    /**
     * Letters, digits and '_', not starting with a digit, at most 64 bytes.
     */
    'name': (string);
    /**
     * What it is for (at most 4 KiB).
     */
    'description': (string);
    /**
     * Its type; a run's value must be of it.
     */
    'type': (_orchestrator_v1_ParameterType__Output);
    /**
     * Its value when a run gives none (at most 16 KiB of JSON); unset: a run
     * must give one.
     */
    'defaultValue': (_google_protobuf_Value__Output | null);
}
