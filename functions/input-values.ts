/**
 * Checks and descriptions of untrusted input values, shared by the functions' input parsing (esbuild
 * bundles it into each). The zod pieces of the input schemas are in input-schemas.ts.
 */

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

/**
 * A Lambda input that is missing or malformed: `Invalid input: <field> <problem>`, or
 * `Invalid input: <message>` where the message names the field itself.
 */
export class InvalidInputError extends Error {
  /** The dotted path of the culprit, when given apart from the message. */
  declare readonly field?: string;

  constructor(field: string, problem: string);
  constructor(message: string);
  constructor(fieldOrMessage: string, problem?: string) {
    super(`Invalid input: ${problem === undefined ? fieldOrMessage : `${fieldOrMessage} ${problem}`}`);
    this.name = 'InvalidInputError';
    if (problem !== undefined) this.field = fieldOrMessage;
  }
}

/** A non-empty string matching `pattern`; `expected` says what it should look like. */
export function requiredString(value: unknown, field: string, pattern: RegExp, expected: string): string {
  if (value === undefined || value === null || value === '') throw new InvalidInputError(field, 'is missing');
  if (typeof value !== 'string') throw new InvalidInputError(field, `must be a string, got ${describeType(value)}`);
  if (!pattern.test(value)) throw new InvalidInputError(field, `must be ${expected}, got ${shown(value)}`);
  return value;
}

/** As {@link requiredString}, but absent, null or empty is `undefined`. */
export function optionalString(value: unknown, field: string, pattern: RegExp, expected: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : requiredString(value, field, pattern, expected);
}

/** Same rule as `workloads[].name` in config/schema.ts. */
export const WORKLOAD_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const WORKLOAD_NAME_EXPECTED = 'a workload name (a lowercase letter, then up to 31 of a-z, 0-9, "-")';
/** AWS Backup vault names (config/naming.ts). */
export const VAULT_NAME = /^[a-zA-Z0-9_-]{2,50}$/;
export const VAULT_NAME_EXPECTED = 'an AWS Backup vault name (2-50 letters, digits, "-" or "_")';
/** AWS Region names such as `ap-northeast-1`. */
export const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
export const REGION_EXPECTED = 'an AWS Region such as "ap-northeast-1"';
/** What AWS Backup calls a resource type (`EBS`, `RDS`, ...): leniently, any such name. */
export const RESOURCE_TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,49}$/;
