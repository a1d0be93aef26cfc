import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { RetriesExhaustedAction as _orchestrator_v1_RetriesExhaustedAction, RetriesExhaustedAction__Output as _orchestrator_v1_RetriesExhaustedAction__Output } from '../../orchestrator/v1/RetriesExhaustedAction';
/**
 * How a task is retried.
 */
export interface RetryPolicy {
    /**
     * Attempts in all, first included (1 = no retry). 0 = server default (3).
     */
    'maxAttempts'?: (number);
    /**
     * Backoff before the second attempt. Default 1s.
     */
    'initialBackoff'?: (_google_protobuf_Duration | null);
    /**
     * Upper bound on the backoff. Default 60s.
     */
    'maxBackoff'?: (_google_protobuf_Duration | null);
    /**
     * Growth factor per attempt (>= 1). 0 = default 2.0.
     */
    'multiplier'?: (number | string);
    /**
     * Random jitter as a fraction of the backoff, in [0, 1]. Unset: the
     * default (0.2); 0 asks for no jitter at all.
     */
    'jitter'?: (number | string);
    /**
     * What happens when attempts run out.
     */
    'onExhausted'?: (_orchestrator_v1_RetriesExhaustedAction);
    '_jitter'?: "jitter";
}
/**
 * How a task is retried.
 */
export interface RetryPolicy__Output {
    /**
     * Attempts in all, first included (1 = no retry). 0 = server default (3).
     */
    'maxAttempts': (number);
    /**
     * Backoff before the second attempt. Default 1s.
     */
    'initialBackoff': (_google_protobuf_Duration__Output | null);
    /**
     * Upper bound on the backoff. Default 60s.
     */
    'maxBackoff': (_google_protobuf_Duration__Output | null);
    /**
     * Growth factor per attempt (>= 1). 0 = default 2.0.
     */
    'multiplier': (number);
    /**
     * Random jitter as a fraction of the backoff, in [0, 1]. Unset: the
     * default (0.2); 0 asks for no jitter at all.
     */
    'jitter'?: (number);
    /**
     * What happens when attempts run out.
     */
    'onExhausted': (_orchestrator_v1_RetriesExhaustedAction__Output);
    '_jitter'?: "jitter";
}
