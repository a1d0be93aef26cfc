import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { BudgetPolicy as _orchestrator_v1_BudgetPolicy, BudgetPolicy__Output as _orchestrator_v1_BudgetPolicy__Output } from '../../orchestrator/v1/BudgetPolicy';
import type { Long } from '@grpc/proto-loader';
/**
 * Per-run limits. Zero means unlimited.
 */
export interface Budget {
    /**
     * Prompt + completion tokens.
     */
    'maxTokens'?: (number | string | Long);
    /**
     * Tool calls reported by agents.
     */
    'maxToolCalls'?: (number | string | Long);
    /**
     * Wall-clock limit from the run's start.
     */
    'maxDuration'?: (_google_protobuf_Duration | null);
    /**
     * Cost in US dollars, from per-model prices in the server config.
     */
    'maxCostUsd'?: (number | string);
    /**
     * What to do when a limit is reached.
     */
    'onExhausted'?: (_orchestrator_v1_BudgetPolicy);
}
/**
 * Per-run limits. Zero means unlimited.
 */
export interface Budget__Output {
    /**
     * Prompt + completion tokens.
     */
    'maxTokens': (number);
    /**
     * Tool calls reported by agents.
     */
    'maxToolCalls': (number);
    /**
     * Wall-clock limit from the run's start.
     */
    'maxDuration': (_google_protobuf_Duration__Output | null);
    /**
     * Cost in US dollars, from per-model prices in the server config.
     */
    'maxCostUsd': (number);
    /**
     * What to do when a limit is reached.
     */
    'onExhausted': (_orchestrator_v1_BudgetPolicy__Output);
}
