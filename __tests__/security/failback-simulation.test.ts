/**
 * IAM simulation of failback (workloads[].failback), over the SYNTHESIZED example with failback for
 * its workload: who may assume the workload's failback role (the DR workload-region-call function's role only), who may copy into the workload's local
 * vault and use its key, and what the failback role may do there. Every row can fail: an Allowed row
 * is re-simulated without the statements that allowed it and must become Denied; a Denied row names
 * the one change that makes it Allowed, or is an explicit Deny that stops denying without its Deny.
 */
import { buildPolicyModel, type PolicyModel, type SimulationRequest } from '../../simulation/policy-model';
import { synthEstate } from '../helpers/synth';
import { expectFailbackRowHolds, failbackInput, type FailbackAccessRow } from '../helpers/failback';
import { asAdmin, CENTRAL_RP, CENTRAL_VAULT, DR, DR_RP, DR_VAULT, ORG, OUTSIDER, REC, role, SHOP, SHOP_REGION, SHOP_RP, SHOP_VAULT, VAULT } from '../../simulation/access-rows/principals';

const FB_ORCHESTRATOR = role(DR, 'acme-failback-orchestrator');
const FB_BACKUP = role(DR, 'acme-dr-failback-backup');
const FB_REGION_CALL = role(DR, 'acme-failback-workload-region-call');
/** The session the function opens: `failback-<execution name>` (functions/workload-region-call/logic.ts). */
const failbackSession: Partial<SimulationRequest> = { context: { 'sts:RoleSessionName': 'failback-shop-2026-11-20' } };
const SHOP_FAILBACK = role(SHOP, 'acme-shop-failback');
const SHOP_BACKUP = role(SHOP, 'acme-shop-backup');
const SHOP_KEY = 'key-of:shop-local-vault';
// failback.instanceProfile and failback.kmsKeyArn of the synthesized example (both of the workload account, not synthesized here).
const SHOP_INSTANCE_ROLE = role(SHOP, 'shop-app');
const SHOP_FAILBACK_KEY = `arn:aws:kms:${SHOP_REGION}:${SHOP}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const inShopRegion = { context: { 'aws:RequestedRegion': SHOP_REGION }, resourceAccount: SHOP, allowUnknownResource: true };
const external = { allowUnknownResource: true };
// That key keeps AWS's default key policy (the account root: IAM policies decide), as the project
// expects of failback.kmsKeyArn (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
const failbackKey: Partial<SimulationRequest> = {
  ...external,
  resourcePolicy: { Version: '2012-10-17', Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SHOP}:root` }, Action: 'kms:*', Resource: '*' }] },
};

type Row = FailbackAccessRow;

