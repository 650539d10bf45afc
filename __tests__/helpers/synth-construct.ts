// Module suites synthesize one construct from default props plus each test's overrides; this is that scaffold.
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';

type ConstructClass<P> = new (scope: Construct, id: string, props: P) => unknown;

/** A function that synthesizes `Ctor` (as `id`, alone in a scope) with `defaults` and the given overrides. */
export function synthWithDefaults<P>(Ctor: ConstructClass<P>, id: string, defaults: NoInfer<P>): (overrides?: Partial<P>) => string {
  return (overrides = {}) =>
    Testing.synthScope((scope) => {
      new Ctor(scope, id, { ...defaults, ...overrides });
    });
}
