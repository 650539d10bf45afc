import { ADMINISTRATOR_ACCESS, buildPolicyModel, type Decision, type PolicyModel, type SimulationRequest } from '../helpers/iam-simulation';
import { exampleInput, synthEstate } from '../helpers/synth';

/**
 * The recovery state machine's role and the recovery functions' roles, as synthesized: each can do
 * its steps, and nothing on vaults, roles or accounts outside the estate.
 */
const ORG = 'o-a1b2c3d4e5';
const VAULT = '111111111111';
const DR = '222222222222';
const SHOP = '333333333333';
const REC = 'ap-northeast-1';
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const SM = role(DR, 'acme-recovery-orchestrator');
const CLEANUP = role(DR, 'acme-recovery-cleanup-drill');
const ATTACH = role(DR, 'acme-attach-restored-volume');
const DR_RP = `arn:aws:backup:${REC}:${DR}:recovery-point:5f6c1a2b-7d3e-4f80-9a1b-2c3d4e5f6a7b`;
const DR_VAULT = `arn:aws:backup:${REC}:${DR}:backup-vault:acme-dr-restore`;
const CENTRAL_VAULT = `arn:aws:backup:${REC}:${VAULT}:backup-vault:acme-central`;
const fn = (name: string) => `arn:aws:lambda:${REC}:${DR}:function:${name}`;
const ASG = (name: string) => `arn:aws:autoscaling:${REC}:${DR}:autoScalingGroup:0a1b2c3d-0000-1111-2222-333344445555:autoScalingGroupName/${name}`;

interface Row {
  description: string;
  request: SimulationRequest;
  expected: Decision;
}

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
  { description: 'state machine cannot terminate instances', request: { principalArn: SM, action: 'ec2:TerminateInstances', resourceArn: `arn:aws:ec2:${REC}:${DR}:instance/i-0123456789abcdef0`, allowUnknownResource: true }, expected: 'Denied' },
  {
    description: 'cleanup function terminates a tagged DR instance',
    request: { principalArn: CLEANUP, action: 'ec2:TerminateInstances', resourceArn: `arn:aws:ec2:${REC}:${DR}:instance/i-0123456789abcdef0`, allowUnknownResource: true, context: { 'aws:ResourceTag/dr:server': 'app' } },
    expected: 'Allowed',
  },
  {
    description: 'cleanup function cannot terminate an instance outside the tagged DR servers',
    request: { principalArn: CLEANUP, action: 'ec2:TerminateInstances', resourceArn: `arn:aws:ec2:${REC}:${DR}:instance/i-0123456789abcdef0`, allowUnknownResource: true },
    expected: 'Denied',
  },
  { description: 'cleanup function cannot delete a recovery point', request: { principalArn: CLEANUP, action: 'backup:DeleteRecoveryPoint', resourceArn: DR_RP, policyResourceArn: DR_VAULT }, expected: 'Denied' },
  {
    description: 'cleanup function cannot delete a table in another account',
    request: { principalArn: CLEANUP, action: 'dynamodb:DeleteTable', resourceArn: `arn:aws:dynamodb:${REC}:${SHOP}:table/orders`, allowUnknownResource: true },
    expected: 'Denied',
  },
  {
    description: 'attach function attaches to a tagged recovery instance',
    request: { principalArn: ATTACH, action: 'ec2:AttachVolume', resourceArn: `arn:aws:ec2:${REC}:${DR}:instance/i-0123456789abcdef0`, allowUnknownResource: true, context: { 'aws:ResourceTag/dr:server': 'app' } },
    expected: 'Allowed',
  },
  {
    description: 'attach function cannot attach to an untagged instance',
    request: { principalArn: ATTACH, action: 'ec2:AttachVolume', resourceArn: `arn:aws:ec2:${REC}:${DR}:instance/i-0123456789abcdef0`, allowUnknownResource: true },
    expected: 'Denied',
  },
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
