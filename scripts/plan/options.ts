import * as path from 'path';
import { parseStrictArgs } from '../cli-args';

export interface PlanOptions {
  /** Estate configuration file (DR_CONFIG, default config/example.json). */
  readonly config: string;
  /** Synth output directory; plans go to `<out>/plan/`. */
  readonly out: string;
  /** Stack names or globs; undefined: every stack. */
  readonly stacks?: string[];
  /** A previous synth output directory to compare security-relevant resources with. */
  readonly previous?: string;
}

export const USAGE = `Usage: npm run plan -- [--out DIR] [--stacks NAME|GLOB,...] [--previous DIR]

Synthesizes the estate in $DR_CONFIG (default config/example.json) into DIR (default cdktf.out), then plans
every stack offline (fake credentials, no provider role assumption, local empty state) and writes
DIR/plan/<stack>.txt (the human-readable plan) and DIR/plan/summary.md (DIR/plan/ is rewritten on every run).

  --out DIR          synth output directory (default cdktf.out)
  --stacks LIST      only these stacks: names or globs, comma-separated (e.g. dr,workload-*)
  --previous DIR     a previous synth output (e.g. a copy of cdktf.out, or cdktf.out itself before this
                     synth) to list security-relevant changes against
  -h, --help         this text

Set TF_PLUGIN_DIR to a provider mirror to init without network (e.g. TF_PLUGIN_DIR=/opt/tf-plugins).`;

export class UsageError extends Error {}

/** Parses `npm run plan` arguments; `help: true` when usage was asked for. */
export function parsePlanArgs(argv: string[], env: NodeJS.ProcessEnv, defaultConfig: string): PlanOptions & { help: boolean } {
  const values = parseStrictArgs(argv, { out: { type: 'string' }, stacks: { type: 'string' }, previous: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE, UsageError);
  const stacks = values.stacks === undefined ? undefined : splitList(values.stacks);
  if (stacks && stacks.length === 0) throw new UsageError(`--stacks needs at least one name or glob\n\n${USAGE}`);
  return {
    help: values.help ?? false,
    config: path.resolve(env.DR_CONFIG || defaultConfig),
    out: path.resolve(values.out ?? 'cdktf.out'),
    stacks,
    previous: values.previous === undefined ? undefined : path.resolve(values.previous),
  };
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `*` any run of characters, `?` one character, everything else literal; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${body}$`);
}

/** Whether a stack name matches any of the patterns (every name when there are none). */
export function stackMatches(name: string, patterns?: string[]): boolean {
  return !patterns || patterns.some((p) => globToRegExp(p).test(name));
}

/**
 * The stacks (in their given order) that match any of the patterns. A pattern that matches nothing is
 * an error (a typo must not silently plan less than asked).
 */
export function selectStacks(all: string[], patterns?: string[]): string[] {
  if (!patterns) return [...all];
  const unmatched: string[] = [];
  const regexps = patterns.map((p) => {
    const re = globToRegExp(p);
    if (!all.some((s) => re.test(s))) unmatched.push(p);
    return re;
  });
  if (unmatched.length > 0) {
    throw new UsageError(`--stacks: no stack matches ${unmatched.map((u) => `"${u}"`).join(', ')} (stacks: ${all.join(', ')})`);
  }
  return all.filter((s) => regexps.some((re) => re.test(s)));
}
