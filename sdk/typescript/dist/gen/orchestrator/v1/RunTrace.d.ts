import type { Span as _orchestrator_v1_Span, Span__Output as _orchestrator_v1_Span__Output } from '../../orchestrator/v1/Span';
/**
 * A run's trace.
 */
export interface RunTrace {
    /**
     * The trace id.
     */
    'traceId'?: (string);
    /**
     * Its spans, ordered by start time.
     */
    'spans'?: (_orchestrator_v1_Span)[];
}
/**
 * A run's trace.
 */
export interface RunTrace__Output {
    /**
     * The trace id.
     */
    'traceId': (string);
    /**
     * Its spans, ordered by start time.
     */
    'spans': (_orchestrator_v1_Span__Output)[];
}
