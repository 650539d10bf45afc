import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeEstate } from '../../app';
import { loadConfig } from '../../config/load';
import { costOutcome, type CostOutcome } from '../../cost';
import { COST_FILE, readPreviousCost, renderCostSection } from './cost-diff';
import { planStack, StackPlanError, terraformSetup, terraformVersion, withSfnStub } from './offline';
import type { PlanOptions } from './options';
import { selectStacks, stackMatches, UsageError } from './options';
import { readSynth, securityDiff, type SecurityDiff, type SynthSnapshot } from './security-diff';
import { startSfnStub } from './sfn-stub';
import { renderSummary, shortCounts, type StackOutcome } from './summary';

export interface PlanIo {
  /** Progress and result lines (stdout). */
  log(line: string): void;
  /** Failures (stderr). */
  error(line: string): void;
}

export const consoleIo: PlanIo = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

export interface PlanRun {
  readonly stacks: StackOutcome[];
  readonly failed: string[];
  readonly summaryFile: string;
  readonly seconds: number;
  /** The operations the local Step Functions stub received (every call the provider made to Step Functions). */
  readonly stubCalls: readonly string[];
}

/** Runs `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function mapPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Rough cost of planning a stack, to start the most expensive first (the pool then ends with short
 * ones): every provider configuration is a provider process started three times per plan (schema,
 * validate, plan), seconds of CPU each; a resource costs little.
 */
export function planCost(stack: Record<string, unknown> | undefined): number {
  const providers = Object.values((stack?.provider ?? {}) as Record<string, unknown[] | object>).reduce<number>((n, p) => n + (Array.isArray(p) ? p.length : 1), 0);
  const resources = Object.values((stack?.resource ?? {}) as Record<string, object>).reduce<number>((n, r) => n + Object.keys(r).length, 0);
  return providers * 100 + resources;
}

/** A mutex when `serial`, else a pass-through. */
function gate(serial: boolean): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    if (!serial) return fn();
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Relative to the working directory when inside it, else absolute. */
const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') || path.isAbsolute(r) ? p : r;
};

/**
 * Synthesizes the estate into `options.out`, plans the selected stacks offline, bounded by the number of
 * CPUs, and writes `<out>/plan/<stack>.txt` and `<out>/plan/summary.md`. Never throws for a stack that
 * fails to plan: it is reported in `failed` (and in the summary); throws for configuration, policy,
 * usage and setup errors. `env` is where TF_PLUGIN_DIR / TERRAFORM_BIN are read (and what terraform
 * inherits, minus AWS_*).
 */
export async function runPlan(options: PlanOptions, io: PlanIo = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<PlanRun> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;

  // Read before synthesizing: --previous may be the very directory this run synthesizes into.
  let previous: SynthSnapshot | undefined;
  try {
    previous = options.previous ? readSynth(options.previous) : undefined;
  } catch (e) {
    throw new UsageError(`--previous: ${(e as Error).message}`);
  }
  const previousCost: CostOutcome | undefined = options.previous ? readPreviousCost(options.previous) : undefined;

  const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-plan-'));
  const stub = await startSfnStub();
  try {
    const setup = withSfnStub(terraformSetup(workRoot, env), stub.url);
    const version = await terraformVersion(setup);

    synthesizeEstate(options.config, options.out);
    const current = readSynth(options.out);
    const manifest = JSON.parse(fs.readFileSync(path.join(options.out, 'manifest.json'), 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
    const names = selectStacks(Object.keys(manifest.stacks).sort(), options.stacks);
    io.log(`Synthesized ${Object.keys(manifest.stacks).length} stacks of ${rel(options.config)} into ${rel(options.out)} in ${seconds().toFixed(1)}s; planning ${names.length} offline (Terraform ${version})`);

    const planDir = path.join(options.out, 'plan');
    fs.rmSync(planDir, { recursive: true, force: true });
    fs.mkdirSync(planDir, { recursive: true });
    // What the configuration costs a month, kept beside the plans for the next run's --previous.
    const cost = costOutcome(loadConfig(options.config));
    if ('estimate' in cost) fs.writeFileSync(path.join(planDir, COST_FILE), `${JSON.stringify(cost.estimate, null, 2)}\n`);

    const initGate = gate(setup.usesPluginCache);
    let done = 0;
    const scheduled = [...names].sort((a, b) => planCost(current.get(b)) - planCost(current.get(a)));
    const finished = await mapPool(scheduled, os.cpus().length, async (name): Promise<StackOutcome> => {
      const t0 = Date.now();
      const elapsed = () => (Date.now() - t0) / 1000;
      try {
        const stackDir = path.join(options.out, manifest.stacks[name].workingDirectory);
        const planned = await planStack(setup, name, stackDir, path.join(workRoot, name), stub.url, initGate);
        fs.writeFileSync(path.join(planDir, `${name}.txt`), planned.text);
        const summary = planned.summary;
        io.log(`[${++done}/${names.length}] ${name} planned in ${elapsed().toFixed(1)}s ${shortCounts(summary.total)}`);
        return { name, seconds: elapsed(), summary };
      } catch (e) {
        const message = e instanceof StackPlanError ? e.message : `${name}: ${(e as Error).message}`;
        io.log(`[${++done}/${names.length}] ${name} FAILED after ${elapsed().toFixed(1)}s`);
        io.error(message);
        return { name, seconds: elapsed(), error: message };
      }
    });

    const outcomes = names.map((name) => finished[scheduled.indexOf(name)]);

    let security: SecurityDiff | undefined;
    if (previous) {
      // Stacks of the previous synth that are gone now are listed too when the filter covers them.
      const inScope = [...new Set([...current.keys(), ...previous.keys()])].sort().filter((s) => stackMatches(s, options.stacks));
      security = securityDiff(previous, current, inScope);
    }
    const summaryFile = path.join(planDir, 'summary.md');
    fs.writeFileSync(
      summaryFile,
      renderSummary({
        config: rel(options.config),
        out: rel(options.out),
        terraformVersion: version,
        seconds: seconds(),
        stacks: outcomes,
        security,
        previous: options.previous && rel(options.previous),
        cost: renderCostSection(cost, previousCost),
      }),
    );
    const failed = outcomes.filter((o) => o.error !== undefined).map((o) => o.name);
    const total = seconds();
    if (failed.length > 0) io.error(`${failed.length} of ${names.length} stacks failed to plan: ${failed.join(', ')}`);
    io.log(`Planned ${names.length - failed.length} of ${names.length} stacks in ${total.toFixed(1)}s → ${rel(planDir)}/ (summary.md)`);
    return { stacks: outcomes, failed, summaryFile, seconds: total, stubCalls: [...stub.calls] };
  } finally {
    await stub.close();
    fs.rmSync(workRoot, { recursive: true, force: true });
  }
}
