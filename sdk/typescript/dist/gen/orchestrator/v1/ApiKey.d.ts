import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
/**
 * An API key, without its secret.
 */
export interface ApiKey {
    /**
     * Its id: the 12 hex digits after `ork_` in the key.
     */
    'id'?: (string);
    /**
     * The workspace it acts in.
     */
    'workspace'?: (string);
    /**
     * admin, operator, agent or viewer.
     */
    'role'?: (string);
    /**
     * A name to recognise it by.
     */
    'name'?: (string);
    /**
     * When it was made.
     */
    'createdAt'?: (_google_protobuf_Timestamp | null);
    /**
     * When it was revoked; unset while it is active.
     */
    'revokedAt'?: (_google_protobuf_Timestamp | null);
}
/**
 * An API key, without its secret.
 */
export interface ApiKey__Output {
    /**
     * Its id: the 12 hex digits after `ork_` in the key.
     */
    'id': (string);
    /**
     * The workspace it acts in.
     */
    'workspace': (string);
    /**
     * admin, operator, agent or viewer.
     */
    'role': (string);
    /**
     * A name to recognise it by.
     */
    'name': (string);
    /**
     * When it was made.
     */
    'createdAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * When it was revoked; unset while it is active.
     */
    'revokedAt': (_google_protobuf_Timestamp__Output | null);
}
