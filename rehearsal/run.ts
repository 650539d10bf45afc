/**
 * `npm run -s rehearse -- [options]`: an offline rehearsal of a full recovery. The recovery state
 * machine, exactly as synthesized for `DR_CONFIG` (default config/example.json), runs in
 * aws-local-stepfunctions against an in-memory DR account on simulated time, with the real logic
 * of the recovery functions. Prints the timeline, RTO and RPO; exits 0 only if the workload was
 * recovered.
 */
import { offset } from './clock';
import type { ResourceType } from './dr-account';
import type { Evaluation } from './authorization';
import { formatTimeline, runRehearsal, type RehearsalOptions } from './machine';
import { rehearseReadiness } from './readiness';
import { rehearseRestoreTest } from './restore-test';
import { mainFailback } from './failback/cli';

export const USAGE = `Usage: npm run -s rehearse -- [options]

  --workload NAME        workload to recover (default: the first of the configuration)
  --mode failover|drill|failback
                         (default: failover); failback: a failover, then the failback state machine
                         back to the workload's account and region (workloads[].failback), with its
                         timeline, failback RTO (approval → release of the freeze) and RPO (the freeze window)
  --trigger manual|event|schedule
                         how the execution starts (default: manual; event waits for approval)
  --reject               on-call rejects the approval (with --trigger event; with --mode failback, the failback's)
  --fail-copy            with --mode failback: a copy job to the workload's local vault ends FAILED
  --resources N          protected resources of the workload (default: 6)
  --types T,T            resource types of the mix (default: EBS,RDS,DynamoDB,EFS; also S3, Aurora,
                         FSx: Lustre, Windows File Server and ONTAP in turn, for a workload with recovery.fsx)
  --throttle R           probability 0-1 that any AWS call is throttled (default: 0)
  --fail-restores K      K restore jobs end FAILED
  --lost-events K        K restore-completed events are never delivered
  --no-duplicate-events  deliver each event once (default: twice, as EventBridge may)
  --slow-copy            the DR vault lacks recent points of some resources: long copies first
  --restore-minutes M    restore job duration (default: per type, 12-35 min)
  --copy-minutes M       copy job duration (default: 20, 150 with --slow-copy)
  --tfc-run applied|errored
                         how the Terraform Cloud run of a workload with recovery.infrastructure
                         terraformCloud ends (default: applied)
  --synth-dir DIR        rehearse this synthesized output (e.g. a pull request's cdktf.out) instead of
                         synthesizing DR_CONFIG; it must have been synthesized from DR_CONFIG
  --readiness            afterwards, run the daily readiness checker on the same model (its real
                         logic, the central vault through the reader role, every call authorized)
  --restore-test TYPE    afterwards, run a restore test of TYPE (EBS, RDS, DynamoDB, EFS) with the
                         restore testing role and validate-restore reporting its result
  --strict               deviations from AWS the model notices fail instead of warning
  --seed S               PRNG seed: the same seed gives the same rehearsal (default: 1)
  --quiet                print the steps only, not every model event
  --verbose              also print the functions' logs

The estate is DR_CONFIG (default config/example.json).`;

export interface CliOptions extends RehearsalOptions {
  readonly readiness?: boolean;
  readonly restoreTest?: 'EBS' | 'RDS' | 'DynamoDB' | 'EFS';
  /** `--mode failback`. */
  readonly failback?: boolean;
  readonly failCopies?: number;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
}

export class UsageError extends Error {}

