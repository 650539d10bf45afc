// The recovery and failback machines must meet the same ASL rules; both definition suites check them here.
import { allStates, type StateMachineDefinition } from '../../modules/recovery/asl';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (def: unknown) => { isValid: boolean; errors: unknown[] };

/** `def` passes asl-validator. */
export function expectValidAsl(def: StateMachineDefinition): void {
  // asl-validator adds defaults to what it validates: give it a copy.
  expect(aslValidator(structuredClone(def))).toEqual(expect.objectContaining({ isValid: true, errors: [] }));
}

/**
 * `def` has at least `atLeast` Tasks, and each has a first Retry whose errors match `throttling`, with
 * full jitter and at most 10 attempts, and a Catch.
 */
export function expectEveryTaskRetriesAndCatches(def: StateMachineDefinition, atLeast: number, throttling: RegExp): void {
  const tasks = allStates(def).filter(([, s]) => s.Type === 'Task');
  expect(tasks.length).toBeGreaterThanOrEqual(atLeast);
  for (const [name, task] of tasks) {
    if (task.Type !== 'Task') continue;
    expect({ name, retry: task.Retry?.[0]?.ErrorEquals.some((e) => throttling.test(e)) }).toEqual({ name, retry: true });
    expect({ name, jitter: task.Retry?.[0]?.JitterStrategy, bounded: (task.Retry?.[0]?.MaxAttempts ?? 99) <= 10 }).toEqual({ name, jitter: 'FULL', bounded: true });
    expect({ name, catch: (task.Catch ?? []).length > 0 }).toEqual({ name, catch: true });
  }
}
