/**
 * The failback path's mutation suite (issue 17), the counterpart of authorization.test.ts: every
 * policy element the failback relies on, in the DR stack and in the workload stack `workload-shop`,
 * is removed (or narrowed) in turn in a copy of the synthesized estate, and the failback rehearsal must
 * fail at the expected step, naming the denied call (action and principal).
 *
 * The estate is synthesized once. Each rehearsal recovers against the unmodified estate (its
 * decisions cached across the file) and fails back against the mutated copy (`failbackSynthDir`):
 * the recovery's own statements are authorization.test.ts's. An unmutated copy, run the same way,
 * fails back with every call allowed, so a failure below is the mutation's.
 *
 * Covered elsewhere, not repeated: the DR function's `AssumeWorkloadFailbackRolesOnly` (its identity
 * side of the failback role's AssumeRole) in failback.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runFailbackRehearsal, type FailbackRehearsalResult } from '../../rehearsal/failback/run';
import type { PolicyStatementJson } from '../../simulation/policy-model';
import { failbackRehearsalInput } from '../helpers/failback';
import { synthEstate, tempDir } from '../helpers/synth';
import { dropStatement, editStatement, mutatedSynthDir, type PolicyEdit, type PolicyMutation } from '../helpers/synth-mutations';
import { roleTrust, rolePolicy, trustServiceOfAnotherAccount } from '../helpers/policy-mutation-targets';

jest.setTimeout(120_000);

const DR = '222222222222';
const WORKLOAD = '333333333333';
/** failback.test.ts's configuration (same synthesized output, shared through the run's synth cache). */
const CONFIG = failbackRehearsalInput();
const synthDir = synthEstate(CONFIG);

/** Two EBS volumes (restore, attach in the primary), an RDS instance (snapshot ARNs), a DynamoDB table. */
const rehearse = (failbackSynthDir: string) => runFailbackRehearsal({ config: CONFIG, synthDir, failbackSynthDir, resources: 4 });

const ORCHESTRATOR = /:role\/acme-failback-orchestrator$/;
const FAILBACK_ROLE = new RegExp(`^arn:aws:iam::${WORKLOAD}:role/acme-shop-failback$`);
const AWS_BACKUP = /^backup\.amazonaws\.com$/;

const withoutAction = (sid: string, action: string): PolicyEdit =>
  editStatement(sid, (s) => {
    const kept = [s.Action].flat().filter((a) => a !== action);
    if (kept.length === [s.Action].flat().length) throw new Error(`${sid} has no action ${action}`);
    return { ...s, Action: kept } as PolicyStatementJson;
  });

interface Mutation extends PolicyMutation {
  readonly name: string;
  /** The failback step (docs/failback.md) the execution fails at (`cause` of FailbackFailed). */
  readonly step: string;
  readonly denied: { readonly action: string; readonly principal: RegExp };
}

const dr = (m: Omit<Mutation, 'stack'>): Mutation => ({ stack: 'dr', ...m });
const workload = (m: Omit<Mutation, 'stack'>): Mutation => ({ stack: 'workload-shop', ...m });

