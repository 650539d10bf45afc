/**
 * The shape of a policy-pack rule (as in cdk-nag): a pure function from one synthesized resource to
 * compliant / non-compliant / not applicable, named after the public scanner check it mirrors so
 * auditors can map findings.
 */

export interface SynthesizedResource {
  /** Terraform resource type, e.g. `aws_kms_key`. */
  readonly type: string;
  /** Construct path, e.g. `dr/FunctionsKey/Key`. */
  readonly path: string;
  /** Terraform address, e.g. `aws_kms_key.FunctionsKey_Key_1A2B3C4D`; references to it contain `${<address>.`. */
  readonly address: string;
  /** Synthesized attributes (snake_case, references resolved to `${type.name.attr}` strings). */
  readonly attributes: Record<string, unknown>;
}

export type RuleResult =
  | { readonly status: 'compliant' }
  | { readonly status: 'not-applicable' }
  | { readonly status: 'non-compliant'; readonly finding: string };

export interface PolicyRule {
  /** Public scanner ID (Checkov `CKV_AWS_*`, tfsec/Trivy `AVD-AWS-*`, Prowler or cdk-nag name). */
  readonly id: string;
  readonly name: string;
  /** How to fix a finding. */
  readonly fix: string;
  /**
   * `resource` is the one checked; `stack` gives every resource of the same stack, for rules that
   * look at companion resources (a bucket's versioning, a function's log group).
   */
  check(resource: SynthesizedResource, stack: readonly SynthesizedResource[]): RuleResult;
}

export const compliant: RuleResult = { status: 'compliant' };
export const notApplicable: RuleResult = { status: 'not-applicable' };
export const nonCompliant = (finding: string): RuleResult => ({ status: 'non-compliant', finding });

/** A rule's check of resources of `type` alone: every other resource is not applicable to it. */
export function forType(type: string, check: PolicyRule['check']): PolicyRule['check'] {
  return (resource, stack) => (resource.type === type ? check(resource, stack) : notApplicable);
}

/** Parses a JSON policy attribute; undefined when absent or not JSON. */
export function policyOf(value: unknown): { Statement?: Record<string, unknown>[] | Record<string, unknown> } | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export function statementsOf(value: unknown): Record<string, unknown>[] {
  const statements = policyOf(value)?.Statement;
  if (!statements) return [];
  return Array.isArray(statements) ? statements : [statements];
}

export const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** The first element of a Terraform block (blocks synthesize as objects or one-element lists). */
export function block(v: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  return first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

/** Whether `value` (an attribute) refers to the resource at `address`. */
export const refersTo = (value: unknown, address: string): boolean => typeof value === 'string' && value.includes(`\${${address}.`);

export const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
