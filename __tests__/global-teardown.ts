import * as fs from 'fs';

/** Removes the run's directory (global-setup.ts): the shared synths and the run's TMPDIR. */
export default function globalTeardown(): void {
  const dir = process.env.DR_TEST_SYNTH_CACHE;
  // Retried: a worker that is ending may still be removing its own temporary directories in it.
  if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
