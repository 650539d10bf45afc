/**
 * The value kept on the global object under `name`, created by `create` the first time. A host that
 * runs several module registries in one process shares one value between them: the test suite's
 * environment (__tests__/environment.js) puts the worker's own there before each Jest test file,
 * whose registry would otherwise start every module-level cache empty. Elsewhere (the app, a script)
 * it is simply the process's.
 *
 * Only for answers that are pure functions of strings, kept as strings and numbers: nothing of one
 * registry's objects may reach another.
 */
export function sharedAcrossRegistries<T>(name: `__dr${string}`, create: () => T): T {
  const host = globalThis as Record<string, unknown>;
  return (host[name] ??= create()) as T;
}
