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

/**
 * Lets the principal pass `roleArn` to `service` only (e.g. `backup.amazonaws.com`): iam:PassRole
 * scoped with iam:PassedToService, so that the role cannot be handed to any other service.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 */
export function passRoleStatement(sid: string, roleArn: string, service: string): PolicyStatement {
  return { Sid: sid, Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn, Condition: { StringEquals: { 'iam:PassedToService': service } } };
}

/** The policy of a role created outside a construct, made of grants: a {@link Grantable} that keeps its statements in order. */
export class GrantedPolicy implements Grantable {
  private readonly statements: PolicyStatement[] = [];

  addToPrincipalPolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /** The statements granted so far, as one document (Sids must be unique). */
  document(): PolicyDocument {
    return policyDocument(...this.statements);
  }
}

/** A principal whose identity policy can take statements (in the manner of aws-cdk-lib's `IGrantable`). */
export interface Grantable {
  /** Adds `statement` to the principal's own policy; its Sid must be unique there. */
  addToPrincipalPolicy(statement: PolicyStatement): void;
}

/** Stable JSON rendering of a policy (key order as written, no whitespace differences between runs). */
export function renderPolicy(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/**
 * Trust policy letting an AWS service assume a role only on behalf of `sourceAccount`, and of
 * `sourceArnPattern` when given (confused-deputy guard). `sid` names what may assume it.
 */
export function serviceTrustPolicy(service: string, sourceAccount: string, sourceArnPattern?: string, sid = 'AllowServiceForThisAccountOnly'): PolicyDocument {
  const condition: ConditionBlock = { StringEquals: { 'aws:SourceAccount': sourceAccount } };
  if (sourceArnPattern) condition.ArnLike = { 'aws:SourceArn': sourceArnPattern };
  return policyDocument({
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    Condition: condition,
  });
}

export interface CrossAccountRoleTrust {
  /** Names who may assume the role, e.g. `DrRecoveryRolesOnly`. */
  readonly sid: string;
  readonly partition: string;
  /** The account whose roles may assume the role. */
  readonly accountId: string;
  /** Only principals of this organization (`aws:PrincipalOrgID`). */
  readonly organizationId: string;
  /** The one role that may assume it (`ArnEquals`), or, with `roleArnPattern`, the roles (`ArnLike`). */
  readonly roleArn?: string;
  readonly roleArnPattern?: string;
}

/**
 * Trust policy for named roles of another account of the organization: the account root as
 * principal, the roles as an `aws:PrincipalArn` condition, because IAM rejects a trust policy that
 * names a role that does not exist yet, and the trusted account's stack may deploy after this one.
 */
export function crossAccountRoleTrustPolicy(props: CrossAccountRoleTrust): PolicyDocument {
  const { roleArn, roleArnPattern } = props;
  let principalArn: ConditionBlock;
  if (roleArn !== undefined && roleArnPattern === undefined) principalArn = { ArnEquals: { 'aws:PrincipalArn': roleArn } };
  else if (roleArnPattern !== undefined && roleArn === undefined) principalArn = { ArnLike: { 'aws:PrincipalArn': roleArnPattern } };
  else throw new Error(`crossAccountRoleTrustPolicy ${props.sid}: set exactly one of roleArn and roleArnPattern`);
  return policyDocument({
    Sid: props.sid,
    Effect: 'Allow',
    Principal: { AWS: accountRootArn(props.partition, props.accountId) },
    Action: 'sts:AssumeRole',
    Condition: { ...principalArn, StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
  });
}

export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}
