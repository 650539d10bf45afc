'use strict';
/**
 * Jest's node environment, plus answers that are pure functions of their input shared by the test
 * files one worker runs. Jest gives every test file its own module registry and globals, so a
 * module-level cache in the code under test starts empty in each file; this environment module is
 * loaded once per worker, and what it puts on a file's global outlives the file.
 *
 * - `__drValidAslDefinitions`: the state machine definitions (their JSON text) asl-validator accepted
 *   (rehearsal/estate.ts). asl-validator compiles its JSON schema on every call, about a second of CPU
 *   per test file that rehearses; the same definitions come back in most of those files.
 *
 * Only strings are shared: nothing from one file's realm reaches another.
 */
const { TestEnvironment } = require('jest-environment-node');

const validAslDefinitions = new Set();

class SharingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__drValidAslDefinitions = validAslDefinitions;
  }
}

module.exports = SharingEnvironment;
