import { ADMINISTRATOR_ACCESS, buildPolicyModel, type Decision, type PolicyModel, type SimulationRequest } from '../../simulation/policy-model';
import { exampleInput, synthEstate } from '../helpers/synth';
import { terraformCloudInput } from '../helpers/terraform-cloud';
import { CENTRAL_VAULT, DR, DR_RP, DR_VAULT, ORG, REC, role, SHOP, VAULT, type Row } from '../../simulation/access-rows/principals';

/**
 * The recovery state machine's role and the recovery functions' roles, as synthesized: each can do
 * its steps, and nothing on vaults, roles or accounts outside the estate.
 */
const SM = role(DR, 'acme-recovery-orchestrator');
const CLEANUP = role(DR, 'acme-recovery-cleanup-drill');
const ATTACH = role(DR, 'acme-attach-restored-volume');
const fn = (name: string) => `arn:aws:lambda:${REC}:${DR}:function:${name}`;
const EFS = (account: string, region = REC) => `arn:aws:elasticfilesystem:${region}:${account}:file-system/fs-0123456789abcdef0`;
const ASG = (name: string) => `arn:aws:autoscaling:${REC}:${DR}:autoScalingGroup:0a1b2c3d-0000-1111-2222-333344445555:autoScalingGroupName/${name}`;
const DR_INSTANCE = `arn:aws:ec2:${REC}:${DR}:instance/i-0123456789abcdef0`;

// Only the dr:server tag tells a DR server from any other instance of the account: the refused request is the allowed one without it.
const onTaggedServersOnly = (principalArn: string, action: string, allowed: string, denied: string): Row[] => {
  const request = { principalArn, action, resourceArn: DR_INSTANCE, allowUnknownResource: true };
  return [
    { description: allowed, request: { ...request, context: { 'aws:ResourceTag/dr:server': 'app' } }, expected: 'Allowed' },
    { description: denied, request, expected: 'Denied' },
  ];
};

