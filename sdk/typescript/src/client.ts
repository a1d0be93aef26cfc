// A client of the run service: create runs, read them, watch them live, steer them.
//
// Requests and answers are the generated message types with every
// google.protobuf.Struct and Value as plain JSON (`Plain<...>`): a task's
// `metadata: { op: 'upper' }`, a run's `output` as the value itself.
// `client.runs` is the raw generated client for anything else.

import * as grpc from '@grpc/grpc-js';

import { target, type ConnectionOptions } from './connection';
import { fromMessage, toMessage, type Plain } from './json';
import { messageType, services } from './proto';
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
export type RunInput = Plain<CreateRunRequest> & { tasks?: TaskInput[] };

const TERMINAL = new Set(['RUN_STATUS_COMPLETED', 'RUN_STATUS_FAILED', 'RUN_STATUS_CANCELLED']);

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
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** A gRPC error as grpc-js reports it: `code` (grpc.status) and `details`. */
export type ServiceError = grpc.ServiceError;

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;

/** A unary call as a promise, with a deadline. */
export function unary<T>(invoke: (options: grpc.CallOptions, cb: Callback<T>) => unknown, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    invoke({ deadline: Date.now() + timeoutMs }, (err, value) => (err ? reject(err) : resolve(value as T)));
  });
}

function plain<T>(type: string, message: unknown): T {
  return fromMessage(messageType(type), message) as T;
}

export class Client {
  /** The generated RunService client (raw messages), for calls the SDK does not wrap. */
  readonly runs: RunServiceClient;
  readonly timeoutMs: number;

  constructor(options: ClientOptions = {}) {
    const t = target(options);
    this.runs = new (services().orchestrator.v1.RunService)(t.address, t.credentials, t.options);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  close(): void {
    this.runs.close();
  }

  private call<T>(invoke: (options: grpc.CallOptions, cb: Callback<T>) => unknown): Promise<T> {
    return unary(invoke, this.timeoutMs);
  }

  // ------------------------------------------------------------ runs

  /** Creates a run (CreateRun) and returns it. */
  async createRun(request: RunInput): Promise<Run> {
    const { tasks, ...rest } = request;
    const body = tasks ? { ...rest, plan: { ...(rest.plan ?? {}), tasks } } : rest;
    const req = toMessage(messageType('orchestrator.v1.CreateRunRequest'), body) as CreateRunRequest;
    const resp = await this.call<{ run: Run__Output | null }>((o, cb) => this.runs.createRun(req, o, cb));
    return plain('orchestrator.v1.Run', resp.run);
  }

  /** A run; `full` adds its plan, verdict and task counts in full (RUN_VIEW_FULL). */
  async getRun(runId: string, options: { full?: boolean } = {}): Promise<Run> {
    const view = options.full ? 'RUN_VIEW_FULL' : 'RUN_VIEW_BASIC';
    const run = await this.call<Run__Output>((o, cb) => this.runs.getRun({ runId, view }, o, cb));
    return plain('orchestrator.v1.Run', run);
  }

  /** Every run that matches, newest first, page by page. */
  async *listRuns(filter: Omit<ListRunsRequest, 'pageToken'> = {}): AsyncGenerator<Run> {
    let pageToken = '';
    do {
      const page = await this.call<{ runs: Run__Output[]; nextPageToken: string }>((o, cb) =>
        this.runs.listRuns({ pageSize: 100, ...filter, pageToken }, o, cb),
      );
      for (const run of page.runs) yield plain<Run>('orchestrator.v1.Run', run);
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** A task of a run, with its attempts. */
  async getTask(runId: string, taskId: string): Promise<RunTask> {
    const task = await this.call<Task__Output>((o, cb) => this.runs.getTask({ runId, taskId }, o, cb));
    return plain('orchestrator.v1.Task', task);
  }

  /**
   * The run's events from `afterSeq` on, live, until the run ends:
   * `for await (const e of client.watch(id)) ...`. A stream dropped or ended
   * early is picked up again after the last event seen.
   */
  async *watch(runId: string, options: WatchOptions = {}): AsyncGenerator<RunEvent> {
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    const reconnect = options.reconnect ?? true;
    const expired = () => new TimeoutError(`run ${runId} did not end within ${options.timeoutMs} ms`);
    let seen = options.afterSeq ?? 0;
    let backoff = 200;
    for (;;) {
      if (options.signal?.aborted) return;
      if (deadline !== undefined && Date.now() >= deadline) throw expired();
      const stream = this.runs.watchRun({ runId, afterSeq: seen }, deadline === undefined ? {} : { deadline });
      const abort = () => stream.cancel();
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        for await (const event of stream as AsyncIterable<RunEvent__Output>) {
          seen = event.seq;
          backoff = 200;
          yield plain<RunEvent>('orchestrator.v1.RunEvent', event);
        }
        if (!reconnect || TERMINAL.has(String((await this.getRun(runId)).status))) return;
      } catch (e) {
        const code = (e as grpc.ServiceError).code;
        if (code === grpc.status.CANCELLED && options.signal?.aborted) return;
        if (code === grpc.status.DEADLINE_EXCEEDED && deadline !== undefined) throw expired();
        if (!reconnect || code !== grpc.status.UNAVAILABLE) throw e;
      } finally {
        options.signal?.removeEventListener('abort', abort);
        stream.cancel();
      }
      await sleep(backoff, options.signal);
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  /** Watches the run to its end and returns it (a TimeoutError past `timeoutMs`). */
  async wait(runId: string, options: { timeoutMs?: number } = {}): Promise<Run> {
    for await (const _ of this.watch(runId, options)) {
      // the events themselves are not wanted here
    }
    return this.getRun(runId);
  }

  /** The workspace's fleet (ListAgents): each agent's instances, work and warning. */
  async listAgents(): Promise<AgentStatus[]> {
    const resp = await this.call<{ agents: AgentStatus__Output[] }>((o, cb) => this.runs.listAgents({}, o, cb));
    return resp.agents.map((a) => plain<AgentStatus>('orchestrator.v1.AgentStatus', a));
  }

  // ------------------------------------------------------------ steering

  async cancelRun(runId: string, reason = ''): Promise<Run> {
    const run = await this.call<Run__Output>((o, cb) => this.runs.cancelRun({ runId, reason }, o, cb));
    return plain('orchestrator.v1.Run', run);
  }

  async pauseRun(runId: string, reason = ''): Promise<Run> {
    const run = await this.call<Run__Output>((o, cb) => this.runs.pauseRun({ runId, reason }, o, cb));
    return plain('orchestrator.v1.Run', run);
  }

  async resumeRun(runId: string): Promise<Run> {
    const run = await this.call<Run__Output>((o, cb) => this.runs.resumeRun({ runId }, o, cb));
    return plain('orchestrator.v1.Run', run);
  }

  async retryTask(runId: string, taskId: string): Promise<RunTask> {
    const task = await this.call<Task__Output>((o, cb) => this.runs.retryTask({ runId, taskId }, o, cb));
    return plain('orchestrator.v1.Task', task);
  }

  async approveTask(runId: string, taskId: string, comment = ''): Promise<RunTask> {
    const task = await this.call<Task__Output>((o, cb) => this.runs.approveTask({ runId, taskId, comment }, o, cb));
    return plain('orchestrator.v1.Task', task);
  }

  async rejectTask(runId: string, taskId: string, comment = ''): Promise<RunTask> {
    const task = await this.call<Task__Output>((o, cb) => this.runs.rejectTask({ runId, taskId, comment }, o, cb));
    return plain('orchestrator.v1.Task', task);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
