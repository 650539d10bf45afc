import { DEFAULT_ESTIMATE, type WorkloadConfig } from '../config/schema';
import { COLD_STORAGE_TYPES, type PricedResourceType } from './price-keys';

/** Size of a workload's protected data of one resource type, and how much of it changes a day. */
export interface TypeUsage {
  readonly type: PricedResourceType;
  readonly gib: number;
  /** Percent of `gib` written anew each day. */
  readonly dailyChangePercent: number;
  /** True when the workload's `estimate` did not name this type (the defaults below apply). */
  readonly assumed: boolean;
}

/** Used for a protected type the workload's `estimate` does not name (documented in config/schema.ts and docs/cost.md). */
export const DEFAULT_USAGE = DEFAULT_ESTIMATE;

/** Thrown for an estimate the model cannot use; `path` is the configuration path (as ConfigError's). */
export class UsageError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'UsageError';
  }
}

/**
 * Whether AWS Backup stores a type's recovery points incrementally (first backup full, then only what
 * changed), as each service documents it:
 *  - EBS, and EC2 (AMIs are EBS snapshots): "snapshots are incremental backups"
 *    https://docs.aws.amazon.com/ebs/latest/userguide/ebs-snapshots.html
 *  - RDS: "the first snapshot ... contains the data for the full DB instance. Subsequent snapshots of
 *    the same DB instance are incremental" https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_CreateSnapshot.html
 *  - Aurora: backups are continuous and incremental (Aurora User Guide, "Overview of backing up and
 *    restoring an Aurora DB cluster") https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html
 *  - EFS: "AWS Backup performs incremental backups of EFS file systems" https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html
 *  - S3: "the first backup is a full backup, subsequent backups are incremental" (continuous and
 *    periodic) https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html
 *  - FSx: "backups are incremental" https://docs.aws.amazon.com/fsx/latest/WindowsGuide/using-backups.html
 *  - DynamoDB: every backup, on demand or through AWS Backup's advanced features, is a full backup of
 *    the table https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BackupRestore.html
 */
export const INCREMENTAL_TYPES: ReadonlySet<PricedResourceType> = new Set(['EBS', 'EC2', 'RDS', 'Aurora', 'EFS', 'S3', 'FSx']);

export function isIncremental(type: PricedResourceType): boolean {
  return INCREMENTAL_TYPES.has(type);
}

export function supportsCold(type: PricedResourceType): type is (typeof COLD_STORAGE_TYPES)[number] {
  return (COLD_STORAGE_TYPES as readonly string[]).includes(type);
}

/**
 * The usage of every type the workload protects (`backup.resourceTypes`), from `estimate` or the
 * defaults. An estimate for a type the workload does not protect is an error naming its path.
 */
export function workloadUsage(workload: WorkloadConfig, index: number): TypeUsage[] {
  const estimate = workload.estimate ?? {};
  for (const type of Object.keys(estimate)) {
    if (!workload.backup.resourceTypes.includes(type as PricedResourceType)) {
      throw new UsageError(
        `workloads[${index}].estimate.${type}`,
        `${type} is not in backup.resourceTypes (${workload.backup.resourceTypes.join(', ')}); add it there or remove the estimate`,
      );
    }
  }
  return workload.backup.resourceTypes.map((type) => {
    const given = estimate[type];
    return {
      type,
      gib: given?.gib ?? DEFAULT_USAGE.gib,
      dailyChangePercent: given?.dailyChangePercent ?? DEFAULT_USAGE.dailyChangePercent,
      assumed: given === undefined,
    };
  });
}