const MUTATIONS: Mutation[] = [
  // --- the failback orchestrator (DR account)
  dr({ name: 'orchestrator cannot start final backups into the restore vault', ...rolePolicy('Failback_Policy', dropStatement('FinalBackupsIntoRestoreVault')), step: 'FinalBackups', denied: { action: 'backup:StartBackupJob', principal: ORCHESTRATOR } }),
  dr({
    name: 'orchestrator passes the failback backup role to SSM only (iam:PassedToService)',
    ...rolePolicy('Failback_Policy', editStatement('PassFailbackBackupRoleToAwsBackupOnly', (s) => ({ ...s, Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } } }))),
    step: 'FinalBackups',
    denied: { action: 'iam:PassRole', principal: ORCHESTRATOR },
  }),
  dr({ name: 'orchestrator cannot copy out of the restore vault', ...rolePolicy('Failback_Policy', dropStatement('CopyFromRestoreVault')), step: 'CopyToWorkload', denied: { action: 'backup:StartCopyJob', principal: ORCHESTRATOR } }),
  dr({ name: 'orchestrator cannot invoke the workload-region-call function', ...rolePolicy('Failback_Policy', dropStatement('InvokeWorkloadRegionCall')), step: 'RestoreInWorkload', denied: { action: 'lambda:InvokeFunction', principal: ORCHESTRATOR } }),
  // --- the failback backup role (DR account), which AWS Backup assumes for the final backups and copies
  dr({ name: 'failback backup role trusts AWS Backup for another account only (aws:SourceAccount)', ...roleTrust('FailbackBackupRole', trustServiceOfAnotherAccount), step: 'FinalBackups', denied: { action: 'sts:AssumeRole', principal: AWS_BACKUP } }),
  // --- the DR restore vault key, source of the failback copies (EBS and RDS keep the restored resources' key)
  dr({ name: 'DR restore vault key not shared with the workload account', type: 'aws_kms_key', resource: 'RestoreVaultKey', attribute: 'policy', edit: dropStatement('CrossAccountBackupUse'), step: 'CopyToWorkload', denied: { action: 'kms:Decrypt', principal: new RegExp(`^arn:aws:iam::${WORKLOAD}:role/aws-service-role/backup\\.amazonaws\\.com/AWSServiceRoleForBackup$`) } }),
  dr({ name: 'DR restore vault key without grants for AWS resources of the workload account', type: 'aws_kms_key', resource: 'RestoreVaultKey', attribute: 'policy', edit: dropStatement('CrossAccountGrantsForAwsResources'), step: 'CopyToWorkload', denied: { action: 'kms:CreateGrant', principal: new RegExp(`^arn:aws:iam::${WORKLOAD}:role/aws-service-role/backup\\.amazonaws\\.com/AWSServiceRoleForBackup$`) } }),
  // --- the workload account
  workload({ name: 'local vault without its copy-in allow for the DR account', type: 'aws_backup_vault_policy', resource: 'LocalVault_AccessPolicy', attribute: 'policy', edit: dropStatement('AllowCopyIntoFromListedAccounts'), step: 'CopyToWorkload', denied: { action: 'backup:CopyIntoBackupVault', principal: new RegExp(`^arn:aws:iam::${DR}:role/acme-dr-failback-backup$`) } }),
  workload({
    name: 'failback role trusts another DR role only (aws:PrincipalArn)',
    ...roleTrust('FailbackRole', editStatement('DrFailbackWorkloadRegionCallOnly', (s) => ({ ...s, Condition: { ...s.Condition, ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${DR}:role/acme-recovery-prepare-restore` } } }))),
    step: 'RestoreInWorkload',
    denied: { action: 'sts:AssumeRole', principal: /:role\/acme-failback-workload-region-call$/ },
  }),
  workload({ name: 'failback role cannot start restores of the failback copies', ...rolePolicy('FailbackRole_Policy', withoutAction('RestoreFailbackCopies', 'backup:StartRestoreJob')), step: 'RestoreInWorkload', denied: { action: 'backup:StartRestoreJob', principal: FAILBACK_ROLE } }),
  workload({ name: 'failback role cannot pass the workload backup role', ...rolePolicy('FailbackRole_Policy', dropStatement('PassBackupRoleToAwsBackupOnly')), step: 'RestoreInWorkload', denied: { action: 'iam:PassRole', principal: FAILBACK_ROLE } }),
  workload({ name: 'workload backup role trusts AWS Backup for another account only (aws:SourceAccount)', ...roleTrust('BackupServiceRole', trustServiceOfAnotherAccount), step: 'RestoreInWorkload', denied: { action: 'sts:AssumeRole', principal: AWS_BACKUP } }),
  workload({
    name: 'failback role attaches volumes of another workload only (aws:ResourceTag/dr:workload)',
    ...rolePolicy('FailbackReconnectAccess_Policy', editStatement('AttachWorkloadVolumesToWorkloadInstancesOnly', (s) => ({ ...s, Condition: { StringEquals: { 'aws:ResourceTag/dr:workload': 'other' } } }))),
    step: 'Reconnect',
    denied: { action: 'ec2:AttachVolume', principal: FAILBACK_ROLE },
  }),
  workload({
    name: 'failback role may create grants of the failback key not for AWS resources only (kms:GrantIsForAWSResource false)',
    ...rolePolicy('FailbackReconnectAccess_Policy', editStatement('GrantFailbackKeyToAttachedVolumesOnly', (s) => ({ ...s, Condition: { ...s.Condition, Bool: { 'kms:GrantIsForAWSResource': 'false' } } }))),
    step: 'Reconnect',
    denied: { action: 'kms:CreateGrant', principal: FAILBACK_ROLE },
  }),
  workload({ name: 'failback role cannot read the workload health alarm', ...rolePolicy('FailbackAccess_Policy', dropStatement('ReadWorkloadHealthAlarm')), step: 'Verify', denied: { action: 'cloudwatch:DescribeAlarms', principal: FAILBACK_ROLE } }),
];

/** `<step> <principal> <action> <resource>: <reason>` of the failback's first denial. */
const firstDenial = (r: FailbackRehearsalResult) => /^(\S+) (\S+) (\S+) (\S+): (.*)$/.exec(r.failback?.denials[0] ?? '');

describe('failback authorization over the synthesized estate', () => {
  it('an unmutated copy of the estate fails back with every request allowed', async () => {
    const copy = tempDir('dr-failback-copy-');
    fs.cpSync(synthDir, copy, { recursive: true });
    const r = await rehearse(copy);
    expect(r.recovery.recovered).toBe(true);
    expect(r.failback?.denials).toEqual([]);
    expect(r.failback?.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.failback?.reconnects).toBe(true);
    expect(r.failedBack).toBe(true);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))('%s: the failback fails at its step naming the denied call', async (_name, m) => {
    const r = await rehearse(mutatedSynthDir(synthDir, m));
    expect(r.recovery.recovered).toBe(true);
    const f = r.failback!;
    expect(r.failedBack).toBe(false);
    expect(f.execution).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: m.step });
    expect(f.checks.find((c) => c.name === 'every failback AWS call authorized')?.ok).toBe(false);
    const [, , principal, action] = firstDenial(r) ?? [];
    expect(action).toBe(m.denied.action);
    expect(principal).toMatch(m.denied.principal);
  });

  /**
   * Elements the estate grants that this failback does not rely on, by AWS's rules: without them it
   * still fails back with every request allowed.
   */
  const NOT_RELIED_ON: (PolicyMutation & { readonly name: string })[] = [
    {
      // The workload backup role also has AWSBackupServiceRolePolicyForRestores, whose
      // KMSCreateGrantPermissions (kms:CreateGrant on any key, kms:GrantIsForAWSResource) and
      // KMSPermissions (through the restored services) already cover the failback key
      // (failback.kmsKeyArn, default key policy: IAM decides) for the EBS, RDS and DynamoDB restores
      // rehearsed here (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForRestores.html).
      // The role's `grants` policy matters for the services the managed policy leaves out (S3, FSx):
      // its CreateGrant statement is redundant with the managed policy for every type.
      name: 'the workload backup role without its failback key grants (AWSBackupServiceRolePolicyForRestores covers EBS, RDS, DynamoDB)',
      stack: 'workload-shop',
      type: 'aws_iam_role_policy',
      resource: 'BackupServiceRole_Grants',
      attribute: 'policy',
      // Both statements dropped; IAM takes no policy without a statement, so one that matters to no call here stays.
      edit: (doc) => dropStatement('GrantFailbackKeyToRestoredResources')(dropStatement('UseFailbackKeyThroughRestoredServices')({ ...doc, Statement: [...doc.Statement, { Sid: 'PolicyNeedsAStatement', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }] })),
    },
  ];

  it.each(NOT_RELIED_ON.map((m) => [m.name, m] as const))('not relied on: %s', async (_name, m) => {
    const r = await rehearse(mutatedSynthDir(synthDir, m));
    expect(r.failback?.denials).toEqual([]);
    expect(r.failedBack).toBe(true);
  });

  it('shares the local vault key with no DR principal: failback copies are re-encrypted with it by the workload account', () => {
    // AWS Backup Developer Guide, "Creating backup copies across AWS accounts"
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html): the
    // SOURCE account shares the key of its resources with the destination account, and AWS Backup
    // re-encrypts the copy with the destination vault's key in the destination account. In failback the
    // DR account is the source: the unmutated estate above fails back with the local vault key shared
    // with the backup-vault account only.
    const stack = JSON.parse(fs.readFileSync(path.join(synthDir, 'stacks', 'workload-shop', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const key = Object.entries(stack.resource.aws_kms_key).find(([name]) => name.startsWith('LocalVaultKey'))![1];
    expect(String(key.policy)).toContain(':111111111111:');
    expect(String(key.policy)).not.toContain(`:${DR}:`);
  });

  it('covers the failback elements issue 17 lists, each statement or condition once', () => {
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
    const denied = new Set(MUTATIONS.map((m) => `${m.denied.action}`));
    for (const action of ['backup:StartBackupJob', 'backup:StartCopyJob', 'backup:CopyIntoBackupVault', 'backup:StartRestoreJob', 'iam:PassRole', 'ec2:AttachVolume', 'kms:CreateGrant', 'kms:Decrypt', 'lambda:InvokeFunction', 'sts:AssumeRole']) {
      expect(denied).toContain(action);
    }
  });
});
