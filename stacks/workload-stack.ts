import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AccountStack } from './account-stack';
import type { EstateConfig, WorkloadConfig } from '../config/schema';
import { workloadRegion, workloadStackName } from '../config/naming';
import { BackupKmsKey } from '../modules/backup-kms-key';
import { ProtectedBackupVault } from '../modules/protected-backup-vault';
import { BackupServiceRole } from '../modules/backup-service-role';
import { WorkloadBackupPlan } from '../modules/workload-backup-plan';
import { BackupGuardrails } from '../modules/backup-guardrails';

/**
 * Workload account, primary region: local vault with its own key, AWS Backup plan and tag-based
 * selection, and a copy of every recovery point to the central vault in the backup-vault account.
 */
export class WorkloadStack extends AccountStack {
  readonly workload: WorkloadConfig;
  readonly key: BackupKmsKey;
  readonly vault: ProtectedBackupVault;
  readonly backupRole: BackupServiceRole;
  readonly plan: WorkloadBackupPlan;
  readonly guardrails?: BackupGuardrails;
  /** Central vaults every recovery point is copied to. */
  readonly copyDestinationVaultArns: string[];

  constructor(scope: Construct, config: EstateConfig, workload: WorkloadConfig) {
    const region = workloadRegion(config, workload);
    super(scope, workloadStackName(workload.name), { config, accountId: workload.accountId, roleArn: workload.roleArn, region });
    this.workload = workload;
    const names = this.names;
    const breakGlassRoleArn = names.breakGlassRoleArn(workload.accountId, region);

    this.key = new BackupKmsKey(this, 'LocalVaultKey', {
      description: `AWS Backup local vault of workload ${workload.name} (${config.name})`,
      alias: names.kmsAlias(`${workload.name}/local-vault`),
      accountId: workload.accountId,
      region,
      organizationId: config.organizationId,
      adminRoleArns: [workload.roleArn, breakGlassRoleArn],
      // The backup-vault account copies and restores recovery points encrypted with this key.
      crossAccountBackupAccountIds: [config.accounts.backupVault.id],
    });
    this.vault = new ProtectedBackupVault(this, 'LocalVault', {
      name: names.workloadVaultName(workload.name),
      accountId: workload.accountId,
      region,
      kmsKeyArn: this.key.keyArn,
      breakGlassRoleArn,
    });
    this.backupRole = new BackupServiceRole(this, 'BackupServiceRole', {
      roleName: names.workloadBackupRoleName(workload.name),
      accountId: workload.accountId,
      region,
      purposes: ['backup', 'restore'],
      description: `AWS Backup service role of workload ${workload.name}`,
    });

    this.copyDestinationVaultArns = [names.centralVaultArn(config.regions.recovery)];
    if (config.accounts.backupVault.primaryRegionCopy) this.copyDestinationVaultArns.push(names.centralVaultArn(region));

    this.plan = new WorkloadBackupPlan(this, 'BackupPlan', {
      planName: names.workloadPlanName(workload.name),
      selectionName: names.workloadSelectionName(workload.name),
      targetVaultName: this.vault.vault.name,
      backupRoleArn: this.backupRole.roleArn,
      rules: workload.backup.rules,
      copyDestinationVaultArns: this.copyDestinationVaultArns,
      selectionTag: workload.backup.selectionTag,
      resourceTypes: workload.backup.resourceTypes,
      accountId: workload.accountId,
      region,
      recoveryPointTags: { 'dr:estate': config.name, 'dr:workload': workload.name },
    });

    const { awsConfigRules, auditFramework } = workload.guardrails;
    if (awsConfigRules || auditFramework) {
      this.guardrails = new BackupGuardrails(this, 'Guardrails', {
        namePrefix: `${config.name}-${workload.name}`,
        resourceTypes: workload.backup.resourceTypes,
        awsConfigRules,
        auditFramework,
        copyAccountIds: [config.accounts.backupVault.id],
        copyRegions: [config.regions.recovery],
        minRetentionDays: Math.min(...workload.backup.rules.map((r) => r.retentionDays)),
      });
    }

    new TerraformOutput(this, 'local_vault_arn', { value: this.vault.vault.arn });
    new TerraformOutput(this, 'backup_plan_id', { value: this.plan.plan.id });
  }
}
