/**
 * The suite's own housekeeping (global-setup.ts): whatever a test writes to the temporary directory
 * goes to the run's directory, removed with the run, while the function bundle cache, which must
 * outlive runs to be of use, is the project's.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleCacheDir } from '../../modules/bundling';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the test run directory', () => {
  it("is every test process's TMPDIR, inside the run's directory", () => {
    const run = process.env.DR_TEST_SYNTH_CACHE;
    expect(run).toBeDefined();
    expect(os.tmpdir()).toBe(path.join(run!, 'tmp'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-test-'));
    expect(path.relative(run!, dir).startsWith('..')).toBe(false);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });

  it('leaves the function bundle cache in node_modules/.cache, outside the run', () => {
    expect(bundleCacheDir()).toBe(path.join(ROOT, 'node_modules', '.cache', 'dr-function-bundles'));
    expect(path.relative(os.tmpdir(), bundleCacheDir()).startsWith('..')).toBe(true);
  });
});
