/**
 * The identity policies of the DR account's own functions: what each one's logic calls
 * (`REQUIRED_ACTIONS` of `functions/<name>/logic.ts`), on the resources of the DR account it acts on.
 * Access to resources that a construct owns (the restore vault, the on-call topic, the keys) is
 * granted by that construct's `grant*` methods instead, in the stack.
 */
import { recoveryPointArnPattern, vaultRecoveryPointArns } from '../../config/naming';
import { partitionOf } from '../../config/regions';
import { WORKLOAD_TAG } from '../../config/tags';
import type { PolicyStatement } from '../policy-document';

/** Where the functions act: the DR account in the recovery region. */
export interface RecoveryFunctionScope {
  readonly region: string;
  /** The DR account. */
  readonly accountId: string;
  /**
   * The logically air-gapped vault the backup-vault account shares with the DR account through AWS RAM
   * (`centralVault.kind` airGapped or both); its recovery points are the backup-vault account's.
   * @default none: no statement for a shared vault
   */
  readonly airGappedVault?: { readonly arn: string; readonly accountId: string };
}

/**
 * The identity side of the RAM share, scoped to the shared vault and its recovery points; the share
 * itself is the resource side. Vault actions only where `vaultActions` names any.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html
 */
function sharedVaultStatements(s: RecoveryFunctionScope, sid: string, vaultActions: string[], pointActions: string[]): PolicyStatement[] {
  if (!s.airGappedVault) return [];
  return [
    ...(vaultActions.length > 0 ? [{ Sid: sid, Effect: 'Allow' as const, Action: vaultActions, Resource: s.airGappedVault.arn }] : []),
    { Sid: `${sid}Points`, Effect: 'Allow', Action: pointActions, Resource: recoveryPointArnPattern(s.region, s.airGappedVault.accountId) },
  ];
}

/** attach-restored-volume: attach a restored volume of this account to a recovery instance (tagged `dr:server`). */
export function attachRestoredVolumeStatements(s: RecoveryFunctionScope): PolicyStatement[] {
  const { region, accountId } = s;
  const partition = partitionOf(region);
  return [
    // Describe* calls support no resource-level permissions.
    { Sid: 'FindVolumesInstancesAndSnapshots', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeVolumes'], Resource: '*' },
    {
      Sid: 'AttachToRecoveryInstancesOnly',
      Effect: 'Allow',
      Action: 'ec2:AttachVolume',
      Resource: `arn:${partition}:ec2:${region}:${accountId}:instance/*`,
      Condition: { Null: { 'aws:ResourceTag/dr:server': 'false' } },
    },
    { Sid: 'AttachVolumesOfThisAccount', Effect: 'Allow', Action: 'ec2:AttachVolume', Resource: `arn:${partition}:ec2:${region}:${accountId}:volume/*` },
    { Sid: 'ReadRecoveryPointTags', Effect: 'Allow', Action: 'backup:ListTags', Resource: recoveryPointArnPattern(s.region, accountId) },
    // Volumes restored in place from the air-gapped vault shared through AWS RAM.
    ...(s.airGappedVault ? [{ Sid: 'ReadSharedAirGappedRecoveryPointTags', Effect: 'Allow' as const, Action: 'backup:ListTags', Resource: recoveryPointArnPattern(s.region, s.airGappedVault.accountId) }] : []),
  ];
}

/**
 * locate-recovery-points, after the restore vault's own grant (`grantListRecoveryPoints`): the tags of
 * its points, the copy-starter role of the backup-vault account where there is a locked central vault
 * to list and copy from, and the shared air-gapped vault.
 */
export function locateRecoveryPointsStatements(s: RecoveryFunctionScope, centralCopyStarterRoleArn?: string): PolicyStatement[] {
  return [
    { Sid: 'ReadRecoveryPointTags', Effect: 'Allow', Action: 'backup:ListTags', Resource: vaultRecoveryPointArns(s.region, s.accountId) },
    ...(centralCopyStarterRoleArn ? [{ Sid: 'AssumeCentralCopyStarter', Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: centralCopyStarterRoleArn }] : []),
    ...sharedVaultStatements(s, 'ListSharedAirGappedVault', ['backup:ListRecoveryPointsByBackupVault'], ['backup:ListTags']),
  ];
}

/** prepare-restore: the restore metadata and tags of a recovery point, and the recovery instances. */
export function prepareRestoreStatements(s: RecoveryFunctionScope): PolicyStatement[] {
  return [
    { Sid: 'ReadRestoreMetadata', Effect: 'Allow', Action: ['backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags'], Resource: vaultRecoveryPointArns(s.region, s.accountId) },
    { Sid: 'FindRecoveryInstances', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeSnapshots'], Resource: '*' },
    ...sharedVaultStatements(s, 'ReadSharedAirGappedVault', [], ['backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags']),
  ];
}

/**
 * report-recovery: its metrics, in its namespace only (PutMetricData has no resource-level
 * permissions; `cloudwatch:namespace` is its condition key). Publishing the summary is the on-call
 * topic's `grantPublish`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
 */
export function reportRecoveryStatements(namespace: string): PolicyStatement[] {
  return [{ Sid: 'PublishRecoveryMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': namespace } } }];
}

