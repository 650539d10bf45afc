import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildEstate, type Estate } from '../../app';
import { parseConfig } from '../../config/load';
import type { EstateConfigInput } from '../../config/schema';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_CONFIG = path.join(ROOT, 'config', 'example.json');
export const FIXTURES = path.join(ROOT, '__tests__', 'fixtures');

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** The bundled example as parsed JSON, to be modified by a test. */
export function exampleInput(): EstateConfigInput & Record<string, unknown> {
  return readJson(EXAMPLE_CONFIG);
}

export function tempDir(prefix = 'dr-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Builds (without writing) the estate for a raw configuration. */
export function estateFor(raw: unknown): Estate {
  return buildEstate(parseConfig(raw));
}

/**
 * Synthesizes the estate for a raw configuration into a fresh directory; returns that directory.
 *
 * Within one `jest` run the output of each configuration is synthesized once: it is kept in the run's
 * directory (global-setup.ts) and copied into `outdir` for every later caller, who may change the
 * copy. The sources do not change during a run and nothing else than the configuration decides the
 * output (synthesis is deterministic: integration/cli.test.ts).
 */
export function synthEstate(raw: unknown, outdir = tempDir()): string {
  const runCache = process.env.DR_TEST_SYNTH_CACHE;
  const cached = runCache && path.join(runCache, crypto.createHash('sha256').update(JSON.stringify(raw)).digest('hex'));
  if (cached && fs.existsSync(cached)) {
    fs.cpSync(cached, outdir, { recursive: true });
    return outdir;
  }
  buildEstate(parseConfig(raw), { outdir }).app.synth();
  if (cached) {
    // Copied beside, then renamed into place: a worker reading it sees all of it or none.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.cpSync(outdir, partial, { recursive: true });
    try {
      fs.renameSync(partial, cached);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another worker put it there first
    }
  }
  return outdir;
}

export function stackDirs(outdir: string): string[] {
  const stacks = path.join(outdir, 'stacks');
  return fs.readdirSync(stacks).sort().map((s) => path.join(stacks, s));
}

export interface SynthesizedStack {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
  output?: Record<string, unknown>;
}

/** All resources of one type in a synthesized stack (`Testing.synth` output or cdk.tf.json). */
export function resourcesOf(stack: string | SynthesizedStack, type: string): Record<string, unknown>[] {
  const parsed: SynthesizedStack = typeof stack === 'string' ? JSON.parse(stack) : stack;
  return Object.values(parsed.resource?.[type] ?? {});
}

/** Parses a policy attribute (JSON string) of a resource. */
export function policyOf(resource: Record<string, unknown>, attribute = 'policy'): { Statement: Record<string, any>[] } {
  return JSON.parse(resource[attribute] as string);
}

export function statement(policy: { Statement: Record<string, any>[] }, sid: string): Record<string, any> {
  const found = policy.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(policy)}`);
  return found;
}

/** Every file under `dir` with its content, to prove a failed synth wrote nothing. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
