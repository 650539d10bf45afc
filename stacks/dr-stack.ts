import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { autoScalingGroupArnPattern, STACK_NAMES, workloadRegion } from '../config/naming';
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
import { RecoveryStateMachine } from '../modules/recovery/recovery-state-machine';
import { ConnectRunbook } from '../modules/recovery/connect-runbook';
import { RecoveryTriggers } from '../modules/recovery/recovery-triggers';
import type { PolicyStatement } from '../modules/policy-document';
import { attachRestoredVolumeStatements, cleanupDrillStatements, locateRecoveryPointsStatements, prepareRestoreStatements, reportRecoveryStatements } from '../modules/recovery/function-policies';
import { RestoreTesting } from '../modules/restore-testing';
import { TerraformCloudConnection } from '../modules/recovery/terraform-cloud-connection';
import { ReadinessChecker } from '../modules/readiness-checker';
import { failbackRestoreSettings } from '../modules/failback/steps/restore-overrides';
import { FailbackStateMachine, failbackDnsRecord } from '../modules/failback/failback-state-machine';
import { workloadRegionCallFunction } from '../modules/failback/workload-region-call';

/** Namespace of the RTO/RPO metrics published after every recovery. */
export const RECOVERY_METRIC_NAMESPACE = 'DisasterRecovery';

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
  readonly recoveryFunctions: Record<'locateRecoveryPoints' | 'prepareRestore' | 'reportRecovery' | 'cleanupDrill', BundledFunction>;
  readonly recovery: RecoveryStateMachine;
  /** With any workload's `failback`: the failback machine, the AWS Backup role of its backups and copies, and its function for calls in the workload regions. */
  readonly failback?: { readonly stateMachine: FailbackStateMachine; readonly backupRole: BackupServiceRole; readonly workloadRegionCall: BundledFunction };

  constructor(scope: Construct, config: EstateConfig) {
    const { dr, backupVault } = config.accounts;
    const region = config.regions.recovery;
    super(scope, STACK_NAMES.dr, { config, accountId: dr.id, roleArn: dr.roleArn, region });
    const names = this.names;
    const breakGlassRoleArn = names.breakGlassRoleArn(dr.id, region);
    const failbackWorkloads = config.workloads.filter((w) => w.failback);

    this.key = new BackupKmsKey(this, 'RestoreVaultKey', {
      description: `AWS Backup DR restore vault of ${config.name}`,
      alias: names.kmsAlias('dr-restore-vault'),
      accountId: dr.id,
      region,
      organizationId: config.organizationId,
      adminRoleArns: [dr.roleArn],
      breakGlassRoleArn,
      // Failback copies the final backups from the restore vault to the workload accounts: the source
      // key of a cross-account copy must let the destination account use it (AWS Backup Developer
      // Guide, "Encryption for backups in AWS Backup": https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
      ...(failbackWorkloads.length > 0 ? { crossAccountBackupAccountIds: failbackWorkloads.map((w) => w.accountId) } : {}),
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
      delivery: detection.delivery,
    });

    const { functions, network } = config.recovery;
    const partition = partitionOf(region);
    this.functionsKey = new ServiceKmsKey(this, 'FunctionsKey', {
      description: `Logs and environment of ${config.name} recovery functions`,
      alias: names.kmsAlias('dr-functions'),
      accountId: dr.id,
      region,
      adminRoleArns: [dr.roleArn, breakGlassRoleArn],
      viaServices: ['lambda', 's3'],
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
    // centralVault.kind: the locked central vault (copied from), the logically air-gapped vault shared
    // with this account through AWS RAM (restored from in place), or both.
    const lockedCentralVault = config.centralVault.kind !== 'airGapped';
    const airGappedVault = config.centralVault.kind !== 'locked' ? { name: names.airGappedVaultName, accountId: backupVault.id, region } : undefined;
    const functionScope = { region, accountId: dr.id, ...(airGappedVault ? { airGappedVault: { arn: names.airGappedVaultArn, accountId: backupVault.id } } : {}) };
    this.attachRestoredVolume = new BundledFunction(this, 'AttachRestoredVolume', {
      ...functionDefaults,
      functionName: `${config.name}-attach-restored-volume`,
      entry: functionEntry('attach-restored-volume'),
      description: 'Attaches a restored EBS volume to the recovery instance with the same dr:server tag',
      // Waits up to ~60 s for a volume still "creating" and ~60 s for the attachment, plus backoff.
      timeout: 180,
      policyStatements: attachRestoredVolumeStatements(functionScope),
    });
    // Restored volumes are encrypted with the restore vault's key (cross-account copies are re-encrypted with it).
    this.key.grantEbsVolumeUse(this.attachRestoredVolume);
    new FunctionTrigger(this, 'EbsRestoreCompleted', {
      ruleName: names.eventRuleName('ebs-restore-completed'),
      description: 'A completed EBS restore: attach the volume to its recovery instance',
      pattern: restoreCompletedPattern('EBS'),
      target: this.attachRestoredVolume,
      accountId: dr.id,
      region,
      delivery: detection.delivery,
      alarmActions: onCall,
    });

    const servers = config.workloads.flatMap((w) => w.servers.map((s) => ({ workload: w.name, role: s.role, amiId: s.amiId, instanceType: s.instanceType, maxSize: s.maxSize ?? s.size })));
    // Restored FSx file systems: a security group in the landing zone, a described entry per file
    // system for the connect runbook, which mounts them. Nothing of it without FSx.
    const restoresFsx = config.workloads.some((w) => w.backup.resourceTypes.includes('FSx'));
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
        ...(restoresFsx ? { fileSystems: true } : {}),
      });
    }

    // ---- the recovery state machine and the functions it calls ----------------------------------
    const restoresEc2 = config.workloads.some((w) => w.backup.resourceTypes.includes('EC2'));
    const recoveryFunction = (id: string, name: string, description: string, policyStatements: PolicyStatement[], environment?: Record<string, string>) =>
      new BundledFunction(this, id, {
        ...functionDefaults,
        // `<name>-recovery-*`: the name pattern the copy-starter role in the backup-vault account trusts.
        functionName: `${config.name}-recovery-${name}`,
        entry: functionEntry(name),
        description,
        timeout: 300,
        policyStatements,
        environment,
      });
    const onCallTopicArn = `arn:${partition}:sns:${region}:${dr.id}:${config.name}-dr-on-call`;
    this.recoveryFunctions = {
      locateRecoveryPoints: recoveryFunction('LocateRecoveryPoints', 'locate-recovery-points', 'Finds the recovery points to restore, in the DR vault or the central vault', []),
      prepareRestore: recoveryFunction('PrepareRestore', 'prepare-restore', 'Builds the restore metadata of one recovery point', prepareRestoreStatements(functionScope)),
      reportRecovery: recoveryFunction(
        'ReportRecovery',
        'report-recovery',
        'Publishes RTO/RPO metrics and the recovery summary',
        reportRecoveryStatements(RECOVERY_METRIC_NAMESPACE),
        { METRIC_NAMESPACE: RECOVERY_METRIC_NAMESPACE, TOPIC_ARN: onCallTopicArn },
      ),
      cleanupDrill: recoveryFunction(
        'CleanupDrill',
        'cleanup-drill',
        'Deletes what a recovery drill created',
        cleanupDrillStatements({
          ...functionScope,
          autoScalingGroupArns: config.workloads.flatMap((w) => w.servers.map((sv) => autoScalingGroupArnPattern(region, dr.id, `${config.name}-${w.name}-${sv.role}`))),
          restoresEc2,
        }),
      ),
    };
    // Granted by the constructs that own the vault and the topic, in the order the policies list them.
    const locate = this.recoveryFunctions.locateRecoveryPoints;
    this.restoreVault.grantListRecoveryPoints(locate, 'ListRestoreVault');
    for (const statement of locateRecoveryPointsStatements(functionScope, lockedCentralVault ? names.centralCopyStarterRoleArn : undefined)) locate.addToPrincipalPolicy(statement);
    this.eventBus.onCall.grantPublish(this.recoveryFunctions.reportRecovery, 'PublishSummary');
    const runbook = new ConnectRunbook(this, 'ConnectRunbook', {
      documentName: `${config.name}-connect-servers`,
      roleName: `${config.name}-recovery-runbook`,
      accountId: dr.id,
      region,
      ...(restoresFsx ? { fileSystems: true } : {}),
    });
    // recovery.infrastructure terraformCloud: BuildInfrastructure calls the runs API through this connection.
    const terraformCloud = config.workloads.some((w) => w.recovery.infrastructure.kind === 'terraformCloud')
      ? new TerraformCloudConnection(this, 'TerraformCloudConnection', { name: `${config.name}-terraform-cloud`, hostname: config.terraformCloud?.hostname ?? 'app.terraform.io' })
      : undefined;
    const fnArn = (f: BundledFunction) => f.functionArn;
    // AWS Backup launches a restored EC2 instance with the servers' instance profile, as the restore role.
    if (this.landingZone && restoresEc2) this.landingZone.grantPassInstanceRole(this.restoreRole);
    // Recovery and failback log, notify and run alike in the DR account.
    const stateMachineSettings = {
      accountId: dr.id,
      region,
      logKmsKeyArn: this.functionsKey.keyArn,
      logRetentionDays: functions.logRetentionDays,
      logLevel: config.recovery.stateMachine.logLevel,
      onCallKeyArn: this.eventBus.onCall.keyArn,
    };
    this.recovery = new RecoveryStateMachine(this, 'Recovery', {
      stateMachineName: `${config.name}-recovery`,
      roleName: `${config.name}-recovery-orchestrator`,
      ...stateMachineSettings,
      connectRunbookRoleArn: runbook.roleArn,
      definition: {
        workloads: config.workloads.map((w) => ({
          name: w.name,
          accountId: w.accountId,
          approvalRequired: w.recovery.approval.required,
          approvalTimeoutSeconds: w.recovery.approval.timeoutMinutes * 60,
          rpoMinutes: w.targets.rpoMinutes,
          restoreConcurrency: w.recovery.restoreConcurrency,
          jobTimeoutMinutes: w.recovery.jobTimeoutMinutes,
          resourceTypes: w.backup.resourceTypes,
          servers: w.servers.map((sv) => ({ role: sv.role, autoScalingGroupName: `${config.name}-${w.name}-${sv.role}`, size: sv.size, maxSize: sv.maxSize ?? sv.size })),
          failover: w.recovery.failover,
          healthAlarmName: w.recovery.healthAlarmName,
          startCommand: w.recovery.startCommand,
          mountRoot: w.recovery.mountRoot,
          infrastructure: w.recovery.infrastructure,
          ...(w.recovery.fsx ? { fsx: w.recovery.fsx } : {}),
        })),
        functionArns: {
          locateRecoveryPoints: fnArn(this.recoveryFunctions.locateRecoveryPoints),
          prepareRestore: fnArn(this.recoveryFunctions.prepareRestore),
          attachRestoredVolume: fnArn(this.attachRestoredVolume),
          reportRecovery: fnArn(this.recoveryFunctions.reportRecovery),
          cleanupDrill: fnArn(this.recoveryFunctions.cleanupDrill),
        },
        onCallTopicArn,
        restoreRoleArn: `arn:${partition}:iam::${dr.id}:role/${names.drRestoreRoleName}`,
        restoreVault: { name: names.drRestoreVaultName, arn: names.drRestoreVaultArn, accountId: dr.id, region },
        centralVault: { name: names.centralVaultName, accountId: backupVault.id, region },
        ...(airGappedVault ? { airGappedVault } : {}),
        ...(lockedCentralVault ? {} : { copyFromCentralVault: false }),
        copyStarterRoleArn: names.centralCopyStarterRoleArn,
        copyServiceRoleArn: `arn:${partition}:iam::${backupVault.id}:role/${names.centralCopyServiceRoleName}`,
        copyRetentionDays: config.recovery.stateMachine.copyRetentionDays,
        connectDocumentName: runbook.documentName,
        target: {
          availabilityZones: network.availabilityZones,
          subnetIds: this.landingZone ? this.landingZone.subnets.map((sn) => sn.id) : [],
          securityGroupIds: this.landingZone ? [this.landingZone.serverSecurityGroup.id] : [],
          ...(this.landingZone ? { dbSubnetGroupName: this.landingZone.dbSubnetGroupName, recoveryBucketName: this.landingZone.recoveryBucketName } : {}),
          // Only with EC2 among a workload's types: restored instances get the servers' profile.
          ...(this.landingZone && restoresEc2 ? { instanceProfileName: this.landingZone.instanceProfileName } : {}),
          ...(this.landingZone?.fileSystemSecurityGroup ? { fileSystemSecurityGroupIds: [this.landingZone.fileSystemSecurityGroup.id] } : {}),
        },
        pollSeconds: config.recovery.stateMachine.pollSeconds,
        ...(terraformCloud ? { terraformCloud: { apiUrl: terraformCloud.apiUrl, connectionArn: terraformCloud.connectionArn, connectionName: terraformCloud.connectionName } } : {}),
      },
    });
    new RecoveryTriggers(this, 'RecoveryTriggers', {
      namePrefix: config.name,
      accountId: dr.id,
      region,
      stateMachineArn: this.recovery.stateMachineArn,
      bus: this.eventBus,
      drills: config.workloads.filter((w) => w.recovery.drillSchedule).map((w) => ({ workload: w.name, schedule: w.recovery.drillSchedule! })),
      alarmActions: onCall,
    });

    // ---- AWS Backup restore testing (workloads with restoreTesting) ------------------------------
    const restoreTested = config.workloads.filter((w) => w.restoreTesting);
    if (restoreTested.length > 0) {
      const restoreTesting = new RestoreTesting(this, 'RestoreTesting', {
        names,
        namePrefix: config.name,
        accountId: dr.id,
        region,
        workloads: restoreTested.map((w) => ({ ...w.restoreTesting!, name: w.name, selectionTag: w.backup.selectionTag })),
        vaultArns: [names.drRestoreVaultArn, ...(config.centralVault.kind !== 'locked' ? [names.airGappedVaultArn] : [])],
        restoreVaultKeyArn: this.key.keyArn,
        target: this.landingZone
          ? { availabilityZones: network.availabilityZones, subnetIds: this.landingZone.subnets.map((sn) => sn.id), securityGroupIds: [this.landingZone.serverSecurityGroup.id], dbSubnetGroupName: this.landingZone.dbSubnetGroupName }
          : undefined,
        eventBusArn: this.eventBus.busArn,
        onCallTopicArn,
        delivery: detection.delivery,
        validationFunction: { ...functionDefaults, entry: functionEntry('validate-restore') },
      });
      // Failed validations page on-call: the topic grants publishing (and its key) to the function.
      this.eventBus.onCall.grantPublish(restoreTesting.validateRestore, 'PublishFailedValidations');
    }

    // ---- the daily readiness check (every workload) -----------------------------------------------
    new ReadinessChecker(this, 'Readiness', {
      config,
      names,
      stateMachineArn: this.recovery.stateMachineArn,
      recoveryMetricNamespace: RECOVERY_METRIC_NAMESPACE,
      entry: functionEntry('check-readiness'),
      functionDefaults,
      alarmActions: onCall,
    });

    // ---- failback (workloads with failback) -------------------------------------------------------
    if (failbackWorkloads.length > 0) {
      const backupRole = new BackupServiceRole(this, 'FailbackBackupRole', {
        roleName: names.failbackBackupRoleName,
        accountId: dr.id,
        region,
        purposes: ['backup'],
        description: 'AWS Backup role for failback: final backups into the restore vault, copies to the workload accounts',
      });
      // The machine's calls in the workload accounts' regions (restore, subnet, health alarm) go through this function.
      const workloadRegionCall = workloadRegionCallFunction(this, 'FailbackWorkloadRegionCall', {
        ...functionDefaults,
        functionName: names.failbackWorkloadRegionCallFunctionName,
        entry: functionEntry('workload-region-call'),
        // The connect runbook each workload stack with failback deploys (step Reconnect starts and tracks that document only).
        targets: failbackWorkloads.map((w) => ({ workload: w.name, roleArn: names.workloadFailbackRoleArn(w), region: workloadRegion(config, w), connectDocumentName: names.workloadConnectRunbookName(w.name), subnetIds: w.failback!.subnetIds, securityGroupIds: w.failback!.securityGroupIds })),
      });
      const stateMachine = new FailbackStateMachine(this, 'Failback', {
        stateMachineName: names.failbackStateMachineName,
        roleName: names.failbackOrchestratorRoleName,
        ...stateMachineSettings,
        definition: {
          workloads: failbackWorkloads.map((w) => {
            const fb = w.failback!;
            return {
              name: w.name,
              accountId: w.accountId,
              region: workloadRegion(config, w),
              approvalTimeoutSeconds: w.recovery.approval.timeoutMinutes * 60,
              jobTimeoutMinutes: w.recovery.jobTimeoutMinutes,
              restoreConcurrency: w.recovery.restoreConcurrency,
              freeze:
                fb.freeze.kind === 'scaleDown'
                  ? { kind: 'scaleDown' as const, size: fb.freeze.size, autoScalingGroupNames: w.servers.map((sv) => `${config.name}-${w.name}-${sv.role}`) }
                  : fb.freeze,
              localVault: { name: names.workloadVaultName(w.name), arn: names.workloadVaultArn(w) },
              localRetentionDays: Math.max(...w.backup.rules.map((r) => r.retentionDays)),
              failbackRoleArn: names.workloadFailbackRoleArn(w),
              backupRoleArn: `arn:${partition}:iam::${w.accountId}:role/${names.workloadBackupRoleName(w.name)}`,
              subnetIds: fb.subnetIds,
              securityGroupIds: fb.securityGroupIds,
              kmsKeyArn: fb.kmsKeyArn,
              ...failbackRestoreSettings(fb),
              serverGroups: w.servers.map((sv) => ({ name: `${config.name}-${w.name}-${sv.role}`, size: sv.size })),
              connectRunbook: {
                documentName: names.workloadConnectRunbookName(w.name),
                startCommand: w.recovery.startCommand,
                mountRoot: w.recovery.mountRoot,
                // The workload's runbook takes FsxFileSystems (stacks/workload-stack.ts): step Reconnect passes them.
                ...(w.backup.resourceTypes.includes('FSx') ? { fsx: true } : {}),
              },
              ...(fb.dnsRecord ? { dnsRecord: failbackDnsRecord(fb.dnsRecord, w.recovery.failover) } : {}),
              ...(w.recovery.healthAlarmName ? { healthAlarmName: w.recovery.healthAlarmName } : {}),
              graceHours: fb.graceHours,
            };
          }),
          dr: { accountId: dr.id, region },
          cleanupFunctionArn: this.recoveryFunctions.cleanupDrill.functionArn,
          workloadRegionCallFunctionArn: workloadRegionCall.functionArn,
          onCallTopicArn,
          restoreVault: { name: names.drRestoreVaultName, arn: names.drRestoreVaultArn },
          backupRoleArn: names.failbackBackupRoleArn,
          finalBackupRetentionDays: config.recovery.stateMachine.copyRetentionDays,
          pollSeconds: config.recovery.stateMachine.pollSeconds,
        },
      });
      this.failback = { stateMachine, backupRole, workloadRegionCall };
    }

    new TerraformOutput(this, 'recovery_state_machine_arn', { value: this.recovery.stateMachine.arn });
    new TerraformOutput(this, 'event_bus_arn', { value: this.eventBus.bus.arn });
    new TerraformOutput(this, 'restore_vault_arn', { value: this.restoreVault.vault.arn });
    new TerraformOutput(this, 'restore_role_arn', { value: this.restoreRole.roleArn });
    // For the ENIs of an FSx for NetApp ONTAP file system that restored volumes go into (recovery.fsx.ontapStorageVirtualMachineId).
    if (this.landingZone?.fileSystemSecurityGroup) new TerraformOutput(this, 'file_system_security_group_id', { value: this.landingZone.fileSystemSecurityGroup.id });
    if (this.failback) new TerraformOutput(this, 'failback_state_machine_arn', { value: this.failback.stateMachine.stateMachine.arn });
  }
}
