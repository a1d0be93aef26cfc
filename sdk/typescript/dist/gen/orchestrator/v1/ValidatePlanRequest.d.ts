import type { Plan as _orchestrator_v1_Plan, Plan__Output as _orchestrator_v1_Plan__Output } from '../../orchestrator/v1/Plan';
/**
 * Input of ValidatePlan.
 */
export interface ValidatePlanRequest {
    /**
     * The plan to check.
     */
    'plan'?: (_orchestrator_v1_Plan | null);
}
/**
 * Input of ValidatePlan.
 */
export interface ValidatePlanRequest__Output {
    /**
     * The plan to check.
     */
    'plan': (_orchestrator_v1_Plan__Output | null);
}
