/**
 * Input of ListKeys.
 */
export interface ListKeysRequest {
    /**
     * Only this workspace's keys (empty: every workspace the caller administers).
     */
    'workspace'?: (string);
}
/**
 * Input of ListKeys.
 */
export interface ListKeysRequest__Output {
    /**
     * Only this workspace's keys (empty: every workspace the caller administers).
     */
    'workspace': (string);
}
