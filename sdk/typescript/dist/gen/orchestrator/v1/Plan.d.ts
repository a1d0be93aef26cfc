import type { TaskSpec as _orchestrator_v1_TaskSpec, TaskSpec__Output as _orchestrator_v1_TaskSpec__Output } from '../../orchestrator/v1/TaskSpec';
/**
 * A task graph.
 */
export interface Plan {
    /**
     * The tasks; order is kept for display and as the FIFO tie-break.
     */
    'tasks'?: (_orchestrator_v1_TaskSpec)[];
}
/**
 * A task graph.
 */
export interface Plan__Output {
    /**
     * The tasks; order is kept for display and as the FIFO tie-break.
     */
    'tasks': (_orchestrator_v1_TaskSpec__Output)[];
}
