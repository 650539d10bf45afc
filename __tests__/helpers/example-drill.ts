import { runRehearsal } from '../../rehearsal/machine';
import { exampleInput, synthEstate } from './synth';

/**
 * The example estate, synthesized once per run, and drills of it with a fixed seed against that
 * directory or a mutated copy of it (helpers/synth-mutations.ts): the starting point of the suites
 * that rehearse what runs after a drill (readiness, restore tests).
 */
export function exampleDrills(seed: number): { synthDir: string; drill: (dir?: string) => ReturnType<typeof runRehearsal> } {
  const config = exampleInput();
  const synthDir = synthEstate(config);
  return { synthDir, drill: (dir = synthDir) => runRehearsal({ config, synthDir: dir, mode: 'drill', seed }) };
}
