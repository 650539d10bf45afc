import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AccountStack } from './account-stack';
import type { EstateConfig, WorkloadConfig } from '../config/schema';
import { EstateNames, roleArnOf, workloadRegion, workloadStackName } from '../config/naming';
import { WORKLOAD_TAG } from '../config/tags';
import { BackupKmsKey } from '../modules/backup-kms-key';
import { ProtectedBackupVault } from '../modules/protected-backup-vault';
import { BackupServiceRole } from '../modules/backup-service-role';
import { WorkloadBackupPlan } from '../modules/workload-backup-plan';
import { BackupGuardrails } from '../modules/backup-guardrails';
import { WorkloadAlarms } from '../modules/workload-alarms';
import { WorkloadResiliencyPolicy } from '../modules/resiliency-policy';
import { alarmPattern, failedBackupJobPattern, healthIssuePattern } from '../modules/event-patterns';
import type { EventForwarder, ForwardedRule } from '../modules/event-forwarding';
import { WorkloadFailbackRole } from '../modules/failback/workload-failback-role';
import { WorkloadFailbackAccess, WorkloadFailbackReconnectAccess } from '../modules/failback/workload-failback-access';
import { ConnectRunbook } from '../modules/recovery/connect-runbook';

/** AWS Health delivers events of global services (IAM, CloudFront, Route 53, ...) in this region. */
export const GLOBAL_HEALTH_REGION = 'us-east-1';

/** One forwarding rule per Health service, in the exact shape of the seed's pattern. */
export function healthRules(prefix: string, codes: Record<string, string[]>, idPrefix = 'Health'): ForwardedRule[] {
  return Object.keys(codes)
    .sort()
    .map((service) => ({
      id: `${idPrefix}${service}`,
      ruleName: `${prefix}${service.toLowerCase()}`,
      description: `AWS Health issues of ${service} to the DR event bus`,
      pattern: healthIssuePattern(service, codes[service]),
    }));
}

/**
 * The vaults of the backup-vault account every recovery point of a workload in `region` is copied to,
 * by `centralVault.kind`: the locked central vault of the recovery region (and of `region` with
 * `primaryRegionCopy`) for `locked` and `both`, the logically air-gapped vault for `airGapped` and
 * `both`. One copy action each, each with the rule's copy lifecycle (inside the lock's range, which is
 * also the air-gapped vault's).
 */
