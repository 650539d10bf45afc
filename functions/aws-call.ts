/**
 * AWS calls of the functions' logic: retried with backoff while throttled, any other error wrapped
 * in the function's `AwsCallError`, and given up on with the function's own error after
 * `maxThrottleAttempts`. Shared by every `functions/<name>/logic.ts` (esbuild bundles it into each).
 *
 * A file rather than a `functions/shared/` folder: every folder under `functions/` is a function
 * (the stack bundles `functions/<name>/index.ts`, and the tests and the benchmark bundle each one).
 */

import { namedError } from './errors';

/** Error codes of throttled requests, retried with exponential backoff and jitter (a function may retry more). */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** The part of a logger this logic uses (Powertools' Logger satisfies it). */
export interface Logger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** The options of a function's logic that {@link awsCaller} reads. */
export interface ThrottleOptions {
  /** Attempts of one AWS call while it is throttled, the first included. */
  readonly maxThrottleAttempts: number;
  /** Backoff before the first retry; doubles on every retry, up to {@link maxBackoffMs}. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** The dependencies of a function's logic that {@link callRuntime} reads. */
export interface CallDeps<O extends ThrottleOptions> {
  readonly logger: Logger;
  /** Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default: Math.random. */
  readonly random?: () => number;
  readonly options?: Partial<O>;
}

/** The part of a function's runtime that {@link awsCaller} uses. */
export interface CallRuntime<O extends ThrottleOptions = ThrottleOptions> {
  readonly logger: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly options: O;
  /** Attributes added to every log line: what is known so far. */
  readonly context: Record<string, unknown>;
}

/** The runtime of `deps`: their defaults filled in, `options` over `defaults`, an empty log context. */
export function callRuntime<O extends ThrottleOptions>(deps: CallDeps<O>, defaults: O): CallRuntime<O> {
  return {
    logger: deps.logger,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: deps.random ?? Math.random,
    options: { ...defaults, ...deps.options },
    context: {},
  };
}

/** {@link callRuntime} with the rest of `deps` (the function's clients) beside it: a function's whole runtime. */
export function runtimeWithClients<O extends ThrottleOptions, D extends CallDeps<O>>(deps: D, defaults: O): Omit<D, keyof CallDeps<O>> & CallRuntime<O> {
  return { ...deps, ...callRuntime(deps, defaults) };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The AWS error code of an SDK error (`name`, or `Code`/`code` of other shapes). */
export function errorCode(error: unknown): string {
  if (isRecord(error)) {
    for (const key of ['name', 'Code', 'code']) {
      const value = error[key];
      if (typeof value === 'string' && value.length > 0 && value !== 'Error') return value;
    }
  }
  return 'UnknownError';
}

export function isThrottling(error: unknown, codes: ReadonlySet<string> = THROTTLING_ERROR_CODES): boolean {
  return codes.has(errorCode(error));
}

/**
 * Delay before retry number `retry` (1-based): "equal jitter", half of the exponential delay plus a
 * random share of the other half, so that delays never decrease from one retry to the next.
 */
export function backoffDelay(retry: number, random: () => number, options: Pick<ThrottleOptions, 'baseBackoffMs' | 'maxBackoffMs'>): number {
  const exponential = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** A function's error class: `new (message, { cause })`. */
export type ErrorClass<E extends Error = Error> = new (message: string, options?: { cause?: unknown }) => E;

/** An AWS call failed with something other than throttling; `code` is the AWS error code. */
export type AwsCallErrorOf<E extends Error> = E & { readonly operation: string; readonly code: string };

/**
 * The `AwsCallError` class of a function: a subclass of the function's error class `Base`, so that it
 * is one of the function's errors ({@link functionCalls} declares both).
 */
function awsCallErrorClass<E extends Error>(Base: ErrorClass<E>): new (operation: string, code: string, cause: unknown) => AwsCallErrorOf<E> {
  class AwsCallError extends (Base as ErrorClass) {
    constructor(
      readonly operation: string,
      readonly code: string,
      cause: unknown,
    ) {
      super(`${operation} failed: ${code}: ${messageOf(cause)}`, { cause });
      this.name = 'AwsCallError';
    }
  }
  return AwsCallError as unknown as new (operation: string, code: string, cause: unknown) => AwsCallErrorOf<E>;
}

interface AwsCallerConfig<E extends Error> {
  /** Thrown for any error but throttling. */
  readonly AwsCallError: new (operation: string, code: string, cause: unknown) => Error;
  /** Thrown when the call is still throttled after `maxThrottleAttempts`. */
  readonly GiveUpError: ErrorClass<E>;
  /** The codes retried: {@link THROTTLING_ERROR_CODES} and the function's own. */
  readonly throttlingCodes: ReadonlySet<string>;
}

/** Runs one AWS call: `send`, named `operation` in errors and logs; `logContext` is added to `rt.context` in the log. */
export type AwsCall = <T>(rt: CallRuntime, operation: string, send: () => Promise<T>, logContext?: Record<string, unknown>) => Promise<T>;

/**
 * The `call` of a function: runs one AWS call, retrying it while throttled (logging
 * 'AWS call throttled; retrying'); any other error becomes an `AwsCallError`, and throttling on all
 * `maxThrottleAttempts` a `GiveUpError`.
 */
function awsCaller<E extends Error>(config: AwsCallerConfig<E>): AwsCall {
  const { AwsCallError, GiveUpError, throttlingCodes } = config;
  return async (rt, operation, send, logContext) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const code = errorCode(error);
        if (!isThrottling(error, throttlingCodes)) throw new AwsCallError(operation, code, error);
        if (attempt >= rt.options.maxThrottleAttempts) {
          throw new GiveUpError(`${operation} was throttled (${code}) on all ${attempt} attempts; giving up`, { cause: error });
        }
        const delayMs = backoffDelay(attempt, rt.random, rt.options);
        rt.logger.warn('AWS call throttled; retrying', { ...rt.context, ...logContext, operation, errorCode: code, attempt, delayMs });
        await rt.sleep(delayMs);
      }
    }
  };
}

/** What {@link functionCalls} gives a function. */
export interface FunctionCalls {
  /** The function's own error: every failure of it but an invalid input is one; its `name` is the contract. */
  readonly FunctionError: ErrorClass;
  /** An AWS call failed with something other than throttling: one of the function's errors, with `operation` and the AWS `code`. */
  readonly AwsCallError: new (operation: string, code: string, cause: unknown) => AwsCallErrorOf<Error>;
  /** {@link THROTTLING_ERROR_CODES} and the function's own. */
  readonly throttlingCodes: ReadonlySet<string>;
  /** Runs one AWS call, retrying it while throttled ({@link awsCaller}). */
  readonly call: AwsCall;
}

/**
 * A function's errors and its throttled AWS call, declared once per function as
 * `export const { FunctionError: XError, AwsCallError, call } = functionCalls('XError', [...codes])`.
 * `moreThrottlingCodes` are the codes its services throttle with beyond {@link THROTTLING_ERROR_CODES}.
 */
export function functionCalls(errorName: string, moreThrottlingCodes: readonly string[] = []): FunctionCalls {
  const FunctionError = namedError(errorName);
  const AwsCallError = awsCallErrorClass(FunctionError);
  const throttlingCodes: ReadonlySet<string> = new Set([...THROTTLING_ERROR_CODES, ...moreThrottlingCodes]);
  return { FunctionError, AwsCallError, throttlingCodes, call: awsCaller({ AwsCallError, GiveUpError: FunctionError, throttlingCodes }) };
}

/**
 * The region an SDK client was configured with (a value or the SDK's provider function), or
 * undefined when it has none: the first call then fails with the SDK's own message.
 */
export async function configuredRegion(client: { config: { region?: unknown } }): Promise<string | undefined> {
  try {
    const region: unknown = client.config.region;
    const value: unknown = typeof region === 'function' ? await (region as () => Promise<unknown>)() : region;
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
