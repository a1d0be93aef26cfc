import type { RecipeParameter as _orchestrator_v1_RecipeParameter, RecipeParameter__Output as _orchestrator_v1_RecipeParameter__Output } from '../../orchestrator/v1/RecipeParameter';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { CreateRunRequest as _orchestrator_v1_CreateRunRequest, CreateRunRequest__Output as _orchestrator_v1_CreateRunRequest__Output } from '../../orchestrator/v1/CreateRunRequest';
import type { RecipeVersion as _orchestrator_v1_RecipeVersion, RecipeVersion__Output as _orchestrator_v1_RecipeVersion__Output } from '../../orchestrator/v1/RecipeVersion';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
/**
 * One version of a recipe.
 */
export interface Recipe {
    /**
     * Its name: letters, digits, '-', '_' and '.', at most 128 bytes.
     */
    'name'?: (string);
    /**
     * 1, 2, 3, … in the order of its edits.
     */
    'version'?: (number);
    /**
     * What it is for.
     */
    'description'?: (string);
    /**
     * Its parameters (at most 64).
     */
    'parameters'?: (_orchestrator_v1_RecipeParameter)[];
    /**
     * The parameters as a JSON Schema (an object, its properties, which are
     * required), for clients that build forms.
     */
    'parametersSchema'?: (_google_protobuf_Struct | null);
    /**
     * The run it makes, with its placeholders.
     */
    'template'?: (_orchestrator_v1_CreateRunRequest | null);
    /**
     * Its versions that are not deleted, oldest first.
     */
    'versions'?: (_orchestrator_v1_RecipeVersion)[];
    /**
     * When this version was made.
     */
    'createdAt'?: (_google_protobuf_Timestamp | null);
    /**
     * Who made it (a key id, or "local").
     */
    'createdBy'?: (string);
    /**
     * The workspace it belongs to.
     */
    'workspace'?: (string);
    /**
     * The run it was made from (CreateRecipeFromRun), if any.
     */
    'sourceRunId'?: (string);
}
/**
 * One version of a recipe.
 */
export interface Recipe__Output {
    /**
     * Its name: letters, digits, '-', '_' and '.', at most 128 bytes.
     */
    'name': (string);
    /**
     * 1, 2, 3, … in the order of its edits.
     */
    'version': (number);
    /**
     * What it is for.
     */
    'description': (string);
    /**
     * Its parameters (at most 64).
     */
    'parameters': (_orchestrator_v1_RecipeParameter__Output)[];
    /**
     * The parameters as a JSON Schema (an object, its properties, which are
     * required), for clients that build forms.
     */
    'parametersSchema': (_google_protobuf_Struct__Output | null);
    /**
     * The run it makes, with its placeholders.
     */
    'template': (_orchestrator_v1_CreateRunRequest__Output | null);
    /**
     * Its versions that are not deleted, oldest first.
     */
    'versions': (_orchestrator_v1_RecipeVersion__Output)[];
    /**
     * When this version was made.
     */
    'createdAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * Who made it (a key id, or "local").
     */
    'createdBy': (string);
    /**
     * The workspace it belongs to.
     */
    'workspace': (string);
    /**
     * The run it was made from (CreateRecipeFromRun), if any.
     */
    'sourceRunId': (string);
}
