import { Testing } from 'cdktf';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { estateFor, exampleInput, FIXTURES, policyOf, readJson, resourcesOf, statement, type SynthesizedStack } from '../helpers/synth';
import * as path from 'path';
import { noFailbackInput } from '../helpers/failback';

const example = () => estateFor(exampleInput());
const three = () => estateFor(readJson(path.join(FIXTURES, 'three-workloads.json')));
const synthOf = (stack: Parameters<typeof Testing.synth>[0]): SynthesizedStack => JSON.parse(Testing.synth(stack));

describe('WorkloadStack', () => {
  it('deploys into the workload account only, through its role, with default tags', () => {
    const stack = synthOf(example().workloads[0]);
    expect(stack.provider!.aws).toEqual([
      {
        region: 'ap-northeast-2',
        allowed_account_ids: ['333333333333'],
        assume_role: [{ role_arn: 'arn:aws:iam::333333333333:role/terraform-dr', session_name: 'cdktf-workload-shop' }],
        default_tags: [{ tags: { project: 'acme', stack: 'workload-shop', 'managed-by': 'cdktf' } }],
      },
    ]);
  });

  it('maps to its own Terraform Cloud workspace when configured, else a local backend', () => {
    expect(synthOf(example().workloads[0]).terraform!.cloud).toEqual({ organization: 'acme', workspaces: { name: 'dr-workload-shop', project: 'disaster-recovery' } });
    const input = exampleInput();
    delete input.terraformCloud;
    const local = synthOf(estateFor(input).workloads[0]).terraform!;
    expect(local.cloud).toBeUndefined();
    expect(local.backend).toEqual({ local: { path: 'terraform.workload-shop.tfstate' } });
  });

  it('encrypts the local vault with its own key, usable cross-account by the backup-vault account only (with failback too)', () => {
    const estate = example();
    const out = Testing.synth(estate.workloads[0]);
    expect(out).toHaveResourceWithProperties(BackupVault, { name: 'acme-shop-local' });
    const key = policyOf(resourcesOf(out, 'aws_kms_key')[0]);
    // The example configures failback: the DR account copies its final backups into the local vault, where
    // the workload account's AWS Backup re-encrypts them with this key; the DR account gets no use of it.
    expect(statement(key, 'CrossAccountBackupUse').Principal).toEqual({ AWS: ['arn:aws:iam::111111111111:root'] });
    const withoutFailback = policyOf(resourcesOf(Testing.synth(estateFor(noFailbackInput()).workloads[0]), 'aws_kms_key')[0]);
    expect(statement(withoutFailback, 'CrossAccountBackupUse').Principal).toEqual({ AWS: ['arn:aws:iam::111111111111:root'] });
    expect(statement(key, 'KeyAdministration').Condition.ArnEquals['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::333333333333:role/dr-break-glass',
      'arn:aws:iam::333333333333:role/terraform-dr',
    ]);
    const vaultPolicy = policyOf(resourcesOf(out, 'aws_backup_vault_policy')[0]);
    expect(statement(vaultPolicy, 'DenyDestructiveActionsExceptBreakGlass').Condition.ArnNotEquals['aws:PrincipalArn']).toBe('arn:aws:iam::333333333333:role/dr-break-glass');
  });

  it('copies every recovery point to each central vault that the backup-vault stack creates (example: kind both), by derived ARN', () => {
    const estate = example();
    const plan = resourcesOf(Testing.synth(estate.workloads[0]), 'aws_backup_plan')[0] as { rule: { copy_action: { destination_vault_arn: string }[] }[] };
    const central = estate.backupVault.centralVaults.get('ap-northeast-1')!.vault;
    expect(central.vaultArn).toBe('arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-central');
    const airGapped = resourcesOf(Testing.synth(estate.backupVault), 'aws_backup_logically_air_gapped_vault') as { name: string }[];
    expect(airGapped.map((v) => v.name)).toEqual(['acme-air-gapped']);
    expect(plan.rule[0].copy_action.map((c) => c.destination_vault_arn)).toEqual([central.vaultArn, 'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-air-gapped']);
  });

  it('also copies to the same-region central vault with primaryRegionCopy', () => {
    const estate = three();
    const analytics = estate.workloads.find((w) => w.workload.name === 'analytics')!;
    expect(analytics.copyDestinationVaultArns).toEqual([
      'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-central',
      'arn:aws:backup:us-east-1:111111111111:backup-vault:acme-central',
    ]);
    expect(estate.backupVault.centralVaults.get('us-east-1')!.vault.vaultArn).toBe(analytics.copyDestinationVaultArns[1]);
  });

  it('uses the workload region, the configured tag and resource types, and a backup+restore service role', () => {
    const estate = three();
    const billing = estate.workloads.find((w) => w.workload.name === 'billing')!;
    const out = Testing.synth(billing);
    const [selection] = resourcesOf(out, 'aws_backup_selection') as { resources: string[]; condition: unknown }[];
    expect(selection.resources).toEqual([
      'arn:aws:rds:ap-northeast-2:444444444444:cluster:*',
      'arn:aws:dynamodb:ap-northeast-2:444444444444:table/*',
      'arn:aws:rds:ap-northeast-2:444444444444:db:*',
    ]);
    expect(selection.condition).toEqual([{ string_equals: [{ key: 'aws:ResourceTag/backup-plan', value: 'billing' }] }]);
    expect(resourcesOf(out, 'aws_iam_role_policy_attachment')).toHaveLength(4);
  });

  it('adds guard-rails only where the workload turns them on', () => {
    const estate = three();
    const shop = Testing.synth(estate.workloads.find((w) => w.workload.name === 'shop')!);
    const billing = Testing.synth(estate.workloads.find((w) => w.workload.name === 'billing')!);
    expect(resourcesOf(shop, 'aws_config_config_rule').length).toBeGreaterThan(0);
    expect(resourcesOf(shop, 'aws_backup_framework')).toHaveLength(1);
    expect(resourcesOf(billing, 'aws_config_config_rule')).toEqual([]);
  });
});

describe('every stack deploys alone', () => {
  it('never reads another stack\'s state', () => {
    const estate = three();
    const stacks = [estate.backupVault, estate.dr, estate.organization!, ...estate.workloads];
    for (const stack of stacks) {
      const out = Testing.synth(stack);
      expect(out).not.toMatch(/terraform_remote_state/);
      expect(JSON.parse(out).data).toBeUndefined();
    }
  });
});
