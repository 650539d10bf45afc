/**
 * The zod pieces the functions' input schemas share (esbuild bundles what a function uses into it):
 * the values (account IDs, role ARNs, ARNs, regions, timestamps, vault and workload names), the
 * wording of their problems, and the conversion of the first issue into an {@link InvalidInputError}.
 *
 * One contract per boundary: each function's input is one schema, from which both the function's
 * parser (`z.output`, the type its logic reads) and the state machine's Payload type (`z.input`,
 * checked at synth time by modules/recovery/payload.ts) come.
 *
 * Two wordings, as the functions have always worded their problems:
 * - plain (prepare-restore, locate-recovery-points, check-readiness): `field is missing`,
 *   `field must be a string, got number`, `field must be <expected>, got "x"` ({@link text});
 * - quoted (report-recovery, cleanup-drill): `"field" is missing`,
 *   `"field" must be a non-empty string, got number 3` ({@link nonBlank}), values described by
 *   {@link describeValue}.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { ACCOUNT_ID, ACCOUNT_ID_EXPECTED, ROLE_ARN, roleAccount } from './account';
import { describeType, describeValue, InvalidInputError, shown } from './input-values';

/** Absent and null both mean "not given" (Step Functions passes null for a missing optional value). */
export const isMissing = (value: unknown): value is undefined | null => value === undefined || value === null;

type Problem = (value: unknown) => string;

/** An issue's message: `is missing` for absent or null, else `problem(value)`. */
export const missingOr =
  (problem: Problem) =>
  (issue: { readonly input?: unknown }): string =>
    isMissing(issue.input) ? 'is missing' : problem(issue.input);

// --- Values ------------------------------------------------------------------------------------

/**
 * An ARN: groups 1-5 are the partition, service, region (empty for global resources), account
 * (empty for S3 buckets) and resource.
 */
export const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(\S+)$/;
export const ARN_EXPECTED = 'an ARN';

/** ISO 8601 date-time with a time zone, as Step Functions (`$$.Execution.StartTime`, `$$.State.EnteredTime`) and the AWS SDKs write them. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The parts of an ARN ({@link ARN}); `undefined` for anything else. */
export function arnParts(text: string): { readonly partition: string; readonly service: string; readonly region: string; readonly account: string; readonly resource: string } | undefined {
  const match = ARN.exec(text);
  return match ? { partition: match[1], service: match[2], region: match[3], account: match[4], resource: match[5] } : undefined;
}

// --- Plain wording -----------------------------------------------------------------------------

/** A non-empty string matching `pattern`; `expected` says what it should look like. Empty is missing. */
export const text = (pattern: RegExp, expected: string) =>
  z.string({ error: missingOr((value) => `must be a string, got ${describeType(value)}`) }).check(
    // No pattern here matches "": an empty string is missing.
    z.regex(pattern, { error: (issue) => (issue.input === '' ? 'is missing' : `must be ${expected}, got ${shown(issue.input)}`) }),
  );

/** As {@link text}, but absent, null or empty is `undefined`. */
export const optionalText = (pattern: RegExp, expected: string) =>
  z.pipe(
    z.nullish(
      z.string({ error: (issue) => `must be a string, got ${describeType(issue.input)}` }).check(
        z.refine((value) => value === '' || pattern.test(value), { error: (issue) => `must be ${expected}, got ${shown(issue.input)}` }),
      ),
    ),
    z.transform((value) => (value === '' || value === null ? undefined : value)),
  );

/** A 12-digit AWS account ID. */
export const accountId = () => text(ACCOUNT_ID, ACCOUNT_ID_EXPECTED);
export const optionalAccountId = () => optionalText(ACCOUNT_ID, ACCOUNT_ID_EXPECTED);
/** An IAM role ARN. */
export const roleArn = () => text(ROLE_ARN, 'an IAM role ARN');

/** A problem of a role (at `path` in the object checked) that is not of the account `accountId` of `whose` ("the central vault's"). */
export function roleOfAccount(roleArnValue: string, accountIdValue: string, whose: string, path: PropertyKey[]): z.core.$ZodRawIssue | undefined {
  if (roleAccount(roleArnValue) === accountIdValue) return undefined;
  return { code: 'custom', path, input: roleArnValue, message: `must be a role of ${whose} account ${accountIdValue}, got ${JSON.stringify(roleArnValue)}` };
}

/** A number in (0, max]; `maxNote` follows the maximum in the message (`(one year)`). */
export const positiveNumber = (max: number, maxNote = '') =>
  z.number({ error: missingOr((value) => `must be a number, got ${describeType(value)}`) }).check(
    z.refine((value) => value > 0 && value <= max, { error: (issue) => `must be greater than 0 and at most ${max}${maxNote ? ` ${maxNote}` : ''}, got ${String(issue.input)}` }),
  );

/** An object (not null, not an array) with `shape`. */
export const record = <S extends z.core.$ZodLooseShape>(shape: S) => z.object(shape, { error: missingOr((value) => `must be an object, got ${describeType(value)}`) });

