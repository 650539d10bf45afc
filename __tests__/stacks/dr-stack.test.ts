import { Testing } from 'cdktf';
import * as path from 'path';
import { EstateNames } from '../../config/naming';
import { loadConfig } from '../../config/load';
import { estateFor, exampleInput, EXAMPLE_CONFIG, FIXTURES, policyOf, readJson, resourcesOf, statement } from '../helpers/synth';
import { noFailbackInput } from '../helpers/failback';

describe('DrStack', () => {
  const estate = () => estateFor(exampleInput());

  it('deploys into the DR account in the recovery region', () => {
    expect(JSON.parse(Testing.synth(estate().dr)).provider.aws[0]).toMatchObject({ region: 'ap-northeast-1', allowed_account_ids: ['222222222222'] });
  });

  it('creates the restore vault at the ARN other stacks derive, accepting copies from the backup-vault account only', () => {
    const e = estate();
    expect(e.dr.restoreVault.vaultArn).toBe(new EstateNames(loadConfig(EXAMPLE_CONFIG)).drRestoreVaultArn);
    const out = Testing.synth(e.dr);
    const policy = policyOf(resourcesOf(out, 'aws_backup_vault_policy')[0]);
    expect(statement(policy, 'AllowCopyIntoFromListedAccounts')).toMatchObject({
      Principal: { AWS: ['arn:aws:iam::111111111111:root'] },
      Action: 'backup:CopyIntoBackupVault',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
    expect(policy.Statement.filter((s) => s.Effect === 'Allow')).toHaveLength(1);
  });

  it('encrypts the restore vault with a rotating key not shared with any other account, except the failback workloads\' (inside the organization)', () => {
    const restoreKey = (input: unknown) => resourcesOf(Testing.synth(estateFor(input).dr), 'aws_kms_key').find((k) => String(k.description).includes('restore vault'))!;
    const key = restoreKey(noFailbackInput());
    expect(key.enable_key_rotation).toBe(true);
    expect(policyOf(key).Statement.map((s) => s.Sid)).toEqual(['KeyAdministration', 'KeyControlBreakGlassOnly', 'UseThroughAwsBackupInThisAccount']);
    // The example configures failback: its final backups in the restore vault are copied to the workload account.
    const shared = policyOf(restoreKey(exampleInput()));
    expect(shared.Statement.map((s) => s.Sid)).toEqual(['KeyAdministration', 'KeyControlBreakGlassOnly', 'UseThroughAwsBackupInThisAccount', 'CrossAccountBackupUse', 'CrossAccountGrantsForAwsResources']);
    expect(statement(shared, 'CrossAccountBackupUse')).toMatchObject({ Principal: { AWS: ['arn:aws:iam::333333333333:root'] }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
  });

  it('has a restore role for AWS Backup with restore policies only', () => {
    const out = Testing.synth(estate().dr);
    const role = resourcesOf(out, 'aws_iam_role').find((r) => r.name === 'acme-dr-restore')!;
    expect(policyOf(role, 'assume_role_policy').Statement[0]).toMatchObject({ Principal: { Service: 'backup.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } });
    expect(resourcesOf(out, 'aws_iam_role_policy_attachment').filter((a) => String(a.role).includes('RestoreRole')).map((a) => a.policy_arn).sort()).toEqual([
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });
});

describe('OrganizationStack', () => {
  it('exists only when the management account is configured', () => {
    expect(estateFor(exampleInput()).organization).toBeUndefined();
  });

  it('turns on cross-account backup in every region that copies or receives', () => {
    const org = estateFor(readJson(path.join(FIXTURES, 'three-workloads.json'))).organization!;
    const out = JSON.parse(Testing.synth(org));
    expect(out.provider.aws[0]).toMatchObject({ allowed_account_ids: ['999999999999'] });
    const settings = Object.values(out.resource.aws_backup_global_settings) as { provider?: string; global_settings: Record<string, string> }[];
    expect(settings.map((s) => s.global_settings)).toEqual(Array(3).fill({ isCrossAccountBackupEnabled: 'true' }));
    expect(org.regions).toEqual(['ap-northeast-1', 'ap-northeast-2', 'us-east-1']);
  });
});
