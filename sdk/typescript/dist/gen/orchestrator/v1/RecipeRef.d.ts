import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
/**
 * The recipe a run was made from.
 */
export interface RecipeRef {
    /**
     * The recipe's name.
     */
    'name'?: (string);
    /**
     * The version rendered.
     */
    'version'?: (number);
    /**
     * The parameters it was rendered with (defaults filled in).
     */
    'params'?: (_google_protobuf_Struct | null);
}
/**
 * The recipe a run was made from.
 */
export interface RecipeRef__Output {
    /**
     * The recipe's name.
     */
    'name': (string);
    /**
     * The version rendered.
     */
    'version': (number);
    /**
     * The parameters it was rendered with (defaults filled in).
     */
    'params': (_google_protobuf_Struct__Output | null);
}
