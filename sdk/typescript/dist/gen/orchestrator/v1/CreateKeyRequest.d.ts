/**
 * Input of CreateKey.
 */
export interface CreateKeyRequest {
    /**
     * The workspace it acts in (it must exist).
     */
    'workspace'?: (string);
    /**
     * admin, operator, agent or viewer.
     */
    'role'?: (string);
    /**
     * A name to recognise it by (at most 128 bytes).
     */
    'name'?: (string);
}
/**
 * Input of CreateKey.
 */
export interface CreateKeyRequest__Output {
    /**
     * The workspace it acts in (it must exist).
     */
    'workspace': (string);
    /**
     * admin, operator, agent or viewer.
     */
    'role': (string);
    /**
     * A name to recognise it by (at most 128 bytes).
     */
    'name': (string);
}