interface ListWording {
  /** What a value that is not an array must be (`an array of <expected>s`). */
  readonly notAnArray?: string;
  /** The problem of a list shorter than `minimum`. */
  readonly tooShort?: string;
}

function strings(pattern: RegExp, expected: string, minimum: number, wording: ListWording) {
  const item = z.string({ error: (issue) => `must be ${expected}, got ${shown(issue.input)}` }).check(z.regex(pattern, { error: (issue) => `must be ${expected}, got ${shown(issue.input)}` }));
  return z
    .array(item, { error: missingOr((value) => `must be ${wording.notAnArray ?? `an array of ${expected}s`}, got ${describeType(value)}`) })
    .check(z.minLength(minimum, { error: wording.tooShort ?? `must list at least ${minimum} ${expected}` }));
}

/** Deduplicated in input order; absent or null is empty. */
const unique = <T extends string[] | null | undefined>() => z.transform((items: T) => [...new Set(items ?? [])]);

/** A list of strings matching `pattern`, deduplicated in input order: absent or null is empty. */
export const textList = (pattern: RegExp, expected: string, wording: ListWording = {}) => z.pipe(z.nullish(strings(pattern, expected, 0, wording)), unique<string[] | null | undefined>());

/** As {@link textList}, but required, with at least `minimum` strings. */
export const requiredTextList = (pattern: RegExp, expected: string, minimum: number, wording: ListWording = {}) => z.pipe(strings(pattern, expected, minimum, wording), unique<string[]>());

// --- Quoted wording ----------------------------------------------------------------------------

const notNonEmpty = (value: unknown) => `must be a non-empty string, got ${describeValue(value)}`;

/** A string that is not blank; with `pattern`, matching it (`must be <expected>, got "x"`). */
export function nonBlank(pattern?: RegExp, expected?: string) {
  const checks: z.core.$ZodCheck<string>[] = [z.refine((value: string) => value.trim().length > 0, { error: (issue) => notNonEmpty(issue.input) })];
  if (pattern) checks.push(z.regex(pattern, { error: (issue) => `must be ${expected}, got ${describeValue(issue.input)}` }));
  return z.string({ error: missingOr(notNonEmpty) }).check(...checks);
}

/** A string or nothing: absent, null or empty is `undefined`. */
export const optionalString = () =>
  z.pipe(
    z.nullish(z.string({ error: (issue) => `must be a string, got ${describeValue(issue.input)}` })),
    z.transform((value) => (value === '' || value === null ? undefined : value)),
  );

/** An object (not null, not an array) with `shape`, in the quoted wording (an item of a list: null is not an object either). */
export const quotedRecord = <S extends z.core.$ZodLooseShape>(shape: S) => z.object(shape, { error: (issue) => `must be an object, got ${describeValue(issue.input)}` });

/** An array of `item`; absent or null is empty. `notAnArray` says what it must be (`an array`). */
export const optionalList = <T extends z.core.SomeType>(item: T, notAnArray = 'an array') =>
  z.pipe(
    z.nullish(z.array(item, { error: (issue) => `must be ${notAnArray}, got ${describeValue(issue.input)}` })),
    z.transform((items) => items ?? []),
  );

/** How {@link timestamp} words a value that is not a string, not an ISO 8601 timestamp, or no date (month 13). */
export interface TimestampWording {
  readonly notAString: Problem;
  readonly malformed: Problem;
  readonly notADate?: Problem;
}

/** A required ISO 8601 timestamp ({@link ISO_TIMESTAMP}), parsed to a Date. */
export function timestamp({ notAString, malformed, notADate = malformed }: TimestampWording) {
  return z.pipe(
    z.string({ error: missingOr(notAString) }).check(z.regex(ISO_TIMESTAMP, { error: (issue) => malformed(issue.input) })),
    z.transform((value, ctx) => {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return new Date(ms);
      ctx.issues.push({ code: 'custom', input: value, message: notADate(value) });
      return z.NEVER;
    }),
  );
}

/** As {@link timestamp}, but absent or null is `undefined`. */
export const optionalTimestamp = (wording: TimestampWording) => z.pipe(z.nullish(timestamp(wording)), z.transform((value) => value ?? undefined));

// --- Parsing -----------------------------------------------------------------------------------

/** `target.subnetIds[1]`: the dotted path of an issue, `''` for the input itself. */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

/**
 * `input` parsed by `schema`, else the error `fail` makes of the first issue (the schemas list their
 * fields in the order they are checked): its dotted path (`''` for the input itself) and problem.
 */
export function parseOrThrow<S extends z.core.$ZodType>(schema: S, input: unknown, fail: (field: string, problem: string) => Error): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw fail(fieldOf(issue.path), issue.message);
}

/** The plain wording's error: `Invalid input: target.nameSuffix is missing` (`input` for the input itself), `field` set. */
export const plainError = (field: string, problem: string): Error => new InvalidInputError(field === '' ? 'input' : field, problem);

/** The quoted wording's error: `Invalid input: "restores[0]" must be an object, got ...`, or the problem alone for the input itself. */
export const quotedError = (field: string, problem: string): Error => new InvalidInputError(field === '' ? problem : `"${field}" ${problem}`);
