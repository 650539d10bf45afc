import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { BackupServiceRole, type BackupServiceRoleProps } from '../../modules/backup-service-role';
import { policyOf, resourcesOf } from '../helpers/synth';
import { synthWithDefaults } from '../helpers/synth-construct';
import { allowAssumeRole } from '../helpers/trust-statement';

const props: BackupServiceRoleProps = { roleName: 'acme-shop-backup', accountId: '333333333333', region: 'ap-northeast-2', purposes: ['backup', 'restore'] };

const synth = synthWithDefaults(BackupServiceRole, 'Role', props);

describe('BackupServiceRole', () => {
  it('is trusted by AWS Backup for this account only (confused-deputy guard)', () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(IamRole, { name: 'acme-shop-backup' });
    const trust = policyOf(resourcesOf(out, 'aws_iam_role')[0], 'assume_role_policy');
    expect(trust.Statement).toEqual([
      allowAssumeRole('AllowServiceForThisAccountOnly', { Service: 'backup.amazonaws.com' }, { StringEquals: { 'aws:SourceAccount': '333333333333' } }),
    ]);
  });

  it('attaches the managed backup and restore policies, S3 included', () => {
    const attached = resourcesOf(synth(), 'aws_iam_role_policy_attachment').map((a) => a.policy_arn).sort();
    expect(attached).toEqual([
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });

  it('attaches only restore policies for a restore role', () => {
    const attached = resourcesOf(synth({ purposes: ['restore'] }), 'aws_iam_role_policy_attachment').map((a) => a.policy_arn).sort();
    expect(attached).toEqual(['arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore', 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']);
  });

  it.each([
    [{ purposes: [] }, /purposes must include/],
    [{ roleName: 'x'.repeat(65) }, /not a valid IAM role name/],
  ])('rejects invalid props %j', (override, message) => {
    expect(() => synth(override as Partial<BackupServiceRoleProps>)).toThrow(message);
  });
});
