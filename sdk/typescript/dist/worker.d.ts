import * as grpc from '@grpc/grpc-js';
import { type ConnectionOptions } from './connection';
import { type Json, type Plain } from './json';
import type { TaskAssignment__Output } from './gen/orchestrator/v1/TaskAssignment';
import type { TaskSpec__Output } from './gen/orchestrator/v1/TaskSpec';
import type { TaskInput } from './client';
/** Where the worker says what it does; by default, lines on stderr (info and above). */
export interface Logger {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
}
/** The default logger: stderr, so that a worker's stdout stays its own. */
export declare const stderrLogger: Logger;
/** The work must stop: the run was cancelled or paused, the lease was lost, or the worker is stopping. */
export declare class Abandoned extends Error {
    name: string;
}
/** Throw from a handler to fail the attempt with this message; `retryable: false` fails the task. */
export declare class Fail extends Error {
    name: string;
    readonly retryable: boolean;
    constructor(message: string, options?: {
        retryable?: boolean;
    });
}
/** Throw from a handler to end this turn and ask for another (ContinueTask): the task comes back as
 * the same attempt's next turn, with `task.checkpoint` set to `checkpoint`. */
export declare class Continue extends Error {
    readonly checkpoint: Json;
    name: string;
    constructor(checkpoint?: Json);
}
/** Return from a handler to complete with `output` and add `tasks` to the run (TaskSpecs in plain
 * JSON), re-pointing PENDING tasks at them (`repoint`: task id -> its new dependencies). */
export declare class Spawn {
    readonly output: Json;
    readonly tasks: TaskInput[];
    readonly repoint: Record<string, string[]>;
    constructor(output: Json, tasks?: TaskInput[], repoint?: Record<string, string[]>);
}
/** What an attempt has used so far (cumulative, this turn). */
export interface Usage {
    promptTokens: number;
    completionTokens: number;
    toolCalls: number;
    costUsd: number;
}
/** One assignment: what to do, and the means to report on it. */
export declare class Task {
    readonly assignment: Plain<TaskAssignment__Output>;
    readonly runId: string;
    readonly taskId: string;
    readonly attempt: number;
    readonly turn: number;
    readonly maxTurns: number;
    readonly leaseId: string;
    readonly spec: Plain<TaskSpec__Output>;
    readonly title: string;
    readonly instructions: string;
    readonly agent: string;
    readonly metadata: {
        [key: string]: Json;
    };
    /** The dependencies' outputs, by task id. */
    readonly inputs: {
        [taskId: string]: Json;
    };
    readonly goal: string;
    /** Why the previous attempts were rejected. */
    readonly feedback: string[];
    readonly previousOutput: Json;
    readonly checkpoint: Json;
    readonly context: {
        [key: string]: Json;
    };
    /** W3C trace context (`traceparent`) of the attempt's span. */
    readonly traceContext: {
        [key: string]: string;
    };
    readonly allowedTools: string[];
    readonly deniedTools: string[];
    /** Aborts when the work must stop (see `check`). */
    readonly signal: AbortSignal;
    /** Why it must stop, once it must. */
    stopReason: string;
    paused: boolean;
    private readonly stopper;
    private used;
    private progress;
    private message;
    constructor(raw: TaskAssignment__Output);
    /** Progress (0..1) and a line, sent with the next heartbeat. */
    report(progress: number, message?: string): void;
    /** Adds to the attempt's usage (this turn's), sent with heartbeats and the outcome. */
    addUsage(u: Partial<Usage>): void;
    get usage(): Usage;
    /** Whether the work must stop. */
    get cancelled(): boolean;
    /** A safe point: throws `Abandoned` if the work must stop. */
    check(): void;
    /** @internal */
    abandon(reason: string, paused?: boolean): void;
    /** @internal */
    beat(): {
        leaseId: string;
        progress: number;
        message: string;
        usage: Usage;
    };
}
export type Handler = (task: Task) => unknown;
export interface WorkerOptions extends ConnectionOptions {
    /** Handlers at once (default 4). */
    concurrency?: number;
    /** This process's id in the fleet (ListAgents); default host:pid. */
    instance?: string;
    /** How long a poll waits for a task, in milliseconds (1 s – 60 s, default 20 s). */
    pollWaitMs?: number;
    /** How long `stop()` lets handlers finish before handing their tasks back (default 30 s). */
    drainTimeoutMs?: number;
    /** Capabilities this worker offers (PollTaskRequest.capabilities). */
    capabilities?: string[];
    /** Where the worker logs (default `stderrLogger`). */
    logger?: Logger;
}
/**
 * Serves one agent's tasks.
 *
 *     const worker = new Worker('node', { server: '127.0.0.1:50051', concurrency: 8 });
 *     worker.task(async (task) => ({ summary: task.instructions.slice(0, 100) }));
 *     await worker.run();
 */
export declare class Worker {
    readonly agent: string;
    readonly concurrency: number;
    readonly instance: string;
    readonly pollWaitMs: number;
    readonly drainTimeoutMs: number;
    readonly capabilities: string[];
    completed: number;
    failed: number;
    /** Why the worker stopped by itself (a poll the server refused for good), if it did. */
    error: grpc.ServiceError | undefined;
    private readonly stub;
    private readonly log;
    private handler;
    private readonly stopping;
    private readonly held;
    private readonly polls;
    private slots;
    private stopped;
    constructor(agent: string, options?: WorkerOptions);
    /** Registers the handler of this worker's tasks (sync or async). */
    task(handler: Handler): this;
    /** Starts `concurrency` polling loops and returns. */
    start(): void;
    /**
     * Serves until SIGTERM or SIGINT, then drains (see `stop`). Rejects with
     * the error that stopped it when polling fails for good (UNAUTHENTICATED,
     * PERMISSION_DENIED, INVALID_ARGUMENT, ...).
     */
    run(): Promise<void>;
    /**
     * Stops polling, waits up to `timeoutMs` (default `drainTimeoutMs`) for
     * the handlers in flight, hands back the tasks still held, and closes the
     * connection.
     */
    stop(timeoutMs?: number): Promise<void>;
    private drain;
    private slot;
    private poll;
    /** Runs one assignment to its outcome; returns the next one claimed with it. */
    private handle;
    private outcome;
    /** The outcome call for what the handler did. */
    private request;
    private beat;
    private failQuietly;
    /** FailTask, whatever comes of it. */
    private handBack;
}
