import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { STACK_NAMES, recoveryPointArnPattern, workloadRegion } from '../config/naming';
import { partitionOf } from '../config/regions';
import { BackupKmsKey } from '../modules/backup-kms-key';
import { ProtectedBackupVault } from '../modules/protected-backup-vault';
import { BackupServiceRole } from '../modules/backup-service-role';
import { accountRootArn, policyDocument, renderPolicy, type PolicyDocument } from '../modules/policy-document';
import { alarmPattern, failedBackupJobPattern, vaultChangePattern } from '../modules/event-patterns';
import type { EventForwarder, ForwardedRule } from '../modules/event-forwarding';

/**
 * The isolated backup-vault account: the locked central vault (recovery region, and optionally each
 * workload region) that only the organization may copy into, and the narrow role through which the DR
 * account's recovery starts copies from it into the DR restore vault.
 */
export class BackupVaultStack extends AccountStack {
  /** Central vault per region, recovery region first. */
  readonly centralVaults = new Map<string, { key: BackupKmsKey; vault: ProtectedBackupVault }>();
  readonly copyServiceRole: BackupServiceRole;
  readonly copyStarterRole: IamRole;
  readonly copyStarterTrustPolicy: PolicyDocument;
  readonly copyStarterPolicy: PolicyDocument;
  /** Incident forwarding to the DR bus from every central vault region. */
  readonly forwarders: Map<string, EventForwarder>;

  constructor(scope: Construct, config: EstateConfig) {
    const { backupVault, dr } = config.accounts;
    super(scope, STACK_NAMES.backupVault, { config, accountId: backupVault.id, roleArn: backupVault.roleArn, region: config.regions.recovery });
    const names = this.names;
    const recovery = config.regions.recovery;

    const regions: string[] = [recovery];
    if (backupVault.primaryRegionCopy) {
      for (const r of [...new Set(config.workloads.map((w) => workloadRegion(config, w)))].sort()) regions.push(r);
    }
    for (const region of regions) {
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

    this.copyServiceRole = new BackupServiceRole(this, 'CopyServiceRole', {
      roleName: names.centralCopyServiceRoleName,
      accountId: backupVault.id,
      region: recovery,
      purposes: ['backup'],
      description: 'AWS Backup role for copy jobs from the central vault to the DR restore vault',
    });

    const partition = partitionOf(recovery);
    this.copyStarterTrustPolicy = policyDocument({
      Sid: 'DrRecoveryRolesOnly',
      Effect: 'Allow',
      // The account root plus a PrincipalArn condition (not the role ARNs themselves): IAM rejects trust
      // policies naming roles that do not exist yet, and the DR stack may deploy after this one.
      Principal: { AWS: accountRootArn(partition, dr.id) },
      Action: 'sts:AssumeRole',
      Condition: {
        ArnLike: { 'aws:PrincipalArn': names.recoveryRoleArnPattern },
        StringEquals: { 'aws:PrincipalOrgID': config.organizationId },
      },
    });
    const centralVaultArn = names.centralVaultArn(recovery);
    // Recovery points of types AWS Backup does not fully manage carry their service's own ARN.
    const centralRecoveryPoints = [
      recoveryPointArnPattern(recovery, backupVault.id),
      `arn:${partition}:ec2:${recovery}::snapshot/*`,
      `arn:${partition}:ec2:${recovery}::image/*`,
      `arn:${partition}:rds:${recovery}:${backupVault.id}:snapshot:awsbackup:*`,
      `arn:${partition}:rds:${recovery}:${backupVault.id}:cluster-snapshot:awsbackup:*`,
      `arn:${partition}:fsx:${recovery}:${backupVault.id}:backup/*`,
    ];
    this.copyStarterPolicy = policyDocument(
      {
        Sid: 'ReadCentralVault',
        Effect: 'Allow',
        Action: ['backup:DescribeBackupVault', 'backup:ListRecoveryPointsByBackupVault'],
        Resource: centralVaultArn,
      },
      {
        Sid: 'ReadCentralRecoveryPoints',
        Effect: 'Allow',
        Action: ['backup:DescribeRecoveryPoint', 'backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags'],
        Resource: centralRecoveryPoints,
      },
      {
        Sid: 'StartCopyFromCentralVault',
        Effect: 'Allow',
        Action: 'backup:StartCopyJob',
        Resource: centralRecoveryPoints,
      },
      {
        // DescribeCopyJob supports no resource-level permissions.
        Sid: 'TrackCopyJobs',
        Effect: 'Allow',
        Action: 'backup:DescribeCopyJob',
        Resource: '*',
      },
      {
        Sid: 'PassCopyServiceRoleToAwsBackupOnly',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: this.copyServiceRole.roleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      },
    );
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

    const rules: ForwardedRule[] = [
      { id: 'FailedBackupJobs', ruleName: names.eventRuleName('failed-backup-jobs'), description: 'Failed, aborted or expired copy jobs from the central vault', pattern: failedBackupJobPattern() },
      { id: 'VaultChanges', ruleName: names.eventRuleName('vault-changes'), description: 'Attempts to delete recovery points or change vault policies and locks', pattern: vaultChangePattern() },
      { id: 'Alarms', ruleName: names.eventRuleName('alarms'), description: 'Estate alarms going into ALARM', pattern: alarmPattern(`${config.name}-`) },
    ];
    this.forwarders = this.forwardIncidents(new Map(regions.map((r) => [r, rules]))).forwarders;

    new TerraformOutput(this, 'central_vault_arn', { value: this.centralVaults.get(recovery)!.vault.vault.arn });
    new TerraformOutput(this, 'copy_starter_role_arn', { value: this.copyStarterRole.arn });
  }
}
