import type { Prediction as _orchestrator_v1_Prediction, Prediction__Output as _orchestrator_v1_Prediction__Output } from '../../orchestrator/v1/Prediction';
import type { TaskAdvice as _orchestrator_v1_TaskAdvice, TaskAdvice__Output as _orchestrator_v1_TaskAdvice__Output } from '../../orchestrator/v1/TaskAdvice';
import type { AdviceWarning as _orchestrator_v1_AdviceWarning, AdviceWarning__Output as _orchestrator_v1_AdviceWarning__Output } from '../../orchestrator/v1/AdviceWarning';
import type { Long } from '@grpc/proto-loader';
/**
 * Output of Advise.
 */
export interface Advice {
    /**
     * Tokens of the whole run.
     */
    'tokens'?: (_orchestrator_v1_Prediction | null);
    /**
     * Cost of the whole run, micro-dollars.
     */
    'costMicros'?: (_orchestrator_v1_Prediction | null);
    /**
     * Wall clock along the critical path, milliseconds.
     */
    'durationMs'?: (_orchestrator_v1_Prediction | null);
    /**
     * The chance that every required task passes (their chances multiplied);
     * unset when one of them has no history.
     */
    'passChance'?: (number | string);
    /**
     * Per task, in plan order.
     */
    'tasks'?: (_orchestrator_v1_TaskAdvice)[];
    /**
     * The tasks likeliest to fail, likeliest first (at most 3, each under 90%).
     */
    'likelyFailures'?: (string)[];
    /**
     * What to look at before starting it.
     */
    'warnings'?: (_orchestrator_v1_AdviceWarning)[];
    /**
     * A recipe of the workspace with the same graph (ids, agents, edges).
     */
    'suggestedRecipe'?: (string);
    /**
     * Outcomes the advice stands on.
     */
    'outcomes'?: (number | string | Long);
    /**
     * Pass it as CreateRunRequest.advice_id when you start the run, to have
     * the run compared with this advice (GetStats' `advice`).
     */
    'adviceId'?: (string);
    '_passChance'?: "passChance";
}
/**
 * Output of Advise.
 */
export interface Advice__Output {
    /**
     * Tokens of the whole run.
     */
    'tokens': (_orchestrator_v1_Prediction__Output | null);
    /**
     * Cost of the whole run, micro-dollars.
     */
    'costMicros': (_orchestrator_v1_Prediction__Output | null);
    /**
     * Wall clock along the critical path, milliseconds.
     */
    'durationMs': (_orchestrator_v1_Prediction__Output | null);
    /**
     * The chance that every required task passes (their chances multiplied);
     * unset when one of them has no history.
     */
    'passChance'?: (number);
    /**
     * Per task, in plan order.
     */
    'tasks': (_orchestrator_v1_TaskAdvice__Output)[];
    /**
     * The tasks likeliest to fail, likeliest first (at most 3, each under 90%).
     */
    'likelyFailures': (string)[];
    /**
     * What to look at before starting it.
     */
    'warnings': (_orchestrator_v1_AdviceWarning__Output)[];
    /**
     * A recipe of the workspace with the same graph (ids, agents, edges).
     */
    'suggestedRecipe': (string);
    /**
     * Outcomes the advice stands on.
     */
    'outcomes': (number);
    /**
     * Pass it as CreateRunRequest.advice_id when you start the run, to have
     * the run compared with this advice (GetStats' `advice`).
     */
    'adviceId': (string);
    '_passChance'?: "passChance";
}
