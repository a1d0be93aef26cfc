/**
 * A PENDING task's new dependencies.
 */
export interface Repoint {
    /**
     * The task (it must be PENDING).
     */
    'taskId'?: (string);
    /**
     * Its dependencies from now on (they replace its old ones): existing
     * tasks, the completing task, tasks spawned in the same call.
     */
    'dependsOn'?: (string)[];
}
/**
 * A PENDING task's new dependencies.
 */
export interface Repoint__Output {
    /**
     * The task (it must be PENDING).
     */
    'taskId': (string);
    /**
     * Its dependencies from now on (they replace its old ones): existing
     * tasks, the completing task, tasks spawned in the same call.
     */
    'dependsOn': (string)[];
}
