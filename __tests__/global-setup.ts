import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * One directory per `jest` run, shared by its workers (they start after this and inherit the
 * environment): helpers/synth.ts keeps there the output of each configuration it synthesized, so an
 * estate several test files use is synthesized once per run and copied, not rebuilt per file.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-test-run-'));
  process.env.DR_TEST_SYNTH_CACHE = dir;
}
