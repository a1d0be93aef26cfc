#!/usr/bin/env node
// Builds the SDK from its sources and proto/:
//
//   1. src/gen/: the protos' TypeScript types (proto-loader-gen-types, one
//      file per message, service and enum) and proto.json, the protos
//      themselves as protobufjs JSON, which the SDK loads at run time (so the
//      installed package needs neither proto/ nor protoc);
//   2. dist/: the compiled JavaScript and its .d.ts (tsc).
//
// dist/ is committed, so that `npm install ./sdk/typescript` needs no build
// step and no devDependencies. `node scripts/build.js --check` builds into a
// temporary directory and fails when the committed dist/ differs from it
// (the suite's sdk::the_typescript_sdk_is_built_from_its_sources_and_passes_its_suite).
//
//   cd sdk/typescript && npm ci && npm run build    # regenerate and commit dist/
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const HERE = path.resolve(__dirname, '..');
const PROTO = path.resolve(HERE, '..', '..', 'proto');
const BIN = path.join(HERE, 'node_modules', '.bin');

// The loader options the SDK uses at run time (src/proto.ts): the types must say the same.
const TYPE_OPTIONS = ['--longs=Number', '--enums=String', '--defaults', '--oneofs'];

function protoFiles() {
  const dir = path.join(PROTO, 'orchestrator', 'v1');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.proto'))
    .sort()
    .map((f) => `orchestrator/v1/${f}`);
}

function generate(genDir) {
  fs.rmSync(genDir, { recursive: true, force: true });
  fs.mkdirSync(genDir, { recursive: true });
  const files = protoFiles();
  execFileSync(
    path.join(BIN, 'proto-loader-gen-types'),
    ['--grpcLib=@grpc/grpc-js', `--outDir=${genDir}`, ...TYPE_OPTIONS, '--includeComments', ...files, '-I', PROTO],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // The protos as protobufjs JSON (field names in camelCase, as the types have them).
  // The generator writes each file's absolute proto path into a comment:
  // relative to the checkout, so that every clone builds the same dist/.
  relativise(genDir);
  const { loadProtosWithOptionsSync } = require('@grpc/proto-loader/build/src/util');
  const root = loadProtosWithOptionsSync(files, { includeDirs: [PROTO] });
  fs.writeFileSync(path.join(genDir, 'proto.json'), JSON.stringify(root.toJSON(), null, 1) + '\n');
}

function relativise(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) relativise(p);
    else if (e.name.endsWith('.ts')) {
      const text = fs.readFileSync(p, 'utf8');
      const fixed = text.split(PROTO + path.sep).join('proto' + path.sep);
      if (fixed !== text) fs.writeFileSync(p, fixed);
    }
  }
}

function compile(project, outDir) {
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(path.join(BIN, 'tsc'), ['-p', project, '--outDir', outDir], { stdio: 'inherit' });
}

function tree(dir, base = dir, out = new Map()) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tree(p, base, out);
    else out.set(path.relative(base, p), fs.readFileSync(p));
  }
  return out;
}

function check() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrator-sdk-build-'));
  try {
    fs.cpSync(path.join(HERE, 'src'), path.join(work, 'src'), {
      recursive: true,
      filter: (p) => p !== path.join(HERE, 'src', 'gen') && !p.startsWith(path.join(HERE, 'src', 'gen') + path.sep),
    });
    fs.copyFileSync(path.join(HERE, 'tsconfig.json'), path.join(work, 'tsconfig.json'));
    fs.symlinkSync(path.join(HERE, 'node_modules'), path.join(work, 'node_modules'));
    generate(path.join(work, 'src', 'gen'));
    compile(work, path.join(work, 'dist'));
    const want = tree(path.join(work, 'dist'));
    const have = fs.existsSync(path.join(HERE, 'dist')) ? tree(path.join(HERE, 'dist')) : new Map();
    const stale = [...new Set([...want.keys(), ...have.keys()])]
      .filter((f) => !want.has(f) || !have.has(f) || !want.get(f).equals(have.get(f)))
      .sort();
    if (stale.length) {
      console.error(`sdk/typescript/dist is stale against its sources and proto/ (${stale.length} files, e.g. ${stale.slice(0, 5).join(', ')}):`);
      console.error('run `npm run build` in sdk/typescript and commit dist/');
      process.exitCode = 1;
      return;
    }
    console.log(`dist/ is up to date (${want.size} files)`);
    // The published types serve a typed caller (test/typed.ts, the README's usage).
    execFileSync(path.join(BIN, 'tsc'), ['-p', path.join(HERE, 'test', 'tsconfig.json')], { stdio: 'inherit' });
    console.log('test/typed.ts type-checks against dist/');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  if (process.argv.includes('--check')) {
    check();
  } else {
    generate(path.join(HERE, 'src', 'gen'));
    compile(HERE, path.join(HERE, 'dist'));
  }
} catch (e) {
  // The tool's own output (on stderr) said what went wrong.
  console.error(`build failed: ${e.message.split('\n')[0]}`);
  process.exit(1);
}
