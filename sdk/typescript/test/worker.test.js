// The worker and the client against a real server (server.js starts it).
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { after, before, test } = require('node:test');

const sdk = require('..');
const { Client, Continue, Fail, Spawn, TimeoutError, Worker, status } = sdk;
const { FAST_RETRY, agentName, quiet, serving, startServer } = require('./server');

let server;
let client;

before(async () => {
  server = await startServer();
  client = new Client({ server: server.address });
});

after(async () => {
  client?.close();
  await server?.stop();
});

const statusOf = (run) => String(run.status).replace(/^RUN_STATUS_/, '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `check()` holds, polling; rejects after `ms`. */
async function until(check, ms = 10_000, what = 'the condition') {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await sleep(20);
  }
}

test('a worker serves a run\'s tasks with their inputs and usage', async () => {
  const agent = agentName();
  const handle = (task) => {
    task.addUsage({ promptTokens: 3, completionTokens: 2, toolCalls: 1 });
    return { upper: task.instructions.toUpperCase(), inputs: task.inputs };
  };
  const { run, done } = await serving(server.address, agent, handle, {}, async () => {
    const run = await client.createRun({
      goal: 'shout',
      tasks: [
        { id: 'a', agent, instructions: 'hello' },
        { id: 'b', agent, instructions: 'world', dependsOn: ['a'] },
      ],
    });
    return { run, done: await client.wait(run.id, { timeoutMs: 30_000 }) };
  });
  assert.equal(statusOf(done), 'COMPLETED', done.failureReason);
  const b = await client.getTask(run.id, 'b');
  assert.deepEqual(b.output, { upper: 'WORLD', inputs: { a: { upper: 'HELLO', inputs: {} } } });
  assert.deepEqual([done.usage.promptTokens, done.usage.completionTokens, done.usage.toolCalls], [6, 4, 2]);
});

test('an exception is a retryable failure, and Fail says whether', async () => {
  const agent = agentName();
  const handle = (task) => {
    if (task.metadata.op === 'never') throw new Fail('this cannot be done', { retryable: false });
    if (task.attempt === 1) throw new RangeError('not yet');
    return { attempt: task.attempt };
  };
  const [ok, bad, failed] = await serving(server.address, agent, handle, {}, async () => {
    const ok = await client.createRun({ goal: 'retry', tasks: [{ id: 't', agent, retry: FAST_RETRY }] });
    const bad = await client.createRun({
      goal: 'never',
      tasks: [{ id: 't', agent, retry: FAST_RETRY, metadata: { op: 'never' } }],
    });
    assert.equal(statusOf(await client.wait(ok.id, { timeoutMs: 30_000 })), 'COMPLETED');
    return [ok, bad, await client.wait(bad.id, { timeoutMs: 30_000 })];
  });
  const attempts = (await client.getTask(ok.id, 't')).attempts;
  assert.deepEqual(attempts.map((a) => a.error), ['RangeError: not yet', '']);
  assert.equal(statusOf(failed), 'FAILED');
  assert.match(failed.failureReason, /this cannot be done/);
  assert.equal((await client.getTask(bad.id, 't')).attempts.length, 1, 'not retried');
});

test('turns and spawned tasks', async () => {
  const agent = agentName();
  const handle = (task) => {
    const op = task.metadata.op;
    if (op === 'count') {
      const done = (task.checkpoint?.done ?? 0) + 1;
      if (done < 3) throw new Continue({ done });
      return { turns: task.turn, done };
    }
    if (op === 'fanout') {
      const words = task.instructions.split(' ');
      const tasks = words.map((w, i) => ({ id: `w${i}`, agent, instructions: w, dependsOn: [task.taskId] }));
      return new Spawn({ words: words.length }, tasks, { join: tasks.map((t) => t.id) });
    }
    if (op === 'join') return Object.keys(task.inputs).sort();
    return task.instructions.toUpperCase();
  };
  const [turns, fan] = await serving(server.address, agent, handle, {}, async () => {
    const turns = await client.createRun({ goal: 'count', tasks: [{ id: 'c', agent, metadata: { op: 'count' } }] });
    const fan = await client.createRun({
      goal: 'fan',
      tasks: [
        { id: 'f', agent, instructions: 'one two three', metadata: { op: 'fanout' } },
        { id: 'join', agent, dependsOn: ['f'], metadata: { op: 'join' } },
      ],
    });
    assert.equal(statusOf(await client.wait(turns.id, { timeoutMs: 30_000 })), 'COMPLETED');
    assert.equal(statusOf(await client.wait(fan.id, { timeoutMs: 30_000 })), 'COMPLETED');
    return [turns, fan];
  });
  const c = await client.getTask(turns.id, 'c');
  assert.deepEqual(c.output, { turns: 3, done: 3 });
  assert.equal(c.attempts.length, 1, 'turns, not attempts');
  assert.deepEqual((await client.getTask(fan.id, 'join')).output, ['w0', 'w1', 'w2']);
});

