import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { STACK_NAMES, recoveryPointArnPattern, vaultRecoveryPointArns, workloadRegion } from '../config/naming';
import { partitionOf } from '../config/regions';
import { BackupKmsKey } from '../modules/backup-kms-key';
import { ProtectedBackupVault } from '../modules/protected-backup-vault';
import { AirGappedVault } from '../modules/air-gapped-vault';
import { BackupServiceRole } from '../modules/backup-service-role';
import { crossAccountRoleTrustPolicy, GrantedPolicy, policyDocument, renderPolicy, type PolicyDocument } from '../modules/policy-document';
import { alarmPattern, failedBackupJobPattern, vaultChangePattern } from '../modules/event-patterns';
import type { EventForwarder, ForwardedRule } from '../modules/event-forwarding';

/**
 * The isolated backup-vault account, by `centralVault.kind`: the locked central vault (recovery
 * region, and optionally each workload region) that only the organization may copy into, with the
 * narrow role through which the DR account's recovery starts copies from it into the DR restore vault
 * (`locked`, `both`); the logically air-gapped vault shared with the DR account through AWS RAM
 * (`airGapped`, `both`); and, for every kind, the read-only role of the DR readiness checker.
 */
export class BackupVaultStack extends AccountStack {
  /** Locked central vault per region, recovery region first (none with `centralVault.kind` airGapped). */
  readonly centralVaults = new Map<string, { key: BackupKmsKey; vault: ProtectedBackupVault }>();
  /** Logically air-gapped vault in the recovery region (`centralVault.kind` airGapped or both). */
  readonly airGappedVault?: AirGappedVault;
  /** Copy path from the locked central vault to the DR restore vault (absent without a locked central vault). */
  readonly copyServiceRole?: BackupServiceRole;
  readonly copyStarterRole?: IamRole;
  readonly copyStarterTrustPolicy?: PolicyDocument;
  readonly copyStarterPolicy?: PolicyDocument;
  /** Read-only role the DR account's readiness checker assumes (every kind). */
  readonly readerRole: IamRole;
  readonly readerTrustPolicy: PolicyDocument;
  readonly readerPolicy: PolicyDocument;
  /** Incident forwarding to the DR bus from every central vault region. */
  readonly forwarders: Map<string, EventForwarder>;

