/**
 * aws-local-stepfunctions, prepared for the rehearsal:
 *
 * - `Promise.withResolvers` (ES2024) is polyfilled: the interpreter needs it and Node 20 lacks it.
 * - Indefinite JSONPaths (`[*]`, `..`, filters, slices, unions) always yield an array, as in Step
 *   Functions: the interpreter queries jsonpath-plus with `wrap: false`, which yields `undefined`
 *   (then an uncatchable States.Runtime error) for an indefinite path that matches nothing, e.g.
 *   `$.restores[?(@.resourceType == 'EFS')].createdResourceArn` in a recovery without EFS.
 */

interface PromiseWithResolvers {
  withResolvers?: <T>() => { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };
}

const promiseCtor = Promise as unknown as PromiseWithResolvers;
if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** A path that can select several nodes (JsonPath's "indefinite" paths). */
export function isIndefinitePath(path: string): boolean {
  return /\.\.|\[\s*\*\s*\]|\.\*|\[\s*\?|\[[^\]'"]*[:,][^\]]*\]/.test(path);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonpathPlus = require('jsonpath-plus') as { JSONPath: ((...args: any[]) => unknown) & { rehearsalShim?: boolean } };
if (!jsonpathPlus.JSONPath.rehearsalShim) {
  const original = jsonpathPlus.JSONPath;
  const shim = function (this: unknown, ...args: any[]) {
    const [opts] = args;
    if (opts && typeof opts === 'object' && opts.wrap === false && typeof opts.path === 'string' && isIndefinitePath(opts.path)) {
      return original.call(this, { ...opts, wrap: true }, ...args.slice(1));
    }
    // The interpreter's own form, JSONPath({ path, json, wrap: false }) called as a function: jsonpath-plus
    // answers a scalar by throwing and catching an Error (its NewError), a stack trace per path read;
    // an instance that does not start by itself evaluates the same options and returns the value.
    if (!(this instanceof original) && args.length === 1 && opts && typeof opts === 'object' && typeof opts.path === 'string' && 'json' in opts) {
      return (new (original as any)({ ...opts, autostart: false }) as { evaluate(o: unknown): unknown }).evaluate(opts);
    }
    return original.apply(this, args);
  } as typeof original;
  Object.assign(shim, original, { rehearsalShim: true });
  shim.prototype = original.prototype;
  jsonpathPlus.JSONPath = shim;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { StateMachine, ExecutionError, ExecutionAbortedError } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');
