import * as grpc from '@grpc/grpc-js';
import { type ConnectionOptions } from './connection';
import { type Plain } from './json';
import type { AgentStatus__Output } from './gen/orchestrator/v1/AgentStatus';
import type { CreateRunRequest } from './gen/orchestrator/v1/CreateRunRequest';
import type { ListRunsRequest } from './gen/orchestrator/v1/ListRunsRequest';
import type { Run__Output } from './gen/orchestrator/v1/Run';
import type { RunEvent__Output } from './gen/orchestrator/v1/RunEvent';
import type { RunServiceClient } from './gen/orchestrator/v1/RunService';
import type { Task__Output } from './gen/orchestrator/v1/Task';
import type { TaskSpec } from './gen/orchestrator/v1/TaskSpec';
export type Run = Plain<Run__Output>;
export type RunEvent = Plain<RunEvent__Output>;
export type RunTask = Plain<Task__Output>;
export type AgentStatus = Plain<AgentStatus__Output>;
export type TaskInput = Plain<TaskSpec>;
/** A CreateRunRequest in plain JSON; `tasks` is short for `plan: { tasks }`. */
export type RunInput = Plain<CreateRunRequest> & {
    tasks?: TaskInput[];
};
export interface ClientOptions extends ConnectionOptions {
    /** The deadline of each unary call, in milliseconds (default 30 s). */
    timeoutMs?: number;
}
export interface WatchOptions {
    /** Start after this sequence number (0: from the run's first event). */
    afterSeq?: number;
    /** Pick a dropped stream (UNAVAILABLE) or one ended before the run (a server shutting down) up again. Default true. */
    reconnect?: boolean;
    /** Give up (a TimeoutError) if the run has not ended by then, in milliseconds. */
    timeoutMs?: number;
    /** Stops the watch (the iterator ends). */
    signal?: AbortSignal;
}
/** Thrown by `watch` and `wait` past their timeout. */
export declare class TimeoutError extends Error {
    name: string;
}
/** A gRPC error as grpc-js reports it: `code` (grpc.status) and `details`. */
export type ServiceError = grpc.ServiceError;
type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;
/** A unary call as a promise, with a deadline. */
export declare function unary<T>(invoke: (options: grpc.CallOptions, cb: Callback<T>) => unknown, timeoutMs: number): Promise<T>;
export declare class Client {
    /** The generated RunService client (raw messages), for calls the SDK does not wrap. */
    readonly runs: RunServiceClient;
    readonly timeoutMs: number;
    constructor(options?: ClientOptions);
    close(): void;
    private call;
    /** Creates a run (CreateRun) and returns it. */
    createRun(request: RunInput): Promise<Run>;
    /** A run; `full` adds its plan, verdict and task counts in full (RUN_VIEW_FULL). */
    getRun(runId: string, options?: {
        full?: boolean;
    }): Promise<Run>;
    /** Every run that matches, newest first, page by page. */
    listRuns(filter?: Omit<ListRunsRequest, 'pageToken'>): AsyncGenerator<Run>;
    /** A task of a run, with its attempts. */
    getTask(runId: string, taskId: string): Promise<RunTask>;
    /**
     * The run's events from `afterSeq` on, live, until the run ends:
     * `for await (const e of client.watch(id)) ...`. A stream dropped or ended
     * early is picked up again after the last event seen.
     */
    watch(runId: string, options?: WatchOptions): AsyncGenerator<RunEvent>;
    /** Watches the run to its end and returns it (a TimeoutError past `timeoutMs`). */
    wait(runId: string, options?: {
        timeoutMs?: number;
    }): Promise<Run>;
    /** The workspace's fleet (ListAgents): each agent's instances, work and warning. */
    listAgents(): Promise<AgentStatus[]>;
    cancelRun(runId: string, reason?: string): Promise<Run>;
    pauseRun(runId: string, reason?: string): Promise<Run>;
    resumeRun(runId: string): Promise<Run>;
    retryTask(runId: string, taskId: string): Promise<RunTask>;
    approveTask(runId: string, taskId: string, comment?: string): Promise<RunTask>;
    rejectTask(runId: string, taskId: string, comment?: string): Promise<RunTask>;
}
/** Resolves after `ms`, or at once when `signal` aborts. */
export declare function sleep(ms: number, signal?: AbortSignal): Promise<void>;
export {};