const ROWS: Row[] = [
  { description: 'state machine invokes the locate function', request: { principalArn: SM, action: 'lambda:InvokeFunction', resourceArn: fn('acme-recovery-locate-recovery-points'), allowUnknownResource: true }, expected: 'Allowed' },
  { description: 'state machine invokes the attach function', request: { principalArn: SM, action: 'lambda:InvokeFunction', resourceArn: fn('acme-attach-restored-volume'), allowUnknownResource: true }, expected: 'Allowed' },
  { description: 'state machine cannot invoke an unrelated function', request: { principalArn: SM, action: 'lambda:InvokeFunction', resourceArn: fn('payroll'), allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine starts a restore from the DR restore vault', request: { principalArn: SM, action: 'backup:StartRestoreJob', resourceArn: DR_RP, policyResourceArn: DR_VAULT }, expected: 'Allowed' },
  {
    description: 'state machine cannot start a restore of a recovery point of another account',
    request: { principalArn: SM, action: 'backup:StartRestoreJob', resourceArn: `arn:aws:backup:${REC}:${SHOP}:recovery-point:abc`, policyResourceArn: `arn:aws:backup:${REC}:${SHOP}:backup-vault:acme-shop-local`, allowUnknownResource: true },
    expected: 'Denied',
  },
  {
    description: 'state machine passes the restore role to AWS Backup',
    request: { principalArn: SM, action: 'iam:PassRole', resourceArn: role(DR, 'acme-dr-restore'), passedToService: 'backup.amazonaws.com' },
    expected: 'Allowed',
  },
  {
    description: 'state machine cannot pass the restore role to another service',
    request: { principalArn: SM, action: 'iam:PassRole', resourceArn: role(DR, 'acme-dr-restore'), passedToService: 'ec2.amazonaws.com' },
    expected: 'Denied',
  },
  { description: 'state machine scales the estate server group', request: { principalArn: SM, action: 'autoscaling:UpdateAutoScalingGroup', resourceArn: ASG('acme-shop-app'), allowUnknownResource: true }, expected: 'Allowed' },
  { description: 'state machine cannot scale another group', request: { principalArn: SM, action: 'autoscaling:UpdateAutoScalingGroup', resourceArn: ASG('payroll-web'), allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine has no iam:CreateRole', request: { principalArn: SM, action: 'iam:CreateRole', resourceArn: role(DR, 'anything'), allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine cannot delete a recovery point', request: { principalArn: SM, action: 'backup:DeleteRecoveryPoint', resourceArn: DR_RP, policyResourceArn: DR_VAULT }, expected: 'Denied' },
  { description: 'state machine cannot change the central vault policy', request: { principalArn: SM, action: 'backup:PutBackupVaultAccessPolicy', resourceArn: CENTRAL_VAULT }, expected: 'Denied' },
  {
    description: 'state machine cannot decrypt with the central vault key of the backup-vault account',
    request: { principalArn: SM, action: 'kms:Decrypt', resourceArn: `arn:aws:kms:${REC}:${VAULT}:key/00000000-0000-0000-0000-000000000000`, allowUnknownResource: true },
    expected: 'Denied',
  },
  { description: 'state machine cannot terminate instances', request: { principalArn: SM, action: 'ec2:TerminateInstances', resourceArn: DR_INSTANCE, allowUnknownResource: true }, expected: 'Denied' },
  ...onTaggedServersOnly(CLEANUP, 'ec2:TerminateInstances', 'cleanup function terminates a tagged DR instance', 'cleanup function cannot terminate an instance outside the tagged DR servers'),
  { description: 'cleanup function cannot delete a recovery point', request: { principalArn: CLEANUP, action: 'backup:DeleteRecoveryPoint', resourceArn: DR_RP, policyResourceArn: DR_VAULT }, expected: 'Denied' },
  {
    description: 'cleanup function cannot delete a table in another account',
    request: { principalArn: CLEANUP, action: 'dynamodb:DeleteTable', resourceArn: `arn:aws:dynamodb:${REC}:${SHOP}:table/orders`, allowUnknownResource: true },
    expected: 'Denied',
  },
  ...onTaggedServersOnly(ATTACH, 'ec2:AttachVolume', 'attach function attaches to a tagged recovery instance', 'attach function cannot attach to an untagged instance'),
  // Mount targets for restored EFS file systems (CreateMountTargets).
  { description: 'state machine creates a mount target for a file system of the DR account', request: { principalArn: SM, action: 'elasticfilesystem:CreateMountTarget', resourceArn: EFS(DR), allowUnknownResource: true }, expected: 'Allowed' },
  { description: 'state machine reads the mount targets of a DR file system', request: { principalArn: SM, action: 'elasticfilesystem:DescribeMountTargets', resourceArn: EFS(DR), allowUnknownResource: true }, expected: 'Allowed' },
  { description: 'state machine cannot create a mount target for a file system of the workload account', request: { principalArn: SM, action: 'elasticfilesystem:CreateMountTarget', resourceArn: EFS(SHOP), allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine cannot create a mount target in another region', request: { principalArn: SM, action: 'elasticfilesystem:CreateMountTarget', resourceArn: EFS(DR, 'us-east-1'), allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine cannot delete a file system', request: { principalArn: SM, action: 'elasticfilesystem:DeleteFileSystem', resourceArn: EFS(DR), allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine creates the mount target\'s network interface in a DR subnet', request: { principalArn: SM, action: 'ec2:CreateNetworkInterface', resourceArn: `arn:aws:ec2:${REC}:${DR}:subnet/subnet-0123456789abcdef0`, allowUnknownResource: true }, expected: 'Allowed' },
  { description: 'state machine creates the network interface itself', request: { principalArn: SM, action: 'ec2:CreateNetworkInterface', resourceArn: `arn:aws:ec2:${REC}:${DR}:network-interface/eni-0123456789abcdef0`, allowUnknownResource: true }, expected: 'Allowed' },
  { description: 'state machine cannot create a network interface in a subnet of another account', request: { principalArn: SM, action: 'ec2:CreateNetworkInterface', resourceArn: `arn:aws:ec2:${REC}:${SHOP}:subnet/subnet-0123456789abcdef0`, allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine cannot delete network interfaces', request: { principalArn: SM, action: 'ec2:DeleteNetworkInterface', resourceArn: `arn:aws:ec2:${REC}:${DR}:network-interface/eni-0123456789abcdef0`, allowUnknownResource: true }, expected: 'Denied' },
  { description: 'state machine looks up subnets and network interfaces', request: { principalArn: SM, action: 'ec2:DescribeSubnets', resourceArn: '*', resourceAccount: DR, allowUnknownResource: true }, expected: 'Allowed' },
  {
    description: 'an admin of the workload account cannot start the recovery state machine',
    request: { principalArn: role(SHOP, 'admin'), identityPolicies: [ADMINISTRATOR_ACCESS], action: 'states:StartExecution', resourceArn: `arn:aws:states:${REC}:${DR}:stateMachine:acme-recovery`, allowUnknownResource: true },
    expected: 'Denied',
  },
  {
    description: 'the recovery trigger role starts the recovery state machine',
    request: { principalArn: role(DR, 'acme-recovery-events'), action: 'states:StartExecution', resourceArn: `arn:aws:states:${REC}:${DR}:stateMachine:acme-recovery`, allowUnknownResource: true },
    expected: 'Allowed',
  },
  {
    description: 'Step Functions assumes the state machine role only for this state machine',
    request: { principalArn: 'states.amazonaws.com', action: 'sts:AssumeRole', resourceArn: SM, sourceAccount: DR, sourceArn: `arn:aws:states:${REC}:${DR}:stateMachine:other-machine` },
    expected: 'Denied',
  },
  {
    description: 'Step Functions assumes the state machine role for the recovery state machine',
    request: { principalArn: 'states.amazonaws.com', action: 'sts:AssumeRole', resourceArn: SM, sourceAccount: DR, sourceArn: `arn:aws:states:${REC}:${DR}:stateMachine:acme-recovery` },
    expected: 'Allowed',
  },
];

describe('IAM simulation: recovery roles', () => {
  let model: PolicyModel;
  beforeAll(() => {
    model = buildPolicyModel(synthEstate(exampleInput()), { organizationId: ORG });
  });

  it.each(ROWS.map((r) => [r.description, r] as const))('%s', async (_d, row) => {
    expect((await model.simulate(row.request)).decision).toBe(row.expected);
  });
});

describe('IAM simulation: Terraform Cloud for BuildInfrastructure (recovery.infrastructure terraformCloud)', () => {
  let model: PolicyModel;
  let connectionArn: string;
  beforeAll(() => {
    model = buildPolicyModel(synthEstate(terraformCloudInput()), { organizationId: ORG });
    connectionArn = model.resources.find((r) => r.type === 'aws_cloudwatch_event_connection')?.arn as string;
  });
  const RUNS = 'https://app.terraform.io/api/v2/runs';
  // InvokeHTTPEndpoint has no resource type (Service Authorization Reference): the request's resource is "*".
  const http = (method: string, endpoint: string): SimulationRequest => ({
    principalArn: SM,
    action: 'states:InvokeHTTPEndpoint',
    resourceArn: '*',
    resourceAccount: DR,
    allowUnknownResource: true,
    context: { 'states:HTTPMethod': method, 'states:HTTPEndpoint': endpoint },
  });
  /**
   * The simulator knows states:HTTPEndpoint and states:HTTPMethod but, as the Service Authorization
   * Reference, does not list them for InvokeHTTPEndpoint, and drops them from the request: the Step
   * Functions developer guide conditions this action on exactly these keys. So the decision is made
   * twice: by the simulator without the conditions (the action and resource are granted), and by
   * IAM's StringEquals/StringLike semantics on the synthesized statements with the keys.
   */
  const httpDecision = async (method: string, endpoint: string): Promise<Decision> => {
    const statements = model
      .identityPoliciesOf(SM)
      .flatMap((p) => p.document.Statement)
      .filter((st) => st.Effect === 'Allow' && [st.Action].flat().includes('states:InvokeHTTPEndpoint'));
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
    const context: Record<string, string> = { 'states:HTTPMethod': method, 'states:HTTPEndpoint': endpoint };
    const conditionsHold = (st: (typeof statements)[number]) =>
      Object.entries(st.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys).every(([key, values]) => {
          expect(['StringEquals', 'StringLike']).toContain(operator);
          return [values].flat().some((v) => (operator === 'StringLike' ? like(String(v), context[key]) : String(v) === context[key]));
        }),
      );
    // Every grant of the action is conditioned on both keys.
    for (const st of statements) expect(Object.values(st.Condition ?? {}).flatMap((keys) => Object.keys(keys)).sort()).toEqual(['states:HTTPEndpoint', 'states:HTTPMethod']);
    const holding = statements.filter(conditionsHold).map(({ Condition: _conditions, ...st }) => st);
    if (holding.length === 0) return 'Denied';
    // The statements whose conditions hold, through the simulator: action, resource and account.
    return (await model.simulate({ ...http(method, endpoint), context: {}, synthesizedIdentityPolicies: false, identityPolicies: [{ Version: '2012-10-17', Statement: holding }] })).decision;
  };
  const SECRET = (name: string) => `arn:aws:secretsmanager:${REC}:${DR}:secret:events!connection/${name}/0a1b2c3d-0000-1111-2222-333344445555-AbCdEf`;

  it('the policies resolve completely (the connection ARN included)', () => {
    expect(model.unresolvedTokens).toEqual([]);
    expect(connectionArn).toMatch(new RegExp(`^arn:aws:events:${REC}:${DR}:connection/acme-terraform-cloud/`));
  });

  it.each([
    ['queues a run (POST /api/v2/runs)', 'POST', RUNS, 'Allowed'],
    ['reads a run (GET /api/v2/runs/run-…)', 'GET', `${RUNS}/run-CZcmD7eagjhyX0vN`, 'Allowed'],
    ['cannot apply a run itself (POST /api/v2/runs/run-…/actions/apply)', 'POST', `${RUNS}/run-CZcmD7eagjhyX0vN/actions/apply`, 'Denied'],
    ['cannot discard a run (POST to the run)', 'POST', `${RUNS}/run-CZcmD7eagjhyX0vN`, 'Denied'],
    ['cannot list runs of another kind of resource (GET /api/v2/runs)', 'GET', RUNS, 'Denied'],
    ['cannot delete a workspace', 'DELETE', 'https://app.terraform.io/api/v2/workspaces/ws-3oKnEEBcNjpFSNbF', 'Denied'],
    ['cannot read workspace variables', 'GET', 'https://app.terraform.io/api/v2/workspaces/ws-3oKnEEBcNjpFSNbF/vars', 'Denied'],
    ['cannot call another host with the same path', 'POST', 'https://attacker.example.com/api/v2/runs', 'Denied'],
  ] as [string, string, string, Decision][])('state machine HTTP Task %s', async (_d, method, endpoint, expected) => {
    expect(await httpDecision(method, endpoint)).toBe(expected);
  });

  it.each([
    ['retrieves the credentials of its connection', () => ({ principalArn: SM, action: 'events:RetrieveConnectionCredentials', resourceArn: connectionArn, allowUnknownResource: true }), 'Allowed'],
    [
      'cannot retrieve the credentials of another connection',
      () => ({ principalArn: SM, action: 'events:RetrieveConnectionCredentials', resourceArn: `arn:aws:events:${REC}:${DR}:connection/payroll-api/0a1b2c3d-0000-1111-2222-333344445555`, allowUnknownResource: true }),
      'Denied',
    ],
    ['reads the connection\'s secret', () => ({ principalArn: SM, action: 'secretsmanager:GetSecretValue', resourceArn: SECRET('acme-terraform-cloud'), allowUnknownResource: true }), 'Allowed'],
    ['describes the connection\'s secret', () => ({ principalArn: SM, action: 'secretsmanager:DescribeSecret', resourceArn: SECRET('acme-terraform-cloud'), allowUnknownResource: true }), 'Allowed'],
    ['cannot read the secret of another connection', () => ({ principalArn: SM, action: 'secretsmanager:GetSecretValue', resourceArn: SECRET('payroll-api'), allowUnknownResource: true }), 'Denied'],
    [
      'cannot read an arbitrary secret of the DR account',
      () => ({ principalArn: SM, action: 'secretsmanager:GetSecretValue', resourceArn: `arn:aws:secretsmanager:${REC}:${DR}:secret:db-password-AbCdEf`, allowUnknownResource: true }),
      'Denied',
    ],
    ['cannot change the connection (the token stays out of band)', () => ({ principalArn: SM, action: 'events:UpdateConnection', resourceArn: connectionArn, allowUnknownResource: true }), 'Denied'],
  ] as [string, () => SimulationRequest, Decision][])('state machine %s', async (_d, request, expected) => {
    expect((await model.simulate(request())).decision).toBe(expected);
  });

  it('an example estate (autoScaling) cannot call HTTP endpoints at all', async () => {
    const plain = buildPolicyModel(synthEstate(exampleInput()), { organizationId: ORG });
    // Not even with the conditions dropped.
    expect((await plain.simulate({ ...http('POST', RUNS), context: {} })).decision).toBe('Denied');
  });
});