  constructor(scope: Construct, config: EstateConfig) {
    const { backupVault, dr } = config.accounts;
    super(scope, STACK_NAMES.backupVault, { config, accountId: backupVault.id, roleArn: backupVault.roleArn, region: config.regions.recovery });
    const names = this.names;
    const recovery = config.regions.recovery;

    const { kind } = config.centralVault;
    const locked = kind !== 'airGapped';
    const regions: string[] = [recovery];
    if (locked && backupVault.primaryRegionCopy) {
      for (const r of [...new Set(config.workloads.map((w) => workloadRegion(config, w)))].sort()) regions.push(r);
    }
    for (const region of locked ? regions : []) {
      const isRecovery = region === recovery;
      const provider = this.providerFor(region);
      const suffix = isRecovery ? '' : `-${region}`;
      const breakGlassRoleArn = names.breakGlassRoleArn(backupVault.id, region);
      // The DR account restores from the recovery-region vault; in a workload region the vault serves
      // restores back into that region's workload accounts.
      const users = isRecovery ? [dr.id] : config.workloads.filter((w) => workloadRegion(config, w) === region).map((w) => w.accountId);
      const key = new BackupKmsKey(this, `CentralVaultKey${suffix}`, {
        description: `AWS Backup central vault of ${config.name} (${region})`,
        alias: names.kmsAlias('central-vault'),
        accountId: backupVault.id,
        region,
        organizationId: config.organizationId,
        adminRoleArns: [backupVault.roleArn],
        breakGlassRoleArn,
        crossAccountBackupAccountIds: users,
        provider,
      });
      const vault = new ProtectedBackupVault(this, `CentralVault${suffix}`, {
        name: names.centralVaultName,
        accountId: backupVault.id,
        region,
        kmsKeyArn: key.keyArn,
        breakGlassRoleArn,
        copyInto: { organizationId: config.organizationId },
        lock: {
          minRetentionDays: config.vaultLock.minRetentionDays,
          maxRetentionDays: config.vaultLock.maxRetentionDays,
          changeableForDays: config.vaultLock.mode === 'compliance' ? config.vaultLock.changeableForDays : undefined,
        },
        provider,
      });
      this.centralVaults.set(region, { key, vault });
    }

    const partition = partitionOf(recovery);
    if (locked) {
      const copyServiceRole = new BackupServiceRole(this, 'CopyServiceRole', {
        roleName: names.centralCopyServiceRoleName,
        accountId: backupVault.id,
        region: recovery,
        purposes: ['backup'],
        description: 'AWS Backup role for copy jobs from the central vault to the DR restore vault',
      });
      this.copyServiceRole = copyServiceRole;

      this.copyStarterTrustPolicy = crossAccountRoleTrustPolicy({
        sid: 'DrRecoveryRolesOnly',
        partition,
        accountId: dr.id,
        organizationId: config.organizationId,
        roleArnPattern: names.recoveryRoleArnPattern,
      });
      // The DR account copies from the recovery region's central vault (the first of `regions`).
      const recoveryVault = this.centralVaults.get(recovery);
      if (!recoveryVault) throw new Error(`${this.node.path}: no central vault in the recovery region ${recovery}`);
      const copyStarterPolicy = new GrantedPolicy();
      recoveryVault.vault.grantStartCopy(copyStarterPolicy, copyServiceRole.roleArn, 'Central');
      this.copyStarterPolicy = copyStarterPolicy.document();
      this.copyStarterRole = new IamRole(this, 'CopyStarterRole', {
        name: names.centralCopyStarterRoleName,
        description: `Assumed by ${config.name} recovery roles in the DR account to copy central recovery points into the DR restore vault`,
        assumeRolePolicy: renderPolicy(this.copyStarterTrustPolicy),
        maxSessionDuration: 3600,
      });
      new IamRolePolicy(this, 'CopyStarterPolicy', {
        role: this.copyStarterRole.name,
        name: 'start-copy-to-dr',
        policy: renderPolicy(this.copyStarterPolicy),
      });
    }

    if (kind !== 'locked') {
      // AWS RAM shares a logically air-gapped vault with accounts only (not with an organization or OU):
      // "organization" shares it with every account of the estate that restores.
      const shareWith = config.centralVault.shareWith === 'organization' ? [dr.id, ...config.workloads.map((w) => w.accountId)] : [dr.id];
      this.airGappedVault = new AirGappedVault(this, 'AirGappedVault', {
        name: names.airGappedVaultName,
        accountId: backupVault.id,
        region: recovery,
        minRetentionDays: config.vaultLock.minRetentionDays,
        maxRetentionDays: config.vaultLock.maxRetentionDays,
        breakGlassRoleArn: names.breakGlassRoleArn(backupVault.id, recovery),
        organizationId: config.organizationId,
        shareName: names.airGappedVaultShareName,
        shareWithAccountIds: shareWith,
      });
    }

    // ---- the readiness checker's read-only view of every vault of this account -------------------
    this.readerTrustPolicy = crossAccountRoleTrustPolicy({
      sid: 'DrReadinessCheckerOnly',
      partition,
      accountId: dr.id,
      organizationId: config.organizationId,
      roleArn: names.readinessCheckerRoleArn,
    });
    const readableVaults = [...[...this.centralVaults.values()].map((c) => c.vault.vaultArn), ...(this.airGappedVault ? [this.airGappedVault.vaultArn] : [])];
    // A logically air-gapped vault holds only AWS Backup recovery-point ARNs (whatever the resource type).
    const readablePoints = [
      ...new Set([
        ...[...this.centralVaults.keys()].flatMap((r) => vaultRecoveryPointArns(r, backupVault.id)),
        ...(this.airGappedVault ? [recoveryPointArnPattern(recovery, backupVault.id)] : []),
      ]),
    ];
    this.readerPolicy = policyDocument(
      { Sid: 'ListAndDescribeVaults', Effect: 'Allow', Action: ['backup:DescribeBackupVault', 'backup:ListRecoveryPointsByBackupVault'], Resource: readableVaults },
      {
        Sid: 'DescribeRecoveryPoints',
        Effect: 'Allow',
        Action: 'backup:DescribeRecoveryPoint',
        Resource: readablePoints,
      },
    );
    this.readerRole = new IamRole(this, 'CentralVaultReaderRole', {
      name: names.centralVaultReaderRoleName,
      description: `Assumed by the ${config.name} readiness checker in the DR account to read (never change) the vaults of the backup-vault account`,
      assumeRolePolicy: renderPolicy(this.readerTrustPolicy),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, 'CentralVaultReaderPolicy', {
      role: this.readerRole.name,
      name: 'read-vaults',
      policy: renderPolicy(this.readerPolicy),
    });

    const rules: ForwardedRule[] = [
      { id: 'FailedBackupJobs', ruleName: names.eventRuleName('failed-backup-jobs'), description: 'Failed, aborted or expired copy jobs from the central vault', pattern: failedBackupJobPattern() },
      { id: 'VaultChanges', ruleName: names.eventRuleName('vault-changes'), description: 'Attempts to delete recovery points or change vault policies and locks', pattern: vaultChangePattern() },
      { id: 'Alarms', ruleName: names.eventRuleName('alarms'), description: 'Estate alarms going into ALARM', pattern: alarmPattern(`${config.name}-`) },
    ];
    this.forwarders = this.forwardIncidents(new Map((locked ? regions : [recovery]).map((r) => [r, rules]))).forwarders;

    const central = this.centralVaults.get(recovery);
    if (central) new TerraformOutput(this, 'central_vault_arn', { value: central.vault.vault.arn });
    if (this.copyStarterRole) new TerraformOutput(this, 'copy_starter_role_arn', { value: this.copyStarterRole.arn });
    if (this.airGappedVault) {
      new TerraformOutput(this, 'air_gapped_vault_arn', { value: this.airGappedVault.vault.arn });
      new TerraformOutput(this, 'air_gapped_vault_share_arn', { value: this.airGappedVault.share.arn });
    }
  }
}
