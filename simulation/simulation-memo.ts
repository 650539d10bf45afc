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
 * Answers are kept as JSON text and parsed anew for every caller, the first one included (nothing is
 * shared that a caller could change, and every caller sees the same form: a field the library leaves
 * undefined is absent), for the module registry's life: in the test suite, one test file (a mutation
 * suite's rehearsals share most of their simulations; across files they share few, and the texts
 * would only add to a worker's memory). An error response is never kept: the next call simulates again.
 */
import { createHash } from 'crypto';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

type SimulationResponse = Awaited<ReturnType<typeof runSimulation>>;

const answers = new Map<string, string>();

/** Counts of this module registry, for the tests. */
export const simulationMemoStats = { simulated: 0, answeredFromMemo: 0 };

/** `runSimulation(simulation, { simulationMode: 'Strict' })`, once per distinct simulation. */
export async function runStrictSimulation(simulation: Simulation): Promise<SimulationResponse> {
  const key = createHash('sha256').update(JSON.stringify(simulation)).digest('base64');
  const known = answers.get(key);
  if (known !== undefined) {
    simulationMemoStats.answeredFromMemo++;
    return JSON.parse(known) as SimulationResponse;
  }
  simulationMemoStats.simulated++;
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') return response;
  // Every caller gets the same form, the JSON one: fields the library leaves undefined are absent.
  const text = JSON.stringify(response);
  answers.set(key, text);
  return JSON.parse(text) as SimulationResponse;
}
