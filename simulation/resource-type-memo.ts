/**
 * A memo for `@cloud-copilot/iam-simulate`'s resource-type lookup. On every simulation the library
 * matches the request's resource against the ARN pattern of each resource type the action may use
 * (`getResourceTypesForAction(service, action, resource)`): about half of the simulator's time in a
 * rehearsal, which simulates a few hundred distinct requests over the same few dozen actions and
 * resources (measured: docs/benchmark.md). The answer depends on its three arguments and the
 * library's bundled IAM data only, so it is kept per process, per arguments.
 *
 * The library exports only its entry point; the lookup lives in its CommonJS module
 * `dist/cjs/simulation_engine/resourceTypes.js`, which its engine calls through that module's
 * exports object, so replacing the export there reaches every caller. Where a later version moves
 * or renames it, nothing is replaced and simulations only take longer (`installed` says which).
 */
import * as path from 'path';

type Lookup = ((service: string, action: string, resource: string) => Promise<unknown[]>) & { memoOf?: unknown };

function install(): boolean {
  let exportsObject: { getResourceTypesForAction?: Lookup };
  try {
    const entry = require.resolve('@cloud-copilot/iam-simulate');
    exportsObject = require(path.join(path.dirname(entry), 'simulation_engine', 'resourceTypes.js')) as typeof exportsObject;
  } catch {
    return false;
  }
  const original = exportsObject.getResourceTypesForAction;
  if (typeof original !== 'function') return false;
  if (original.memoOf) return true;
  const answers = new Map<string, Promise<unknown[]>>();
  const memo: Lookup = (service, action, resource) => {
    const key = `${service}\u0000${action}\u0000${resource}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = original(service, action, resource);
      // A lookup that throws (an unknown action) is not kept: the next call throws again, the same way.
      answer.catch(() => answers.delete(key));
      answers.set(key, answer);
    }
    return answer;
  };
  memo.memoOf = original;
  try {
    exportsObject.getResourceTypesForAction = memo;
  } catch {
    return false;
  }
  return exportsObject.getResourceTypesForAction === memo;
}

/** True when the lookup is memoized in this process (module registry). */
export const installed = install();
