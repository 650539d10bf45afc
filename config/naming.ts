import { partitionOf } from './regions';
import type { EstateConfig, WorkloadConfig } from './schema';

/**
 * Deterministic names and ARNs shared by every stack.
 *
 * Accounts know each other only through these: the workload stack derives the central vault's ARN, the
 * backup-vault stack derives the DR restore vault's ARN, and so on. No stack reads another stack's
 * state, so each one plans and applies alone, in any order, in its own workspace.
 */

type NamingInput = Pick<EstateConfig, 'name' | 'regions' | 'accounts' | 'breakGlassRoleName'> & {
  terraformCloud?: { workspacePrefix?: string };
  detection?: { eventBusName?: string };
};

export const STACK_NAMES = { backupVault: 'backup-vault', dr: 'dr', organization: 'organization' } as const;

export function workloadStackName(workloadName: string): string {
  return `workload-${workloadName}`;
}

export function workloadRegion(cfg: Pick<EstateConfig, 'regions'>, workload: Pick<WorkloadConfig, 'region'>): string {
  return workload.region ?? cfg.regions.primary;
}

export function roleArnOf(region: string, accountId: string, roleName: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${roleName}`;
}

export function backupVaultArn(region: string, accountId: string, vaultName: string): string {
  return `arn:${partitionOf(region)}:backup:${region}:${accountId}:backup-vault:${vaultName}`;
}

/** ARN of a Step Functions state machine. */
export function stateMachineArnOf(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:states:${region}:${accountId}:stateMachine:${name}`;
}

/** ARN pattern of an Auto Scaling group by name (its ARN also holds a generated id, matched by `*`). */
export function autoScalingGroupArnPattern(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${name}`;
}

/** ARN of an EventBridge rule; rules on the default bus have no bus segment. */
export function eventRuleArn(region: string, accountId: string, ruleName: string, busName?: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${accountId}:rule/${busName && busName !== 'default' ? `${busName}/` : ''}${ruleName}`;
}