test('handlers run concurrently up to concurrency', async () => {
  const agent = agentName();
  let running = 0;
  let most = 0;
  const handle = async (task) => {
    most = Math.max(most, ++running);
    await sleep(500);
    running--;
    return task.instructions.length;
  };
  await serving(server.address, agent, handle, { concurrency: 3 }, async () => {
    const run = await client.createRun({
      goal: 'wide',
      tasks: [0, 1, 2, 3].map((i) => ({ id: `t${i}`, agent, instructions: 'x'.repeat(i) })),
    });
    assert.equal(statusOf(await client.wait(run.id, { timeoutMs: 30_000 })), 'COMPLETED');
  });
  assert.ok(most >= 2 && most <= 3, `${most} at once`);
});

test('a cancelled run reaches the handler through task.signal', async () => {
  const agent = agentName();
  let started = false;
  let saw = false;
  const handle = async (task) => {
    started = true;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 20_000);
      task.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    saw = task.cancelled;
    task.check();
  };
  const run = await serving(server.address, agent, handle, {}, async () => {
    const run = await client.createRun({ goal: 'long', tasks: [{ id: 't', agent }] });
    await until(() => started);
    await client.cancelRun(run.id, 'enough');
    await until(() => saw, 10_000, 'the handler hearing of the cancel');
    return run;
  });
  assert.equal(statusOf(await client.getRun(run.id)), 'CANCELLED');
});

test('stop drains, then hands back what is left', async () => {
  const agent = agentName();
  let started = false;
  const slow = async (task) => {
    started = true;
    if (task.metadata.op === 'endless') {
      while (!task.cancelled) await sleep(50);
      task.check();
    }
    await sleep(500);
    return 'done';
  };
  // A drain long enough: the task in flight finishes.
  const first = await serving(server.address, agent, slow, { drainTimeoutMs: 10_000 }, async () => {
    const run = await client.createRun({ goal: 'drain', tasks: [{ id: 't', agent }] });
    await until(() => started);
    return run;
  });
  assert.equal(statusOf(await client.wait(first.id, { timeoutMs: 30_000 })), 'COMPLETED');

  // Too short: handed back at once, and another worker finishes it.
  started = false;
  const second = await serving(server.address, agent, slow, { drainTimeoutMs: 300 }, async () => {
    const run = await client.createRun({
      goal: 'hand back',
      tasks: [{ id: 't', agent, retry: FAST_RETRY, metadata: { op: 'endless' } }],
    });
    await until(() => started);
    return run;
  });
  await serving(server.address, agent, () => 'finished elsewhere', {}, async () => {
    assert.equal(statusOf(await client.wait(second.id, { timeoutMs: 30_000 })), 'COMPLETED');
  });
  const attempts = (await client.getTask(second.id, 't')).attempts;
  assert.match(attempts[0].error, /the worker is stopping/);
  assert.equal(attempts[1].output, 'finished elsewhere');
});

/** A worker in a process of its own, printing "started" when its handler begins. */
function workerProcess(agent, handlerBody) {
  const script = `
    const { Worker } = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const worker = new Worker(process.argv[2], { server: process.argv[1], pollWaitMs: 2000, logger: quiet });
    worker.task(async (task) => { console.log('started'); ${handlerBody} });
    worker.run().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
  `;
  const proc = spawn(process.execPath, ['-e', script, server.address, agent], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proc.stdout });
  const started = new Promise((resolve) => lines.once('line', resolve));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return { proc, started, exited };
}

