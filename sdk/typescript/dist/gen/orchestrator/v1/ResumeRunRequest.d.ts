import type { Budget as _orchestrator_v1_Budget, Budget__Output as _orchestrator_v1_Budget__Output } from '../../orchestrator/v1/Budget';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from '../../google/protobuf/FieldMask';
/**
 * Input of ResumeRun.
 */
export interface ResumeRunRequest {
    /**
     * The run's id.
     */
    'runId'?: (string);
    /**
     * Limits to change (to continue past an exhausted one), merged field by
     * field into the run's budget: without `budget_mask`, each non-zero field
     * of `budget` (and a set `on_exhausted`) replaces the run's and the others
     * are kept; with it, exactly the named fields are replaced, so a named
     * field left at zero removes that limit.
     */
    'budget'?: (_orchestrator_v1_Budget | null);
    /**
     * Budget fields to replace: max_tokens, max_tool_calls, max_duration,
     * max_cost_usd, on_exhausted.
     */
    'budgetMask'?: (_google_protobuf_FieldMask | null);
}
/**
 * Input of ResumeRun.
 */
export interface ResumeRunRequest__Output {
    /**
     * The run's id.
     */
    'runId': (string);
    /**
     * Limits to change (to continue past an exhausted one), merged field by
     * field into the run's budget: without `budget_mask`, each non-zero field
     * of `budget` (and a set `on_exhausted`) replaces the run's and the others
     * are kept; with it, exactly the named fields are replaced, so a named
     * field left at zero removes that limit.
     */
    'budget': (_orchestrator_v1_Budget__Output | null);
    /**
     * Budget fields to replace: max_tokens, max_tool_calls, max_duration,
     * max_cost_usd, on_exhausted.
     */
    'budgetMask': (_google_protobuf_FieldMask__Output | null);
}
