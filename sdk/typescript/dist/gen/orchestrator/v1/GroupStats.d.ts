import type { Rate as _orchestrator_v1_Rate, Rate__Output as _orchestrator_v1_Rate__Output } from '../../orchestrator/v1/Rate';
import type { Long } from '@grpc/proto-loader';
/**
 * The statistics of one group.
 */
export interface GroupStats {
    /**
     * The agent, model, recipe or task kind ("" for none).
     */
    'key'?: (string);
    /**
     * Attempts in the window.
     */
    'attempts'?: (number | string | Long);
    /**
     * Tasks those attempts were of.
     */
    'tasks'?: (number | string | Long);
    /**
     * Of the tasks, the share with an attempt that passed (succeeded, and
     * passed its verification if it had one).
     */
    'passRate'?: (_orchestrator_v1_Rate | null);
    /**
     * Of the tasks, the share whose first attempt passed.
     */
    'firstTryPassRate'?: (_orchestrator_v1_Rate | null);
    /**
     * Mean attempt number that passed, of the tasks that passed.
     */
    'meanAttemptsToPass'?: (number | string);
    /**
     * Median attempt latency, milliseconds.
     */
    'latencyP50Ms'?: (number | string | Long);
    /**
     * 95th percentile attempt latency, milliseconds.
     */
    'latencyP95Ms'?: (number | string | Long);
    /**
     * Mean tokens per attempt.
     */
    'meanTokens'?: (number | string);
    /**
     * Mean cost per attempt, micro-dollars.
     */
    'meanCostMicros'?: (number | string);
    /**
     * Mean verdict score of the verified attempts (unset when none were).
     */
    'meanScore'?: (number | string);
    /**
     * How many attempts were verified.
     */
    'scoredAttempts'?: (number | string | Long);
    '_meanScore'?: "meanScore";
}
/**
 * The statistics of one group.
 */
export interface GroupStats__Output {
    /**
     * The agent, model, recipe or task kind ("" for none).
     */
    'key': (string);
    /**
     * Attempts in the window.
     */
    'attempts': (number);
    /**
     * Tasks those attempts were of.
     */
    'tasks': (number);
    /**
     * Of the tasks, the share with an attempt that passed (succeeded, and
     * passed its verification if it had one).
     */
    'passRate': (_orchestrator_v1_Rate__Output | null);
    /**
     * Of the tasks, the share whose first attempt passed.
     */
    'firstTryPassRate': (_orchestrator_v1_Rate__Output | null);
    /**
     * Mean attempt number that passed, of the tasks that passed.
     */
    'meanAttemptsToPass': (number);
    /**
     * Median attempt latency, milliseconds.
     */
    'latencyP50Ms': (number);
    /**
     * 95th percentile attempt latency, milliseconds.
     */
    'latencyP95Ms': (number);
    /**
     * Mean tokens per attempt.
     */
    'meanTokens': (number);
    /**
     * Mean cost per attempt, micro-dollars.
     */
    'meanCostMicros': (number);
    /**
     * Mean verdict score of the verified attempts (unset when none were).
     */
    'meanScore'?: (number);
    /**
     * How many attempts were verified.
     */
    'scoredAttempts': (number);
    '_meanScore'?: "meanScore";
}