test('a worker killed mid-task loses nothing', async () => {
  const agent = agentName();
  const w = workerProcess(agent, 'await new Promise((r) => setTimeout(r, 60_000));');
  const run = await client.createRun({ goal: 'survive', tasks: [{ id: 't', agent, retry: FAST_RETRY }] });
  assert.equal(await w.started, 'started');
  w.proc.kill('SIGKILL');
  assert.equal((await w.exited).signal, 'SIGKILL');
  // The lease (2 s) lapses; the retry goes to the next worker.
  const done = await serving(server.address, agent, (task) => ({ attempt: task.attempt }), {}, () =>
    client.wait(run.id, { timeoutMs: 30_000 }),
  );
  assert.equal(statusOf(done), 'COMPLETED');
  assert.deepEqual((await client.getTask(run.id, 't')).output, { attempt: 2 });
});

test('SIGTERM stops a running worker cleanly', async () => {
  const agent = agentName();
  const w = workerProcess(agent, "await new Promise((r) => setTimeout(r, 1000)); return 'drained';");
  const run = await client.createRun({ goal: 'drain', tasks: [{ id: 't', agent }] });
  assert.equal(await w.started, 'started');
  w.proc.kill('SIGTERM');
  assert.deepEqual(await w.exited, { code: 0, signal: null });
  const done = await client.wait(run.id, { timeoutMs: 10_000 });
  assert.equal(statusOf(done), 'COMPLETED', 'the task in flight finished before the worker exited');
  assert.equal((await client.getTask(run.id, 't')).output, 'drained');
});

test('what a plain-JavaScript handler reports is coerced, and the lease holds', async () => {
  const agent = agentName();
  const done = await serving(server.address, agent, async (task) => {
    task.report('50%', 'halfway');
    task.addUsage({ promptTokens: '7', completionTokens: undefined, toolCalls: 'many' });
    await sleep(2_500); // past the 2 s lease: only heartbeats the server took keep it
    return 'held';
  }, {}, async () => {
    const run = await client.createRun({ goal: 'coerce', tasks: [{ id: 't', agent, retry: { maxAttempts: 1 } }] });
    return client.wait(run.id, { timeoutMs: 30_000 });
  });
  assert.equal(statusOf(done), 'COMPLETED', done.failureReason);
  assert.equal(done.usage.promptTokens, 7);
  assert.equal((await client.getTask(done.id, 't')).attempts.length, 1);
});

test('a stopped worker leaves nothing behind to keep the process alive', async () => {
  const agent = agentName();
  // No process.exit: the process ends when nothing is left on the event loop.
  const script = `
    const { Worker } = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const worker = new Worker(process.argv[2], { server: process.argv[1], pollWaitMs: 2000, drainTimeoutMs: 120000, logger: quiet });
    worker.task(async () => { console.log('started'); await new Promise((r) => setTimeout(r, 300)); return 'ok'; });
    worker.run();
  `;
  const proc = spawn(process.execPath, ['-e', script, server.address, agent], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise((resolve) => readline.createInterface({ input: proc.stdout }).once('line', resolve));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const run = await client.createRun({ goal: 'linger', tasks: [{ id: 't', agent }] });
  await started;
  proc.kill('SIGTERM');
  // A drain or RPC timer left running would hold the process for two minutes.
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('still running a minute after SIGTERM'), 60_000);
  });
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (typeof outcome === 'string') proc.kill('SIGKILL');
  assert.deepEqual(outcome, { code: 0, signal: null });
  assert.equal(statusOf(await client.wait(run.id, { timeoutMs: 10_000 })), 'COMPLETED');
});

