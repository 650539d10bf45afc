/**
 * IAM policy documents as plain typed data.
 *
 * Policies are rendered to literal JSON (not `aws_iam_policy_document` data sources) so that the
 * synthesized Terraform shows reviewers the exact policy, and so that tests and policy simulators can
 * read it from `cdktf.out` without running Terraform.
 */

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export type Principal = '*' | { AWS?: string | string[]; Service?: string | string[] };

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Principal;
  Action: string | string[];
  Resource?: string | string[];
  /** Every resource but these (Deny guards that fence a role into the estate). */
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  const sids = new Set<string>();
  for (const s of statements) {
    if (sids.has(s.Sid)) throw new Error(`Policy statement Sid "${s.Sid}" is used twice; Sids must be unique within a policy`);
    sids.add(s.Sid);
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Stable JSON rendering of a policy (key order as written, no whitespace differences between runs). */
export function renderPolicy(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** Trust policy letting an AWS service assume a role only on behalf of `sourceAccount` (confused-deputy guard). */
export function serviceTrustPolicy(service: string, sourceAccount: string, sourceArnPattern?: string): PolicyDocument {
  const condition: ConditionBlock = { StringEquals: { 'aws:SourceAccount': sourceAccount } };
  if (sourceArnPattern) condition.ArnLike = { 'aws:SourceArn': sourceArnPattern };
  return policyDocument({
    Sid: 'AllowServiceForThisAccountOnly',
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    Condition: condition,
  });
}

export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}
