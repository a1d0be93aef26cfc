import type { ApiKey as _orchestrator_v1_ApiKey, ApiKey__Output as _orchestrator_v1_ApiKey__Output } from '../../orchestrator/v1/ApiKey';
/**
 * Output of CreateKey.
 */
export interface CreateKeyResponse {
    /**
     * The key.
     */
    'key'?: (_orchestrator_v1_ApiKey | null);
    /**
     * The whole key (`ork_<id>_<secret>`), to send as `authorization: Bearer …`.
     * Shown only here: the server keeps only a hash of it.
     */
    'secret'?: (string);
}
/**
 * Output of CreateKey.
 */
export interface CreateKeyResponse__Output {
    /**
     * The key.
     */
    'key': (_orchestrator_v1_ApiKey__Output | null);
    /**
     * The whole key (`ork_<id>_<secret>`), to send as `authorization: Bearer …`.
     * Shown only here: the server keeps only a hash of it.
     */
    'secret': (string);
}