test('watch follows a run to its end; listRuns finds it', async () => {
  const agent = agentName();
  const { run, events } = await serving(server.address, agent, () => 'ok', {}, async () => {
    const run = await client.createRun({ goal: 'watch', tasks: [{ id: 't', agent }] });
    const events = [];
    for await (const e of client.watch(run.id)) events.push(e);
    return { run, events };
  });
  assert.equal(events[0].type, 'run.created');
  assert.ok(events.some((e) => e.type === 'attempt.completed'));
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
  assert.equal(typeof events[0].data, 'object', 'event data as plain JSON');
  const later = [];
  for await (const e of client.watch(run.id, { afterSeq: events.length - 2 })) later.push(e.seq);
  assert.deepEqual(later, [events.length - 1, events.length]);
  const found = [];
  for await (const r of client.listRuns({ labels: {} })) if (r.id === run.id) found.push(r.id);
  assert.deepEqual(found, [run.id]);
});

test('bad input is refused before it is sent', async () => {
  assert.throws(() => new Worker('', { server: server.address }), /agent name/);
  assert.throws(() => new Worker('a', { server: server.address, concurrency: 0 }), /concurrency/);
  const w = new Worker('a', { server: server.address });
  assert.throws(() => w.start(), /handler/);
  w.task(() => null);
  assert.throws(() => w.task(() => null), /one handler/);
  await w.stop(0);
  assert.throws(() => sdk.toValue(NaN), /not a JSON number/);
  assert.throws(() => sdk.toValue(() => 1), /not JSON/);
  let deep = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  assert.throws(() => sdk.toValue(deep), /deeper/);
  await assert.rejects(client.createRun({ goal: 'bad', tasks: [{ id: 'x', agent: 'a', metadata: { f() {} } }] }), /not JSON/);
  // The server's limit: arrays and objects inside 24 others are refused, here before they are sent.
  const nested = (n) => {
    let v = 1;
    for (let i = 0; i < n; i++) v = i % 2 ? { k: v } : [v];
    return v;
  };
  sdk.toValue(nested(24));
  assert.throws(() => sdk.toValue(nested(25)), /deeper than 24/);
  assert.throws(() => sdk.toValue(new Map([[1, 2]])), /plain object, not a Map instance/);
  // A typo is an error, not a field silently left out; snake_case names are the fields too.
  await assert.rejects(client.createRun({ goal: 'typo', taskz: [] }), /CreateRunRequest has no field "taskz"/);
  await assert.rejects(client.createRun({ goal: 'typo', tasks: [{ id: 'x', agent: 'a', dependson: [] }] }), /TaskSpec has no field "dependson"/);
  // `__proto__` is a key like any other, both ways, and pollutes nothing.
  const odd = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}');
  assert.deepEqual(Object.keys(sdk.toValue(odd).structValue.fields), ['__proto__', 'constructor']);
  const decoded = { fields: JSON.parse('{"__proto__": {"kind": "numberValue", "numberValue": 1}}') };
  assert.deepEqual(Object.keys(sdk.fromStruct(decoded)), ['__proto__']);
  assert.equal({}.polluted, undefined);
  const agent = agentName();
  const snake = await serving(server.address, agent, (task) => ({ meta: task.metadata }), {}, async () => {
    const run = await client.createRun({
      goal: 'snake',
      tasks: [{ id: 'a', agent }, { id: 'b', agent, depends_on: ['a'], metadata: odd }],
    });
    return client.wait(run.id, { timeoutMs: 30_000 });
  });
  assert.equal(statusOf(snake), 'COMPLETED', snake.failureReason);
  assert.deepEqual(Object.keys((await client.getTask(snake.id, 'b')).output.meta).sort(), ['__proto__', 'constructor']);
  await assert.rejects(client.getRun('no-such-run'), (e) => e.code === status.NOT_FOUND || e.code === status.INVALID_ARGUMENT);
});

test('a worker the server refuses stops and says why', async () => {
  const w = new Worker(agentName(), { server: server.address, pollWaitMs: 2_000, capabilities: ['x'.repeat(200)], logger: quiet });
  w.task(() => null);
  await assert.rejects(w.run(), (e) => e.code === status.INVALID_ARGUMENT && /capabilities/.test(e.details));
});

