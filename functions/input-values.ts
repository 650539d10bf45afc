/** Checks and descriptions of untrusted input values, shared by the functions' input parsing (esbuild bundles it into each). */

/** An object that is not null nor an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `null`, `array`, or the `typeof` of the value. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A string, quoted; anything else, its {@link describeType}. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describeType(value);
}

/** `null`, `an array`, a string quoted (shortened past 80 characters), `an object`, or the type and value (`number 42`). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Absent or null: both mean "not given" (Step Functions passes null for a missing optional value). */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** A Lambda input field that is missing or malformed, named by its path in the input. */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid input: ${field} ${problem}`);
    this.name = 'InvalidInputError';
  }
}

/** A non-empty string matching `pattern`; `expected` says what it should look like. */
export function requiredString(value: unknown, field: string, pattern: RegExp, expected: string): string {
  if (value === undefined || value === null || value === '') throw new InvalidInputError(field, 'is missing');
  if (typeof value !== 'string') throw new InvalidInputError(field, `must be a string, got ${describeType(value)}`);
  if (!pattern.test(value)) throw new InvalidInputError(field, `must be ${expected}, got ${shown(value)}`);
  return value;
}

export function requiredRecord(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) throw new InvalidInputError(field, 'is missing');
  if (!isRecord(value)) throw new InvalidInputError(field, `must be an object, got ${describeType(value)}`);
  return value;
}
