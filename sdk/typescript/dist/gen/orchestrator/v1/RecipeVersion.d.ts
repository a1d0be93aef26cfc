import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
/**
 * A version of a recipe, in a list.
 */
export interface RecipeVersion {
    /**
     * Its number.
     */
    'version'?: (number);
    /**
     * When it was made.
     */
    'createdAt'?: (_google_protobuf_Timestamp | null);
}
/**
 * A version of a recipe, in a list.
 */
export interface RecipeVersion__Output {
    /**
     * Its number.
     */
    'version': (number);
    /**
     * When it was made.
     */
    'createdAt': (_google_protobuf_Timestamp__Output | null);
}
