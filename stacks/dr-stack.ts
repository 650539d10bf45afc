import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { STACK_NAMES } from '../config/naming';
import { BackupKmsKey } from '../modules/backup-kms-key';
import { ProtectedBackupVault } from '../modules/protected-backup-vault';
import { BackupServiceRole } from '../modules/backup-service-role';
import { CentralEventBus } from '../modules/central-event-bus';
import { incidentPattern, recoveryPattern } from '../modules/event-patterns';

/**
 * DR account, recovery region: the restore vault that accepts copies from the backup-vault account only,
 * and the role AWS Backup uses to restore there. The event bus, recovery state machine and functions
 * are added to this stack by later modules.
 */
export class DrStack extends AccountStack {
  readonly key: BackupKmsKey;
  readonly restoreVault: ProtectedBackupVault;
  readonly restoreRole: BackupServiceRole;
  readonly eventBus: CentralEventBus;

  constructor(scope: Construct, config: EstateConfig) {
    const { dr, backupVault } = config.accounts;
    const region = config.regions.recovery;
    super(scope, STACK_NAMES.dr, { config, accountId: dr.id, roleArn: dr.roleArn, region });
    const names = this.names;
    const breakGlassRoleArn = names.breakGlassRoleArn(dr.id, region);

    this.key = new BackupKmsKey(this, 'RestoreVaultKey', {
      description: `AWS Backup DR restore vault of ${config.name}`,
      alias: names.kmsAlias('dr-restore-vault'),
      accountId: dr.id,
      region,
      organizationId: config.organizationId,
      adminRoleArns: [dr.roleArn, breakGlassRoleArn],
    });
    this.restoreVault = new ProtectedBackupVault(this, 'RestoreVault', {
      name: names.drRestoreVaultName,
      accountId: dr.id,
      region,
      kmsKeyArn: this.key.keyArn,
      breakGlassRoleArn,
      copyInto: { organizationId: config.organizationId, accountIds: [backupVault.id] },
    });
    this.restoreRole = new BackupServiceRole(this, 'RestoreRole', {
      roleName: names.drRestoreRoleName,
      accountId: dr.id,
      region,
      purposes: ['restore'],
      description: 'AWS Backup role for restores in the DR account',
    });

    const { detection } = config;
    const recoveryAlarmNames = config.workloads.flatMap((w) => w.alarms.filter((a) => a.triggersRecovery).map((a) => `${names.alarmNamePrefix(w.name)}${a.name}`));
    this.eventBus = new CentralEventBus(this, 'EventBus', {
      busName: names.drEventBusName,
      accountId: dr.id,
      region,
      organizationId: config.organizationId,
      senderAccountIds: [backupVault.id, ...config.workloads.map((w) => w.accountId)],
      forwarderRoleName: names.eventForwarderRoleName,
      archiveRetentionDays: detection.archiveRetentionDays,
      namePrefix: config.name,
      incidentPattern: incidentPattern(),
      recoveryPattern: recoveryPattern({ ...detection.health.services, ...detection.health.globalServices }, recoveryAlarmNames),
      keyAdminRoleArns: [dr.roleArn, breakGlassRoleArn],
      onCallEmailAddresses: detection.onCall.emailAddresses,
      maximumEventAgeSeconds: detection.delivery.maximumEventAgeSeconds,
      maximumRetryAttempts: detection.delivery.maximumRetryAttempts,
    });

    new TerraformOutput(this, 'event_bus_arn', { value: this.eventBus.bus.arn });
    new TerraformOutput(this, 'restore_vault_arn', { value: this.restoreVault.vault.arn });
    new TerraformOutput(this, 'restore_role_arn', { value: this.restoreRole.roleArn });
  }
}
