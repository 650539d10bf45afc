/**
 * The `Payload` of a `lambda:invoke` Task, checked at compile time against the function's input: `T`
 * is `z.input` of the function's schema (e.g. functions/locate-recovery-points/input.ts
 * `LocatePayload`), the one contract of both sides. Each field is given either as a value (`mode:
 * 'failback'`, checked against the field's input type) or as a path (`'mode.$': '$.mode'`, a string
 * Step Functions resolves at run time); every required field is given one way or the other, and a key
 * the schema does not know does not compile. Renaming a field in a schema breaks the build here.
 */

type Field<T> = keyof T & string;
/** The fields `T` requires (not `?`). */
type RequiredField<T> = { [K in Field<T>]-?: {} extends Pick<T, K> ? never : K }[Field<T>];

/** Any field, as a value or a path. */
type AnyField<T> = { [K in Field<T>]?: T[K] } & { [K in Field<T> as `${K}.$`]?: string };

/** One required field `K`, as a value or a path. */
type Given<T, K extends string & keyof T> = { [P in K]: T[K] } | { [P in `${K}.$`]: string };

/** `A | B` to `A & B`. */
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every required field given: the intersection over them of {@link Given} (each boxed, so that the unions stay per field). */
type AllRequired<T> = [RequiredField<T>] extends [never]
  ? unknown
  : Intersection<{ [K in RequiredField<T>]: { given: Given<T, K> } }[RequiredField<T>]> extends { given: infer G }
    ? G
    : never;

/** A Task's `Payload` for a function whose input is `T`. */
export type PayloadOf<T> = AnyField<T> & AllRequired<T>;

/**
 * `payloadFor<LocatePayload>()({ 'workload.$': '$.config.workload', ... })`: the payload as written,
 * after the compiler checked it against {@link PayloadOf}.
 */
export const payloadFor =
  <T>() =>
  (payload: PayloadOf<T>): Record<string, unknown> =>
    payload as Record<string, unknown>;
