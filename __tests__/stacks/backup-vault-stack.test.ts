import { Testing } from 'cdktf';
import * as path from 'path';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { estateFor, exampleInput, FIXTURES, policyOf, readJson, resourcesOf, statement } from '../helpers/synth';

const example = () => Testing.synth(estateFor(exampleInput()).backupVault);

describe('BackupVaultStack', () => {
  it('deploys into the backup-vault account in the recovery region', () => {
    const provider = JSON.parse(example()).provider.aws[0];
    expect(provider).toMatchObject({ region: 'ap-northeast-1', allowed_account_ids: ['111111111111'] });
  });

  it('creates the central vault with a CMK that only the DR account may use cross-account', () => {
    const out = example();
    expect(resourcesOf(out, 'aws_backup_vault')).toEqual([expect.objectContaining({ name: 'acme-central' })]);
    const key = policyOf(resourcesOf(out, 'aws_kms_key')[0]);
    expect(statement(key, 'CrossAccountBackupUse').Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:root'] });
  });

  it('accepts copies from the organization and denies destruction to all but the break-glass role', () => {
    const policy = policyOf(resourcesOf(example(), 'aws_backup_vault_policy')[0]);
    expect(statement(policy, 'AllowCopyIntoFromOrganization').Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    expect(statement(policy, 'DenyDestructiveActionsExceptBreakGlass').Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/dr-break-glass' } });
  });

  it('locks the vault in governance mode by default', () => {
    const out = example();
    expect(out).toHaveResourceWithProperties(BackupVaultLockConfiguration, { min_retention_days: 7, max_retention_days: 3650 });
    expect(resourcesOf(out, 'aws_backup_vault_lock_configuration')[0]).not.toHaveProperty('changeable_for_days');
  });

  it('locks in compliance mode only when the config says so, in every central vault region', () => {
    const estate = estateFor(readJson(path.join(FIXTURES, 'three-workloads.json')));
    const out = Testing.synth(estate.backupVault);
    const locks = resourcesOf(out, 'aws_backup_vault_lock_configuration');
    expect(locks).toHaveLength(3);
    for (const lock of locks) expect(lock).toMatchObject({ changeable_for_days: 3, min_retention_days: 7, max_retention_days: 3650 });
    expect([...estate.backupVault.centralVaults.keys()]).toEqual(['ap-northeast-1', 'ap-northeast-2', 'us-east-1']);
    const vaultProviders = resourcesOf(out, 'aws_backup_vault').map((v) => v.provider).sort();
    expect(vaultProviders).toEqual(['aws', 'aws.ap-northeast-2', 'aws.us-east-1']);
    // A workload-region vault serves that region's workload accounts, not the DR account.
    const usKey = estate.backupVault.centralVaults.get('us-east-1')!.key.policy;
    expect(statement(usKey, 'CrossAccountBackupUse').Principal).toEqual({ AWS: ['arn:aws:iam::555555555555:root'] });
  });

  it('lets only DR recovery roles of the organization assume the copy-starter role', () => {
    const out = example();
    const role = resourcesOf(out, 'aws_iam_role').find((r) => r.name === 'acme-central-copy-starter')!;
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      {
        Sid: 'DrRecoveryRolesOnly',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::222222222222:root' },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/acme-recovery-*' },
          StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
        },
      },
    ]);
  });

  it('lets the copy-starter role copy central recovery points and nothing else', () => {
    const out = example();
    const policy = policyOf(resourcesOf(out, 'aws_iam_role_policy').find((p) => p.name === 'start-copy-to-dr')!);
    expect(statement(policy, 'StartCopyFromCentralVault')).toMatchObject({
      Action: 'backup:StartCopyJob',
      Resource: [
        'arn:aws:backup:ap-northeast-1:111111111111:recovery-point:*',
        'arn:aws:ec2:ap-northeast-1::snapshot/*',
        'arn:aws:ec2:ap-northeast-1::image/*',
        'arn:aws:rds:ap-northeast-1:111111111111:snapshot:awsbackup:*',
        'arn:aws:rds:ap-northeast-1:111111111111:cluster-snapshot:awsbackup:*',
        'arn:aws:fsx:ap-northeast-1:111111111111:backup/*',
      ],
    });
    const passRole = statement(policy, 'PassCopyServiceRoleToAwsBackupOnly');
    expect(passRole.Resource).toMatch(/^\$\{aws_iam_role\.CopyServiceRole_.*\.arn\}$/);
    expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } });
    for (const s of policy.Statement) {
      const actions = [s.Action].flat();
      expect(actions.some((a: string) => a === '*' || a.endsWith(':*'))).toBe(false);
      expect(actions.some((a: string) => /Delete|Update|Put/.test(a))).toBe(false);
      if (s.Resource === '*') expect(s.Action).toBe('backup:DescribeCopyJob');
    }
  });

  it('has a copy service role trusted by AWS Backup for this account only', () => {
    const role = resourcesOf(example(), 'aws_iam_role').find((r) => r.name === 'acme-central-copy-service')!;
    expect(policyOf(role, 'assume_role_policy').Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
  });
});
