import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AirGappedVault, type AirGappedVaultProps } from '../../modules/air-gapped-vault';
import { DESTRUCTIVE_VAULT_ACTIONS } from '../../modules/protected-backup-vault';
import { policyOf, resourcesOf, statement } from '../helpers/synth';
import { allowStatement } from '../helpers/allow-statement';

const PROPS: AirGappedVaultProps = {
  name: 'acme-air-gapped',
  accountId: '111111111111',
  region: 'ap-northeast-1',
  minRetentionDays: 7,
  maxRetentionDays: 3650,
  breakGlassRoleArn: 'arn:aws:iam::111111111111:role/dr-break-glass',
  organizationId: 'o-a1b2c3d4e5',
  shareName: 'acme-air-gapped-vault',
  shareWithAccountIds: ['222222222222'],
};

function build(props: Partial<AirGappedVaultProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  const vault = new AirGappedVault(stack, 'AirGapped', { ...PROPS, ...props });
  return { vault, out: Testing.synth(stack) };
}

describe('AirGappedVault', () => {
  it('creates a logically air-gapped vault with the retention range and no key argument (AWS-owned key, compliance lock)', () => {
    const { vault, out } = build();
    expect(resourcesOf(out, 'aws_backup_logically_air_gapped_vault')).toEqual([
      expect.objectContaining({ name: 'acme-air-gapped', min_retention_days: 7, max_retention_days: 3650 }),
    ]);
    const [raw] = resourcesOf(out, 'aws_backup_logically_air_gapped_vault');
    expect(Object.keys(raw).filter((k) => k !== '//').sort()).toEqual(['max_retention_days', 'min_retention_days', 'name']);
    expect(resourcesOf(out, 'aws_backup_vault')).toEqual([]);
    expect(vault.vaultArn).toBe('arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-air-gapped');
  });

  it('accepts copies from the organization only, with no wildcard action, and denies destruction to all but the break-glass role', () => {
    const { out } = build();
    const [policyResource] = resourcesOf(out, 'aws_backup_vault_policy');
    expect(policyResource.backup_vault_name).toMatch(/^\$\{aws_backup_logically_air_gapped_vault\.AirGapped_.*\.name\}$/);
    const policy = policyOf(policyResource);
    expect(statement(policy, 'AllowCopyIntoFromOrganization')).toEqual(
      allowStatement('AllowCopyIntoFromOrganization', 'backup:CopyIntoBackupVault', '*', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, '*'),
    );
    expect(statement(policy, 'DenyDestructiveActionsExceptBreakGlass')).toMatchObject({
      Effect: 'Deny',
      Action: DESTRUCTIVE_VAULT_ACTIONS,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/dr-break-glass' } },
    });
    for (const s of policy.Statement) for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
  });

  it('shares the vault through AWS RAM inside the organization with each listed account', () => {
    const { vault, out } = build({ shareWithAccountIds: ['444444444444', '222222222222', '444444444444'] });
    expect(resourcesOf(out, 'aws_ram_resource_share')).toEqual([expect.objectContaining({ name: 'acme-air-gapped-vault', allow_external_principals: false })]);
    expect(resourcesOf(out, 'aws_ram_resource_association')).toEqual([
      expect.objectContaining({
        resource_arn: expect.stringMatching(/^\$\{aws_backup_logically_air_gapped_vault\.AirGapped_.*\.arn\}$/),
        resource_share_arn: expect.stringMatching(/^\$\{aws_ram_resource_share\.AirGapped_Share_.*\.arn\}$/),
      }),
    ]);
    expect(resourcesOf(out, 'aws_ram_principal_association').map((a) => a.principal)).toEqual(['222222222222', '444444444444']);
    expect(vault.sharedWith).toEqual(['222222222222', '444444444444']);
  });

  it.each([
    ['a minimum under the 7 days AWS requires', { minRetentionDays: 6 }, /minRetentionDays \(6\) must be at least 7/],
    ['a minimum over the maximum', { minRetentionDays: 30, maxRetentionDays: 10 }, /must not exceed maxRetentionDays/],
    ['nobody to share with', { shareWithAccountIds: [] }, /shareWithAccountIds must list at least one account/],
    ['sharing with its own account', { shareWithAccountIds: ['111111111111'] }, /cannot be shared with its own account/],
    ['an organization instead of accounts', { shareWithAccountIds: ['arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5'] }, /is not an AWS account ID/],
    ['an invalid name', { name: 'a' }, /vault name "a"/],
  ])('refuses %s', (_what, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
