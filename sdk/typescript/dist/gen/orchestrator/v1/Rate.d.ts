import type { Long } from '@grpc/proto-loader';
/**
 * A rate with the sample it stands on and its 95% Wilson interval.
 */
export interface Rate {
    /**
     * The share, 0 to 1.
     */
    'value'?: (number | string);
    /**
     * How many it is of.
     */
    'samples'?: (number | string | Long);
    /**
     * The interval's lower bound.
     */
    'low'?: (number | string);
    /**
     * The interval's upper bound.
     */
    'high'?: (number | string);
}
/**
 * A rate with the sample it stands on and its 95% Wilson interval.
 */
export interface Rate__Output {
    /**
     * The share, 0 to 1.
     */
    'value': (number);
    /**
     * How many it is of.
     */
    'samples': (number);
    /**
     * The interval's lower bound.
     */
    'low': (number);
    /**
     * The interval's upper bound.
     */
    'high': (number);
}
