import { Testing } from 'cdktf';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { DESTRUCTIVE_VAULT_ACTIONS, ProtectedBackupVault, type ProtectedBackupVaultProps } from '../../modules/protected-backup-vault';
import { policyOf, resourcesOf, statement } from '../helpers/synth';
import { GrantedPolicy } from '../../modules/policy-document';

const props: ProtectedBackupVaultProps = {
  name: 'acme-central',
  accountId: '111111111111',
  region: 'ap-northeast-1',
  kmsKeyArn: 'arn:aws:kms:ap-northeast-1:111111111111:key/abc',
  breakGlassRoleArn: 'arn:aws:iam::111111111111:role/dr-break-glass',
};

function synth(p: Partial<ProtectedBackupVaultProps> = {}) {
  let construct!: ProtectedBackupVault;
  const out = Testing.synthScope((scope) => {
    construct = new ProtectedBackupVault(scope, 'Vault', { ...props, ...p });
  });
  const [policyResource] = resourcesOf(out, 'aws_backup_vault_policy');
  return { out, construct, policyResource, policy: policyOf(policyResource) };
}

describe('ProtectedBackupVault', () => {
  it('encrypts the vault with the given customer managed key and never force-destroys it', () => {
    const { out, construct } = synth();
    expect(out).toHaveResourceWithProperties(BackupVault, { name: 'acme-central', kms_key_arn: props.kmsKeyArn, force_destroy: false });
    expect(construct.vaultArn).toBe('arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-central');
  });

  it('denies every destructive action to everyone except the break-glass role', () => {
    const { policy } = synth();
    const deny = statement(policy, 'DenyDestructiveActionsExceptBreakGlass');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Principal).toBe('*');
    expect(deny.Action).toEqual(DESTRUCTIVE_VAULT_ACTIONS);
    expect(deny.Action).toEqual(expect.arrayContaining(['backup:DeleteRecoveryPoint', 'backup:PutBackupVaultAccessPolicy', 'backup:DeleteBackupVaultLockConfiguration', 'backup:UpdateRecoveryPointLifecycle']));
    expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': props.breakGlassRoleArn } });
  });

  it('accepts copies from any principal of the organization when asked to', () => {
    const { policy } = synth({ copyInto: { organizationId: 'o-a1b2c3d4e5' } });
    const allow = statement(policy, 'AllowCopyIntoFromOrganization');
    expect(allow).toMatchObject({ Effect: 'Allow', Principal: '*', Action: 'backup:CopyIntoBackupVault', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
  });

  it('accepts copies only from listed accounts of the organization when they are given', () => {
    const { policy } = synth({ copyInto: { organizationId: 'o-a1b2c3d4e5', accountIds: ['111111111111'] } });
    const allow = statement(policy, 'AllowCopyIntoFromListedAccounts');
    expect(allow.Principal).toEqual({ AWS: ['arn:aws:iam::111111111111:root'] });
    expect(allow.Action).toBe('backup:CopyIntoBackupVault');
    expect(allow.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
  });

  it('allows nothing cross-account by default', () => {
    const { policy } = synth();
    expect(policy.Statement.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  it('locks in governance mode without changeableForDays and creates the lock before the policy that denies changing it', () => {
    const { out, policyResource } = synth({ lock: { minRetentionDays: 7, maxRetentionDays: 3650 } });
    expect(out).toHaveResourceWithProperties(BackupVaultLockConfiguration, { min_retention_days: 7, max_retention_days: 3650 });
    const [lock] = resourcesOf(out, 'aws_backup_vault_lock_configuration');
    expect(lock).not.toHaveProperty('changeable_for_days');
    expect(policyResource.depends_on).toEqual([expect.stringMatching(/^aws_backup_vault_lock_configuration\./)]);
  });

  it('locks in compliance mode when changeableForDays is given', () => {
    const { out } = synth({ lock: { minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 3 } });
    expect(out).toHaveResourceWithProperties(BackupVaultLockConfiguration, { changeable_for_days: 3 });
  });

  it('has no lock unless asked for', () => {
    expect(resourcesOf(synth().out, 'aws_backup_vault_lock_configuration')).toEqual([]);
  });

  it('grants a copy starter exactly what starting and tracking a copy of its points needs, and passing the copy role to AWS Backup only', () => {
    const grantee = new GrantedPolicy();
    const copyRole = 'arn:aws:iam::111111111111:role/acme-central-copy-service';
    synth().construct.grantStartCopy(grantee, copyRole, 'Central');
    const doc = grantee.document();
    const points = statement(doc, 'StartCopyFromCentralVault').Resource as string[];
    expect(points).toContain('arn:aws:backup:ap-northeast-1:111111111111:recovery-point:*');
    // Types AWS Backup does not fully manage keep their service's ARN (EBS snapshots, AMIs, ...).
    expect(points).toContain('arn:aws:ec2:ap-northeast-1::snapshot/*');
    expect(statement(doc, 'ReadCentralVault')).toMatchObject({ Action: ['backup:DescribeBackupVault', 'backup:ListRecoveryPointsByBackupVault'], Resource: 'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-central' });
    expect(statement(doc, 'ReadCentralRecoveryPoints').Resource).toEqual(points);
    expect(statement(doc, 'TrackCopyJobs')).toMatchObject({ Action: 'backup:DescribeCopyJob', Resource: '*' });
    expect(statement(doc, 'PassCopyServiceRoleToAwsBackupOnly')).toEqual({
      Sid: 'PassCopyServiceRoleToAwsBackupOnly',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: copyRole,
      Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
    });
    // Nothing that deletes or changes a point or the vault.
    expect(doc.Statement.flatMap((st) => [st.Action].flat()).filter((a) => /Delete|Put|Update|Disassociate/.test(a))).toEqual([]);
  });

  it.each([
    [{ name: 'a' }, /vault name "a" must be 2-50/],
    [{ lock: { minRetentionDays: 30, maxRetentionDays: 7 } }, /minRetentionDays \(30\) must not exceed maxRetentionDays \(7\)/],
    [{ lock: { minRetentionDays: 1, maxRetentionDays: 7, changeableForDays: 1 } }, /changeableForDays must be at least 3/],
    [{ copyInto: { organizationId: 'o-a1b2c3d4e5', accountIds: [] } }, /copyInto.accountIds must list at least one account/],
  ])('rejects invalid props %j', (override, message) => {
    expect(() => synth(override as Partial<ProtectedBackupVaultProps>)).toThrow(message);
  });
});
