import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { synthesizeEstate } from '../../app';
import { synthesizeTokenEdgeCases } from '../fixtures/token-edge-cases/app';
import { readTreeFile, treeDigests } from '../helpers/files';
import { FIXTURES, ROOT, tempDir } from '../helpers/synth';

// The launcher is plain JavaScript (cdktf.json runs `node scripts/run-app.js`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require('../../scripts/run-app.js') as {
  paths(entry: string): { bundle: string; map: string; codeCache: string; manifest: string };
  upToDate(target: { bundle: string; manifest: string }): boolean;
};

const LAUNCHER = path.join(ROOT, 'scripts', 'run-app.js');
const THREE = path.join(FIXTURES, 'three-workloads.json');

/** Runs the launcher with its own cache directory (a cold build the first time). */
function runApp(cacheDir: string, env: Record<string, string>, args: string[] = []) {
  const r = spawnSync(process.execPath, [LAUNCHER, ...args], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', DR_APP_CACHE_DIR: cacheDir, ...env },
    encoding: 'utf8',
    timeout: 120000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/run-app.js (the prebundled app)', () => {
  const cache = tempDir('dr-app-cache-');
  let expected: Record<string, string>;

  beforeAll(() => {
    const outdir = tempDir();
    synthesizeEstate(THREE, outdir);
    expected = treeDigests(outdir);
  });

  it('synthesizes byte for byte what the TypeScript sources synthesize, built once then reused', () => {
    for (const run of ['cold', 'cached']) {
      const outdir = tempDir();
      const r = runApp(cache, { DR_CONFIG: THREE, CDKTF_OUTDIR: outdir });
      expect({ run, status: r.status, stderr: r.stderr }).toEqual({ run, status: 0, stderr: '' });
      expect(treeDigests(outdir)).toEqual(expected);
    }
    const files = fs.readdirSync(cache).sort();
    expect(files.filter((f) => f.endsWith('.js'))).toHaveLength(1);
    expect(files.some((f) => f.includes('.v8cache.'))).toBe(true);
    // The synth side shares constants and types with the functions, never their logic: no AWS SDK client
    // in the app (the example's synth would load a second of SDK code, as would every test file that synthesizes).
    const manifest = JSON.parse(fs.readFileSync(path.join(cache, files.find((f) => f.endsWith('.json'))!), 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(manifest.inputs);
    expect(inputs.some((f) => f.endsWith(`${path.sep}app.ts`))).toBe(true);
    expect(inputs.filter((f) => f.includes(`${path.sep}@aws-sdk${path.sep}`))).toEqual([]);
  });

  it('synthesizes the same with CDKTF token creation stacks recorded (DR_APP_STACK_TRACES=1)', () => {
    const outdir = tempDir();
    const r = runApp(tempDir('dr-app-cache-'), { DR_CONFIG: THREE, CDKTF_OUTDIR: outdir, DR_APP_STACK_TRACES: '1' });
    expect(r.stderr).toBe('');
    expect(treeDigests(outdir)).toEqual(expected);
  });

  it('resolves tokens as CDKTF does where its changes to CDKTF apply: escapes, braces, number-like text, token keys, long strings', () => {
    const reference = tempDir();
    synthesizeTokenEdgeCases(reference);
    const outdir = tempDir();
    // CDKTF warns on stderr about escape sequences in functions, which this stack has on purpose.
    const r = runApp(cache, { CDKTF_OUTDIR: outdir }, [path.join(FIXTURES, 'token-edge-cases', 'main.ts')]);
    expect(r.status).toBe(0);
    const stack = readTreeFile(outdir, path.join('stacks', 'edge', 'cdk.tf.json'));
    expect(stack).toContain('"${var.name}": "token as key"');
    expect(treeDigests(outdir)).toEqual(treeDigests(reference));
  });

  it('exits 1 on a bad configuration with the validation message, writing nothing', () => {
    const dir = tempDir();
    const config = path.join(dir, 'estate.json');
    const raw = JSON.parse(fs.readFileSync(THREE, 'utf8'));
    raw.workloads[1].accountId = '12345';
    fs.writeFileSync(config, JSON.stringify(raw));
    const outdir = path.join(dir, 'out');
    const r = runApp(cache, { DR_CONFIG: config, CDKTF_OUTDIR: outdir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Invalid DR configuration .*estate\.json: 1 problem\n {2}- workloads\[1\]\.accountId: must be a 12-digit AWS account ID/);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('reports an unexpected error at its source position, and a compile error with esbuild’s message', () => {
    const dir = tempDir();
    const entry = path.join(dir, 'entry.ts');
    const load = JSON.stringify(path.join(ROOT, 'config', 'load'));
    fs.writeFileSync(entry, `import { formatPath } from ${load};\n\nexport function fail(): never {\n  throw new Error('unexpected ' + formatPath(['a', 1]));\n}\nfail();\n`);
    const thrown = runApp(tempDir('dr-app-cache-'), {}, [entry]);
    expect(thrown.status).toBe(1);
    expect(thrown.stderr).toContain('Error: unexpected a[1]');
    expect(thrown.stderr).toContain(`at fail (${entry}:4:9)`);
    fs.writeFileSync(entry, 'export const x = ;\n');
    const broken = runApp(tempDir('dr-app-cache-'), {}, [entry]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^Bundling .*entry\.ts failed:\n.*entry\.ts:1:\d+: Unexpected ";"/);
  });
});

describe('the launcher’s cache check', () => {
  const previous = process.env.DR_APP_CACHE_DIR;
  afterEach(() => {
    if (previous === undefined) delete process.env.DR_APP_CACHE_DIR;
    else process.env.DR_APP_CACHE_DIR = previous;
  });

  /** A bundle built from one input file, as the launcher records it. */
  function recorded() {
    const dir = tempDir();
    process.env.DR_APP_CACHE_DIR = dir;
    const target = launcher.paths('main.ts');
    const input = path.join(dir, 'input.ts');
    fs.writeFileSync(input, 'export const a = 1;\n');
    fs.writeFileSync(target.bundle, '');
    const stat = fs.statSync(input);
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(input)).digest('hex');
    fs.writeFileSync(target.manifest, JSON.stringify({ entry: 'main.ts', inputs: { [input]: { size: stat.size, mtimeMs: stat.mtimeMs, sha256 } } }));
    return { target, input };
  }

  it('reuses the bundle while every input is unchanged, even when only touched', () => {
    const { target, input } = recorded();
    expect(launcher.upToDate(target)).toBe(true);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(input, later, later);
    expect(launcher.upToDate(target)).toBe(true);
    // Recorded with its new time: the next check is a stat, not a hash.
    const manifest = JSON.parse(fs.readFileSync(target.manifest, 'utf8')) as { inputs: Record<string, { mtimeMs: number }> };
    expect(manifest.inputs[input].mtimeMs).toBe(fs.statSync(input).mtimeMs);
    expect(launcher.upToDate(target)).toBe(true);
  });

  it('rebuilds when an input changed (same size, new time), disappeared, or the bundle is missing', () => {
    const edited = recorded();
    const { mtime } = fs.statSync(edited.input);
    fs.writeFileSync(edited.input, 'export const a = 2;\n');
    fs.utimesSync(edited.input, mtime, new Date(mtime.getTime() + 1));
    expect(launcher.upToDate(edited.target)).toBe(false);

    const removed = recorded();
    fs.rmSync(removed.input);
    expect(launcher.upToDate(removed.target)).toBe(false);

    const noBundle = recorded();
    fs.rmSync(noBundle.target.bundle);
    expect(launcher.upToDate(noBundle.target)).toBe(false);
  });
});
