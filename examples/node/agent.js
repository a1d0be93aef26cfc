#!/usr/bin/env node
// An out-of-process agent for Orchestrator, on the TypeScript SDK
// (sdk/typescript): the Node.js counterpart of examples/agents/python_agent.py.
//
// The SDK's Worker speaks the agent protocol (long poll, heartbeats, one
// outcome per attempt, claim_next, a drain on SIGTERM); this file is only the
// skill, chosen by the task's metadata `op`: upper, reverse, length, concat
// (the dependencies' `value`s, in task-id order, joined by spaces), fail, or
// echo by default; `metadata.sleep` (seconds) stretches the work.
//
//   cd examples/node && npm ci
//   node agent.js --server 127.0.0.1:50051 [--agent node] [--api-key KEY] [--tls-ca CA.pem] [--tls-domain NAME]
'use strict';

const os = require('node:os');
const { parseArgs } = require('node:util');
const { Worker } = require('orchestrator-sdk');

async function work(task) {
  const op = task.metadata.op ?? 'echo';
  const text = task.instructions;
  const end = Date.now() + Number(task.metadata.sleep ?? 0) * 1000;
  while (Date.now() < end) {
    task.check(); // a cancel or pause stops the work here
    await new Promise((r) => setTimeout(r, Math.min(100, end - Date.now())));
  }
  task.addUsage({ toolCalls: 1 });
  switch (op) {
    case 'upper': return { op, value: text.toUpperCase() };
    case 'reverse': return { op, value: [...text].reverse().join('') };
    case 'length': return { op, value: [...text].length };
    case 'concat':
      return { op, value: Object.keys(task.inputs).sort().map((id) => task.inputs[id]?.value ?? '').join(' ') };
    case 'fail': throw new Error('failing on purpose (op=fail)');
    default: return { op: 'echo', echo: text, inputs: task.inputs };
  }
}

const { values: args } = parseArgs({ options: {
  server: { type: 'string' }, 'api-key': { type: 'string' }, 'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'tls-domain': { type: 'string' }, agent: { type: 'string', default: 'node' },
  instance: { type: 'string', default: `${os.hostname()}:${process.pid}` }, concurrency: { type: 'string', default: '4' },
} });
const worker = new Worker(args.agent, { server: args.server, apiKey: args['api-key'], tlsCa: args['tls-ca'],
  tlsCert: args['tls-cert'], tlsKey: args['tls-key'], tlsDomain: args['tls-domain'], instance: args.instance, concurrency: Number(args.concurrency) });
worker.task(work);
worker.run().then(() => process.exit(0), (e) => { console.error(`agent stopped: ${e.details ?? e.message}`); process.exit(1); });
