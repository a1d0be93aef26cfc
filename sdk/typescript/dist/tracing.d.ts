import type { Task } from './worker';
/** Runs `work` in an `agent.work` span of the task's trace (or just runs it). */
export declare function agentWork<T>(task: Task, work: () => T | Promise<T>): Promise<T>;
