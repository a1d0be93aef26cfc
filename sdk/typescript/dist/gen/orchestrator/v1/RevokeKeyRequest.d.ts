/**
 * Input of RevokeKey.
 */
export interface RevokeKeyRequest {
    /**
     * The key's id.
     */
    'id'?: (string);
}
/**
 * Input of RevokeKey.
 */
export interface RevokeKeyRequest__Output {
    /**
     * The key's id.
     */
    'id': (string);
}
