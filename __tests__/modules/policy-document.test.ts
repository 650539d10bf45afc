import { crossAccountRoleTrustPolicy, GrantedPolicy, passRoleStatement, policyDocument, serviceTrustPolicy, type PolicyDocument } from '../../modules/policy-document';
import { allowPolicy, evaluatePolicies, type NamedPolicy } from '../../simulation/policy-model';

const ORG = 'o-a1b2c3d4e5';
/** The role whose trust policy is evaluated (the account matters to IAM: a principal of another is cross-account). */
const TRUSTING_ROLE = 'arn:aws:iam::111111111111:role/acme-central-copy-starter';

/** Whether `principal` may assume the role TRUSTING_ROLE under the trust policy `trust`. */
async function mayAssume(trust: PolicyDocument, principal: string, context: Record<string, string>, identityPolicies: NamedPolicy[] = []): Promise<boolean> {
  const outcome = await evaluatePolicies({ principal, action: 'sts:AssumeRole', resourceArn: TRUSTING_ROLE, resourceAccount: '111111111111', identityPolicies, resourcePolicy: { name: 'trust', policy: trust }, context });
  return outcome.decision === 'Allowed';
}

/** Whether a role of another account (with the given org) may assume it: the role's own policy allows the call. */
function roleMayAssume(trust: PolicyDocument, principal: string, orgId: string | undefined): Promise<boolean> {
  const context = { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': principal.split(':')[4], ...(orgId ? { 'aws:PrincipalOrgID': orgId } : {}) };
  return mayAssume(trust, principal, context, [allowPolicy('caller', 'sts:AssumeRole', TRUSTING_ROLE)]);
}

/** Whether `service` acting for `sourceAccount` (and `sourceArn`) may assume it. */
function serviceMayAssume(trust: PolicyDocument, service: string, sourceAccount: string, sourceArn?: string): Promise<boolean> {
  return mayAssume(trust, service, { 'aws:SourceAccount': sourceAccount, ...(sourceArn ? { 'aws:SourceArn': sourceArn } : {}) });
}

describe('policyDocument', () => {
  it('rejects a Sid used twice, naming it', () => {
    const s = { Sid: 'Same', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    expect(() => policyDocument(s, { ...s })).toThrow('Policy statement Sid "Same" is used twice');
  });
});

describe('GrantedPolicy', () => {
  it('keeps the granted statements in order, and rejects a Sid granted twice', () => {
    const granted = new GrantedPolicy();
    const a = { Sid: 'A', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    granted.addToPrincipalPolicy(a);
    granted.addToPrincipalPolicy({ ...a, Sid: 'B' });
    expect(granted.document().Statement.map((st) => st.Sid)).toEqual(['A', 'B']);
    granted.addToPrincipalPolicy({ ...a });
    expect(() => granted.document()).toThrow('Sid "A" is used twice');
  });
});

describe('passRoleStatement', () => {
  const ROLE = 'arn:aws:iam::111111111111:role/acme-central-copy-service';
  const passes = async (service: string, role = ROLE) => {
    const policy = policyDocument(passRoleStatement('PassToBackupOnly', ROLE, 'backup.amazonaws.com'));
    const outcome = await evaluatePolicies({
      principal: 'arn:aws:iam::111111111111:role/caller',
      action: 'iam:PassRole',
      resourceArn: role,
      resourceAccount: '111111111111',
      identityPolicies: [{ name: 'caller', policy }],
      context: { 'iam:PassedToService': service },
    });
    return outcome.decision === 'Allowed';
  };

  it('lets the role be passed to the named service only, and no other role', async () => {
    expect(await passes('backup.amazonaws.com')).toBe(true);
    expect(await passes('ec2.amazonaws.com')).toBe(false);
    expect(await passes('backup.amazonaws.com', 'arn:aws:iam::111111111111:role/admin')).toBe(false);
  });
});

describe('serviceTrustPolicy', () => {
  const machineArn = 'arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-recovery';

  it('lets the service assume the role only for the given account and, when given, source ARN', async () => {
    const trust = serviceTrustPolicy('states.amazonaws.com', '222222222222', machineArn, 'StepFunctionsForThisMachineOnly');
    expect(trust.Statement).toEqual([
      {
        Sid: 'StepFunctionsForThisMachineOnly',
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': machineArn } },
      },
    ]);
    expect(await serviceMayAssume(trust, 'states.amazonaws.com', '222222222222', machineArn)).toBe(true);
    expect(await serviceMayAssume(trust, 'states.amazonaws.com', '999999999999', machineArn)).toBe(false);
    expect(await serviceMayAssume(trust, 'states.amazonaws.com', '222222222222', `${machineArn}-other`)).toBe(false);
    expect(await serviceMayAssume(trust, 'lambda.amazonaws.com', '222222222222', machineArn)).toBe(false);
  });

  it('names the statement for a service of this account when no Sid is given, and has no source ARN condition without one', () => {
    const [statement] = serviceTrustPolicy('backup.amazonaws.com', '333333333333').Statement;
    expect(statement.Sid).toBe('AllowServiceForThisAccountOnly');
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '333333333333' } });
  });
});

describe('crossAccountRoleTrustPolicy', () => {
  const base = { partition: 'aws', accountId: '222222222222', organizationId: ORG };

  it('trusts the roles matching a pattern in the named account of the organization, and no one else', async () => {
    const trust = crossAccountRoleTrustPolicy({ ...base, sid: 'DrRecoveryRolesOnly', roleArnPattern: 'arn:aws:iam::222222222222:role/acme-recovery-*' });
    expect(trust.Statement[0]).toMatchObject({ Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/acme-recovery-*' }, StringEquals: { 'aws:PrincipalOrgID': ORG } } });
    expect(await roleMayAssume(trust, 'arn:aws:iam::222222222222:role/acme-recovery-sfn', ORG)).toBe(true);
    expect(await roleMayAssume(trust, 'arn:aws:iam::222222222222:role/acme-recovery-sfn', 'o-otherorg000')).toBe(false);
    expect(await roleMayAssume(trust, 'arn:aws:iam::222222222222:role/admin', ORG)).toBe(false);
    expect(await roleMayAssume(trust, 'arn:aws:iam::999999999999:role/acme-recovery-sfn', ORG)).toBe(false);
  });

  it('trusts exactly one role when given its ARN', async () => {
    const reader = 'arn:aws:iam::222222222222:role/acme-readiness-checker';
    const trust = crossAccountRoleTrustPolicy({ ...base, sid: 'DrReadinessCheckerOnly', roleArn: reader });
    expect(trust.Statement[0].Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': reader }, StringEquals: { 'aws:PrincipalOrgID': ORG } });
    expect(await roleMayAssume(trust, reader, ORG)).toBe(true);
    expect(await roleMayAssume(trust, `${reader}-2`, ORG)).toBe(false);
    expect(await roleMayAssume(trust, reader, undefined)).toBe(false);
  });

  it('requires exactly one of roleArn and roleArnPattern', () => {
    expect(() => crossAccountRoleTrustPolicy({ ...base, sid: 'Neither' })).toThrow('crossAccountRoleTrustPolicy Neither: set exactly one of roleArn and roleArnPattern');
    expect(() => crossAccountRoleTrustPolicy({ ...base, sid: 'Both', roleArn: 'arn:aws:iam::222222222222:role/a', roleArnPattern: 'arn:aws:iam::222222222222:role/*' })).toThrow('set exactly one');
  });
});