export interface CleanupDrillScope extends RecoveryFunctionScope {
  /** The estate's server groups in the DR account, scaled to zero after a drill. */
  readonly autoScalingGroupArns: string[];
  /** Whether any workload backs up whole EC2 instances (restored instances are terminated). */
  readonly restoresEc2: boolean;
}

/** cleanup-drill: scale the servers to zero and delete what the drill restored, in this account only. */
export function cleanupDrillStatements(s: CleanupDrillScope): PolicyStatement[] {
  const { region, accountId } = s;
  const partition = partitionOf(region);
  return [
    ...(s.autoScalingGroupArns.length > 0 ? [{ Sid: 'ScaleServersToZero', Effect: 'Allow' as const, Action: 'autoscaling:UpdateAutoScalingGroup', Resource: s.autoScalingGroupArns }] : []),
    { Sid: 'DescribeRestored', Effect: 'Allow', Action: ['ec2:DescribeVolumes', 'elasticfilesystem:DescribeMountTargets', 'rds:DescribeDBClusters', 'rds:DescribeDBInstances'], Resource: '*' },
    // DeleteMountTarget deletes the mount target's network interface with the caller's permissions.
    { Sid: 'DeleteMountTargetInterfaces', Effect: 'Allow', Action: 'ec2:DeleteNetworkInterface', Resource: `arn:${partition}:ec2:${region}:${accountId}:network-interface/*` },
    {
      Sid: 'DeleteRestoredDrServersAndVolumes',
      Effect: 'Allow',
      Action: ['ec2:DeleteVolume', 'ec2:DetachVolume', 'ec2:TerminateInstances'],
      Resource: [`arn:${partition}:ec2:${region}:${accountId}:instance/*`, `arn:${partition}:ec2:${region}:${accountId}:volume/*`],
      Condition: { Null: { 'aws:ResourceTag/dr:server': 'false' } },
    },
    // EC2 instances AWS Backup restored: tagged aws:backup:source-resource by AWS Backup (its restore
    // role's managed policy, EC2CreateTagsScopedPermissions) and dr:workload by the copied source tags.
    ...(s.restoresEc2
      ? [
          {
            Sid: 'TerminateRestoredInstances',
            Effect: 'Allow' as const,
            Action: 'ec2:TerminateInstances',
            Resource: `arn:${partition}:ec2:${region}:${accountId}:instance/*`,
            Condition: { Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false', [`aws:ResourceTag/${WORKLOAD_TAG}`]: 'false' } },
          },
        ]
      : []),
    {
      Sid: 'DeleteRestoredDatabasesTablesFileSystems',
      Effect: 'Allow',
      Action: ['dynamodb:DeleteTable', 'elasticfilesystem:DeleteFileSystem', 'elasticfilesystem:DeleteMountTarget', 'rds:DeleteDBCluster', 'rds:DeleteDBInstance'],
      Resource: [
        `arn:${partition}:dynamodb:${region}:${accountId}:table/*`,
        `arn:${partition}:elasticfilesystem:${region}:${accountId}:file-system/*`,
        `arn:${partition}:rds:${region}:${accountId}:cluster:*`,
        `arn:${partition}:rds:${region}:${accountId}:db:*`,
      ],
    },
  ];
}
