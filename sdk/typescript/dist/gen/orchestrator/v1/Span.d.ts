import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { SpanEvent as _orchestrator_v1_SpanEvent, SpanEvent__Output as _orchestrator_v1_SpanEvent__Output } from '../../orchestrator/v1/SpanEvent';
/**
 * One span of a run's trace.
 */
export interface Span {
    /**
     * 32 hex digits.
     */
    'traceId'?: (string);
    /**
     * 16 hex digits.
     */
    'spanId'?: (string);
    /**
     * Empty for a root span.
     */
    'parentSpanId'?: (string);
    /**
     * run, plan, task, attempt, llm.chat, tool, verify, …
     */
    'name'?: (string);
    /**
     * Start time.
     */
    'startTime'?: (_google_protobuf_Timestamp | null);
    /**
     * End time (unset while open).
     */
    'endTime'?: (_google_protobuf_Timestamp | null);
    /**
     * Attributes (OpenTelemetry semantic conventions where they exist).
     */
    'attributes'?: (_google_protobuf_Struct | null);
    /**
     * Events.
     */
    'events'?: (_orchestrator_v1_SpanEvent)[];
    /**
     * "unset", "ok" or "error".
     */
    'statusCode'?: (string);
    /**
     * Error description.
     */
    'statusMessage'?: (string);
}
/**
 * One span of a run's trace.
 */
export interface Span__Output {
    /**
     * 32 hex digits.
     */
    'traceId': (string);
    /**
     * 16 hex digits.
     */
    'spanId': (string);
    /**
     * Empty for a root span.
     */
    'parentSpanId': (string);
    /**
     * run, plan, task, attempt, llm.chat, tool, verify, …
     */
    'name': (string);
    /**
     * Start time.
     */
    'startTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * End time (unset while open).
     */
    'endTime': (_google_protobuf_Timestamp__Output | null);
    /**
     * Attributes (OpenTelemetry semantic conventions where they exist).
     */
    'attributes': (_google_protobuf_Struct__Output | null);
    /**
     * Events.
     */
    'events': (_orchestrator_v1_SpanEvent__Output)[];
    /**
     * "unset", "ok" or "error".
     */
    'statusCode': (string);
    /**
     * Error description.
     */
    'statusMessage': (string);
}
