import { Construct } from 'constructs';
import { BackupPlan, type BackupPlanRule } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { partitionOf } from '../config/regions';
import type { ResourceType } from '../config/schema';

export interface BackupRuleProps {
  readonly name: string;
  /** AWS Backup `cron(...)` or `rate(...)` expression. */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule.
   * @default UTC
   */
  readonly scheduleTimezone?: string;
  readonly retentionDays: number;
  /**
   * Days after which recovery points move to cold storage.
   * @default never (they stay in warm storage)
   */
  readonly coldStorageAfterDays?: number;
  /** Retention of the copy in every destination vault. */
  readonly copyRetentionDays: number;
  /**
   * Days after which the copies move to cold storage.
   * @default never
   */
  readonly copyColdStorageAfterDays?: number;
  /**
   * Continuous backup (point-in-time recovery) for the resource types that support it.
   * @default false
   */
  readonly continuous?: boolean;
  /**
   * @default 60
   */
  readonly startWindowMinutes?: number;
  /**
   * @default 10080 (7 days)
   */
  readonly completionWindowMinutes?: number;
}

export interface WorkloadBackupPlanProps {
  readonly planName: string;
  readonly selectionName: string;
  /** Local vault that receives the recovery points. */
  readonly targetVaultName: string;
  /** Role AWS Backup assumes to back up the selected resources. */
  readonly backupRoleArn: string;
  readonly rules: BackupRuleProps[];
  /** Every recovery point of every rule is copied to each of these vaults (at least one). */
  readonly copyDestinationVaultArns: string[];
  /** Only resources carrying this tag are backed up... */
  readonly selectionTag: { readonly key: string; readonly value: string };
  /** ...and only if they are of one of these types in this account and region. */
  readonly resourceTypes: ResourceType[];
  readonly accountId: string;
  readonly region: string;
  /**
   * Tags put on each recovery point (and copied with it), besides `dr:rule`.
   * @default only `dr:rule`
   */
  readonly recoveryPointTags?: Record<string, string>;
}

/** ARN patterns (this account and region) of each resource type a selection may cover. */
export function selectionResourceArns(types: ResourceType[], region: string, accountId: string): string[] {
  const p = partitionOf(region);
  const patterns: Record<ResourceType, string> = {
    EBS: `arn:${p}:ec2:${region}:${accountId}:volume/*`,
    EC2: `arn:${p}:ec2:${region}:${accountId}:instance/*`,
    RDS: `arn:${p}:rds:${region}:${accountId}:db:*`,
    Aurora: `arn:${p}:rds:${region}:${accountId}:cluster:*`,
    DynamoDB: `arn:${p}:dynamodb:${region}:${accountId}:table/*`,
    // Bucket ARNs carry neither region nor account.
    S3: `arn:${p}:s3:::*`,
    EFS: `arn:${p}:elasticfilesystem:${region}:${accountId}:file-system/*`,
    FSx: `arn:${p}:fsx:${region}:${accountId}:file-system/*`,
  };
  return [...new Set(types)].sort().map((t) => patterns[t]);
}

function lifecycle(deleteAfter: number, coldStorageAfter: number | undefined) {
  return coldStorageAfter === undefined
    ? { deleteAfter }
    : { deleteAfter, coldStorageAfter, optInToArchiveForSupportedResources: true };
}

/**
 * The workload's AWS Backup plan: one rule per configured rule, each copying every recovery point to
 * the destination vaults with an explicit lifecycle (a copy without one is kept forever), and a
 * selection that takes resources carrying the tag AND of the allowed types.
 */
export class WorkloadBackupPlan extends Construct {
  readonly plan: BackupPlan;
  readonly selection: BackupSelection;

  constructor(scope: Construct, id: string, props: WorkloadBackupPlanProps) {
    super(scope, id);
    if (props.rules.length === 0) throw new Error(`${this.node.path}: rules must contain at least one rule`);
    if (props.copyDestinationVaultArns.length === 0) {
      throw new Error(`${this.node.path}: copyDestinationVaultArns must name at least one vault; a backup that never leaves the account is not disaster recovery`);
    }
    if (props.resourceTypes.length === 0) throw new Error(`${this.node.path}: resourceTypes must list at least one type`);
    const rules: BackupPlanRule[] = props.rules.map((rule) => ({
      ruleName: rule.name,
      targetVaultName: props.targetVaultName,
      schedule: rule.schedule,
      scheduleExpressionTimezone: rule.scheduleTimezone,
      startWindow: rule.startWindowMinutes ?? 60,
      completionWindow: rule.completionWindowMinutes ?? 10080,
      enableContinuousBackup: rule.continuous ?? false,
      lifecycle: lifecycle(rule.retentionDays, rule.coldStorageAfterDays),
      recoveryPointTags: { ...props.recoveryPointTags, 'dr:rule': rule.name },
      copyAction: props.copyDestinationVaultArns.map((destinationVaultArn) => ({
        destinationVaultArn,
        lifecycle: lifecycle(rule.copyRetentionDays, rule.copyColdStorageAfterDays),
      })),
    }));
    this.plan = new BackupPlan(this, 'Plan', { name: props.planName, rule: rules });
    this.selection = new BackupSelection(this, 'TaggedResources', {
      name: props.selectionName,
      planId: this.plan.id,
      iamRoleArn: props.backupRoleArn,
      // Resources AND conditions: only tagged resources of the allowed types (ListOfTags would OR them).
      resources: selectionResourceArns(props.resourceTypes, props.region, props.accountId),
      condition: [{ stringEquals: [{ key: `aws:ResourceTag/${props.selectionTag.key}`, value: props.selectionTag.value }] }],
    });
  }
}
