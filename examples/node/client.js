#!/usr/bin/env node
// A Node.js client of Orchestrator's RunService: create a run, watch it to its end.
//
// The protos are loaded from ../../proto at run time with @grpc/proto-loader:
// no code generation. It creates the three-task plan of
// examples/plans/python-agent.yaml (for the agent named `python`), streams
// the run's events with WatchRun (replay, then live; the stream ends once the
// run is over), then prints the run's status and output from GetRun.
//
//   cd examples/node && npm ci
//   node client.js --server 127.0.0.1:50051
//
// Exit status: 0 if the run COMPLETED, 1 if it failed or was cancelled,
// 2 on bad usage, 3 if the server could not be reached or refused a call.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.resolve(__dirname, '..', '..', 'proto');
const RPC_TIMEOUT_MS = 10_000; // deadline of the unary calls; WatchRun has none

// google.protobuf.Value / Struct <-> plain JSON (proto-loader keeps them as messages).
function toValue(v) {
  if (v === null || v === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(toValue) } };
  return { structValue: toStruct(v) };
}

function toStruct(o) {
  return { fields: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toValue(v)])) };
}

function fromValue(v) {
  if (!v) return null;
  switch (v.kind) {
    case 'numberValue': return v.numberValue;
    case 'stringValue': return v.stringValue;
    case 'boolValue': return v.boolValue;
    case 'listValue': return (v.listValue.values || []).map(fromValue);
    case 'structValue': return fromStruct(v.structValue);
    default: return null;
  }
}

function fromStruct(s) {
  return Object.fromEntries(Object.entries((s && s.fields) || {}).map(([k, v]) => [k, fromValue(v)]));
}

function task(id, title, instructions, op, dependsOn = []) {
  return {
    id, title, instructions, agent: 'python', depends_on: dependsOn,
    timeout: { seconds: 30, nanos: 0 }, metadata: toStruct({ op }),
  };
}

// The plan of examples/plans/python-agent.yaml.
function defaultRequest(goal) {
  return {
    goal: goal || 'Transform two phrases with the Python agent and report both',
    max_parallel: 2,
    labels: { example: 'node-client' },
    plan: {
      tasks: [
        task('shout', 'Uppercase a phrase', 'hello from the python agent', 'upper'),
        task('mirror', 'Reverse a word', 'stressed', 'reverse'),
        task('report', 'Echo both results', 'Both transforms are done.', 'echo', ['shout', 'mirror']),
      ],
    },
  };
}

function eventLine(e) {
  const taskPart = e.task_id ? ` [${e.task_id}]` : '';
  const change = e.to_status ? ` ${e.from_status} -> ${e.to_status}` : '';
  return `${String(e.seq).padStart(5)} ${e.type.padEnd(20)}${taskPart}${change}  ${e.message}`;
}

function deadline() {
  return { deadline: new Date(Date.now() + RPC_TIMEOUT_MS) };
}

function unary(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, deadline(), (err, res) => (err ? reject(err) : resolve(res)));
  });
}

function watch(client, runId, metadata) {
  return new Promise((resolve, reject) => {
    const stream = client.WatchRun({ run_id: runId, after_seq: 0 }, metadata);
    stream.on('data', (e) => console.log(eventLine(e)));
    stream.on('error', reject);
    stream.on('end', resolve);
  });
}

async function main() {
  let args;
  try {
    ({ values: args } = parseArgs({
      options: {
        server: { type: 'string', default: process.env.ORCHESTRATOR_SERVER || '127.0.0.1:50051' },
        goal: { type: 'string' },
        'api-key': { type: 'string', default: process.env.ORCHESTRATOR_API_KEY },
        // TLS, as the orchestrator CLI: https:// or a TLS file turns it on.
        'tls-ca': { type: 'string', default: process.env.ORCHESTRATOR_TLS_CA },
        'tls-cert': { type: 'string', default: process.env.ORCHESTRATOR_CLIENT_CERT },
        'tls-key': { type: 'string', default: process.env.ORCHESTRATOR_CLIENT_KEY },
        'tls-domain': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`error: ${e.message}`);
    return 2;
  }
  if (args.help) {
    console.log('usage: node client.js [--server [https://]HOST:PORT] [--goal TEXT] [--api-key KEY]\n' +
      '                 [--tls-ca CA.pem] [--tls-cert ME.pem --tls-key ME.key] [--tls-domain NAME]');
    return 0;
  }
  const definition = protoLoader.loadSync(['orchestrator/v1/run.proto'], {
    includeDirs: [PROTO_ROOT],
    keepCase: true, // field names as in the .proto (run_id, task_counts)
    longs: String, // uint64 (seq, tokens) as strings, exactly
    enums: String, // enum values by name (RUN_STATUS_COMPLETED)
    defaults: true,
    oneofs: true, // google.protobuf.Value: which `kind` is set
  });
  const v1 = grpc.loadPackageDefinition(definition).orchestrator.v1;
  const target = args.server.replace(/^https?:\/\//, '');
  const tls = args.server.startsWith('https://') || args['tls-ca'] || args['tls-cert'];
  let credentials;
  const options = {};
  if (tls) {
    let read;
    try {
      read = (f) => (f ? fs.readFileSync(f) : null);
      credentials = grpc.credentials.createSsl(read(args['tls-ca']), read(args['tls-key']), read(args['tls-cert']));
    } catch (e) {
      console.error(`error: cannot read a TLS file: ${e.message}`);
      return 2;
    }
    if (args['tls-domain']) options['grpc.ssl_target_name_override'] = args['tls-domain'];
  } else {
    credentials = grpc.credentials.createInsecure();
    const host = target.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (args['api-key'] && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
      console.error(`warning: the API key goes to ${target} in clear; use https:// or --tls-ca`);
    }
  }
  const client = new v1.RunService(target, credentials, options);
  const metadata = new grpc.Metadata();
  if (args['api-key']) metadata.set('authorization', `Bearer ${args['api-key']}`);

  let run;
  try {
    const created = await unary(client, 'CreateRun', defaultRequest(args.goal), metadata);
    run = created.run;
    console.log(`created run ${run.id} (${run.plan.tasks.length} tasks)`);
    await watch(client, run.id, metadata);
    run = await unary(client, 'GetRun', { run_id: run.id }, metadata);
  } catch (e) {
    console.error(`error: ${grpc.status[e.code] || e.code}: ${e.details || e.message}`);
    return e.code === grpc.status.INVALID_ARGUMENT ? 2 : 3;
  } finally {
    client.close();
  }
  const status = run.status.replace(/^RUN_STATUS_/, '');
  console.log(`run ${run.id} ${status}`);
  if (run.failure_reason) console.log(`  reason: ${run.failure_reason}`);
  console.log(`  output: ${JSON.stringify(fromValue(run.output))}`);
  return status === 'COMPLETED' ? 0 : 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(`error: ${e.stack || e}`); process.exitCode = 3; },
);
