"use strict";
// An agent worker: long-polls the server for an agent's tasks, runs a handler
// per task (up to `concurrency` at once), keeps each lease alive with
// heartbeats carrying the usage the handler reports, and ends every attempt
// with exactly one outcome:
//
//   the handler returns a JSON value            -> CompleteTask (claiming the next task in the same call)
//   it returns `new Spawn(output, tasks, ...)`  -> CompleteTask that adds tasks to the run
//   it throws `new Continue(checkpoint)`        -> ContinueTask: another turn of the same attempt
//   it throws `new Fail(message, {retryable})`  -> FailTask as it says
//   it throws anything else                     -> FailTask, retryable
//   the run is cancelled or paused, the lease lost -> the work is dropped (a pause hands it back)
//
// `stop()` (SIGTERM and SIGINT under `run()`) stops polling, lets the
// handlers in flight finish for `drainTimeoutMs`, then hands back what is left
// (FailTask, retryable) so another worker takes it at once.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.Worker = exports.Task = exports.Spawn = exports.Continue = exports.Fail = exports.Abandoned = exports.stderrLogger = void 0;
const os = __importStar(require("node:os"));
const grpc = __importStar(require("@grpc/grpc-js"));
const client_1 = require("./client");
const connection_1 = require("./connection");
const json_1 = require("./json");
const proto_1 = require("./proto");
const tracing_1 = require("./tracing");
const version_1 = require("./version");
const RPC_TIMEOUT_MS = 10_000; // every call but the long poll and CompleteTask
// CompleteTask runs the task's verification (checks, an LLM judge) before it answers.
const COMPLETE_TIMEOUT_MS = 120_000;
const MIN_BEAT_MS = 200; // never heartbeat more often than this
const MAX_BEAT_MS = 10_000; // nor less often (a clock behind the server's would wait past the lease)
const MAX_MESSAGE = 4096; // the bytes of a progress message the server takes
const OUTCOME_RETRY_MS = 60_000; // how long an outcome call rides out an unreachable server
const MAX_POLL_WAIT_MS = 60_000; // the server's limit
const TRANSIENT = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.RESOURCE_EXHAUSTED]);
// What a poll may also ride out: CANCELLED that stop() did not cause.
const POLL_TRANSIENT = new Set([...TRANSIENT, grpc.status.CANCELLED]);
const line = (level) => (message) => process.stderr.write(`${new Date().toISOString()} orchestrator-sdk ${level} ${message}\n`);
/** The default logger: stderr, so that a worker's stdout stays its own. */
exports.stderrLogger = { debug() { }, info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
/** The work must stop: the run was cancelled or paused, the lease was lost, or the worker is stopping. */
class Abandoned extends Error {
    name = 'Abandoned';
}
exports.Abandoned = Abandoned;
/** Throw from a handler to fail the attempt with this message; `retryable: false` fails the task. */
class Fail extends Error {
    name = 'Fail';
    retryable;
    constructor(message, options = {}) {
        super(message);
        this.retryable = options.retryable ?? true;
    }
}
exports.Fail = Fail;
/** Throw from a handler to end this turn and ask for another (ContinueTask): the task comes back as
 * the same attempt's next turn, with `task.checkpoint` set to `checkpoint`. */
class Continue extends Error {
    checkpoint;
    name = 'Continue';
    constructor(checkpoint = null) {
        super('another turn');
        this.checkpoint = checkpoint;
    }
}
exports.Continue = Continue;
/** Return from a handler to complete with `output` and add `tasks` to the run (TaskSpecs in plain
 * JSON), re-pointing PENDING tasks at them (`repoint`: task id -> its new dependencies). */
class Spawn {
    output;
    tasks;
    repoint;
    constructor(output, tasks = [], repoint = {}) {
        this.output = output;
        this.tasks = tasks;
        this.repoint = repoint;
    }
}
exports.Spawn = Spawn;
function wireUsage(u) {
    // Counters are unsigned on the wire: a negative or non-finite report counts as 0.
    const count = (n) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
    return {
        promptTokens: count(u.promptTokens),
        completionTokens: count(u.completionTokens),
        toolCalls: count(u.toolCalls),
        costUsd: Number.isFinite(u.costUsd) && u.costUsd > 0 ? u.costUsd : 0,
    };
}
function seconds(ts) {
    return ts ? Number(ts.seconds) + ts.nanos / 1e9 : 0;
}
/** One assignment: what to do, and the means to report on it. */
class Task {
    assignment;
    runId;
    taskId;
    attempt;
    turn;
    maxTurns;
    leaseId;
    spec;
    title;
    instructions;
    agent;
    metadata;
    /** The dependencies' outputs, by task id. */
    inputs;
    goal;
    /** Why the previous attempts were rejected. */
    feedback;
    previousOutput;
    checkpoint;
    context;
    /** W3C trace context (`traceparent`) of the attempt's span. */
    traceContext;
    allowedTools;
    deniedTools;
    /** Aborts when the work must stop (see `check`). */
    signal;
    /** Why it must stop, once it must. */
    stopReason = '';
    paused = false;
    stopper = new AbortController();
    used = { promptTokens: 0, completionTokens: 0, toolCalls: 0, costUsd: 0 };
    progress = 0;
    message = 'started';
    constructor(raw) {
        const a = (0, json_1.fromMessage)((0, proto_1.messageType)('orchestrator.v1.TaskAssignment'), raw);
        const spec = (a.spec ?? {});
        this.assignment = a;
        this.runId = a.runId;
        this.taskId = a.taskId;
        this.attempt = a.attempt;
        this.turn = a.turn || 1;
        this.maxTurns = a.maxTurns;
        this.leaseId = a.leaseId;
        this.spec = spec;
        this.title = spec.title ?? '';
        this.instructions = spec.instructions ?? '';
        this.agent = spec.agent ?? '';
        this.metadata = (spec.metadata ?? {});
        this.inputs = a.inputs ?? {};
        this.goal = a.goal;
        this.feedback = a.feedback ?? [];
        this.previousOutput = a.previousOutput ?? null;
        this.checkpoint = a.checkpoint ?? null;
        this.context = (a.context ?? {});
        this.traceContext = a.traceContext ?? {};
        this.allowedTools = a.allowedTools ?? [];
        this.deniedTools = a.deniedTools ?? [];
        this.signal = this.stopper.signal;
    }
    /** Progress (0..1) and a line, sent with the next heartbeat. */
    report(progress, message = '') {
        // A caller in plain JavaScript may pass '50%' or undefined: anything not a finite number is 0.
        const p = Number(progress);
        this.progress = Number.isFinite(p) ? Math.min(Math.max(p, 0), 1) : 0;
        const bytes = Buffer.from(String(message));
        // Cut to what the server takes, never inside a character.
        this.message = bytes.length <= MAX_MESSAGE ? String(message) : new TextDecoder().decode(cut(bytes, MAX_MESSAGE));
    }
    /** Adds to the attempt's usage (this turn's), sent with heartbeats and the outcome. */
    addUsage(u) {
        // Not a number (a string from a parsed response, undefined) adds nothing.
        const n = (x) => {
            const v = Number(x ?? 0);
            return Number.isFinite(v) && v > 0 ? v : 0;
        };
        this.used = {
            promptTokens: this.used.promptTokens + n(u.promptTokens),
            completionTokens: this.used.completionTokens + n(u.completionTokens),
            toolCalls: this.used.toolCalls + n(u.toolCalls),
            costUsd: this.used.costUsd + n(u.costUsd),
        };
    }
    get usage() {
        return { ...this.used };
    }
    /** Whether the work must stop. */
    get cancelled() {
        return this.signal.aborted;
    }
    /** A safe point: throws `Abandoned` if the work must stop. */
    check() {
        if (this.signal.aborted)
            throw new Abandoned(this.stopReason);
    }
    /** @internal */
    abandon(reason, paused = false) {
        if (this.signal.aborted)
            return;
        this.stopReason = reason;
        this.paused = paused;
        this.stopper.abort(new Abandoned(reason));
    }
    /** @internal */
    beat() {
        return { leaseId: this.leaseId, progress: this.progress, message: this.message, usage: wireUsage(this.used) };
    }
}
exports.Task = Task;
/** The bytes of a UTF-8 string cut to at most `n`, at a character boundary. */
function cut(bytes, n) {
    let end = n;
    while (end > 0 && (bytes[end] & 0xc0) === 0x80)
        end--;
    return bytes.subarray(0, end);
}
/**
 * Serves one agent's tasks.
 *
 *     const worker = new Worker('node', { server: '127.0.0.1:50051', concurrency: 8 });
 *     worker.task(async (task) => ({ summary: task.instructions.slice(0, 100) }));
 *     await worker.run();
 */
class Worker {
    agent;
    concurrency;
    instance;
    pollWaitMs;
    drainTimeoutMs;
    capabilities;
    completed = 0;
    failed = 0;
    /** Why the worker stopped by itself (a poll the server refused for good), if it did. */
    error;
    stub;
    log;
    handler;
    stopping = new AbortController();
    held = new Map();
    polls = new Set();
    slots = [];
    stopped;
    constructor(agent, options = {}) {
        if (!agent)
            throw new Error('a worker needs the agent name its tasks are addressed to');
        const concurrency = options.concurrency ?? 4;
        if (!Number.isInteger(concurrency) || concurrency < 1)
            throw new Error('concurrency must be a whole number, at least 1');
        this.agent = agent;
        this.concurrency = concurrency;
        this.instance = options.instance || `${os.hostname()}:${process.pid}`;
        this.pollWaitMs = Math.min(Math.max(options.pollWaitMs ?? 20_000, 1_000), MAX_POLL_WAIT_MS);
        this.drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
        this.capabilities = options.capabilities ?? [];
        this.log = options.logger ?? exports.stderrLogger;
        const t = (0, connection_1.target)(options);
        this.stub = new ((0, proto_1.services)().orchestrator.v1.CoordinatorService)(t.address, t.credentials, t.options);
    }
    /** Registers the handler of this worker's tasks (sync or async). */
    task(handler) {
        if (this.handler)
            throw new Error("a worker has one handler; dispatch on task.metadata inside it");
        this.handler = handler;
        return this;
    }
    /** Starts `concurrency` polling loops and returns. */
    start() {
        if (!this.handler)
            throw new Error('register a handler with worker.task(...) first');
        if (this.slots.length || this.stopping.signal.aborted)
            return;
        for (let i = 0; i < this.concurrency; i++) {
            // slot() catches what it can; a bug that escapes it is logged, not an unhandled rejection.
            this.slots.push(this.slot().catch((e) => this.log.error(`a polling loop died: ${e.stack ?? e}`)));
        }
        this.log.info(`polling for agent ${JSON.stringify(this.agent)} as ${this.instance}, ${this.concurrency} at a time`);
    }
    /**
     * Serves until SIGTERM or SIGINT, then drains (see `stop`). Rejects with
     * the error that stopped it when polling fails for good (UNAUTHENTICATED,
     * PERMISSION_DENIED, INVALID_ARGUMENT, ...).
     */
    async run() {
        const signalled = new AbortController();
        const onSignal = (s) => {
            this.log.info(`${s}: stopping`);
            signalled.abort();
        };
        // The handlers stay ours while draining: a second signal does not cut the hand-back short.
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
        try {
            this.start();
            await Promise.race([
                new Promise((resolve) => signalled.signal.addEventListener('abort', () => resolve(), { once: true })),
                Promise.all(this.slots).then(() => undefined),
            ]);
            await this.stop();
        }
        finally {
            process.off('SIGTERM', onSignal);
            process.off('SIGINT', onSignal);
        }
        if (this.error)
            throw this.error;
    }
    /**
     * Stops polling, waits up to `timeoutMs` (default `drainTimeoutMs`) for
     * the handlers in flight, hands back the tasks still held, and closes the
     * connection.
     */
    stop(timeoutMs) {
        this.stopped ??= this.drain(timeoutMs ?? this.drainTimeoutMs);
        return this.stopped;
    }
    async drain(timeoutMs) {
        this.stopping.abort();
        for (const call of this.polls)
            call.cancel();
        const slots = Promise.all(this.slots);
        await within(slots, timeoutMs);
        const left = [...this.held.values()];
        for (const task of left)
            task.abandon('the worker is stopping');
        await Promise.all(left.map((task) => this.failQuietly(task, 'handed back: the worker is stopping')));
        await within(slots, RPC_TIMEOUT_MS);
        this.stub.close();
    }
    // ------------------------------------------------------------ the protocol
    async slot() {
        let backoff = 500;
        const stopping = this.stopping.signal;
        while (!stopping.aborted) {
            let resp;
            try {
                resp = await this.poll();
            }
            catch (e) {
                const err = e;
                if (stopping.aborted)
                    return;
                if (!POLL_TRANSIENT.has(err.code)) {
                    // Not transient (a bad key, a role that may not poll, a refused
                    // request): polling again would fail again.
                    this.log.error(`PollTask: ${grpc.status[err.code]}: ${err.details}; the worker stops`);
                    this.error ??= err;
                    this.stopping.abort();
                    return;
                }
                // CANCELLED without stop() (a proxy, the server going down) is as transient as UNAVAILABLE.
                this.log.warn(`PollTask: ${grpc.status[err.code]}; retrying in ${backoff} ms`);
                await (0, client_1.sleep)(backoff, stopping);
                backoff = Math.min(backoff * 2, 10_000);
                continue;
            }
            backoff = 500;
            let next = resp.assignment;
            while (next) {
                if (stopping.aborted) {
                    // Claimed with the last completion as stop() began: handed back, not started.
                    await this.handBack(next.leaseId, 'handed back: the worker is stopping');
                    break;
                }
                const a = next;
                try {
                    next = await this.handle(a);
                }
                catch (e) {
                    // A bug here must not cost a slot; the lease lapses and the task is retried.
                    this.log.error(`${a.runId}/${a.taskId}: the worker failed: ${e.stack ?? e}`);
                    next = null;
                }
            }
        }
    }
    poll() {
        const metadata = new grpc.Metadata();
        metadata.set('x-orchestrator-sdk', `typescript/${version_1.VERSION}`);
        const request = {
            agent: this.agent,
            agentInstance: this.instance,
            capabilities: this.capabilities,
            wait: { seconds: Math.floor(this.pollWaitMs / 1000) },
        };
        return new Promise((resolve, reject) => {
            const call = this.stub.pollTask(request, metadata, { deadline: Date.now() + this.pollWaitMs + RPC_TIMEOUT_MS }, (err, value) => {
                this.polls.delete(call);
                if (err)
                    reject(err);
                else
                    resolve(value);
            });
            this.polls.add(call);
            // stop() ran as this poll began: its cancel missed it.
            if (this.stopping.signal.aborted)
                call.cancel();
        });
    }
    /** Runs one assignment to its outcome; returns the next one claimed with it. */
    async handle(a) {
        const task = new Task(a);
        this.held.set(task.leaseId, task);
        const beating = this.beat(task, seconds(a.leaseDeadline)).catch((e) => this.log.error(`heartbeat of ${task.runId}/${task.taskId} died: ${e.stack ?? e}`));
        try {
            return await this.outcome(task);
        }
        finally {
            task.abandon(''); // ends the heartbeat loop
            await beating;
            this.held.delete(task.leaseId);
        }
    }
    async outcome(task) {
        const handler = this.handler;
        let result;
        try {
            const out = await (0, tracing_1.agentWork)(task, () => handler(task));
            result = out instanceof Spawn ? out : new Spawn(out);
        }
        catch (e) {
            if (e instanceof Abandoned)
                result = null;
            else
                result = e instanceof Error ? e : new Error(String(e));
        }
        const who = `${task.runId}/${task.taskId}#${task.attempt}${task.turn > 1 ? ` turn ${task.turn}` : ''}`;
        if (task.cancelled && task.stopReason) {
            // Cancelled, paused (handed back at the directive), the lease lost,
            // or handed back by stop(): the outcome is not wanted.
            this.log.info(`${who} abandoned (${task.stopReason})`);
            return null;
        }
        // The handler gave up by itself (Abandoned): let another attempt try.
        result ??= new Fail('the handler abandoned the task');
        const trace = task.traceContext.traceparent ?? '-';
        let sent;
        try {
            sent = this.request(task, result);
        }
        catch (e) {
            // An output, checkpoint or spawn that cannot be sent.
            const error = `the outcome could not be sent: ${e.name}: ${e.message}`;
            sent = { kind: 'fail', request: { leaseId: task.leaseId, error, retryable: false, usage: wireUsage(task.usage) } };
        }
        try {
            if (sent.kind === 'complete') {
                const req = sent.request;
                const resp = await retrying((o, cb) => this.stub.completeTask(req, o, cb), COMPLETE_TIMEOUT_MS);
                this.completed++;
                this.log.info(`${who} -> ${status(resp.taskStatus)} traceparent=${trace}`);
                return resp.next;
            }
            if (sent.kind === 'continue') {
                const req = sent.request;
                const resp = await retrying((o, cb) => this.stub.continueTask(req, o, cb), RPC_TIMEOUT_MS);
                if (resp.nextTurn)
                    this.log.info(`${who} -> continued; turn ${resp.nextTurn} next traceparent=${trace}`);
                else
                    this.log.info(`${who} -> continued, but failed (${resp.error}) traceparent=${trace}`);
                return null;
            }
            const req = sent.request;
            const resp = await retrying((o, cb) => this.stub.failTask(req, o, cb), RPC_TIMEOUT_MS);
            this.failed++;
            this.log.info(`${who} -> failed (${req.error}); task ${status(resp.taskStatus)} traceparent=${trace}`);
            return null;
        }
        catch (e) {
            const err = e.last ?? e;
            const retried = e.retried ?? false;
            if (err.code === grpc.status.INVALID_ARGUMENT && sent.kind !== 'fail') {
                // The server refused the output or checkpoint itself: sending it again would not help.
                await this.failQuietly(task, `${sent.kind === 'complete' ? 'output' : 'checkpoint'} rejected: ${err.details}`, false);
            }
            else if (err.code === grpc.status.FAILED_PRECONDITION) {
                // After a call that timed out, the lease is most likely gone because that call was applied.
                this.log.warn(retried
                    ? `${who}: the lease is gone after a retry; the outcome was probably recorded by the call that timed out (${err.details})`
                    : `${who}: outcome not recorded, the lease is gone (${err.details})`);
                return null;
            }
            this.log.warn(`${who}: ${sent.kind}: ${grpc.status[err.code] ?? err.code}: ${err.details ?? err.message}`);
            return null;
        }
    }
    /** The outcome call for what the handler did. */
    request(task, result) {
        const leaseId = task.leaseId;
        const usage = wireUsage(task.usage);
        if (result instanceof Spawn) {
            const spec = (0, proto_1.messageType)('orchestrator.v1.TaskSpec');
            const request = {
                leaseId,
                output: (0, json_1.toValue)(result.output),
                usage,
                claimNext: !this.stopping.signal.aborted,
                spawn: result.tasks.map((t) => (0, json_1.toMessage)(spec, t)),
                repoint: Object.entries(result.repoint).map(([taskId, dependsOn]) => ({ taskId, dependsOn })),
            };
            return { kind: 'complete', request };
        }
        if (result instanceof Continue) {
            return { kind: 'continue', request: { leaseId, checkpoint: (0, json_1.toValue)(result.checkpoint), usage } };
        }
        if (result instanceof Fail) {
            return { kind: 'fail', request: { leaseId, error: result.message, retryable: result.retryable, usage } };
        }
        return { kind: 'fail', request: { leaseId, error: `${result.name}: ${result.message}`, retryable: true, usage } };
    }
    async beat(task, leaseDeadline) {
        let deadline = leaseDeadline || Date.now() / 1000 + 30;
        // The lease's length as granted; a clock ahead of the server's would
        // otherwise see every deadline as past and beat as fast as allowed.
        const leaseMs = Math.max(MIN_BEAT_MS * 3, (deadline - Date.now() / 1000) * 1000);
        let failures = 0;
        for (;;) {
            // A third of the remaining lease leaves room for two missed beats.
            let wait = Math.min(MAX_BEAT_MS, Math.max(MIN_BEAT_MS, ((deadline - Date.now() / 1000) * 1000) / 3));
            if (deadline * 1000 <= Date.now())
                wait = Math.min(MAX_BEAT_MS, leaseMs / 3);
            // After failures, back off (but never past a third of the lease).
            if (failures)
                wait = Math.min(Math.max(wait, MIN_BEAT_MS * 2 ** failures), Math.max(MIN_BEAT_MS, leaseMs / 3));
            await (0, client_1.sleep)(wait, task.signal);
            if (task.signal.aborted)
                return;
            let resp;
            try {
                const req = task.beat();
                resp = await (0, client_1.unary)((o, cb) => this.stub.heartbeat(req, o, cb), RPC_TIMEOUT_MS);
            }
            catch (e) {
                const err = e;
                if (err.code === grpc.status.FAILED_PRECONDITION) {
                    task.abandon(`lease lost: ${err.details}`);
                    return;
                }
                if (err.code === undefined) {
                    // Not a gRPC error (the client closed under it): nothing more to keep alive.
                    this.log.error(`heartbeat of ${task.runId}/${task.taskId} stopped: ${err.message}`);
                    return;
                }
                if (!TRANSIENT.has(err.code)) {
                    // Refused for good (a revoked key, a role that may not heartbeat): the lease will lapse.
                    this.log.error(`heartbeat of ${task.runId}/${task.taskId}: ${grpc.status[err.code]}: ${err.details}; dropping the task`);
                    task.abandon(`heartbeat refused: ${grpc.status[err.code]}`);
                    return;
                }
                failures = Math.min(failures + 1, 6);
                this.log.warn(`heartbeat failed (${grpc.status[err.code]}: ${err.details}); retrying`);
                continue;
            }
            failures = 0;
            if (resp.directive === 'AGENT_DIRECTIVE_CANCEL') {
                task.abandon('the run was cancelled');
                return;
            }
            if (resp.directive === 'AGENT_DIRECTIVE_PAUSE') {
                // Handed back now, so it is retried on resume rather than held until
                // its lease lapses; what the handler still does is dropped.
                task.abandon('the run was paused', true);
                await this.failQuietly(task, 'stopped: the run was paused');
                return;
            }
            deadline = seconds(resp.leaseDeadline) || deadline;
        }
    }
    failQuietly(task, error, retryable = true) {
        return this.handBack(task.leaseId, error, retryable, wireUsage(task.usage));
    }
    /** FailTask, whatever comes of it. */
    async handBack(leaseId, error, retryable = true, usage) {
        const req = { leaseId, error, retryable, usage };
        try {
            await (0, client_1.unary)((o, cb) => this.stub.failTask(req, o, cb), RPC_TIMEOUT_MS);
        }
        catch (e) {
            // A dead lease or server: nothing left to hand back.
            const err = e;
            this.log.debug(`FailTask: ${grpc.status[err.code] ?? err.code}: ${err.details ?? err.message}`);
        }
    }
}
exports.Worker = Worker;
/**
 * A unary call, retrying transient errors for a minute (the heartbeats go
 * on meanwhile). Safe for the outcome calls: the lease fences them, so a
 * repeat of one that was applied is FAILED_PRECONDITION.
 */
async function retrying(invoke, timeoutMs) {
    const deadline = Date.now() + OUTCOME_RETRY_MS;
    let pause = 250;
    let retried = false;
    for (;;) {
        try {
            return await (0, client_1.unary)(invoke, timeoutMs);
        }
        catch (e) {
            const code = e.code;
            if (!TRANSIENT.has(code) || Date.now() + pause > deadline) {
                throw Object.assign(new Error(e.message), { last: e, retried });
            }
            retried = true;
            await (0, client_1.sleep)(pause);
            pause = Math.min(pause * 2, 5_000);
        }
    }
}
/** Waits for `p` at most `ms`, leaving no timer behind to keep the process alive. */
async function within(p, ms) {
    const timer = new AbortController();
    try {
        await Promise.race([p, (0, client_1.sleep)(ms, timer.signal)]);
    }
    finally {
        timer.abort();
    }
}
function status(s) {
    return String(s ?? '').replace(/^TASK_STATUS_/, '');
}
