import type { Criterion as _orchestrator_v1_Criterion, Criterion__Output as _orchestrator_v1_Criterion__Output } from '../../orchestrator/v1/Criterion';
import type { Plan as _orchestrator_v1_Plan, Plan__Output as _orchestrator_v1_Plan__Output } from '../../orchestrator/v1/Plan';
import type { Budget as _orchestrator_v1_Budget, Budget__Output as _orchestrator_v1_Budget__Output } from '../../orchestrator/v1/Budget';
import type { RunPolicy as _orchestrator_v1_RunPolicy, RunPolicy__Output as _orchestrator_v1_RunPolicy__Output } from '../../orchestrator/v1/RunPolicy';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
/**
 * Input of CreateRun.
 */
export interface CreateRunRequest {
    /**
     * What the run is for (required, at most 16 KiB).
     */
    'goal'?: (string);
    /**
     * Criteria checked on the run's output when all tasks are done.
     */
    'criteria'?: (_orchestrator_v1_Criterion)[];
    /**
     * An explicit task graph; omit it to have the planner make one.
     */
    'plan'?: (_orchestrator_v1_Plan | null);
    /**
     * Limits; unset fields take the server's defaults.
     */
    'budget'?: (_orchestrator_v1_Budget | null);
    /**
     * Most attempts of this run running at once. 0 = server default (8).
     */
    'maxParallel'?: (number);
    /**
     * Higher is served first. Default 0.
     */
    'priority'?: (number);
    /**
     * Caller-defined labels (at most 32; keys at most 63 characters, values 256).
     */
    'labels'?: ({
        [key: string]: string;
    });
    /**
     * Idempotency key (at most 128 characters): the same key and body return the same run.
     */
    'requestId'?: (string);
    /**
     * Per-run overrides of the server policy.
     */
    'policy'?: (_orchestrator_v1_RunPolicy | null);
    /**
     * Free-form context handed to every task's agent.
     */
    'context'?: (_google_protobuf_Struct | null);
    /**
     * Make the run from this recipe of the workspace (RecipeService): its
     * template rendered with `params`. The request then carries no goal, plan,
     * criteria, budget, policy or context of its own (the recipe's are the
     * run's); `request_id`, `labels` (added to the recipe's), `priority` and
     * `max_parallel` (when set) are the request's.
     */
    'recipe'?: (string);
    /**
     * The recipe's version; 0: its latest.
     */
    'recipeVersion'?: (number);
    /**
     * The recipe's parameters by name; a missing one takes its default.
     * INVALID_ARGUMENT names each unknown, missing or ill-typed one
     * (`params.NAME`).
     */
    'params'?: (_google_protobuf_Struct | null);
    /**
     * The `advice_id` of the Advise call this run follows, if any: the run is
     * then compared with the advice (GetStats' advice accuracy). Advice names
     * one run at most; INVALID_ARGUMENT for one that is unknown or taken.
     */
    'adviceId'?: (string);
}
/**
 * Input of CreateRun.
 */
export interface CreateRunRequest__Output {
    /**
     * What the run is for (required, at most 16 KiB).
     */
    'goal': (string);
    /**
     * Criteria checked on the run's output when all tasks are done.
     */
    'criteria': (_orchestrator_v1_Criterion__Output)[];
    /**
     * An explicit task graph; omit it to have the planner make one.
     */
    'plan': (_orchestrator_v1_Plan__Output | null);
    /**
     * Limits; unset fields take the server's defaults.
     */
    'budget': (_orchestrator_v1_Budget__Output | null);
    /**
     * Most attempts of this run running at once. 0 = server default (8).
     */
    'maxParallel': (number);
    /**
     * Higher is served first. Default 0.
     */
    'priority': (number);
    /**
     * Caller-defined labels (at most 32; keys at most 63 characters, values 256).
     */
    'labels': ({
        [key: string]: string;
    });
    /**
     * Idempotency key (at most 128 characters): the same key and body return the same run.
     */
    'requestId': (string);
    /**
     * Per-run overrides of the server policy.
     */
    'policy': (_orchestrator_v1_RunPolicy__Output | null);
    /**
     * Free-form context handed to every task's agent.
     */
    'context': (_google_protobuf_Struct__Output | null);
    /**
     * Make the run from this recipe of the workspace (RecipeService): its
     * template rendered with `params`. The request then carries no goal, plan,
     * criteria, budget, policy or context of its own (the recipe's are the
     * run's); `request_id`, `labels` (added to the recipe's), `priority` and
     * `max_parallel` (when set) are the request's.
     */
    'recipe': (string);
    /**
     * The recipe's version; 0: its latest.
     */
    'recipeVersion': (number);
    /**
     * The recipe's parameters by name; a missing one takes its default.
     * INVALID_ARGUMENT names each unknown, missing or ill-typed one
     * (`params.NAME`).
     */
    'params': (_google_protobuf_Struct__Output | null);
    /**
     * The `advice_id` of the Advise call this run follows, if any: the run is
     * then compared with the advice (GetStats' advice accuracy). Advice names
     * one run at most; INVALID_ARGUMENT for one that is unknown or taken.
     */
    'adviceId': (string);
}
