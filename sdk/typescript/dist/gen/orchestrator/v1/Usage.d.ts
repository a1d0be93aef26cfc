import type { Long } from '@grpc/proto-loader';
/**
 * Resources consumed (of a run, or of one attempt).
 */
export interface Usage {
    /**
     * Tokens sent to models.
     */
    'promptTokens'?: (number | string | Long);
    /**
     * Tokens produced by models.
     */
    'completionTokens'?: (number | string | Long);
    /**
     * Tool calls made.
     */
    'toolCalls'?: (number | string | Long);
    /**
     * Cost in US dollars.
     */
    'costUsd'?: (number | string);
}
/**
 * Resources consumed (of a run, or of one attempt).
 */
export interface Usage__Output {
    /**
     * Tokens sent to models.
     */
    'promptTokens': (number);
    /**
     * Tokens produced by models.
     */
    'completionTokens': (number);
    /**
     * Tool calls made.
     */
    'toolCalls': (number);
    /**
     * Cost in US dollars.
     */
    'costUsd': (number);
}
