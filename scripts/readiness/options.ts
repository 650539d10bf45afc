import * as path from 'path';
import { parseStrictArgs } from '../cli-args';

export interface ReadinessOptions {
  /** Estate configuration: --config, else DR_CONFIG, else config/example.json. */
  readonly config: string;
  /** Synthesized output to read (default cdktf.out). */
  readonly out: string;
  /** Synthesize the configuration into a temporary directory instead of reading --out. */
  readonly synth: boolean;
  /** Machine-readable output. */
  readonly json: boolean;
}

export const USAGE = `Usage: npm run readiness -- [--config FILE] [--out DIR | --synth] [--json]

Checks, offline and without AWS credentials, whether the estate in FILE can be recovered as configured:
per workload its targets (RTO/RPO), the worst-case RPO of its backup schedule, the copy path into the
backup-vault account, the vault kind and lock, restore testing, the server roles and the recovery state
machine in the synthesized DR stack, and findings (error or warning) that would break a recovery in a
real account. Exit status 0: no error finding; 1: at least one error finding; 2: usage error or a
configuration that cannot be read at all.

  --config FILE   estate configuration (default: $DR_CONFIG, else config/example.json)
  --out DIR       synthesized output to read (default cdktf.out; run \`npm run synth\` first)
  --synth         synthesize the configuration into a temporary directory instead (no AWS calls)
  --json          print the report as JSON
  -h, --help      this text`;

export class UsageError extends Error {}

/** Parses `npm run readiness` arguments; `help: true` when usage was asked for. */
export function parseReadinessArgs(argv: string[], env: NodeJS.ProcessEnv, defaultConfig: string): ReadinessOptions & { help: boolean } {
  const values = parseStrictArgs(
    argv,
    { config: { type: 'string' }, out: { type: 'string' }, synth: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
    UsageError,
  );
  if (values.synth && values.out !== undefined) throw new UsageError(`--synth and --out exclude each other\n\n${USAGE}`);
  return {
    help: values.help ?? false,
    config: path.resolve(values.config ?? (env.DR_CONFIG || defaultConfig)),
    out: path.resolve(values.out ?? 'cdktf.out'),
    synth: values.synth ?? false,
    json: values.json ?? false,
  };
}
