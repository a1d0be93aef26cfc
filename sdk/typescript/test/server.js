// The suite runs against a real server: the orchestrator binary
// (ORCHESTRATOR_BIN, default target/debug/orchestrator of this checkout) on
// loopback, with SQLite in a temporary directory and a 2 s lease, so that a
// worker killed mid-task is noticed quickly. One server per test file.
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { Worker } = require('..');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FAST_RETRY = { maxAttempts: 2, initialBackoff: { nanos: 50_000_000 }, jitter: 0 };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function reachable(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Starts a server; resolves to { address, stop() }. */
async function startServer() {
  const binary = process.env.ORCHESTRATOR_BIN || path.join(ROOT, 'target', 'debug', 'orchestrator');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrator-ts-sdk-'));
  const port = await freePort();
  const log = fs.openSync(path.join(work, 'server.log'), 'w');
  const proc = spawn(
    binary,
    ['serve', '--listen', `127.0.0.1:${port}`, '--database-url', `sqlite://${work}/sdk.db`, '--lease', '2s'],
    { stdio: ['ignore', log, log] },
  );
  let exited = false;
  proc.once('exit', () => (exited = true));
  for (let i = 0; i < 300 && !(await reachable(port)); i++) {
    if (exited) throw new Error(`the server exited; see ${path.join(work, 'server.log')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await gone;
      }
      fs.closeSync(log);
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** An agent name of the test's own, so that tests sharing the server never take each other's tasks. */
function agentName() {
  return `ts-${crypto.randomBytes(4).toString('hex')}`;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Runs `body` with a started worker serving `handler`; stops it after. */
async function serving(server, agent, handler, options, body) {
  const w = new Worker(agent, { server, pollWaitMs: 2_000, logger: quiet, ...options });
  w.task(handler);
  w.start();
  try {
    return await body(w);
  } finally {
    await w.stop(options.drainTimeoutMs ?? 5_000);
  }
}

module.exports = { FAST_RETRY, ROOT, agentName, quiet, serving, startServer };
