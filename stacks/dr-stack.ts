import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { STACK_NAMES } from '../config/naming';
import { BackupKmsKey } from '../modules/backup-kms-key';
import { ProtectedBackupVault } from '../modules/protected-backup-vault';
import { BackupServiceRole } from '../modules/backup-service-role';

/**
 * DR account, recovery region: the restore vault that accepts copies from the backup-vault account only,
 * and the role AWS Backup uses to restore there. The event bus, recovery state machine and functions
 * are added to this stack by later modules.
 */
export class DrStack extends AccountStack {
  readonly key: BackupKmsKey;
  readonly restoreVault: ProtectedBackupVault;
  readonly restoreRole: BackupServiceRole;

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

    new TerraformOutput(this, 'restore_vault_arn', { value: this.restoreVault.vault.arn });
    new TerraformOutput(this, 'restore_role_arn', { value: this.restoreRole.roleArn });
  }
}
