import type { ApiKey as _orchestrator_v1_ApiKey, ApiKey__Output as _orchestrator_v1_ApiKey__Output } from '../../orchestrator/v1/ApiKey';
/**
 * Output of ListKeys.
 */
export interface ListKeysResponse {
    /**
     * Oldest first.
     */
    'keys'?: (_orchestrator_v1_ApiKey)[];
}
/**
 * Output of ListKeys.
 */
export interface ListKeysResponse__Output {
    /**
     * Oldest first.
     */
    'keys': (_orchestrator_v1_ApiKey__Output)[];
}
