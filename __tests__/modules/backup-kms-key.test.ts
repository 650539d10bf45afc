import { Testing } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { BackupKmsKey, type BackupKmsKeyProps } from '../../modules/backup-kms-key';
import { policyOf, resourcesOf, statement } from '../helpers/synth';

const props: BackupKmsKeyProps = {
  description: 'central vault key',
  alias: 'alias/acme/central-vault',
  accountId: '111111111111',
  region: 'ap-northeast-1',
  organizationId: 'o-a1b2c3d4e5',
  adminRoleArns: ['arn:aws:iam::111111111111:role/terraform-dr'],
  breakGlassRoleArn: 'arn:aws:iam::111111111111:role/dr-break-glass',
  crossAccountBackupAccountIds: ['222222222222'],
};

function synth(p: BackupKmsKeyProps = props) {
  const out = Testing.synthScope((scope) => {
    new BackupKmsKey(scope, 'Key', p);
  });
  const [key] = resourcesOf(out, 'aws_kms_key');
  return { out, key, policy: policyOf(key) };
}

describe('BackupKmsKey', () => {
  it('creates a rotating customer managed key with the maximum deletion window and an alias', () => {
    const { out } = synth();
    expect(out).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30, description: 'central vault key' });
    expect(out).toHaveResourceWithProperties(KmsAlias, { name: 'alias/acme/central-vault' });
  });

  it('lets the deploying and break-glass roles maintain the key, matched by PrincipalArn, without grants or destructive actions', () => {
    const { policy } = synth();
    const admin = statement(policy, 'KeyAdministration');
    expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
    expect(admin.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/dr-break-glass', 'arn:aws:iam::111111111111:role/terraform-dr'] } });
    expect(admin.Action).toEqual(expect.arrayContaining(['kms:EnableKeyRotation', 'kms:TagResource', 'kms:CreateAlias']));
    for (const forbidden of ['kms:Decrypt', 'kms:*', 'kms:Create*', 'kms:CreateGrant', 'kms:Put*', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:Disable*']) {
      expect(admin.Action).not.toContain(forbidden);
    }
  });

  it('leaves policy changes, disabling, grant revocation and deletion to the break-glass role alone', () => {
    const { policy, key } = synth();
    const control = statement(policy, 'KeyControlBreakGlassOnly');
    expect(control.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/dr-break-glass'] } });
    expect(control.Action).toEqual(['kms:CancelKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:PutKeyPolicy', 'kms:RevokeGrant', 'kms:ScheduleKeyDeletion']);
    // The deploying role cannot change the policy it creates, so KMS's lockout check is bypassed deliberately.
    expect(key.bypass_policy_lockout_safety_check).toBe(true);
  });

  it('lets this account use the key only through AWS Backup and the services it restores into', () => {
    const { policy } = synth();
    const use = statement(policy, 'UseThroughAwsBackupInThisAccount');
    expect(use.Condition.StringEquals['kms:CallerAccount']).toBe('111111111111');
    expect(use.Condition.StringEquals['kms:ViaService']).toEqual(expect.arrayContaining(['backup.ap-northeast-1.amazonaws.com', 'ec2.ap-northeast-1.amazonaws.com']));
    expect(use.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant']));
  });

  it('grants the listed accounts what cross-account copy needs, inside the organization only', () => {
    const { policy } = synth();
    const use = statement(policy, 'CrossAccountBackupUse');
    expect(use.Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:root'] });
    expect(use.Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:ListGrants', 'kms:RevokeGrant']);
    expect(use.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    const grants = statement(policy, 'CrossAccountGrantsForAwsResources');
    expect(grants.Action).toBe('kms:CreateGrant');
    expect(grants.Condition.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
  });

  it('has no cross-account statement when no account is listed, and never an open principal', () => {
    const { policy } = synth({ ...props, crossAccountBackupAccountIds: [] });
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['KeyAdministration', 'KeyControlBreakGlassOnly', 'UseThroughAwsBackupInThisAccount']);
    for (const s of synth().policy.Statement) expect(s.Principal).not.toBe('*');
  });

  it('uses the partition of the region in ARNs', () => {
    const { policy } = synth({ ...props, region: 'cn-north-1', adminRoleArns: ['arn:aws-cn:iam::111111111111:role/x'], breakGlassRoleArn: 'arn:aws-cn:iam::111111111111:role/y' });
    expect(statement(policy, 'KeyAdministration').Principal).toEqual({ AWS: 'arn:aws-cn:iam::111111111111:root' });
    expect(statement(policy, 'UseThroughAwsBackupInThisAccount').Condition.StringEquals['kms:ViaService']).toContain('backup.cn-north-1.amazonaws.com.cn');
  });

  it.each([
    [{ adminRoleArns: [] }, /adminRoleArns must name at least one role/],
    [{ deletionWindowInDays: 3 }, /deletionWindowInDays must be between 7 and 30/],
    [{ crossAccountBackupAccountIds: ['111111111111'] }, /must not include the key's own account/],
  ])('rejects invalid props %j', (override, message) => {
    expect(() => synth({ ...props, ...override })).toThrow(message);
  });
});
