"use strict";
// An `agent.work` span under the attempt's span, when @opentelemetry/api is
// installed (an optional peer dependency) and the application configured a
// tracer provider and the W3C propagator: the agent's own spans then join
// the run's trace. Without it the handler just runs.
Object.defineProperty(exports, "__esModule", { value: true });
exports.agentWork = agentWork;
let api;
function otel() {
    if (api === undefined) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            api = require('@opentelemetry/api');
        }
        catch {
            api = null;
        }
    }
    return api;
}
/** Runs `work` in an `agent.work` span of the task's trace (or just runs it). */
async function agentWork(task, work) {
    const o = otel();
    if (!o)
        return await work();
    const parent = o.propagation.extract(o.ROOT_CONTEXT, task.traceContext);
    const attributes = {
        'orchestrator.run.id': task.runId,
        'orchestrator.task.id': task.taskId,
        'orchestrator.attempt.number': task.attempt,
    };
    return o.trace.getTracer('orchestrator-sdk').startActiveSpan('agent.work', { attributes }, parent, async (span) => {
        try {
            return await work();
        }
        catch (e) {
            const err = e instanceof Error ? e : new Error(String(e));
            if (err.name !== 'Continue') {
                span.recordException(err);
                span.setStatus({ code: o.SpanStatusCode.ERROR, message: `${err.name}: ${err.message}` });
            }
            throw e;
        }
        finally {
            span.end();
        }
    });
}
