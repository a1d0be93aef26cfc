"use strict";
// A client of the run service: create runs, read them, watch them live, steer them.
//
// Requests and answers are the generated message types with every
// google.protobuf.Struct and Value as plain JSON (`Plain<...>`): a task's
// `metadata: { op: 'upper' }`, a run's `output` as the value itself.
// `client.runs` is the raw generated client for anything else.
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
exports.Client = exports.TimeoutError = void 0;
exports.unary = unary;
exports.sleep = sleep;
const grpc = __importStar(require("@grpc/grpc-js"));
const connection_1 = require("./connection");
const json_1 = require("./json");
const proto_1 = require("./proto");
const TERMINAL = new Set(['RUN_STATUS_COMPLETED', 'RUN_STATUS_FAILED', 'RUN_STATUS_CANCELLED']);
/** Thrown by `watch` and `wait` past their timeout. */
class TimeoutError extends Error {
    name = 'TimeoutError';
}
exports.TimeoutError = TimeoutError;
/** A unary call as a promise, with a deadline. */
function unary(invoke, timeoutMs) {
    return new Promise((resolve, reject) => {
        invoke({ deadline: Date.now() + timeoutMs }, (err, value) => (err ? reject(err) : resolve(value)));
    });
}
function plain(type, message) {
    return (0, json_1.fromMessage)((0, proto_1.messageType)(type), message);
}
class Client {
    /** The generated RunService client (raw messages), for calls the SDK does not wrap. */
    runs;
    timeoutMs;
    constructor(options = {}) {
        const t = (0, connection_1.target)(options);
        this.runs = new ((0, proto_1.services)().orchestrator.v1.RunService)(t.address, t.credentials, t.options);
        this.timeoutMs = options.timeoutMs ?? 30_000;
    }
    close() {
        this.runs.close();
    }
    call(invoke) {
        return unary(invoke, this.timeoutMs);
    }
    // ------------------------------------------------------------ runs
    /** Creates a run (CreateRun) and returns it. */
    async createRun(request) {
        const { tasks, ...rest } = request;
        const body = tasks ? { ...rest, plan: { ...(rest.plan ?? {}), tasks } } : rest;
        const req = (0, json_1.toMessage)((0, proto_1.messageType)('orchestrator.v1.CreateRunRequest'), body);
        const resp = await this.call((o, cb) => this.runs.createRun(req, o, cb));
        return plain('orchestrator.v1.Run', resp.run);
    }
    /** A run; `full` adds its plan, verdict and task counts in full (RUN_VIEW_FULL). */
    async getRun(runId, options = {}) {
        const view = options.full ? 'RUN_VIEW_FULL' : 'RUN_VIEW_BASIC';
        const run = await this.call((o, cb) => this.runs.getRun({ runId, view }, o, cb));
        return plain('orchestrator.v1.Run', run);
    }
    /** Every run that matches, newest first, page by page. */
    async *listRuns(filter = {}) {
        let pageToken = '';
        do {
            const page = await this.call((o, cb) => this.runs.listRuns({ pageSize: 100, ...filter, pageToken }, o, cb));
            for (const run of page.runs)
                yield plain('orchestrator.v1.Run', run);
            pageToken = page.nextPageToken;
        } while (pageToken);
    }
    /** A task of a run, with its attempts. */
    async getTask(runId, taskId) {
        const task = await this.call((o, cb) => this.runs.getTask({ runId, taskId }, o, cb));
        return plain('orchestrator.v1.Task', task);
    }
    /**
     * The run's events from `afterSeq` on, live, until the run ends:
     * `for await (const e of client.watch(id)) ...`. A stream dropped or ended
     * early is picked up again after the last event seen.
     */
    async *watch(runId, options = {}) {
        const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
        const reconnect = options.reconnect ?? true;
        const expired = () => new TimeoutError(`run ${runId} did not end within ${options.timeoutMs} ms`);
        let seen = options.afterSeq ?? 0;
        let backoff = 200;
        for (;;) {
            if (options.signal?.aborted)
                return;
            if (deadline !== undefined && Date.now() >= deadline)
                throw expired();
            const stream = this.runs.watchRun({ runId, afterSeq: seen }, deadline === undefined ? {} : { deadline });
            const abort = () => stream.cancel();
            options.signal?.addEventListener('abort', abort, { once: true });
            try {
                for await (const event of stream) {
                    seen = event.seq;
                    backoff = 200;
                    yield plain('orchestrator.v1.RunEvent', event);
                }
                if (!reconnect || TERMINAL.has(String((await this.getRun(runId)).status)))
                    return;
            }
            catch (e) {
                const code = e.code;
                if (code === grpc.status.CANCELLED && options.signal?.aborted)
                    return;
                if (code === grpc.status.DEADLINE_EXCEEDED && deadline !== undefined)
                    throw expired();
                if (!reconnect || code !== grpc.status.UNAVAILABLE)
                    throw e;
            }
            finally {
                options.signal?.removeEventListener('abort', abort);
                stream.cancel();
            }
            await sleep(backoff, options.signal);
            backoff = Math.min(backoff * 2, 5_000);
        }
    }
    /** Watches the run to its end and returns it (a TimeoutError past `timeoutMs`). */
    async wait(runId, options = {}) {
        for await (const _ of this.watch(runId, options)) {
            // the events themselves are not wanted here
        }
        return this.getRun(runId);
    }
    /** The workspace's fleet (ListAgents): each agent's instances, work and warning. */
    async listAgents() {
        const resp = await this.call((o, cb) => this.runs.listAgents({}, o, cb));
        return resp.agents.map((a) => plain('orchestrator.v1.AgentStatus', a));
    }
    // ------------------------------------------------------------ steering
    async cancelRun(runId, reason = '') {
        const run = await this.call((o, cb) => this.runs.cancelRun({ runId, reason }, o, cb));
        return plain('orchestrator.v1.Run', run);
    }
    async pauseRun(runId, reason = '') {
        const run = await this.call((o, cb) => this.runs.pauseRun({ runId, reason }, o, cb));
        return plain('orchestrator.v1.Run', run);
    }
    async resumeRun(runId) {
        const run = await this.call((o, cb) => this.runs.resumeRun({ runId }, o, cb));
        return plain('orchestrator.v1.Run', run);
    }
    async retryTask(runId, taskId) {
        const task = await this.call((o, cb) => this.runs.retryTask({ runId, taskId }, o, cb));
        return plain('orchestrator.v1.Task', task);
    }
    async approveTask(runId, taskId, comment = '') {
        const task = await this.call((o, cb) => this.runs.approveTask({ runId, taskId, comment }, o, cb));
        return plain('orchestrator.v1.Task', task);
    }
    async rejectTask(runId, taskId, comment = '') {
        const task = await this.call((o, cb) => this.runs.rejectTask({ runId, taskId, comment }, o, cb));
        return plain('orchestrator.v1.Task', task);
    }
}
exports.Client = Client;
/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    });
}
