/**
 * `npm run bench`: measures what users wait for and prints a table (medians of several runs), with
 * pass/fail against the targets. Never part of the tests.
 *
 *   npm run bench                   # everything (includes `npm test` as often as the other runs: 10-15 minutes)
 *   npm run bench -- --quick        # 1 run each, no npm test, no 200-workload baseline
 *   npm run bench -- --runs 5
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { unzipSync } from 'fflate';
import { bundleFunction } from '../modules/bundling';
import { EXAMPLE_CONFIG_PATH } from '../config/load';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = Number(args[args.indexOf('--runs') + 1]) || (quick ? 1 : 3);
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const hasTime = fs.existsSync('/usr/bin/time');

interface Measurement {
  seconds: number;
  rssMb?: number;
}

/** Runs a command and returns wall time and peak RSS (GNU time; RSS of the largest process waited for). */
function measureOnce(command: string, argv: string[], env: Record<string, string>): Measurement {
  const full = hasTime ? ['/usr/bin/time', ['-f', 'BENCH %e %M', command, ...argv]] : [command, argv];
  const started = process.hrtime.bigint();
  const r = spawnSync(full[0] as string, full[1] as string[], { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const m = /BENCH ([\d.]+) (\d+)/.exec(r.stderr);
  return { seconds, rssMb: m ? Number(m[2]) / 1024 : undefined };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time and median peak RSS of several runs. */
function summarize(all: Measurement[]): Measurement {
  const rss = all.map((m) => m.rssMb).filter((v): v is number => v !== undefined);
  return { seconds: median(all.map((m) => m.seconds)), rssMb: rss.length ? median(rss) : undefined };
}

function measure(command: string, argv: string[], env: Record<string, string> = {}, n = runs): Measurement {
  return summarize(Array.from({ length: n }, () => measureOnce(command, argv, env)));
}

function estateWith(workloads: number): string {
  const cfg = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
  // Without the example's failback (its key names the example's workload account): the N-workload
  // figures stay comparable with those measured before the example had it.
  const { failback: _failback, ...template } = cfg.workloads[0];
  cfg.workloads = Array.from({ length: workloads }, (_, i) => ({
    ...structuredClone(template),
    name: `app${i}`,
    accountId: String(400000000000 + i),
    roleArn: `arn:aws:iam::${400000000000 + i}:role/terraform-dr`,
    servers: [{ role: `srv${i}`, amiId: 'ami-0123456789abcdef0', instanceType: 'm7g.large' }],
  }));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), `estate-${workloads}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg));
  return file;
}

const out = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-'));
const rows: string[][] = [];
const fmt = (m: Measurement) => `${m.seconds.toFixed(2)} s${m.rssMb !== undefined ? `, ${m.rssMb.toFixed(0)} MB` : ''}`;
const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');

const configs: [string, string][] = [['example', EXAMPLE_CONFIG_PATH], ['1 workload', estateWith(1)], ['50 workloads', estateWith(50)], ['200 workloads', estateWith(200)]];
// The app as cdktf.json runs it: main.ts bundled ahead of time (scripts/run-app.js). Its bundle is
// built once here, and its first run measured on its own: a rebuild after a change to the sources.
const APP = ['scripts/run-app.js'];
const rebuilt = measure(process.execPath, APP, { DR_CONFIG: EXAMPLE_CONFIG_PATH, CDKTF_OUTDIR: out(), DR_APP_REBUILD: '1' }, 1);
// Rounds of one run per configuration (not all runs of one, then all of the next): a change in the
// machine's load while the benchmark runs then weighs on every configuration alike, and the ratios
// compare runs made side by side.
const appRuns: Record<string, Measurement[]> = {};
const cliRuns: Record<string, Measurement[]> = {};
for (let round = 0; round < runs; round++) {
  for (const [name, file] of configs) {
    (appRuns[name] ??= []).push(measureOnce(process.execPath, APP, { DR_CONFIG: file, CDKTF_OUTDIR: out() }));
    (cliRuns[name] ??= []).push(measureOnce(bin('cdktf'), ['synth', '--output', out()], { DR_CONFIG: file }));
  }
}
const app = Object.fromEntries(Object.entries(appRuns).map(([name, all]) => [name, summarize(all)]));
const cli = Object.fromEntries(Object.entries(cliRuns).map(([name, all]) => [name, summarize(all)]));
rows.push(['app process, example', fmt(app.example), '≤ 1.0 s, ≤ 150 MB', verdict(app.example.seconds <= 1.0 && (app.example.rssMb ?? 0) <= 150)]);
rows.push(['app process, example, rebuilt', fmt(rebuilt), '', '']);
rows.push(['app through tsx, example', fmt(measure(bin('tsx'), ['main.ts'], { DR_CONFIG: EXAMPLE_CONFIG_PATH, CDKTF_OUTDIR: out() }, 1)), '', '']);
rows.push(['npm run synth (CLI), example', fmt(cli.example), '≤ 4.5 s', verdict(cli.example.seconds <= 4.5)]);
for (const n of ['1 workload', '50 workloads', '200 workloads']) {
  rows.push([`app process, ${n}`, fmt(app[n]), '', '']);
  rows.push([`CLI synth, ${n}`, fmt(cli[n]), '', '']);
}
// The median of each round's ratio: both runs of a round were made one after the other.
const ratio = median(cliRuns['200 workloads'].map((m, round) => m.seconds / cliRuns['1 workload'][round].seconds));
rows.push(['CLI synth 200 / 1 workloads', `${ratio.toFixed(2)}×, ${(cli['200 workloads'].rssMb ?? 0).toFixed(0)} MB`, '≤ 1.5×, ≤ 400 MB', verdict(ratio <= 1.5 && (cli['200 workloads'].rssMb ?? 0) <= 400)]);

// Naive baseline, side by side: root-namespace provider import, CDKTF validations on, ts-node.
for (const [name, file] of configs.filter(([n]) => n === 'example' || (!quick && n === '200 workloads'))) {
  const naive = measure(bin('ts-node'), ['scripts/bench/naive-main.ts'], { DR_CONFIG: file, CDKTF_OUTDIR: out(), TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') }, 1);
  const r = app[name].seconds / naive.seconds;
  rows.push([`naive baseline app, ${name}`, fmt(naive), '', '']);
  rows.push([`project / baseline, ${name}`, `${r.toFixed(2)}×`, '≤ 0.4×', verdict(r <= 0.4)]);
}

// The whole suite as a contributor runs it (type check included), then where its time goes: Jest's
// own report of every file (--json), summed by the folder of __tests__ it is in.
const breakdown: string[][] = [];
if (!quick) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-jest-')), 'report.json');
  const env = { TF_PLUGIN_DIR: process.env.TF_PLUGIN_DIR ?? (fs.existsSync('/opt/tf-plugins') ? '/opt/tf-plugins' : '') };
  // Like every figure here, the median of the runs (this machine's speed varies from hour to hour);
  // the range is shown beside it. The breakdown below is the last run's.
  const samples = Array.from({ length: runs }, () => measureOnce('npm', ['test', '--silent', '--', '--json', `--outputFile=${report}`], env));
  const tests = summarize(samples);
  const range = runs > 1 ? ` (${Math.min(...samples.map((m) => m.seconds)).toFixed(1)}-${Math.max(...samples.map((m) => m.seconds)).toFixed(1)} s)` : '';
  rows.push(['npm test', `${fmt(tests)}${range}`, '≤ 90 s, ≤ 1500 MB', verdict(tests.seconds <= 90 && (tests.rssMb ?? 0) <= 1500)]);
  rows.push(['type check alone, cold (tsc --noEmit)', fmt(measure(bin('tsc'), ['--noEmit', '--incremental', 'false'], {}, 1)), '', '']);
  rows.push(['type check, nothing changed (tsc --build)', fmt(measure(bin('tsc'), ['--build'], {}, 1)), '', '']);
  breakdown.push(...jestBreakdown(JSON.parse(fs.readFileSync(report, 'utf8'))));
}

interface JestReport {
  numTotalTests: number;
  testResults: { name: string; startTime: number; endTime: number; assertionResults: unknown[] }[];
}

/** Seconds per folder of __tests__ (and the slowest files), from `jest --json`. */
function jestBreakdown(report: JestReport): string[][] {
  const files = report.testResults.map((r) => ({
    file: path.relative(path.join(ROOT, '__tests__'), r.name),
    seconds: (r.endTime - r.startTime) / 1000,
    tests: r.assertionResults.length,
  }));
  const total = files.reduce((n, f) => n + f.seconds, 0);
  const byFolder = new Map<string, { seconds: number; files: number; tests: number }>();
  for (const f of files) {
    const folder = f.file.includes(path.sep) ? f.file.split(path.sep)[0] : '.';
    const entry = byFolder.get(folder) ?? { seconds: 0, files: 0, tests: 0 };
    byFolder.set(folder, { seconds: entry.seconds + f.seconds, files: entry.files + 1, tests: entry.tests + f.tests });
  }
  const pct = (s: number) => `${((100 * s) / total).toFixed(0)}%`;
  const out = [...byFolder].sort((a, b) => b[1].seconds - a[1].seconds).map(([folder, e]) => [`${folder}/`, `${e.seconds.toFixed(1)} s (${pct(e.seconds)})`, `${e.files} files, ${e.tests} tests`]);
  out.push(['all', `${total.toFixed(1)} s`, `${files.length} files, ${report.numTotalTests} tests`]);
  for (const f of [...files].sort((a, b) => b.seconds - a.seconds).slice(0, 8)) out.push([`  ${f.file}`, `${f.seconds.toFixed(1)} s (${pct(f.seconds)})`, `${f.tests} tests`]);
  return out;
}

for (const name of fs.readdirSync(path.join(ROOT, 'functions'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  const bundle = bundleFunction(path.join(ROOT, 'functions', name, 'index.ts'));
  const js = Buffer.from(unzipSync(bundle.zip)['index.js']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fn-'));
  fs.writeFileSync(path.join(dir, 'index.js'), js);
  const loads = Array.from({ length: runs }, () => {
    const r = spawnSync(process.execPath, ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(path.join(dir, 'index.js'))});console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'ap-northeast-1', TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:222222222222:x' } });
    return Number(r.stdout.trim());
  });
  const ms = median(loads);
  rows.push([`bundle ${name}`, `${(js.length / 1024).toFixed(0)} KiB (${(zlib.gzipSync(js).length / 1024).toFixed(0)} KiB gz), loads in ${ms.toFixed(0)} ms`, '≤ 1 MiB, ≤ 150 ms', verdict(js.length <= 1024 * 1024 && ms <= 150)]);
}

// The rehearsal of the example, every call evaluated against the synthesized policies (issue 13),
// against the rehearsal before that (action names only): 2.45 s, the median of 3 runs of
// `npx tsx rehearsal/run.ts --quiet` at commit 9109f71 on this machine (2 CPUs, Node 20.20), 2026-12-01.
const REHEARSAL_ACTION_LEVEL_SECONDS = 2.45;
const rehearsal = measure(bin('tsx'), ['rehearsal/run.ts', '--quiet']);
rows.push(['rehearsal, example, full evaluation', fmt(rehearsal), `≤ 2 × ${REHEARSAL_ACTION_LEVEL_SECONDS} s (action level)`, verdict(rehearsal.seconds <= 2 * REHEARSAL_ACTION_LEVEL_SECONDS)]);

// The rehearsal's simulated RTO: 1 and 20 resources, restores all allowed in parallel.
async function rehearsalRows(): Promise<void> {
  const { runRehearsal } = await import('../rehearsal/machine');
  const config = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
  config.workloads[0].recovery = { ...(config.workloads[0].recovery ?? {}), restoreConcurrency: 20 };
  for (const n of [1, 20]) {
    const r = await runRehearsal({ config, resources: n, seed: 1 });
    const longest = Math.max(...r.restores.map((j) => (j.endedAt ?? j.startedAt) - j.startedAt));
    const phase = r.restorePhaseSeconds ?? NaN;
    rows.push([
      `rehearsal, ${n} resource(s)`,
      `RTO ${((r.rtoSeconds ?? NaN) / 60).toFixed(1)} min; restore phase ${(phase / 60).toFixed(1)} min, longest job ${(longest / 60).toFixed(1)} min`,
      n === 20 ? 'restore phase ≤ 1.1 × longest job + poll' : '',
      n === 20 ? verdict(r.recovered && phase <= 1.1 * longest + 60) : verdict(r.recovered),
    ]);
  }
}

async function main(): Promise<void> {
  await rehearsalRows();
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ['measure', 'result', 'target', ''][i].length));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
process.stdout.write(`Node ${process.version}, ${os.cpus().length} CPUs, ${runs} run(s) per figure (median)${hasTime ? '' : ', RSS unavailable (no /usr/bin/time)'}\n\n`);
process.stdout.write(`${line(['measure', 'result', 'target', ''])}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
  if (breakdown.length > 0) {
    // Time of each test file from its start to its end, summed: with two workers the sum is about
    // twice the wall time of the Jest part.
    const w = [0, 1, 2].map((i) => Math.max(...breakdown.map((r) => r[i].length), ['npm test: where the time goes', 'file time', ''][i].length));
    const row = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
    process.stdout.write(`\n${row(['npm test: where the time goes', 'file time', ''])}\n${row(w.map((n) => '-'.repeat(n)))}\n${breakdown.map(row).join('\n')}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