export function recoveryPointArnPattern(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:backup:${region}:${accountId}:recovery-point:*`;
}

/**
 * Recovery points AWS Backup keeps in a vault of `account` in `region`: its own recovery-point ARNs,
 * and for the types it does not fully manage, their service's ARN (EBS/EC2 snapshots and images carry
 * no account). Actions on a recovery point (StartRestoreJob, StartCopyJob, GetRecoveryPointRestoreMetadata,
 * ListTags) are authorized on these (Service Authorization Reference, AWS Backup:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html).
 * `fsx: false` leaves out FSx backups, for a caller that never touches them.
 */
export function vaultRecoveryPointArns(region: string, account: string, options: { fsx?: boolean } = {}): string[] {
  const partition = partitionOf(region);
  return [
    recoveryPointArnPattern(region, account),
    `arn:${partition}:ec2:${region}::snapshot/*`,
    `arn:${partition}:ec2:${region}::image/*`,
    `arn:${partition}:rds:${region}:${account}:snapshot:awsbackup:*`,
    `arn:${partition}:rds:${region}:${account}:cluster-snapshot:awsbackup:*`,
    ...(options.fsx === false ? [] : [`arn:${partition}:fsx:${region}:${account}:backup/*`]),
  ];
}

/** Every name the estate derives from its configuration. */
export class EstateNames {
  constructor(private readonly cfg: NamingInput) {}

  get centralVaultName(): string {
    return `${this.cfg.name}-central`;
  }

  /** The central vault in `region` (the recovery region, or a workload region with `primaryRegionCopy`). */
  centralVaultArn(region: string = this.cfg.regions.recovery): string {
    return backupVaultArn(region, this.cfg.accounts.backupVault.id, this.centralVaultName);
  }

  get drRestoreVaultName(): string {
    return `${this.cfg.name}-dr-restore`;
  }

  get drRestoreVaultArn(): string {
    return backupVaultArn(this.cfg.regions.recovery, this.cfg.accounts.dr.id, this.drRestoreVaultName);
  }

  /** Logically air-gapped vault in the backup-vault account (recovery region), `centralVault.kind` airGapped or both. */
  get airGappedVaultName(): string {
    return `${this.cfg.name}-air-gapped`;
  }

  /**
   * ARN of the air-gapped vault. AWS gives logically air-gapped vaults the same `backup-vault:` ARN form
   * as standard vaults, so copy actions and restore testing name it without reading its state.
   */
  get airGappedVaultArn(): string {
    return backupVaultArn(this.cfg.regions.recovery, this.cfg.accounts.backupVault.id, this.airGappedVaultName);
  }

  /** AWS RAM resource share of the air-gapped vault. */
  get airGappedVaultShareName(): string {
    return `${this.cfg.name}-air-gapped-vault`;
  }

  /** Read-only role in the backup-vault account that the DR account's readiness checker assumes. */
  get centralVaultReaderRoleName(): string {
    return `${this.cfg.name}-central-vault-reader`;
  }

  get centralVaultReaderRoleArn(): string {
    return roleArnOf(this.cfg.regions.recovery, this.cfg.accounts.backupVault.id, this.centralVaultReaderRoleName);
  }

  /** The readiness checker's function role in the DR account (the reader role trusts exactly this ARN). */
  get readinessCheckerRoleName(): string {
    return `${this.recoveryRolePrefix}readiness-checker`;
  }

  get readinessCheckerRoleArn(): string {
    return roleArnOf(this.cfg.regions.recovery, this.cfg.accounts.dr.id, this.readinessCheckerRoleName);
  }

  /** S3 bucket (DR account) holding the daily readiness reports. Bucket names are global: the account ID keeps it unique. */
  get readinessReportBucketName(): string {
    return `${this.cfg.name}-dr-readiness-${this.cfg.accounts.dr.id}-${this.cfg.regions.recovery}`;
  }

  /** CloudWatch namespace of the readiness metrics. */
  get readinessMetricNamespace(): string {
    return 'DisasterRecovery/Readiness';
  }

  /** Restore testing plan of a workload: AWS allows only letters, digits and "_" here. */
  restoreTestingPlanName(workloadName: string): string {
    return `${this.cfg.name}_${workloadName}_restore_test`.replace(/-/g, '_');
  }

  /** Restore testing selection of one resource type, inside the workload's plan. */
  restoreTestingSelectionName(workloadName: string, resourceType: string): string {
    return `${workloadName}_${resourceType}`.replace(/-/g, '_').toLowerCase();
  }

  /** Role AWS Backup assumes for restore tests in the DR account. */
  get restoreTestingRoleName(): string {
    return `${this.cfg.name}-dr-restore-testing`;
  }

  /** Resilience Hub resiliency policy of a workload (workload account). */
  resiliencyPolicyName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-dr`;
  }

  /** Service role AWS Backup uses for copy jobs started in the backup-vault account. */
  get centralCopyServiceRoleName(): string {
    return `${this.cfg.name}-central-copy-service`;
  }

  /** Role the DR account's recovery principals assume to start copies from the central vault. */
  get centralCopyStarterRoleName(): string {
    return `${this.cfg.name}-central-copy-starter`;
  }

  get centralCopyStarterRoleArn(): string {
    return roleArnOf(this.cfg.regions.recovery, this.cfg.accounts.backupVault.id, this.centralCopyStarterRoleName);
  }

  /** Service role AWS Backup uses for restores in the DR account. */
  get drRestoreRoleName(): string {
    return `${this.cfg.name}-dr-restore`;
  }

  /**
   * DR-account roles that run the recovery (state machine, functions) all start with this prefix;
   * cross-account trust names them by this pattern instead of trusting the whole DR account.
   */
  get recoveryRolePrefix(): string {
    return `${this.cfg.name}-recovery-`;
  }

  get recoveryRoleArnPattern(): string {
    return roleArnOf(this.cfg.regions.recovery, this.cfg.accounts.dr.id, `${this.recoveryRolePrefix}*`);
  }

  breakGlassRoleArn(accountId: string, region: string = this.cfg.regions.recovery): string {
    return roleArnOf(region, accountId, this.cfg.breakGlassRoleName);
  }

  workloadVaultName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-local`;
  }

  workloadPlanName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}`;
  }

  workloadSelectionName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-tagged`;
  }

  workloadBackupRoleName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-backup`;
  }

  /**
   * Role in a workload account that only the DR account's workload-region-call function may assume,
   * for the failback machine, to restore failback copies from the workload's local vault (docs/failback.md).
   */
  workloadFailbackRoleName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-failback`;
  }

  workloadFailbackRoleArn(workload: Pick<WorkloadConfig, 'name' | 'accountId' | 'region'>): string {
    return roleArnOf(workloadRegion(this.cfg, workload), workload.accountId, this.workloadFailbackRoleName(workload.name));
  }

  /**
   * The connect runbook (SSM Automation document, modules/recovery/connect-runbook.ts) that a workload
   * stack with `failback` deploys in its account and region: failback's step Reconnect runs it there.
   */
  workloadConnectRunbookName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-connect-servers`;
  }

  /** The role that runbook runs as (its AutomationAssumeRole), in the workload account. */
  workloadConnectRunbookRoleName(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-failback-runbook`;
  }

  workloadConnectRunbookRoleArn(workload: Pick<WorkloadConfig, 'name' | 'accountId' | 'region'>): string {
    return roleArnOf(workloadRegion(this.cfg, workload), workload.accountId, this.workloadConnectRunbookRoleName(workload.name));
  }

  /** The workload's local vault, as the DR account's failback copies name their destination. */
  workloadVaultArn(workload: Pick<WorkloadConfig, 'name' | 'accountId' | 'region'>): string {
    return backupVaultArn(workloadRegion(this.cfg, workload), workload.accountId, this.workloadVaultName(workload.name));
  }

  /** The failback state machine in the DR account (recovery region), with any workload's `failback`. */
  get failbackStateMachineName(): string {
    return `${this.cfg.name}-failback`;
  }

  get failbackStateMachineArn(): string {
    return stateMachineArnOf(this.cfg.regions.recovery, this.cfg.accounts.dr.id, this.failbackStateMachineName);
  }

  /**
   * The failback state machine's execution role (DR account). Not under `recoveryRolePrefix`: the
   * copy-starter role of the backup-vault account trusts `<name>-recovery-*`, and failback needs none of it.
   */
  get failbackOrchestratorRoleName(): string {
    return `${this.cfg.name}-failback-orchestrator`;
  }

  get failbackOrchestratorRoleArn(): string {
    return roleArnOf(this.cfg.regions.recovery, this.cfg.accounts.dr.id, this.failbackOrchestratorRoleName);
  }

  /**
   * The DR account's function through which the failback machine calls in a workload's account and
   * region (functions/workload-region-call); its role has the same name (modules/bundled-function.ts)
   * and is the only principal the workloads' failback roles trust. Not under `<name>-recovery-*`
   * either (see {@link failbackOrchestratorRoleName}).
   */
  get failbackWorkloadRegionCallFunctionName(): string {
    return `${this.cfg.name}-failback-workload-region-call`;
  }

  get failbackWorkloadRegionCallRoleArn(): string {
    return roleArnOf(this.cfg.regions.recovery, this.cfg.accounts.dr.id, this.failbackWorkloadRegionCallFunctionName);
  }

  /** Service role AWS Backup uses for failback's final backups and copies in the DR account. */
  get failbackBackupRoleName(): string {
    return `${this.cfg.name}-dr-failback-backup`;
  }

  get failbackBackupRoleArn(): string {
    return roleArnOf(this.cfg.regions.recovery, this.cfg.accounts.dr.id, this.failbackBackupRoleName);
  }

  /** The DR account's central event bus, in the recovery region. */
  get drEventBusName(): string {
    return this.cfg.detection?.eventBusName ?? 'dr-events';
  }

  get drEventBusArn(): string {
    return `arn:${partitionOf(this.cfg.regions.recovery)}:events:${this.cfg.regions.recovery}:${this.cfg.accounts.dr.id}:event-bus/${this.drEventBusName}`;
  }

  /** Role, in each source account, that EventBridge assumes to put events on the DR bus. */
  get eventForwarderRoleName(): string {
    return `${this.cfg.name}-event-forwarder`;
  }

  get eventForwardingDlqName(): string {
    return `${this.cfg.name}-event-forwarding-dlq`;
  }

  /** Name of an estate-owned EventBridge rule, e.g. `acme-health-s3`. */
  eventRuleName(purpose: string): string {
    return `${this.cfg.name}-${purpose}`;
  }

  /** Prefix of every CloudWatch alarm of a workload; the forwarding rule matches on it. */
  alarmNamePrefix(workloadName: string): string {
    return `${this.cfg.name}-${workloadName}-`;
  }

  kmsAlias(purpose: string): string {
    return `alias/${this.cfg.name}/${purpose}`;
  }

  workspaceName(stackName: string): string {
    return `${this.cfg.terraformCloud?.workspacePrefix ?? ''}${stackName}`;
  }

  /**
   * Every derived name with the AWS (or Terraform Cloud) limit it must fit, for validation before any
   * construct is built. `restoreTested` names the workloads with restore testing: only they get a
   * restore testing plan, whose 50-character limit would otherwise cap every workload name;
   * `failingBack` names the workloads with `failback` (their failback role, the failback machine's names).
   */
  limitedNames(workloadNames: string[], restoreTested: ReadonlySet<string> = new Set(), failingBack: ReadonlySet<string> = new Set()): { name: string; what: string; max: number; pattern: RegExp; field: string }[] {
    const vault = { max: 50, pattern: /^[a-zA-Z0-9_-]{2,50}$/, what: 'AWS Backup vault name (2-50 characters)' };
    const plan = { max: 50, pattern: /^[a-zA-Z0-9_.-]{1,50}$/, what: 'AWS Backup plan/selection name (1-50 characters)' };
    const role = { max: 64, pattern: /^[\w+=,.@-]{1,64}$/, what: 'IAM role name (1-64 characters)' };
    const workspace = { max: 90, pattern: /^[A-Za-z0-9_-]{1,90}$/, what: 'Terraform Cloud workspace name (1-90 characters)' };
    const estate = [
      { name: this.centralVaultName, ...vault, field: 'name' },
      { name: this.drRestoreVaultName, ...vault, field: 'name' },
      { name: this.centralCopyServiceRoleName, ...role, field: 'name' },
      { name: this.centralCopyStarterRoleName, ...role, field: 'name' },
      { name: this.drRestoreRoleName, ...role, field: 'name' },
      { name: this.airGappedVaultName, ...vault, field: 'name' },
      { name: this.centralVaultReaderRoleName, ...role, field: 'name' },
      { name: this.readinessCheckerRoleName, ...role, field: 'name' },
      { name: this.restoreTestingRoleName, ...role, field: 'name' },
      { name: this.readinessReportBucketName, max: 63, pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, what: 'S3 bucket name (3-63 characters)', field: 'name' },
      { name: this.workspaceName(STACK_NAMES.backupVault), ...workspace, field: 'terraformCloud.workspacePrefix' },
      ...(failingBack.size > 0
        ? [
            { name: this.failbackOrchestratorRoleName, ...role, field: 'name' },
            { name: this.failbackBackupRoleName, ...role, field: 'name' },
            { name: this.failbackWorkloadRegionCallFunctionName, max: 64, pattern: /^[A-Za-z0-9_-]{1,64}$/, what: 'Lambda function and IAM role name (1-64 characters)', field: 'name' },
            { name: this.failbackStateMachineName, max: 80, pattern: /^[A-Za-z0-9_-]{1,80}$/, what: 'Step Functions state machine name (1-80 characters)', field: 'name' },
          ]
        : []),
    ];
    const perWorkload = workloadNames.flatMap((w, i) => {
      const field = `workloads[${i}].name`;
      return [
        { name: this.workloadVaultName(w), ...vault, field },
        { name: this.workloadPlanName(w), ...plan, field },
        { name: this.workloadSelectionName(w), ...plan, field },
        { name: this.workloadBackupRoleName(w), ...role, field },
        ...(restoreTested.has(w)
          ? [{ name: this.restoreTestingPlanName(w), max: 50, pattern: /^[a-zA-Z0-9_]{1,50}$/, what: 'restore testing plan name (1-50 letters, digits or "_")', field }]
          : []),
        ...(failingBack.has(w) ? [{ name: this.workloadFailbackRoleName(w), ...role, field }] : []),
        { name: this.resiliencyPolicyName(w), max: 60, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{1,59}$/, what: 'Resilience Hub policy name (2-60 characters)', field },
        { name: this.workspaceName(workloadStackName(w)), ...workspace, field },
      ];
    });
    return [...estate, ...perWorkload];
  }
}
