/**
 * State machine definitions asl-validator accepted, by their compact JSON text, shared by everything
 * that validates them offline (the rehearsal, rehearsal/estate.ts, and the Step Functions stub of
 * `npm run plan`, scripts/plan/sfn-stub.ts), which both call it with its default checks (ARNs and
 * paths). asl-validator compiles its JSON schema on every call (80 ms to a second); its answer is a
 * pure function of the text, so a text it accepted once is not given to it again.
 *
 * Kept on the global object, where a host that runs several module registries in one process shares
 * one set between them (the test suite's environment, __tests__/environment.js, which also shares it
 * between its workers through the run's directory).
 */
export interface TextSet {
  has(text: string): boolean;
  add(text: string): unknown;
}

export const validAslDefinitions: TextSet = ((globalThis as { __drValidAslDefinitions?: TextSet }).__drValidAslDefinitions ??= new Set<string>());

/** The text a definition is remembered by: `JSON.stringify` of the parsed definition. */
export const aslText = (definition: unknown): string => JSON.stringify(definition);