export function copyDestinationVaultArns(config: EstateConfig, region: string): string[] {
  const names = new EstateNames(config);
  const { kind } = config.centralVault;
  const arns: string[] = [];
  if (kind !== 'airGapped') {
    arns.push(names.centralVaultArn(config.regions.recovery));
    if (config.accounts.backupVault.primaryRegionCopy) arns.push(names.centralVaultArn(region));
  }
  if (kind !== 'locked') arns.push(names.airGappedVaultArn);
  return arns;
}

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
  /** Central vaults every recovery point is copied to (by `centralVault.kind`). */
  readonly copyDestinationVaultArns: string[];
  readonly alarms: WorkloadAlarms;
  /** Incident forwarding to the DR bus, per region (the workload region, plus us-east-1 for global Health events). */
  readonly forwarders: Map<string, EventForwarder>;
  /** AWS Resilience Hub policy from `targets`, with `readiness.resilienceHubPolicies`. */
  readonly resiliencyPolicy?: WorkloadResiliencyPolicy;
  /** With `failback`: the role only the DR account's failback function (workload-region-call) may assume, to restore here. */
  readonly failbackRole?: WorkloadFailbackRole;

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
      adminRoleArns: [workload.roleArn],
      breakGlassRoleArn,
      // The backup-vault account copies and restores recovery points encrypted with this key: the key of
      // a cross-account copy's source is shared with the destination account. Failback's copies go the
      // other way (the DR restore vault is the source, its key is shared with this account, dr-stack.ts),
      // and are re-encrypted here with this key by this account's AWS Backup: the DR account needs no use
      // of it (AWS Backup Developer Guide, "Creating backup copies across AWS accounts" and "Encryption
      // for backups": https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html,
      // https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html; the failback rehearsal's
      // mutation suite shows the copy succeeds without it).
      crossAccountBackupAccountIds: [config.accounts.backupVault.id],
    });
    this.vault = new ProtectedBackupVault(this, 'LocalVault', {
      name: names.workloadVaultName(workload.name),
      accountId: workload.accountId,
      region,
      kmsKeyArn: this.key.keyArn,
      breakGlassRoleArn,
      // Failback copies come from the DR account's restore vault: the destination vault's access policy
      // must allow backup:CopyIntoBackupVault to the source account, inside the organization (AWS Backup
      // Developer Guide, "Creating backup copies across AWS accounts":
      // https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html). AWS
      // Backup offers no condition key naming the source vault; the DR account is the one account allowed.
      ...(workload.failback ? { copyInto: { organizationId: config.organizationId, accountIds: [config.accounts.dr.id] } } : {}),
    });
    this.backupRole = new BackupServiceRole(this, 'BackupServiceRole', {
      roleName: names.workloadBackupRoleName(workload.name),
      accountId: workload.accountId,
      region,
      purposes: ['backup', 'restore'],
      description: `AWS Backup service role of workload ${workload.name}`,
    });

    this.copyDestinationVaultArns = copyDestinationVaultArns(config, region);

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
      recoveryPointTags: { 'dr:estate': config.name, [WORKLOAD_TAG]: workload.name },
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

    this.alarms = new WorkloadAlarms(this, 'Alarms', { alarmNamePrefix: names.alarmNamePrefix(workload.name), alarms: workload.alarms });
    const { health } = config.detection;
    const regional: ForwardedRule[] = [
      ...healthRules(names.eventRuleName('health-'), health.services),
      { id: 'FailedBackupJobs', ruleName: names.eventRuleName('failed-backup-jobs'), description: 'Failed, aborted or expired backup, copy and restore jobs', pattern: failedBackupJobPattern() },
      { id: 'Alarms', ruleName: names.eventRuleName('alarms'), description: 'Estate alarms going into ALARM', pattern: alarmPattern(`${config.name}-`) },
    ];
    const global = healthRules(names.eventRuleName('health-global-'), health.globalServices, 'GlobalHealth');
    const rulesByRegion = new Map<string, ForwardedRule[]>([[region, regional]]);
    if (global.length > 0) rulesByRegion.set(GLOBAL_HEALTH_REGION, [...(rulesByRegion.get(GLOBAL_HEALTH_REGION) ?? []), ...global]);
    this.forwarders = this.forwardIncidents(rulesByRegion).forwarders;

    if (config.readiness.resilienceHubPolicies) {
      this.resiliencyPolicy = new WorkloadResiliencyPolicy(this, 'ResiliencyPolicy', {
        policyName: names.resiliencyPolicyName(workload.name),
        description: `DR objectives of workload ${workload.name} (${config.name}): backup and restore into ${config.regions.recovery}`,
        rtoMinutes: workload.targets.rtoMinutes,
        rpoMinutes: workload.targets.rpoMinutes,
      });
    }

    if (workload.failback) {
      this.failbackRole = new WorkloadFailbackRole(this, 'FailbackRole', {
        roleName: names.workloadFailbackRoleName(workload.name),
        accountId: workload.accountId,
        region,
        organizationId: config.organizationId,
        workloadRegionCallRoleArn: names.failbackWorkloadRegionCallRoleArn,
        drAccountId: config.accounts.dr.id,
        backupRoleArn: roleArnOf(region, workload.accountId, names.workloadBackupRoleName(workload.name)),
        backupRole: this.backupRole,
        kmsKeyArn: workload.failback.kmsKeyArn,
        instanceProfile: workload.failback.instanceProfile,
      });
      // After the restore the machine reads the health alarm here (step Verify).
      if (workload.recovery.healthAlarmName) {
        new WorkloadFailbackAccess(this, 'FailbackAccess', { roleName: this.failbackRole.role.name, accountId: workload.accountId, region, healthAlarmName: workload.recovery.healthAlarmName });
      }
      const backsUpFsx = workload.backup.resourceTypes.includes('FSx');
      // Step Reconnect: the recovery's connect runbook, here (it starts the application on the restored
      // servers, tagged dr:workload), and what the failback role needs to attach restored volumes and run it.
      const connectRunbook = new ConnectRunbook(this, 'FailbackConnectRunbook', {
        documentName: names.workloadConnectRunbookName(workload.name),
        roleName: names.workloadConnectRunbookRoleName(workload.name),
        accountId: workload.accountId,
        region,
        // The workload backs up FSx: the runbook also mounts the restored FSx file systems (FsxFileSystems), as recovery's.
        ...(backsUpFsx ? { fileSystems: true } : {}),
      });
      new WorkloadFailbackReconnectAccess(this, 'FailbackReconnectAccess', {
        roleName: this.failbackRole.role.name,
        workload: workload.name,
        accountId: workload.accountId,
        region,
        kmsKeyArn: workload.failback.kmsKeyArn,
        connectRunbook: { documentName: connectRunbook.documentName, roleArn: connectRunbook.roleArn },
        // Step Reconnect mounts restored EFS file systems: mount targets in the failback subnets.
        ...(workload.backup.resourceTypes.includes('EFS') ? { mountTargets: { subnetIds: workload.failback.subnetIds, securityGroupIds: workload.failback.securityGroupIds } } : {}),
        // Step Reconnect describes restored FSx file systems for the runbook.
        ...(backsUpFsx ? { fsx: true } : {}),
      });
    }

    new TerraformOutput(this, 'local_vault_arn', { value: this.vault.vault.arn });
    new TerraformOutput(this, 'backup_plan_id', { value: this.plan.plan.id });
  }
}
