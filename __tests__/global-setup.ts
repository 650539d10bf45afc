import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * One directory per `jest` run, shared by its workers (they start after this and inherit the
 * environment):
 * - helpers/synth.ts keeps there the output of each configuration it synthesized, so an estate
 *   several test files use is synthesized once per run and copied, not rebuilt per file;
 * - `tmp/` is the run's TMPDIR (os.tmpdir() of the workers, terraform and every process they start):
 *   the suite writes about 300 temporary directories (synths, mutated copies, terraform working
 *   directories), some 110 MB a run, and a worker that is stopped runs no exit handler. Removed with
 *   the run (global-teardown.ts), so nothing of a run stays behind in the machine's temp directory.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-test-run-'));
  process.env.DR_TEST_SYNTH_CACHE = dir;
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  process.env.TMPDIR = tmp;
}
