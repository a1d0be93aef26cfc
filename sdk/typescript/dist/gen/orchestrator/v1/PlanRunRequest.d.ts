import type { Criterion as _orchestrator_v1_Criterion, Criterion__Output as _orchestrator_v1_Criterion__Output } from '../../orchestrator/v1/Criterion';
/**
 * Input of PlanRun.
 */
export interface PlanRunRequest {
    /**
     * The goal to plan for.
     */
    'goal'?: (string);
    /**
     * The run's success criteria, shown to the planner.
     */
    'criteria'?: (_orchestrator_v1_Criterion)[];
    /**
     * Also advise on a run of this goal, criteria and plan, as
     * GuidanceService.Advise does from the workspace's last 30 days
     * (`PlanRunResponse.advice`, kept under its `advice_id` for a CreateRun).
     */
    'advise'?: (boolean);
}
/**
 * Input of PlanRun.
 */
export interface PlanRunRequest__Output {
    /**
     * The goal to plan for.
     */
    'goal': (string);
    /**
     * The run's success criteria, shown to the planner.
     */
    'criteria': (_orchestrator_v1_Criterion__Output)[];
    /**
     * Also advise on a run of this goal, criteria and plan, as
     * GuidanceService.Advise does from the workspace's last 30 days
     * (`PlanRunResponse.advice`, kept under its `advice_id` for a CreateRun).
     */
    'advise': (boolean);
}
