import type { Plan as _orchestrator_v1_Plan, Plan__Output as _orchestrator_v1_Plan__Output } from '../../orchestrator/v1/Plan';
import type { Budget as _orchestrator_v1_Budget, Budget__Output as _orchestrator_v1_Budget__Output } from '../../orchestrator/v1/Budget';
/**
 * A child run of a TASK_KIND_RUN task. Its context is sealed: its agents see
 * the task's instructions and inputs (its dependencies' outputs) in the
 * run's `context` (`instructions`, `inputs`), never the parent's other
 * tasks. It inherits the parent's priority, `max_parallel` and policy.
 * Child runs nest at most 3 deep (a child of a child of a child).
 */
export interface ChildRun {
    /**
     * The child's goal (at most 16 KiB); empty: the task's instructions.
     */
    'goal'?: (string);
    /**
     * Its task graph; omit it to have the planner make one from the goal.
     */
    'plan'?: (_orchestrator_v1_Plan | null);
    /**
     * Its limits, each capped by what the parent has left of the same limit
     * when the child starts (less what its other live children hold): a limit
     * left unset is that remainder, or none when the parent has none. When the
     * parent has nothing left of a limit, the task fails. The child's usage is
     * charged to the parent when it ends (it shows in the parent's usage then).
     */
    'budget'?: (_orchestrator_v1_Budget | null);
}
/**
 * A child run of a TASK_KIND_RUN task. Its context is sealed: its agents see
 * the task's instructions and inputs (its dependencies' outputs) in the
 * run's `context` (`instructions`, `inputs`), never the parent's other
 * tasks. It inherits the parent's priority, `max_parallel` and policy.
 * Child runs nest at most 3 deep (a child of a child of a child).
 */
export interface ChildRun__Output {
    /**
     * The child's goal (at most 16 KiB); empty: the task's instructions.
     */
    'goal': (string);
    /**
     * Its task graph; omit it to have the planner make one from the goal.
     */
    'plan': (_orchestrator_v1_Plan__Output | null);
    /**
     * Its limits, each capped by what the parent has left of the same limit
     * when the child starts (less what its other live children hold): a limit
     * left unset is that remainder, or none when the parent has none. When the
     * parent has nothing left of a limit, the task fails. The child's usage is
     * charged to the parent when it ends (it shows in the parent's usage then).
     */
    'budget': (_orchestrator_v1_Budget__Output | null);
}
