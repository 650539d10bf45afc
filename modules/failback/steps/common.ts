/**
 * What the failback machine's steps share: the configuration it is built from, its step names, and
 * the catch into `<step>Failed` (reported, naming the step). Retry, SDK and Lambda tasks and the
 * bounded polling loop are the recovery machine's (`modules/recovery/steps/common.ts`).
 */
import type { CatchRule } from '../../recovery/asl';

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
  /** Role in the workload account the machine assumes to restore (only this machine may). */
  readonly failbackRoleArn: string;
  /** The workload's AWS Backup service role, passed to AWS Backup by the failback role. */
  readonly backupRoleArn: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly kmsKeyArn: string;
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
  /**
   * Seconds between two polls of a job.
   * @default 30
   */
  readonly pollSeconds?: number;
}

/** Step names as reported on failure. Built so far: up to and including the restore in the workload account. */
export const FAILBACK_STEPS = ['Approve', 'Freeze', 'FinalBackups', 'CopyToWorkload', 'RestoreInWorkload', 'Report'] as const;
export type FailbackStep = (typeof FAILBACK_STEPS)[number];

/** Resource types failback restores so far: the ones whose restore metadata it knows how to point at the workload's network and key. */
export const FAILBACK_RESTORABLE_TYPES = ['EC2', 'DynamoDB'] as const;

export interface FailbackContext {
  readonly props: FailbackDefinitionProps;
  readonly poll: number;
  /** Polls of a backup, copy or restore job before it times out. */
  readonly jobPolls: number;
  readonly jobConcurrency: number;
}

/** At the top level: catch into `<step>Failed`, which reports the step. */
export function failbackOnFailure(step: FailbackStep): CatchRule[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `${step}Failed` }];
}