function numberArg(name: string, value: string | undefined, { min, max, integer }: { min: number; max?: number; integer?: boolean }): number {
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (max !== undefined && n > max) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be ${integer ? 'an integer' : 'a number'} ${max !== undefined ? `from ${min} to ${max}` : `of at least ${min}`}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** An option's value; another option in its place means the value is missing. */
function valueArg(value: string | undefined, missing: string): string {
  if (!value || value.startsWith('--')) throw new UsageError(missing);
  return value;
}

/** An option's value, one of `choices` (the usage error lists them: `A, B or C`). */
function choiceArg<const C extends string>(name: string, value: string | undefined, choices: readonly C[], verb: 'must be' | 'takes'): C {
  if (!choices.includes(value as C)) throw new UsageError(`${name} ${verb} ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}, got ${JSON.stringify(value)}`);
  return value as C;
}

type MutableOptions = { -readonly [K in keyof CliOptions]?: CliOptions[K] };

/** The options that take no value: what each sets. */
const FLAGS: Readonly<Record<string, MutableOptions>> = {
  '--readiness': { readiness: true },
  '--reject': { approve: false },
  '--duplicate-events': { duplicateEvents: true },
  '--no-duplicate-events': { duplicateEvents: false },
  '--fail-copy': { failCopies: 1 },
  '--slow-copy': { slowCopy: true },
  '--strict': { strict: true },
  '--quiet': { quiet: true },
  '--verbose': { verbose: true },
};

type NumberOption = 'resources' | 'throttle' | 'failRestores' | 'lostEvents' | 'restoreMinutes' | 'copyMinutes' | 'seed';

/** The options that take a number: the option each sets, and the numbers it accepts. */
const NUMBERS: Readonly<Record<string, readonly [NumberOption, Parameters<typeof numberArg>[2]]>> = {
  '--resources': ['resources', { min: 1, max: 200, integer: true }],
  '--throttle': ['throttle', { min: 0, max: 1 }],
  '--fail-restores': ['failRestores', { min: 0, integer: true }],
  '--lost-events': ['lostEvents', { min: 0, integer: true }],
  '--restore-minutes': ['restoreMinutes', { min: 1, max: 10000 }],
  '--copy-minutes': ['copyMinutes', { min: 1, max: 10000 }],
  '--seed': ['seed', { min: 0, integer: true }],
};

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: MutableOptions = { quiet: false, verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (Object.hasOwn(FLAGS, arg)) {
      Object.assign(o, FLAGS[arg]);
      continue;
    }
    if (Object.hasOwn(NUMBERS, arg)) {
      const [option, accepted] = NUMBERS[arg];
      o[option] = numberArg(arg, next(), accepted);
      continue;
    }
    switch (arg) {
      case '--workload':
        o.workload = valueArg(next(), '--workload needs a value');
        break;
      case '--mode': {
        const mode = choiceArg(arg, next(), ['failover', 'drill', 'failback'], 'must be');
        if (mode === 'failback') o.failback = true;
        else o.mode = mode;
        break;
      }
      case '--trigger':
        o.trigger = choiceArg(arg, next(), ['manual', 'event', 'schedule'], 'must be');
        break;
      case '--synth-dir':
        o.synthDir = valueArg(next(), '--synth-dir needs a directory (a synthesized output such as cdktf.out)');
        break;
      case '--restore-test':
        o.restoreTest = choiceArg(arg, next(), ['EBS', 'RDS', 'DynamoDB', 'EFS'], 'takes');
        break;
      case '--types': {
        const v = next();
        const types = (v ?? '').split(',').map((t) => t.trim()).filter(Boolean);
        const known = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'EFS', 'S3', 'FSx'];
        const bad = types.filter((t) => !known.includes(t));
        if (types.length === 0 || bad.length > 0) throw new UsageError(`--types takes a comma-separated list of ${known.join(', ')}${bad.length ? `; unknown: ${bad.join(', ')}` : ''}`);
        o.types = types as ResourceType[];
        break;
      }
      case '--tfc-run':
        o.terraformRun = { outcome: choiceArg(arg, next(), ['applied', 'errored'], 'must be') };
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  return o as CliOptions;
}

const duration = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? 'n/a' : `${offset(seconds).slice(1)} (${Math.round(seconds)} s)`);

