/**
 * IAM policy documents as the simulation reads them (the JSON of the synthesized policies), and the
 * identity policies a test supplies for principals whose policies the estate does not synthesize.
 */

export interface PolicyStatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocumentJson {
  Version?: string;
  Id?: string;
  Statement: PolicyStatementJson[];
}

/** An identity policy supplied by a test for a principal whose policies the estate does not synthesize. */
export interface NamedPolicy {
  name: string;
  policy: PolicyDocumentJson;
}

/** `Action: *`, `Resource: *`: an account administrator (AdministratorAccess-like). */
export const ADMINISTRATOR_ACCESS: NamedPolicy = {
  name: 'AdministratorAccess',
  policy: { Version: '2012-10-17', Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** A named identity policy allowing `actions` on `resources` (default `*`). */
export function allowPolicy(name: string, actions: string | string[], resources: string | string[] = '*'): NamedPolicy {
  return { name, policy: { Version: '2012-10-17', Statement: [{ Sid: 'Allow', Effect: 'Allow', Action: actions, Resource: resources }] } };
}

export function named(p: NamedPolicy | PolicyDocumentJson, fallback: string): NamedPolicy {
  return 'policy' in p && 'name' in p ? p : { name: fallback, policy: p as PolicyDocumentJson };
}
