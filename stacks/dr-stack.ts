import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { STACK_NAMES } from '../config/naming';
import { BackupKmsKey } from '../modules/backup-kms-key';
import { ProtectedBackupVault } from '../modules/protected-backup-vault';
import { BackupServiceRole } from '../modules/backup-service-role';
import { CentralEventBus } from '../modules/central-event-bus';
import * as path from 'path';
import { incidentPattern, recoveryPattern, restoreCompletedPattern } from '../modules/event-patterns';
import { BundledFunction } from '../modules/bundled-function';
import { FunctionTrigger } from '../modules/function-trigger';
import { ServiceKmsKey, cloudWatchLogsKeyStatement } from '../modules/service-kms-key';
import { RecoveryLandingZone } from '../modules/recovery-landing-zone';
import { partitionOf } from '../config/regions';

/** `functions/<name>/index.ts` of this project. */
export function functionEntry(name: string): string {
  return path.join(__dirname, '..', 'functions', name, 'index.ts');
}

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
  readonly functionsKey: ServiceKmsKey;
  readonly attachRestoredVolume: BundledFunction;
  readonly landingZone?: RecoveryLandingZone;

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
      adminRoleArns: [dr.roleArn],
      breakGlassRoleArn,
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

    const { functions, network } = config.recovery;
    const partition = partitionOf(region);
    this.functionsKey = new ServiceKmsKey(this, 'FunctionsKey', {
      description: `Logs and environment of ${config.name} recovery functions`,
      alias: names.kmsAlias('dr-functions'),
      accountId: dr.id,
      region,
      adminRoleArns: [dr.roleArn, breakGlassRoleArn],
      viaServices: ['lambda'],
      serviceStatements: [cloudWatchLogsKeyStatement(dr.id, region)],
    });
    const onCall = [this.eventBus.onCall.topicArn];
    const functionDefaults = {
      accountId: dr.id,
      region,
      kmsKeyArn: this.functionsKey.keyArn,
      logRetentionDays: functions.logRetentionDays,
      architecture: functions.architecture,
      reservedConcurrency: functions.reservedConcurrency,
      sourceMap: functions.sourceMaps,
      alarmActions: onCall,
    };
    this.attachRestoredVolume = new BundledFunction(this, 'AttachRestoredVolume', {
      ...functionDefaults,
      functionName: `${config.name}-attach-restored-volume`,
      entry: functionEntry('attach-restored-volume'),
      description: 'Attaches a restored EBS volume to the recovery instance with the same dr:server tag',
      // Waits up to ~60 s for a volume still "creating" and ~60 s for the attachment, plus backoff.
      timeout: 180,
      policyStatements: [
        // Describe* calls support no resource-level permissions.
        { Sid: 'FindVolumesInstancesAndSnapshots', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeVolumes'], Resource: '*' },
        {
          Sid: 'AttachToRecoveryInstancesOnly',
          Effect: 'Allow',
          Action: 'ec2:AttachVolume',
          Resource: `arn:${partition}:ec2:${region}:${dr.id}:instance/*`,
          Condition: { Null: { 'aws:ResourceTag/dr:server': 'false' } },
        },
        { Sid: 'AttachVolumesOfThisAccount', Effect: 'Allow', Action: 'ec2:AttachVolume', Resource: `arn:${partition}:ec2:${region}:${dr.id}:volume/*` },
        { Sid: 'ReadRecoveryPointTags', Effect: 'Allow', Action: 'backup:ListTags', Resource: `arn:${partition}:backup:${region}:${dr.id}:recovery-point:*` },
      ],
    });
    new FunctionTrigger(this, 'EbsRestoreCompleted', {
      ruleName: names.eventRuleName('ebs-restore-completed'),
      description: 'A completed EBS restore: attach the volume to its recovery instance',
      pattern: restoreCompletedPattern('EBS'),
      target: this.attachRestoredVolume,
      accountId: dr.id,
      region,
      maximumEventAgeSeconds: detection.delivery.maximumEventAgeSeconds,
      maximumRetryAttempts: detection.delivery.maximumRetryAttempts,
      alarmActions: onCall,
    });

    const servers = config.workloads.flatMap((w) => w.servers.map((s) => ({ workload: w.name, role: s.role, amiId: s.amiId, instanceType: s.instanceType, maxSize: s.maxSize ?? s.size })));
    if (servers.length > 0) {
      this.landingZone = new RecoveryLandingZone(this, 'LandingZone', {
        namePrefix: config.name,
        accountId: dr.id,
        region,
        vpcCidr: network.vpcCidr,
        availabilityZones: network.availabilityZones,
        interfaceEndpoints: network.interfaceEndpoints,
        servers,
        logKmsKeyArn: this.functionsKey.keyArn,
        logRetentionDays: functions.logRetentionDays,
      });
    }

    new TerraformOutput(this, 'event_bus_arn', { value: this.eventBus.bus.arn });
    new TerraformOutput(this, 'restore_vault_arn', { value: this.restoreVault.vault.arn });
    new TerraformOutput(this, 'restore_role_arn', { value: this.restoreRole.roleArn });
  }
}