test('the fleet lists the worker and its SDK', async () => {
  const agent = agentName();
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  assert.equal(sdk.VERSION, pkg.version, 'VERSION (src/version.ts) is the package version');
  const mine = await serving(server.address, agent, () => 'ok', { instance: 'sdk-test:1' }, async () => {
    const run = await client.createRun({ goal: 'seen', tasks: [{ id: 't', agent }] });
    assert.equal(statusOf(await client.wait(run.id, { timeoutMs: 30_000 })), 'COMPLETED');
    return (await client.listAgents()).filter((a) => a.name === agent);
  });
  assert.equal(mine.length, 1);
  assert.ok(mine[0].served);
  assert.deepEqual(mine[0].instances.map((i) => [i.id, i.sdk]), [['sdk-test:1', `typescript/${pkg.version}`]]);
});

test('a pause hands the task back even when the handler ignores it', async () => {
  const agent = agentName();
  let first = true;
  let started = false;
  const handle = async (task) => {
    if (first) {
      first = false;
      started = true;
      await sleep(3_000); // ignores the pause; its answer is not wanted
      return 'too late';
    }
    return `attempt ${task.attempt}`;
  };
  const run = await serving(server.address, agent, handle, {}, async () => {
    const run = await client.createRun({ goal: 'pause', tasks: [{ id: 't', agent, retry: FAST_RETRY }] });
    await until(() => started);
    await client.pauseRun(run.id);
    await sleep(3_500);
    await client.resumeRun(run.id);
    assert.equal(statusOf(await client.wait(run.id, { timeoutMs: 30_000 })), 'COMPLETED');
    return run;
  });
  const t = await client.getTask(run.id, 't');
  assert.match(t.attempts[0].error, /paused/, 'handed back, not left to lapse');
  assert.notEqual(t.output, 'too late');
});

test('an outcome that cannot be sent fails the attempt, and the slot lives on', async () => {
  const agent = agentName();
  const handle = (task) => {
    if (task.metadata.op === 'bad') throw new Continue({ f: () => 1 }); // not JSON
    return 'fine';
  };
  const failed = await serving(server.address, agent, handle, { concurrency: 1 }, async () => {
    const bad = await client.createRun({ goal: 'bad', tasks: [{ id: 't', agent, metadata: { op: 'bad' } }] });
    const failed = await client.wait(bad.id, { timeoutMs: 30_000 });
    const good = await client.createRun({ goal: 'good', tasks: [{ id: 't', agent }] });
    assert.equal(statusOf(await client.wait(good.id, { timeoutMs: 30_000 })), 'COMPLETED', 'the one slot still serves');
    return failed;
  });
  assert.equal(statusOf(failed), 'FAILED');
  assert.match(failed.failureReason, /the outcome could not be sent/);
});

test('wait times out on a run nobody serves', async () => {
  const run = await client.createRun({ goal: 'nobody', tasks: [{ id: 't', agent: agentName() }] });
  const started = Date.now();
  await assert.rejects(client.wait(run.id, { timeoutMs: 1_000 }), TimeoutError);
  assert.ok(Date.now() - started < 10_000);
  await client.cancelRun(run.id);
  const services = sdk.services().orchestrator.v1;
  assert.equal(typeof services.AdminService, 'function', 'every service is reachable');
});

test("the handler runs in an agent.work span under the attempt's span", async () => {
  const api = require('@opentelemetry/api');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core');
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const exporter = new InMemorySpanExporter();
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const agent = agentName();
  let traceparent = '';
  try {
    await serving(server.address, agent, (task) => {
      traceparent = task.traceContext.traceparent;
      return api.trace.getActiveSpan()?.spanContext().spanId ?? 'no active span';
    }, {}, async () => {
      const run = await client.createRun({ goal: 'traced', tasks: [{ id: 't', agent }] });
      assert.equal(statusOf(await client.wait(run.id, { timeoutMs: 30_000 })), 'COMPLETED');
    });
  } finally {
    api.trace.disable();
    api.propagation.disable();
  }
  const [, traceId, attemptSpan] = traceparent.split('-');
  const spans = exporter.getFinishedSpans().filter((s) => s.name === 'agent.work');
  assert.equal(spans.length, 1);
  assert.equal(spans[0].spanContext().traceId, traceId);
  assert.equal(spans[0].parentSpanContext?.spanId, attemptSpan);
  assert.equal(spans[0].attributes['orchestrator.task.id'], 't');
});
