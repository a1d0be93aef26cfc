import type { Plan as _orchestrator_v1_Plan, Plan__Output as _orchestrator_v1_Plan__Output } from '../../orchestrator/v1/Plan';
import type { PlanAnalysis as _orchestrator_v1_PlanAnalysis, PlanAnalysis__Output as _orchestrator_v1_PlanAnalysis__Output } from '../../orchestrator/v1/PlanAnalysis';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
import type { Advice as _orchestrator_v1_Advice, Advice__Output as _orchestrator_v1_Advice__Output } from '../../orchestrator/v1/Advice';
/**
 * Output of PlanRun.
 */
export interface PlanRunResponse {
    /**
     * The validated plan.
     */
    'plan'?: (_orchestrator_v1_Plan | null);
    /**
     * Its shape.
     */
    'analysis'?: (_orchestrator_v1_PlanAnalysis | null);
    /**
     * Tokens the planner used.
     */
    'usage'?: (_orchestrator_v1_Usage | null);
    /**
     * Planner calls made (1 + repairs).
     */
    'plannerCalls'?: (number);
    /**
     * What the server changed in the model's answer to make it this plan (ids
     * made from titles and de-duplicated, dependencies named by title mapped,
     * self-dependencies dropped, …), one line each.
     */
    'notes'?: (string)[];
    /**
     * The advice on the plan, when `advise` was set.
     */
    'advice'?: (_orchestrator_v1_Advice | null);
}
/**
 * Output of PlanRun.
 */
export interface PlanRunResponse__Output {
    /**
     * The validated plan.
     */
    'plan': (_orchestrator_v1_Plan__Output | null);
    /**
     * Its shape.
     */
    'analysis': (_orchestrator_v1_PlanAnalysis__Output | null);
    /**
     * Tokens the planner used.
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
    /**
     * Planner calls made (1 + repairs).
     */
    'plannerCalls': (number);
    /**
     * What the server changed in the model's answer to make it this plan (ids
     * made from titles and de-duplicated, dependencies named by title mapped,
     * self-dependencies dropped, …), one line each.
     */
    'notes': (string)[];
    /**
     * The advice on the plan, when `advise` was set.
     */
    'advice': (_orchestrator_v1_Advice__Output | null);
}
