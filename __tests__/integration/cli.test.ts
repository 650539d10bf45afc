import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, ROOT, tempDir } from '../helpers/synth';
import { configJsonSchema } from '../../config/json-schema';

const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

function run(command: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8', timeout: 120000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Each stack's cdk.tf.json as text (strings: Jest compares Buffers byte by byte, seconds per MiB). */
function stackFiles(outdir: string): Record<string, string> {
  const stacks = path.join(outdir, 'stacks');
  return Object.fromEntries(fs.readdirSync(stacks).sort().map((s) => [s, fs.readFileSync(path.join(stacks, s, 'cdk.tf.json'), 'utf8')]));
}

describe('the synth entry point', () => {
  it('is deterministic: two runs give byte-identical cdk.tf.json for every stack', () => {
    const config = path.join(FIXTURES, 'three-workloads.json');
    const [a, b] = [tempDir(), tempDir()];
    // Through the app as cdktf.json runs it (scripts/run-app.js: main.ts bundled, then cached), in a
    // cache of its own: the first process builds the bundle, the second reuses it.
    const cache = tempDir('dr-app-cache-');
    for (const outdir of [a, b]) {
      const r = run(process.execPath, ['scripts/run-app.js'], { DR_CONFIG: config, CDKTF_OUTDIR: outdir, DR_APP_CACHE_DIR: cache });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    const first = stackFiles(a);
    expect(Object.keys(first)).toHaveLength(6);
    expect(stackFiles(b)).toEqual(first);
    expect(fs.readFileSync(path.join(a, 'manifest.json'), 'utf8')).toEqual(fs.readFileSync(path.join(b, 'manifest.json'), 'utf8'));
  });

  it('works through `DR_CONFIG=path cdktf synth --output DIR`', () => {
    const outdir = path.join(tempDir(), 'out');
    const r = run(bin('cdktf'), ['synth', '--output', outdir], { DR_CONFIG: path.join(FIXTURES, 'three-workloads.json') });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['backup-vault', 'dr', 'organization', 'workload-analytics', 'workload-billing', 'workload-shop']);
  });

  it('exits non-zero on a bad configuration, naming the field, and writes no output', () => {
    const dir = tempDir();
    const config = path.join(dir, 'estate.json');
    const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'three-workloads.json'), 'utf8'));
    raw.workloads[1].accountId = '12345';
    fs.writeFileSync(config, JSON.stringify(raw));
    const outdir = path.join(dir, 'out');
    // The app as cdktf.json runs it (its bundle cached by the other tests), then through the CLI.
    const app = run(process.execPath, ['scripts/run-app.js'], { DR_CONFIG: config, CDKTF_OUTDIR: outdir });
    expect(app.status).toBe(1);
    expect(app.stderr).toContain('workloads[1].accountId: must be a 12-digit AWS account ID');
    const viaCli = run(bin('cdktf'), ['synth', '--output', outdir], { DR_CONFIG: config });
    expect(viaCli.status).not.toBe(0);
    expect(viaCli.stdout + viaCli.stderr).toContain('workloads[1].accountId');
    expect(fs.existsSync(path.join(outdir, 'stacks'))).toBe(false);
  });
});

describe('config/estate.schema.json', () => {
  it('is generated from the validation schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'estate.schema.json'), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
    expect(committed.required).toEqual(expect.arrayContaining(['name', 'organizationId', 'regions', 'accounts', 'workloads']));
  });
});
