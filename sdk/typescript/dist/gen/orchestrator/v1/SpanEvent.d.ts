import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
/**
 * One event inside a span.
 */
export interface SpanEvent {
    /**
     * Event name.
     */
    'name'?: (string);
    /**
     * When it happened.
     */
    'time'?: (_google_protobuf_Timestamp | null);
    /**
     * Its attributes.
     */
    'attributes'?: (_google_protobuf_Struct | null);
}
/**
 * One event inside a span.
 */
export interface SpanEvent__Output {
    /**
     * Event name.
     */
    'name': (string);
    /**
     * When it happened.
     */
    'time': (_google_protobuf_Timestamp__Output | null);
    /**
     * Its attributes.
     */
    'attributes': (_google_protobuf_Struct__Output | null);
}