const ROWS: Row[] = [
  // ---- the workload's failback role: trust ---------------------------------------------------------
  // Only the DR account's workload-region-call function role assumes it (the machine runs in the recovery
  // region, and its SDK integrations cannot call the workload region: functions/workload-region-call).
  { description: 'the DR workload-region-call function role assumes the workload failback role with its own synthesized policy', request: { principalArn: FB_REGION_CALL, action: 'sts:AssumeRole', resourceArn: SHOP_FAILBACK, ...failbackSession }, expected: 'Allowed' },
  {
    description: 'the workload-region-call function role cannot assume it under a session name that names no failback execution',
    request: { principalArn: FB_REGION_CALL, action: 'sts:AssumeRole', resourceArn: SHOP_FAILBACK, context: { 'sts:RoleSessionName': 'console-user' } },
    expected: 'Denied',
    allowedIf: failbackSession,
  },
  {
    description: 'the workload-region-call function role cannot assume another role of the workload account (the backup role)',
    request: { principalArn: FB_REGION_CALL, action: 'sts:AssumeRole', resourceArn: SHOP_BACKUP, ...failbackSession },
    expected: 'Denied',
    allowedIf: { resourceArn: SHOP_FAILBACK },
  },
  {
    description: 'the DR failback state machine role no longer assumes the workload failback role (neither its policy nor the trust allow it)',
    request: { principalArn: FB_ORCHESTRATOR, action: 'sts:AssumeRole', resourceArn: SHOP_FAILBACK, ...failbackSession },
    expected: 'Denied',
    allowedIf: { principalArn: FB_REGION_CALL },
  },
  { description: 'the DR failback state machine role, given admin, cannot assume the workload failback role', request: asAdmin(FB_ORCHESTRATOR, 'sts:AssumeRole', SHOP_FAILBACK, failbackSession), expected: 'Denied', allowedIf: { principalArn: FB_REGION_CALL } },
  { description: 'another DR role (admin) cannot assume the workload failback role', request: asAdmin(role(DR, 'admin'), 'sts:AssumeRole', SHOP_FAILBACK, failbackSession), expected: 'Denied', allowedIf: { principalArn: FB_REGION_CALL } },
  { description: 'the DR recovery state machine role cannot assume the workload failback role', request: asAdmin(role(DR, 'acme-recovery-orchestrator'), 'sts:AssumeRole', SHOP_FAILBACK, failbackSession), expected: 'Denied', allowedIf: { principalArn: FB_REGION_CALL } },
  { description: 'another DR function role cannot assume the workload failback role', request: asAdmin(role(DR, 'acme-recovery-cleanup-drill'), 'sts:AssumeRole', SHOP_FAILBACK, failbackSession), expected: 'Denied', allowedIf: { principalArn: FB_REGION_CALL } },
  {
    description: 'an admin of an account outside the organization cannot assume the workload failback role',
    request: asAdmin(role(OUTSIDER, 'acme-failback-workload-region-call'), 'sts:AssumeRole', SHOP_FAILBACK, failbackSession),
    expected: 'Denied',
    allowedIf: { principalArn: FB_REGION_CALL },
  },
  {
    description: 'the workload-region-call function role, its account out of the organization, cannot assume the workload failback role',
    request: asAdmin(FB_REGION_CALL, 'sts:AssumeRole', SHOP_FAILBACK, { ...failbackSession, principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  { description: 'the backup-vault account cannot assume the workload failback role', request: asAdmin(role(VAULT, 'admin'), 'sts:AssumeRole', SHOP_FAILBACK, failbackSession), expected: 'Denied', allowedIf: { principalArn: FB_REGION_CALL } },

  // ---- copies into the workload's local vault -------------------------------------------------------
  { description: "the DR account's AWS Backup (failback backup role) copies into the local vault", request: asAdmin(FB_BACKUP, 'backup:CopyIntoBackupVault', SHOP_VAULT), expected: 'Allowed' },
  { description: "the backup-vault account's copy service role cannot copy into the local vault", request: asAdmin(role(VAULT, 'acme-central-copy-service'), 'backup:CopyIntoBackupVault', SHOP_VAULT), expected: 'Denied', allowedIf: { principalArn: FB_BACKUP } },
  { description: 'an account outside the organization cannot copy into the local vault', request: asAdmin(role(OUTSIDER, 'acme-dr-failback-backup'), 'backup:CopyIntoBackupVault', SHOP_VAULT), expected: 'Denied', allowedIf: { principalArn: FB_BACKUP } },
  { description: 'the DR account, out of the organization, cannot copy into the local vault', request: asAdmin(FB_BACKUP, 'backup:CopyIntoBackupVault', SHOP_VAULT, { principalOrgId: null }), expected: 'Denied', allowedIf: { principalOrgId: ORG } },
  // The copies are re-encrypted with the local vault key by the workload account's AWS Backup: the DR
  // account (their source) gets no use of it; the backup-vault account (source of the central copies) does.
  {
    description: "the DR account's AWS Backup cannot create a grant on the local vault key (failback copies need none)",
    request: asAdmin(FB_BACKUP, 'kms:CreateGrant', SHOP_KEY, { grantIsForAwsResource: true }),
    expected: 'Denied',
    allowedIf: { principalArn: role(VAULT, 'acme-central-copy-service') },
  },
  { description: 'the DR account cannot decrypt with the local vault key', request: asAdmin(FB_BACKUP, 'kms:Decrypt', SHOP_KEY), expected: 'Denied', allowedIf: { principalArn: role(VAULT, 'acme-central-copy-service') } },
  { description: 'an account outside the organization cannot decrypt with the local vault key', request: asAdmin(role(OUTSIDER, 'admin'), 'kms:Decrypt', SHOP_KEY), expected: 'Denied', allowedIf: { principalArn: role(VAULT, 'acme-central-copy-service') } },

  // ---- what the failback role may do in the workload account -----------------------------------------
  { description: 'the failback role starts a restore of a local recovery point', request: { principalArn: SHOP_FAILBACK, action: 'backup:StartRestoreJob', resourceArn: SHOP_RP, policyResourceArn: SHOP_VAULT }, expected: 'Allowed' },
  { description: 'the failback role reads the restore metadata of a local recovery point', request: { principalArn: SHOP_FAILBACK, action: 'backup:GetRecoveryPointRestoreMetadata', resourceArn: SHOP_RP, policyResourceArn: SHOP_VAULT }, expected: 'Allowed' },
  { description: 'the failback role passes the workload backup role to AWS Backup', request: { principalArn: SHOP_FAILBACK, action: 'iam:PassRole', resourceArn: SHOP_BACKUP, passedToService: 'backup.amazonaws.com' }, expected: 'Allowed' },
  {
    description: 'the failback role cannot pass the workload backup role to another service',
    request: { principalArn: SHOP_FAILBACK, action: 'iam:PassRole', resourceArn: SHOP_BACKUP, passedToService: 'ec2.amazonaws.com' },
    expected: 'Denied',
    allowedIf: { passedToService: 'backup.amazonaws.com' },
  },
  // Restore metadata (steps/restore-overrides.ts): the zone and VPC of the first workload subnet.
  { description: 'the failback role looks up the workload subnets in the workload region', request: { principalArn: SHOP_FAILBACK, action: 'ec2:DescribeSubnets', resourceArn: '*', ...inShopRegion }, expected: 'Allowed' },
  {
    description: 'the failback role cannot describe subnets in another region',
    request: { principalArn: SHOP_FAILBACK, action: 'ec2:DescribeSubnets', resourceArn: '*', ...inShopRegion, context: { 'aws:RequestedRegion': REC } },
    expected: 'Denied',
    allowedIf: { context: { 'aws:RequestedRegion': SHOP_REGION } },
  },
  {
    description: 'the failback role cannot pass the instance profile role to EC2 (AWS Backup does, with the backup role)',
    request: { principalArn: SHOP_FAILBACK, action: 'iam:PassRole', resourceArn: SHOP_INSTANCE_ROLE, passedToService: 'ec2.amazonaws.com', ...external },
    expected: 'Denied',
    allowedIf: { principalArn: SHOP_BACKUP },
  },

  // ---- the workload backup role: what the restores it runs for failback need ------------------------
  { description: 'the workload backup role passes the failback instance profile role to EC2', request: { principalArn: SHOP_BACKUP, action: 'iam:PassRole', resourceArn: SHOP_INSTANCE_ROLE, passedToService: 'ec2.amazonaws.com', ...external }, expected: 'Allowed' },
  {
    description: 'the workload backup role cannot pass the instance profile role to another service',
    request: { principalArn: SHOP_BACKUP, action: 'iam:PassRole', resourceArn: SHOP_INSTANCE_ROLE, passedToService: 'lambda.amazonaws.com', ...external },
    expected: 'Denied',
    allowedIf: { passedToService: 'ec2.amazonaws.com' },
  },
  {
    description: 'the workload backup role cannot pass another role of the workload account to EC2',
    request: { principalArn: SHOP_BACKUP, action: 'iam:PassRole', resourceArn: role(SHOP, 'admin'), passedToService: 'ec2.amazonaws.com', ...external },
    expected: 'Denied',
    allowedIf: { resourceArn: SHOP_INSTANCE_ROLE },
  },
  {
    description: 'the workload backup role decrypts with the failback key through FSx (left out of the AWS managed restore policy)',
    request: { principalArn: SHOP_BACKUP, action: 'kms:Decrypt', resourceArn: SHOP_FAILBACK_KEY, viaService: `fsx.${SHOP_REGION}.amazonaws.com`, ...failbackKey },
    expected: 'Allowed',
  },
  {
    description: 'the workload backup role cannot use the failback key through a service that restores nothing',
    request: { principalArn: SHOP_BACKUP, action: 'kms:Decrypt', resourceArn: SHOP_FAILBACK_KEY, viaService: `lambda.${SHOP_REGION}.amazonaws.com`, ...failbackKey },
    expected: 'Denied',
    allowedIf: { viaService: `fsx.${SHOP_REGION}.amazonaws.com` },
  },
  {
    description: 'the workload backup role cannot use the failback key through FSx of another region',
    request: { principalArn: SHOP_BACKUP, action: 'kms:Decrypt', resourceArn: SHOP_FAILBACK_KEY, viaService: `fsx.${REC}.amazonaws.com`, ...failbackKey },
    expected: 'Denied',
    allowedIf: { viaService: `fsx.${SHOP_REGION}.amazonaws.com` },
  },
  {
    description: 'the workload backup role cannot create a grant on the failback key that is not for an AWS resource',
    request: { principalArn: SHOP_BACKUP, action: 'kms:CreateGrant', resourceArn: SHOP_FAILBACK_KEY, viaService: `fsx.${SHOP_REGION}.amazonaws.com`, grantIsForAwsResource: false, ...failbackKey },
    expected: 'Denied',
    allowedIf: { grantIsForAwsResource: true },
  },
  { description: 'the failback role cannot delete a local recovery point', request: { principalArn: SHOP_FAILBACK, action: 'backup:DeleteRecoveryPoint', resourceArn: SHOP_RP, policyResourceArn: SHOP_VAULT }, expected: 'Denied' },
  { description: 'the failback role cannot shorten a local recovery point lifecycle', request: { principalArn: SHOP_FAILBACK, action: 'backup:UpdateRecoveryPointLifecycle', resourceArn: SHOP_RP, policyResourceArn: SHOP_VAULT }, expected: 'Denied' },
  {
    description: 'the failback role, even given administrator access, cannot delete a local recovery point',
    request: asAdmin(SHOP_FAILBACK, 'backup:DeleteRecoveryPoint', SHOP_RP, { policyResourceArn: SHOP_VAULT }),
    expected: 'Denied',
  },

  // ---- the DR failback state machine role --------------------------------------------------------------
  { description: 'the failback state machine role starts a final backup into the DR restore vault', request: { principalArn: FB_ORCHESTRATOR, action: 'backup:StartBackupJob', resourceArn: DR_VAULT }, expected: 'Allowed' },
  { description: 'the failback state machine role cannot back up into the central vault', request: { principalArn: FB_ORCHESTRATOR, action: 'backup:StartBackupJob', resourceArn: CENTRAL_VAULT }, expected: 'Denied', allowedIf: { resourceArn: DR_VAULT } },
  { description: 'the failback state machine role copies a DR restore vault recovery point', request: { principalArn: FB_ORCHESTRATOR, action: 'backup:StartCopyJob', resourceArn: DR_RP, policyResourceArn: DR_VAULT }, expected: 'Allowed' },
  {
    description: 'the failback state machine role cannot copy a central vault recovery point',
    request: { principalArn: FB_ORCHESTRATOR, action: 'backup:StartCopyJob', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT },
    expected: 'Denied',
    allowedIf: { resourceArn: DR_RP, policyResourceArn: DR_VAULT },
  },
  { description: 'the failback state machine role passes the failback backup role to AWS Backup', request: { principalArn: FB_ORCHESTRATOR, action: 'iam:PassRole', resourceArn: FB_BACKUP, passedToService: 'backup.amazonaws.com' }, expected: 'Allowed' },
  {
    description: 'the failback state machine role cannot pass the DR restore role',
    request: { principalArn: FB_ORCHESTRATOR, action: 'iam:PassRole', resourceArn: role(DR, 'acme-dr-restore'), passedToService: 'backup.amazonaws.com' },
    expected: 'Denied',
    allowedIf: { resourceArn: FB_BACKUP },
  },
  { description: 'the failback state machine role cannot delete a DR recovery point', request: { principalArn: FB_ORCHESTRATOR, action: 'backup:DeleteRecoveryPoint', resourceArn: DR_RP, policyResourceArn: DR_VAULT }, expected: 'Denied' },
  {
    description: 'Step Functions assumes the failback role for the failback state machine only',
    request: { principalArn: 'states.amazonaws.com', action: 'sts:AssumeRole', resourceArn: FB_ORCHESTRATOR, sourceAccount: DR, sourceArn: `arn:aws:states:${REC}:${DR}:stateMachine:acme-recovery` },
    expected: 'Denied',
    allowedIf: { sourceArn: `arn:aws:states:${REC}:${DR}:stateMachine:acme-failback` },
  },
];

describe('IAM simulation: failback (example with workloads[0].failback)', () => {
  let model: PolicyModel;
  beforeAll(() => {
    model = buildPolicyModel(synthEstate(failbackInput({ instanceProfile: { name: 'shop-app', roleArn: SHOP_INSTANCE_ROLE } })), { organizationId: ORG });
  });
  const resolve = (req: SimulationRequest): SimulationRequest => (req.resourceArn === SHOP_KEY ? { ...req, resourceArn: model.vaultKeyArn(SHOP_VAULT) } : req);

  it.each(ROWS.map((r) => [r.description, r] as const))('%s', (_d, row) => expectFailbackRowHolds(model, row, resolve));

  it('denies the failback role recovery point deletion by its own policy, beside the vault policy', async () => {
    const outcome = await model.simulate({ principalArn: SHOP_FAILBACK, action: 'backup:DeleteRecoveryPoint', resourceArn: SHOP_RP, policyResourceArn: SHOP_VAULT });
    const denies = outcome.decisive.filter((d) => d.effect === 'Deny').map((d) => d.statement).sort();
    expect(denies).toEqual(['DenyDestructiveActionsExceptBreakGlass', 'NeverDestroyBackups']);
  });
});
