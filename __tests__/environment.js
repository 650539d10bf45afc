'use strict';
/**
 * Jest's node environment, plus answers that are pure functions of their input shared by the test
 * files of a run. Jest gives every test file its own module registry and globals, so a module-level
 * cache in the code under test starts empty in each file; this environment module is loaded once per
 * worker, and what it puts on a file's global outlives the file.
 *
 * - `__drValidAslDefinitions`: the state machine definitions (their JSON text) asl-validator accepted
 *   (rehearsal/estate.ts). asl-validator compiles its JSON schema on every call, about half a second
 *   of CPU per distinct definition; the same definitions come back in most files that rehearse. Kept
 *   in memory for the worker and, by SHA-256 of the text, in the run's directory (global-setup.ts),
 *   so that the other worker skips them too.
 * - `__drBundleInputsChecked`: the function bundle cache entries whose installed-package inputs
 *   (a few hundred AWS SDK files per function) a file of this worker found unchanged
 *   (modules/bundling.ts); later files re-check only the project's own sources, as later synths in
 *   one process do. Packages do not change during a run; a new run starts with an empty set.
 * - `__drScheduleAnswers`: worst-case intervals and monthly run counts of schedule expressions
 *   (config/schedule-interval.ts `perExpression`), numbers by function name and expression.
 *
 * Only strings and numbers are shared: nothing from one file's realm reaches another. The code under
 * test finds them through config/shared-across-registries.ts.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { TestEnvironment } = require('jest-environment-node');

/** A set of strings, in memory and, when the run has a directory, as empty files named by their digests. */
class RunSet {
  constructor(dir) {
    this.known = new Set();
    this.dir = dir;
    if (dir) fs.mkdirSync(dir, { recursive: true });
  }

  file(text) {
    return path.join(this.dir, crypto.createHash('sha256').update(text).digest('hex'));
  }

  has(text) {
    if (this.known.has(text)) return true;
    if (this.dir && fs.existsSync(this.file(text))) {
      this.known.add(text);
      return true;
    }
    return false;
  }

  add(text) {
    this.known.add(text);
    if (this.dir) fs.writeFileSync(this.file(text), '');
    return this;
  }
}

const runDir = process.env.DR_TEST_SYNTH_CACHE;
const validAslDefinitions = new RunSet(runDir && path.join(runDir, 'valid-asl'));
const bundleInputsChecked = new Set();
const scheduleAnswers = new Map();

class SharingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__drValidAslDefinitions = validAslDefinitions;
    this.global.__drBundleInputsChecked = bundleInputsChecked;
    this.global.__drScheduleAnswers = scheduleAnswers;
  }
}

module.exports = SharingEnvironment;
