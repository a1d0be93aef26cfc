import type { PlanAnalysis as _orchestrator_v1_PlanAnalysis, PlanAnalysis__Output as _orchestrator_v1_PlanAnalysis__Output } from '../../orchestrator/v1/PlanAnalysis';
/**
 * Output of ValidatePlan (only for a valid plan).
 */
export interface ValidatePlanResponse {
    /**
     * Its shape.
     */
    'analysis'?: (_orchestrator_v1_PlanAnalysis | null);
}
/**
 * Output of ValidatePlan (only for a valid plan).
 */
export interface ValidatePlanResponse__Output {
    /**
     * Its shape.
     */
    'analysis': (_orchestrator_v1_PlanAnalysis__Output | null);
}
