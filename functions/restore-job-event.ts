/**
 * The envelope of AWS Backup's `Restore Job State Change` events, shared by the functions that react to
 * them (attach-restored-volume, validate-restore): one zod schema, {@link restoreJobEnvelopeSchema},
 * from which both the functions' parsing and the event type ({@link RestoreJobEvent}, `z.input`) come.
 * Its {@link EXPECTED_SOURCE} and {@link EXPECTED_DETAIL_TYPE} are also what the EventBridge rules that
 * route these events to the functions match (modules/event-patterns.ts). Each function reads its own
 * fields of `detail` with its own schema (the functions' event.ts).
 *
 * Events grow fields: every object here is loose (unknown fields are kept, never rejected), and only the
 * fields used are checked for their types.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { isMissing } from './input-schemas';
import { describeType } from './input-values';

export const EXPECTED_SOURCE = 'aws.backup';
export const EXPECTED_DETAIL_TYPE = 'Restore Job State Change';

export class MalformedEventError extends Error {
  constructor(message: string) {
    super(`Malformed event: ${message}`);
    this.name = 'MalformedEventError';
  }
}

/** A string, or `undefined` for anything else (a field of a type AWS does not send is as good as absent). */
export const lenientString = () => z.catch(z.optional(z.string()), undefined);

/**
 * The fields of `detail` every restore event is read by: restore events carry `status` (PENDING,
 * RUNNING, COMPLETED, ABORTED, FAILED); the CREATED event carries `state` instead.
 */
const restoreJobDetailSchema = z.looseObject(
  { status: lenientString(), state: lenientString() },
  { error: (issue) => (issue.input === undefined ? '"detail" is missing' : `"detail" must be an object, got ${describeType(issue.input)}`) },
);

/** The rule already matches these; an event with other values was not meant for the function (ignored, not malformed). */
const ENVELOPE_FIELDS = ['source', 'detail-type'] as const;

/**
 * An EventBridge event object with a `detail` object; `source` and `detail-type`, when present, are
 * {@link EXPECTED_SOURCE} and {@link EXPECTED_DETAIL_TYPE} (other values: the event is ignored).
 * Checked in shape order: `detail` first, then `source`, then `detail-type`.
 */
export const restoreJobEnvelopeSchema = z.looseObject(
  {
    detail: restoreJobDetailSchema,
    source: z.optional(z.literal(EXPECTED_SOURCE, { error: (issue) => `source ${JSON.stringify(issue.input)} is not "${EXPECTED_SOURCE}"` })),
    'detail-type': z.optional(z.literal(EXPECTED_DETAIL_TYPE, { error: (issue) => `detail-type ${JSON.stringify(issue.input)} is not "${EXPECTED_DETAIL_TYPE}"` })),
  },
  { error: (issue) => `expected an EventBridge event object, got ${describeType(issue.input)}` },
);

/**
 * A `Restore Job State Change` event as the functions accept it (`z.input`); `D` is the `detail` fields
 * a function reads beyond `status` and `state` (`z.input` of its detail schema).
 */
export type RestoreJobEvent<D extends object = {}> = Omit<z.input<typeof restoreJobEnvelopeSchema>, 'detail'> & {
  readonly detail: z.input<typeof restoreJobDetailSchema> & D;
};

/** The fields of `T` it names (not those of an index signature: a loose object's `[k: string]: unknown`). */
type KnownFields<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] } & string;

/**
 * The `detail` fields a function reads of its events (`E`, e.g. attach-restored-volume's `RestoreEvent`):
 * what an EventBridge rule routing them to it may match on, checked when the rule is built
 * (modules/event-patterns.ts).
 */
export type RestoreJobDetailField<E extends RestoreJobEvent> = KnownFields<E['detail']>;

/**
 * `detail` parsed by `schema`, else a {@link MalformedEventError} naming the first issue's field
 * (`detail.<field> <problem>`; the schemas list their fields in the order they are checked).
 */
export function parseDetail<S extends z.core.$ZodType>(schema: S, detail: unknown): z.output<S> {
  const result = z.safeParse(schema, detail);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedEventError([`detail`, ...issue.path.map(String)].join('.') + ` ${issue.message}`);
}

/** A non-empty string; absent, null or empty is `missing` (`is missing from ...`), another type `notAString(value)`. */
export const requiredEventString = (missing: string, notAString: (value: unknown) => string) =>
  z.string({ error: (issue) => (isMissing(issue.input) ? missing : notAString(issue.input)) }).check(z.minLength(1, { error: missing }));

/** An event a function leaves alone, and why (logged, never an error). */
export interface IgnoredEvent {
  readonly kind: 'ignored';
  readonly reason: string;
}

/**
 * The `detail` of a restore job event (loose: every field as sent), its `status` (`detail.status`, else
 * `detail.state`, when a string), or why the event is ignored (another source or detail-type).
 * Throws {@link MalformedEventError} when the event is not an object with a `detail` object.
 */
export function restoreJobDetail(
  event: unknown,
): { readonly kind: 'detail'; readonly detail: Record<string, unknown>; readonly status: string | undefined } | IgnoredEvent {
  const result = z.safeParse(restoreJobEnvelopeSchema, event);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path[0];
    if ((ENVELOPE_FIELDS as readonly PropertyKey[]).includes(field)) return { kind: 'ignored', reason: issue.message };
    throw new MalformedEventError(issue.message);
  }
  const { detail } = result.data;
  // The detail as sent (the functions' schemas report the types of its fields as sent).
  const raw = (event as { detail: Record<string, unknown> }).detail;
  return { kind: 'detail', detail: raw, status: detail.status ?? detail.state };
}
