#!/usr/bin/env node
/**
 * `npm test`: the type check (`tsc --noEmit`, incremental) and Jest, started together, since both are
 * bound by CPU and Jest alone leaves the machine idle at times (while terraform starts); one after the
 * other took a few seconds more (docs/benchmark.md). Arguments go to Jest (`npm test -- __tests__/x`).
 * The type check's output is printed when it ends; the exit code is non-zero when either fails.
 */
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

function run(command, args, stdio) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio });
    let output = '';
    if (child.stdout) child.stdout.on('data', (c) => (output += c));
    if (child.stderr) child.stderr.on('data', (c) => (output += c));
    child.on('error', (e) => resolve({ code: 1, output: `${command}: ${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  const typecheck = run(bin('tsc'), ['--noEmit', '--incremental', '--tsBuildInfoFile', path.join('node_modules', '.cache', 'tsc', 'tsbuildinfo')], ['ignore', 'pipe', 'pipe']);
  const jest = run(bin('jest'), process.argv.slice(2), 'inherit');
  const [types, tests] = await Promise.all([typecheck, jest]);
  if (types.code !== 0) process.stderr.write(`\nType check (tsc --noEmit) failed:\n${types.output}`);
  else process.stderr.write('Type check (tsc --noEmit): no errors\n');
  process.exitCode = types.code !== 0 || tests.code !== 0 ? 1 : 0;
}

main();
