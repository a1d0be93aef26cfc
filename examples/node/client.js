#!/usr/bin/env node
// A Node.js client of Orchestrator on the TypeScript SDK (sdk/typescript):
// create a run, watch it to its end.
//
// It creates the three-task plan of examples/plans/python-agent.yaml (for
// the agent named `python`), prints the run's events as they happen
// (WatchRun: replay, then live, until the run is over), then its status and
// output.
//
//   cd examples/node && npm ci        # installs ../../sdk/typescript with it
//   node client.js --server 127.0.0.1:50051
//
// Exit status: 0 if the run COMPLETED, 1 if it failed or was cancelled,
// 2 on bad usage, 3 if the server could not be reached or refused a call.
'use strict';

const { parseArgs } = require('node:util');
const { Client, status } = require('orchestrator-sdk');

const USAGE = `usage: node client.js [--server [https://]HOST:PORT] [--goal TEXT] [--api-key KEY]
                 [--tls-ca CA.pem] [--tls-cert ME.pem --tls-key ME.key] [--tls-domain NAME]
(unset, they come from ORCHESTRATOR_SERVER, ORCHESTRATOR_API_KEY, ORCHESTRATOR_TLS_CA, ...)`;

const task = (id, title, instructions, op, dependsOn = []) =>
  ({ id, title, instructions, agent: 'python', dependsOn, timeout: { seconds: 30 }, metadata: { op } });

async function main() {
  let args;
  try {
    ({ values: args } = parseArgs({ options: {
      server: { type: 'string' }, goal: { type: 'string' }, 'api-key': { type: 'string' },
      'tls-ca': { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
      'tls-domain': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (e) {
    console.error(`error: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) return console.log(USAGE), 0;
  let client;
  try {
    client = new Client({ server: args.server, apiKey: args['api-key'], tlsCa: args['tls-ca'],
      tlsCert: args['tls-cert'], tlsKey: args['tls-key'], tlsDomain: args['tls-domain'] });
  } catch (e) {
    console.error(`error: ${e.message}`); // e.g. a TLS file that cannot be read
    return 2;
  }
  try {
    let run = await client.createRun({
      goal: args.goal || 'Transform two phrases with the Python agent and report both',
      maxParallel: 2,
      labels: { example: 'node-client' },
      tasks: [
        task('shout', 'Uppercase a phrase', 'hello from the python agent', 'upper'),
        task('mirror', 'Reverse a word', 'stressed', 'reverse'),
        task('report', 'Echo both results', 'Both transforms are done.', 'echo', ['shout', 'mirror']),
      ],
    });
    console.log(`created run ${run.id} (${run.plan.tasks.length} tasks)`);
    for await (const e of client.watch(run.id)) {
      const change = e.toStatus ? ` ${e.fromStatus} -> ${e.toStatus}` : '';
      console.log(`${String(e.seq).padStart(5)} ${e.type.padEnd(20)}${e.taskId ? ` [${e.taskId}]` : ''}${change}  ${e.message}`);
    }
    run = await client.getRun(run.id);
    const outcome = String(run.status).replace(/^RUN_STATUS_/, '');
    console.log(`run ${run.id} ${outcome}`);
    if (run.failureReason) console.log(`  reason: ${run.failureReason}`);
    console.log(`  output: ${JSON.stringify(run.output)}`);
    return outcome === 'COMPLETED' ? 0 : 1;
  } catch (e) {
    console.error(`error: ${status[e.code] || e.code}: ${e.details || e.message}`);
    return e.code === status.INVALID_ARGUMENT ? 2 : 3;
  } finally {
    client.close();
  }
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(`error: ${e.stack || e}`); process.exitCode = 3; });
