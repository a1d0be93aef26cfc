import type { Rate as _orchestrator_v1_Rate, Rate__Output as _orchestrator_v1_Rate__Output } from '../../orchestrator/v1/Rate';
import type { Long } from '@grpc/proto-loader';
/**
 * How the advice given in a window compares with the runs made after it
 * (CreateRun with its advice_id) that have finished.
 */
export interface AdviceAccuracy {
    /**
     * Advised runs that finished.
     */
    'runs'?: (number | string | Long);
    /**
     * Mean relative error of the predicted tokens (|actual - predicted| over
     * the larger of the two; 0 exact, 1 off by everything).
     */
    'tokensError'?: (number | string);
    /**
     * The same for cost.
     */
    'costError'?: (number | string);
    /**
     * The same for the wall clock.
     */
    'durationError'?: (number | string);
    /**
     * The mean predicted chance of passing (unset when none was predicted).
     */
    'meanPassChance'?: (number | string);
    /**
     * The share of those runs that completed.
     */
    'completed'?: (_orchestrator_v1_Rate | null);
    /**
     * Of the runs whose advice suggested a recipe, the share made from it.
     */
    'followedRecipe'?: (_orchestrator_v1_Rate | null);
    '_meanPassChance'?: "meanPassChance";
}
/**
 * How the advice given in a window compares with the runs made after it
 * (CreateRun with its advice_id) that have finished.
 */
export interface AdviceAccuracy__Output {
    /**
     * Advised runs that finished.
     */
    'runs': (number);
    /**
     * Mean relative error of the predicted tokens (|actual - predicted| over
     * the larger of the two; 0 exact, 1 off by everything).
     */
    'tokensError': (number);
    /**
     * The same for cost.
     */
    'costError': (number);
    /**
     * The same for the wall clock.
     */
    'durationError': (number);
    /**
     * The mean predicted chance of passing (unset when none was predicted).
     */
    'meanPassChance'?: (number);
    /**
     * The share of those runs that completed.
     */
    'completed': (_orchestrator_v1_Rate__Output | null);
    /**
     * Of the runs whose advice suggested a recipe, the share made from it.
     */
    'followedRecipe': (_orchestrator_v1_Rate__Output | null);
    '_meanPassChance'?: "meanPassChance";
}