export async function main(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    out(`rehearse: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    out(USAGE);
    return 0;
  }
  if (options.failback) return mainFailback(options, out);
  if (options.failCopies) {
    out(`rehearse: --fail-copy needs --mode failback\n\n${USAGE}`);
    return 2;
  }
  out('    time    step                 detail');
  const result = await runRehearsal({
    ...options,
    onTimeline: (entry) => {
      if (options.quiet && entry.step.startsWith(' ')) return;
      out(formatTimeline([entry]));
    },
  });
  if (options.verbose) {
    out('\nFunction logs:');
    for (const log of result.runner.logs) out(`${offset((log.at - result.model.clock.startMs) / 1000).padStart(9)}  ${log.fn} ${log.level} ${log.message} ${JSON.stringify(log.attributes).slice(0, 400)}`);
  }

  out('');
  out(`Workload ${result.workload}, ${result.mode}: execution ${result.execution.status}${result.execution.error ? ` (${result.execution.error}: ${result.execution.cause})` : ''}`);
  out(`Simulated RTO (start → report): ${duration(result.rtoSeconds)}`);
  out(`Simulated RPO (start − oldest restored recovery point): ${duration(result.rpoSeconds)}`);
  if (result.restorePhaseSeconds !== undefined) {
    const longest = Math.max(0, ...result.restores.map((r) => (r.endedAt ?? r.startedAt) - r.startedAt));
    out(`Restore phase: ${duration(result.restorePhaseSeconds)}; longest restore job ${duration(longest)}; at most ${result.model.maxConcurrentRestores} running at once`);
  }
  const ev = result.events;
  out(`Restore-completed events: ${ev.matched} matched the rule, ${ev.delivered} delivered, ${ev.lost} lost; outcomes ${JSON.stringify(ev.outcomes)}${ev.errors.length ? `; ${ev.errors.length} failed` : ''}`);
  out(`AWS calls: ${result.stats.calls} (${result.stats.throttled} throttled, ${result.stats.retries} state machine retries, ${result.stats.denied} denied)`);
  if (result.report) out(`Report: "${result.report.subject}" (outcome ${result.report.outcome}${result.report.failedStep ? `, failed step ${result.report.failedStep}` : ''})`);
  for (const w of result.warnings) out(`WARNING: ${w}`);
  out('');
  for (const c of result.checks) out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
  if (result.failedRestores.length > 0) {
    out('');
    out('Restore jobs not completed:');
    for (const f of result.failedRestores) out(`  ${f.restoreJobId}  ${f.status}  ${f.resourceType} ${f.resourceArn}`);
  }
  let followUpsOk = true;
  const denials = (evaluations: Evaluation[]) => evaluations.filter((e) => !e.allowed).map((e) => `${e.step} ${e.principal} ${e.request.action} ${e.request.resource}: ${e.denial}`);
  if (options.restoreTest) {
    out('');
    try {
      const t = await rehearseRestoreTest(result, options.restoreTest);
      const denied = denials(t.evaluations);
      out(`Restore test of ${options.restoreTest} (${t.restoreJobId}): validation ${t.validationStatus ?? 'not reported'}; ${JSON.stringify(t.outcome).slice(0, 300)}; ${t.evaluations.length} request(s) evaluated, ${denied.length} denied`);
      for (const d of denied) out(`  DENIED ${d}`);
      followUpsOk &&= denied.length === 0 && t.validationStatus === 'SUCCESSFUL';
    } catch (error) {
      out(`Restore test FAILED: ${(error as Error).message}`);
      followUpsOk = false;
    }
  }
  if (options.readiness) {
    out('');
    try {
      const r = await rehearseReadiness(result);
      const denied = denials(r.evaluations);
      out(`Readiness checker: ${r.result.ready ? 'ready' : 'not ready'}; report ${r.result.reportBucket}/${r.result.reportKeys.join(', ')}; ${r.evaluations.length} request(s) evaluated, ${denied.length} denied`);
      for (const w of r.report.workloads) for (const c of w.checks) out(`  ${c.ready ? 'ready    ' : 'NOT READY'}  ${w.workload} ${c.check}: ${c.reason}`);
      for (const d of denied) out(`  DENIED ${d}`);
      followUpsOk &&= denied.length === 0;
    } catch (error) {
      out(`Readiness checker FAILED: ${(error as Error).message}`);
      followUpsOk = false;
    }
  }
  out('');
  out(result.recovered ? `RECOVERED: workload ${result.workload} (${result.mode})` : `NOT RECOVERED: workload ${result.workload} (${result.mode})`);
  return result.recovered && followUpsOk ? 0 : 1;
}

if (require.main === module) {
  // The AWS SDK warns once that it will need Node 22; the rehearsal's output is not the place for it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`rehearse: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
}
