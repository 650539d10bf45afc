/**
 * Measured on the 2-CPU machine this project is developed on (docs/benchmark.md has the numbers).
 * @type {import('jest').Config}
 */
module.exports = {
  // Jest's node environment, plus caches of pure answers shared by the files of a worker (__tests__/environment.js).
  testEnvironment: '<rootDir>/__tests__/environment.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Transpiling only, file by file, with SWC (tsconfig.json sets isolatedModules, so nothing here
  // needs the type checker); type checking is `npm run typecheck` (tsc --build, noEmit), run once for the
  // whole project. Inline source maps keep failure positions in the TypeScript sources.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' }],
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  // A directory per run for the estates synthesized once and shared by the test files (helpers/synth.ts).
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/global-teardown.ts',
  // Two workers on two CPUs: Jest's default (CPUs - 1 = 1) runs the files one after the other while
  // terraform (the longest files) leaves a core idle; three workers were no faster than two.
  maxWorkers: 2,
  // A worker holding more than this after a file is replaced by a fresh one: each test file loads
  // CDKTF, the provider bindings and the IAM evaluator into its own module registry, and a worker that
  // keeps them all grows past 1.5 GB.
  workerIdleMemoryLimit: '1GB',
  testTimeout: 180000,
};
