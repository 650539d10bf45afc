/**
 * `runSimulation` of `@cloud-copilot/iam-simulate`, answered once per distinct simulation. Its
 * response is a pure function of the simulation (request, context and the policy documents
 * themselves) and the library's bundled IAM data, so the answer is kept by the SHA-256 of the
 * simulation's JSON (installed packages do not change under a running process). The rehearsal's own
 * decision cache (per policy model) cannot serve a mutation suite, where every rehearsal runs against
 * a copy of the estate with one statement removed: most of its requests never read that policy, and
 * are the same simulation as in the unmutated estate (measured: 9 in 10 of authorization.test.ts's
 * simulations; docs/benchmark.md).
 *
 * Every caller of the same simulation gets the same response object, which callers only read
 * (evaluatePolicies, the one caller, builds its outcome from it; freezing it deeply cost as much as
 * copying it), for the module registry's life: in the test suite, one test file (a mutation suite's
 * rehearsals share most of their simulations). An error response is never kept: the next call
 * simulates again.
 */
import { createHash } from 'crypto';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

type SimulationResponse = Awaited<ReturnType<typeof runSimulation>>;

const answers = new Map<string, SimulationResponse>();

/** Counts of this module registry, for the tests. */
export const simulationMemoStats = { simulated: 0, answeredFromMemo: 0 };

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

/**
 * Digests of policy documents by object: the model's documents are the same objects in every
 * simulation of a rehearsal (and a mutated model shares all but the edited one), and writing them out
 * for every key was most of the memo's own time. Documents are never changed once built
 * (PolicyModel.withPolicy edits a copy).
 */
const documentDigests = new WeakMap<object, string>();

/** The simulation's JSON with every policy document (an object with a `Statement`) replaced by its digest. */
function keyOf(simulation: Simulation): string {
  return sha256(
    JSON.stringify(simulation, (_key, value: unknown) => {
      if (value === null || typeof value !== 'object' || !('Statement' in value)) return value;
      let digest = documentDigests.get(value);
      if (digest === undefined) documentDigests.set(value, (digest = `policy:${sha256(JSON.stringify(value))}`));
      return digest;
    }),
  );
}

/** `runSimulation(simulation, { simulationMode: 'Strict' })`, once per distinct simulation. */
export async function runStrictSimulation(simulation: Simulation): Promise<SimulationResponse> {
  const key = keyOf(simulation);
  const known = answers.get(key);
  if (known !== undefined) {
    simulationMemoStats.answeredFromMemo++;
    return known;
  }
  simulationMemoStats.simulated++;
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType !== 'error') answers.set(key, response);
  return response;
}
