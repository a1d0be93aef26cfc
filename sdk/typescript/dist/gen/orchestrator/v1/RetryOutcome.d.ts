import type { Long } from '@grpc/proto-loader';
/**
 * Retry outcomes of one agent and model.
 */
export interface RetryOutcome {
    /**
     * The agent.
     */
    'agent'?: (string);
    /**
     * The model that did the work (an `llm` agent's); empty for agents that
     * bring their own.
     */
    'model'?: (string);
    /**
     * Tasks with criteria verified to their end.
     */
    'verifiedTasks'?: (number | string | Long);
    /**
     * Of those, passed at the first attempt.
     */
    'passedFirstTry'?: (number | string | Long);
    /**
     * Of those, retried after a failed verdict.
     */
    'retriedTasks'?: (number | string | Long);
    /**
     * Of the retried, passed in the end.
     */
    'rescuedTasks'?: (number | string | Long);
    /**
     * Tokens the retried tasks' later attempts used.
     */
    'retryTokens'?: (number | string | Long);
}
/**
 * Retry outcomes of one agent and model.
 */
export interface RetryOutcome__Output {
    /**
     * The agent.
     */
    'agent': (string);
    /**
     * The model that did the work (an `llm` agent's); empty for agents that
     * bring their own.
     */
    'model': (string);
    /**
     * Tasks with criteria verified to their end.
     */
    'verifiedTasks': (number);
    /**
     * Of those, passed at the first attempt.
     */
    'passedFirstTry': (number);
    /**
     * Of those, retried after a failed verdict.
     */
    'retriedTasks': (number);
    /**
     * Of the retried, passed in the end.
     */
    'rescuedTasks': (number);
    /**
     * Tokens the retried tasks' later attempts used.
     */
    'retryTokens': (number);
}
