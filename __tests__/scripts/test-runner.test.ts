/**
 * `npm test`'s type check (scripts/test.js): `tsc --build` of a noEmit, incremental tsconfig answers
 * from its build info when nothing changed, and still fails for a program with errors; a build info
 * older than tsconfig.json (which build mode would never refresh) is removed before the check.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers/synth';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { forgetStaleBuildInfo } = require('../../scripts/test.js') as { forgetStaleBuildInfo: (root: string) => void };

function project(): { dir: string; info: string; check: () => { code: number; output: string } } {
  const dir = tempDir('dr-tsc-build-');
  const info = path.join(dir, 'node_modules', '.cache', 'tsc', 'tsbuildinfo');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, incremental: true, tsBuildInfoFile: 'node_modules/.cache/tsc/tsbuildinfo', types: [] }, include: ['*.ts'] }));
  fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a: number = 1;\n');
  const check = () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--build'], { cwd: dir, encoding: 'utf8' });
    return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
  };
  return { dir, info, check };
}

describe('the type check of npm test (tsc --build, noEmit)', () => {
  it('writes its build info, reports an error at every run until it is fixed, then passes', () => {
    const { dir, info, check } = project();
    expect(check().code).toBe(0);
    expect(fs.existsSync(info)).toBe(true);
    fs.writeFileSync(path.join(dir, 'a.ts'), "export const a: number = 'one';\n");
    for (let i = 0; i < 2; i++) {
      const r = check();
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(/a\.ts\(1,14\): error TS2322/);
    }
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a: number = 2;\n');
    expect(check().code).toBe(0);
  });

  it('removes a build info older than tsconfig.json, and keeps a current one', () => {
    const { dir, info } = project();
    // Only the times matter here: a build info written after tsconfig.json.
    fs.mkdirSync(path.dirname(info), { recursive: true });
    fs.writeFileSync(info, '{}');
    const now = new Date(fs.statSync(path.join(dir, 'tsconfig.json')).mtimeMs + 1_000);
    fs.utimesSync(info, now, now);
    forgetStaleBuildInfo(dir);
    expect(fs.existsSync(info)).toBe(true);
    const later = new Date(fs.statSync(info).mtimeMs + 60_000);
    fs.utimesSync(path.join(dir, 'tsconfig.json'), later, later);
    forgetStaleBuildInfo(dir);
    expect(fs.existsSync(info)).toBe(false);
    // Without one (a fresh clone) nothing happens.
    expect(() => forgetStaleBuildInfo(dir)).not.toThrow();
  });
});
