import { sharedAcrossRegistries } from '../config/shared-across-registries';

/**
 * State machine definitions asl-validator accepted, by their compact JSON text, shared by everything
 * that validates them offline (the rehearsal, rehearsal/estate.ts, and the Step Functions stub of
 * `npm run plan`, scripts/plan/sfn-stub.ts), which both call it with its default checks (ARNs and
 * paths). asl-validator compiles its JSON schema on every call (80 ms to a second); its answer is a
 * pure function of the text, so a text it accepted once is not given to it again.
 *
 * Shared by the module registries of the process (the test suite's environment also shares it
 * between its workers, through the run's directory).
 */
export const validAslDefinitions = sharedAcrossRegistries<Pick<Set<string>, 'has' | 'add'>>('__drValidAslDefinitions', () => new Set());

/** The text a definition is remembered by: `JSON.stringify` of the parsed definition. */
export const aslText = (definition: unknown): string => JSON.stringify(definition);
