/**
 * What the failback machine's steps share: the configuration it is built from, its step names, and
 * the catch into `<step>Failed` (reported, naming the step). Retry, SDK and Lambda tasks and the
 * bounded polling loop are the recovery machine's (`modules/recovery/steps/common.ts`).
 */
import type { CatchRule } from '../../recovery/asl';
import type { JobPacing } from '../../recovery/steps/common';

/** How writes in the DR account stop before the final backups (`workloads[].failback.freeze`). */
export type FailbackFreeze =
  | { readonly kind: 'scaleDown'; readonly size: number; readonly autoScalingGroupNames: string[] }
  | { readonly kind: 'runbook'; readonly documentName: string }
  | { readonly kind: 'none' };

/** One workload as the failback machine sees it (derived from the estate configuration). */
export interface FailbackWorkload {
  readonly name: string;
  readonly accountId: string;
  /** The workload's region (the primary region failback returns to). */
  readonly region: string;
  readonly approvalTimeoutSeconds: number;
  readonly jobTimeoutMinutes: number;
  readonly restoreConcurrency: number;
  readonly freeze: FailbackFreeze;
  /** The workload's local vault: destination of the failback copies, source of the restores. */
  readonly localVault: { readonly name: string; readonly arn: string };
  /** Lifecycle of the failback copies in the local vault. */
  readonly localRetentionDays: number;
  /** Role in the workload account that the workload-region-call function assumes to restore (only that function may). */
  readonly failbackRoleArn: string;
  /** The workload's AWS Backup service role, passed to AWS Backup by the failback role. */
  readonly backupRoleArn: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly kmsKeyArn: string;
  /** `failback.instanceProfile`: the profile restored EC2 instances start with (none without it). */
  readonly instanceProfileName?: string;
  /** `failback.dbSubnetGroupName`: needed to restore RDS and Aurora (steps/restore-overrides.ts). */
  readonly dbSubnetGroupName?: string;
  /** `failback.s3BucketName`: needed to restore S3. */
  readonly s3BucketName?: string;
  /** `failback.fsx`: needed to restore FSx for Windows File Server and NetApp ONTAP. */
  readonly fsx?: { readonly windowsDirectoryId?: string; readonly ontapStorageVirtualMachineId?: string };
  /** The workload's server groups in the DR account and the size recovery runs them at: restored on a failure after the freeze, scaled to zero by the cleanup. */
  readonly serverGroups?: { readonly name: string; readonly size: number }[];
  /**
   * `failback.dnsRecord`: the record (hosted zone of the DR account, as recovery's failover) switched
   * back to `value`, the primary endpoint; without `value` on-call switches it and confirms.
   * `drValue` (recovery.failover.value of the same record) is what a failure after the switch restores.
   */
  readonly dnsRecord?: { readonly hostedZoneId: string; readonly recordName: string; readonly recordType: string; readonly ttl: number; readonly value?: string; readonly drValue?: string };
  /**
   * The workload's connect runbook in its account and region (the recovery's document, deployed there by
   * the workload stack with failback) and its parameters: step Reconnect runs it (steps/reconnect.ts).
   */
  readonly connectRunbook?: {
    readonly documentName: string;
    readonly startCommand: string;
    readonly mountRoot: string;
    /** The workload backs up FSx: its runbook takes `FsxFileSystems` (step Reconnect describes the restored FSx file systems). */
    readonly fsx?: boolean;
  };
  /** `recovery.healthAlarmName`: the alarm, read in the workload account, that is OK when the workload is healthy there. */
  readonly healthAlarmName?: string;
  /**
   * `failback.graceHours`: between the released freeze and the second approval of the DR cleanup.
   * @default 72
   */
  readonly graceHours?: number;
}

export interface FailbackDefinitionProps {
  readonly workloads: FailbackWorkload[];
  readonly onCallTopicArn: string;
  /** The DR restore vault: final backups go in, failback copies come out. */
  readonly restoreVault: { readonly name: string; readonly arn: string };
  /** AWS Backup service role (DR account) of the final backups and the copies. */
  readonly backupRoleArn: string;
  /** Lifecycle of the final backups in the DR restore vault. */
  readonly finalBackupRetentionDays: number;
  /** Where production ran: the DR account and the recovery region (tag search, cleanup scope). */
  readonly dr: { readonly accountId: string; readonly region: string };
  /** The DR drill cleanup function (functions/cleanup-drill), invoked after the second approval. */
  readonly cleanupFunctionArn: string;
  /**
   * The workload-region-call function (functions/workload-region-call): every call in a workload's
   * account and region goes through it (steps/workload-region-task.ts).
   */
  readonly workloadRegionCallFunctionArn: string;
  /**
   * Seconds between two polls of a job.
   * @default 30
   */
  readonly pollSeconds?: number;
}

/** Step names as reported on failure, in the order they run. */
export const FAILBACK_STEPS = [
  'Locate',
  'Approve',
  'Freeze',
  'FinalBackups',
  'CopyToWorkload',
  'RestoreInWorkload',
  'Reconnect',
  'SwitchBack',
  'Verify',
  'Report',
  'ApproveCleanup',
  'Cleanup',
] as const;
export type FailbackStep = (typeof FAILBACK_STEPS)[number];

/**
 * Steps after which writes are frozen in the DR account and not yet released: a failure in one of
 * them restores the DR server groups (and the DNS record, once switched) before the report.
 */
export const FROZEN_STEPS: readonly FailbackStep[] = ['Freeze', 'FinalBackups', 'CopyToWorkload', 'RestoreInWorkload', 'Reconnect', 'SwitchBack', 'Verify'];

/**
 * Resource types failback restores: every type the project backs up, each with restore metadata
 * pointed at the workload's network and key (steps/restore-overrides.ts). A recovery point that
 * cannot be restored sensibly (e.g. FSx for OpenZFS Multi-AZ) fails its item, naming it.
 */
export const FAILBACK_RESTORABLE_TYPES = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'EFS', 'S3', 'FSx'] as const;

/** `jobPolls` counts for backup, copy and restore jobs alike. */
export interface FailbackContext extends JobPacing {
  readonly props: FailbackDefinitionProps;
}

/** At the top level: catch into `<step>Failed`, which reports the step. */
export function failbackOnFailure(step: FailbackStep): CatchRule[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `${step}Failed` }];
}

