import type { Prediction as _orchestrator_v1_Prediction, Prediction__Output as _orchestrator_v1_Prediction__Output } from '../../orchestrator/v1/Prediction';
import type { Long } from '@grpc/proto-loader';
/**
 * The advice on one task of the run.
 */
export interface TaskAdvice {
    /**
     * The task.
     */
    'taskId'?: (string);
    /**
     * Its kind (see STATS_GROUP_TASK_KIND).
     */
    'taskKind'?: (string);
    /**
     * Its chance of passing in the end; unset without history.
     */
    'passChance'?: (number | string);
    /**
     * Past tasks the prediction stands on.
     */
    'samples'?: (number | string | Long);
    /**
     * What they are: "task_kind" (of its kind), "agent" (its agent's, any
     * kind) or "none".
     */
    'basis'?: (string);
    /**
     * Tokens of its attempts.
     */
    'tokens'?: (_orchestrator_v1_Prediction | null);
    /**
     * Cost of its attempts, micro-dollars.
     */
    'costMicros'?: (_orchestrator_v1_Prediction | null);
    /**
     * Time of its attempts, milliseconds.
     */
    'durationMs'?: (_orchestrator_v1_Prediction | null);
    /**
     * For an `llm` task: the cheapest model that passed its kind at least 80%
     * of at least 3 times, when it is not the one its agent uses.
     */
    'suggestedModel'?: (string);
    '_passChance'?: "passChance";
}
/**
 * The advice on one task of the run.
 */
export interface TaskAdvice__Output {
    /**
     * The task.
     */
    'taskId': (string);
    /**
     * Its kind (see STATS_GROUP_TASK_KIND).
     */
    'taskKind': (string);
    /**
     * Its chance of passing in the end; unset without history.
     */
    'passChance'?: (number);
    /**
     * Past tasks the prediction stands on.
     */
    'samples': (number);
    /**
     * What they are: "task_kind" (of its kind), "agent" (its agent's, any
     * kind) or "none".
     */
    'basis': (string);
    /**
     * Tokens of its attempts.
     */
    'tokens': (_orchestrator_v1_Prediction__Output | null);
    /**
     * Cost of its attempts, micro-dollars.
     */
    'costMicros': (_orchestrator_v1_Prediction__Output | null);
    /**
     * Time of its attempts, milliseconds.
     */
    'durationMs': (_orchestrator_v1_Prediction__Output | null);
    /**
     * For an `llm` task: the cheapest model that passed its kind at least 80%
     * of at least 3 times, when it is not the one its agent uses.
     */
    'suggestedModel': (string);
    '_passChance'?: "passChance";
}
