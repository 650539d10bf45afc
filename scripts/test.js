#!/usr/bin/env node
/**
 * `npm test`: the type check (`tsc --build`: noEmit, incremental) and Jest, started together, since both are
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

/**
 * The type check runs in build mode (`tsc --build` of tsconfig.json, which sets `noEmit` and
 * `incremental`): when no input changed since its last check it answers from its build info in half a
 * second, where `tsc --noEmit --incremental` parses the whole program again (4-5 s, 6 s of CPU;
 * docs/benchmark.md), and it still reports the errors of a program that had some. One quirk: with
 * `noEmit` it does not rewrite an unchanged build info, so once tsconfig.json is newer than it, every
 * run would check everything again; such a build info is removed first (one full check writes it anew).
 */
function forgetStaleBuildInfo(root = ROOT) {
  const fs = require('fs');
  const info = path.join(root, 'node_modules', '.cache', 'tsc', 'tsbuildinfo');
  try {
    if (fs.statSync(info).mtimeMs < fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs) fs.rmSync(info);
  } catch {
    // No build info yet: the first check writes it.
  }
}

async function main() {
  forgetStaleBuildInfo();
  const typecheck = run(bin('tsc'), ['--build'], ['ignore', 'pipe', 'pipe']);
  const jest = run(bin('jest'), process.argv.slice(2), 'inherit');
  const [types, tests] = await Promise.all([typecheck, jest]);
  if (types.code !== 0) process.stderr.write(`\nType check (tsc --build, noEmit) failed:\n${types.output}`);
  else process.stderr.write('Type check (tsc --build, noEmit): no errors\n');
  process.exitCode = types.code !== 0 || tests.code !== 0 ? 1 : 0;
}

if (require.main === module) main();
module.exports = { forgetStaleBuildInfo };
