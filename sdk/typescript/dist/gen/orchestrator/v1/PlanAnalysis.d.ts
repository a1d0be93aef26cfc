/**
 * Structural facts about a valid plan.
 */
export interface PlanAnalysis {
    /**
     * Task ids in a topological order (dependencies first, plan order among peers).
     */
    'topologicalOrder'?: (string)[];
    /**
     * The most tasks that can run at once (the widest level of the graph).
     */
    'width'?: (number);
    /**
     * The longest dependency chain, first task first.
     */
    'criticalPath'?: (string)[];
    /**
     * Number of levels (= length of the critical path).
     */
    'depth'?: (number);
}
/**
 * Structural facts about a valid plan.
 */
export interface PlanAnalysis__Output {
    /**
     * Task ids in a topological order (dependencies first, plan order among peers).
     */
    'topologicalOrder': (string)[];
    /**
     * The most tasks that can run at once (the widest level of the graph).
     */
    'width': (number);
    /**
     * The longest dependency chain, first task first.
     */
    'criticalPath': (string)[];
    /**
     * Number of levels (= length of the critical path).
     */
    'depth': (number);
}
