/**
 * An expected value and the range history gives it (its 10th to 90th
 * percentile, summed over tasks or along the critical path).
 */
export interface Prediction {
    /**
     * The median.
     */
    'expected'?: (number | string);
    /**
     * The low end.
     */
    'low'?: (number | string);
    /**
     * The high end.
     */
    'high'?: (number | string);
}
/**
 * An expected value and the range history gives it (its 10th to 90th
 * percentile, summed over tasks or along the critical path).
 */
export interface Prediction__Output {
    /**
     * The median.
     */
    'expected': (number);
    /**
     * The low end.
     */
    'low': (number);
    /**
     * The high end.
     */
    'high': (number);
}
