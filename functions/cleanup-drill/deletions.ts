/**
 * Deleting what a drill's restores created, per resource type. Each deletion is safe to repeat: a
 * resource already gone or being deleted counts as deleted (`gone`).
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteVolumeCommand, DescribeVolumesCommand, DetachVolumeCommand, TerminateInstancesCommand, type Volume, type VolumeAttachment } from '@aws-sdk/client-ec2';
import {
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeMountTargetsCommand,
  type DescribeMountTargetsCommandInput,
  type MountTargetDescription,
} from '@aws-sdk/client-efs';
import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type DBCluster,
  type DeleteDBInstanceCommandInput,
} from '@aws-sdk/client-rds';
import type { CleanupAction } from './actions';
import { AwsCallError, callUnlessGone, CleanupDrillError, GONE, type Ctx, type Deletion, type Gone, type Runtime } from './runtime';

/** Error codes meaning the resource no longer exists: it counts as deleted. SDK v3 names the RDS ones `...Fault`. */
const NOT_FOUND = {
  volume: new Set(['InvalidVolume.NotFound']),
  instance: new Set(['InvalidInstanceID.NotFound']),
  dbInstance: new Set(['DBInstanceNotFound', 'DBInstanceNotFoundFault']),
  dbCluster: new Set(['DBClusterNotFound', 'DBClusterNotFoundFault']),
  table: new Set(['ResourceNotFoundException', 'TableNotFoundException']),
  fileSystem: new Set(['FileSystemNotFound']),
  mountTarget: new Set(['MountTargetNotFound']),
} as const;
const DB_INSTANCE_STATE = new Set(['InvalidDBInstanceState', 'InvalidDBInstanceStateFault']);
const DB_CLUSTER_STATE = new Set(['InvalidDBClusterStateFault', 'InvalidDBClusterState']);
/** DetachVolume on a volume already detaching or detached. */
const ALREADY_DETACHING = new Set(['IncorrectState', 'InvalidAttachment.NotFound']);

// ---------------------------------------------------------------------------------------------
// EBS volumes

const GONE_VOLUME_STATES: ReadonlySet<string> = new Set(['deleting', 'deleted']);
/** States in which DeleteVolume is accepted. */
const DELETABLE_VOLUME_STATES: ReadonlySet<string> = new Set(['available', 'error']);

async function describeVolume(rt: Runtime, ctx: Ctx, volumeId: string): Promise<Volume | Gone> {
  const out = await callUnlessGone(rt, ctx, `DescribeVolumes(${volumeId})`, NOT_FOUND.volume, () => rt.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })));
  if (out === GONE) return GONE;
  const volume = (out.Volumes ?? []).find((v) => v.VolumeId === volumeId);
  return volume && !GONE_VOLUME_STATES.has(volume.State ?? '') ? volume : GONE;
}

const liveAttachments = (volume: Volume): VolumeAttachment[] => (volume.Attachments ?? []).filter((a) => a.State !== 'detached');
const describeAttachments = (volume: Volume) => liveAttachments(volume).map((a) => `${a.InstanceId} (${a.State})`).join(', ') || 'none';
const isDeletable = (volume: Volume) => DELETABLE_VOLUME_STATES.has(volume.State ?? '') && liveAttachments(volume).length === 0;

async function deleteEbsVolume(rt: Runtime, ctx: Ctx, volumeId: string): Promise<Deletion> {
  let volume = await describeVolume(rt, ctx, volumeId);
  if (volume === GONE) return 'gone';

  for (const attachment of liveAttachments(volume)) {
    if (attachment.State === 'detaching') continue;
    const operation = `DetachVolume(${volumeId} from ${attachment.InstanceId})`;
    rt.logger.info('Detaching volume', { ...rt.context, ...ctx, instanceId: attachment.InstanceId, attachmentState: attachment.State });
    try {
      const out = await callUnlessGone(rt, ctx, operation, NOT_FOUND.volume, () =>
        rt.ec2.send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: attachment.InstanceId, Force: false })),
      );
      if (out === GONE) return 'gone';
    } catch (error) {
      if (!(error instanceof AwsCallError) || !ALREADY_DETACHING.has(error.code)) throw error;
      rt.logger.warn(`${operation} failed with ${error.code}: already detaching or detached; waiting`, { ...rt.context, ...ctx });
    }
  }

  for (let check = 1; !isDeletable(volume); check++) {
    if (check > rt.options.maxDetachChecks) {
      throw new CleanupDrillError(
        `volume ${volumeId} is still "${volume.State}" (attachments: ${describeAttachments(volume)}) after ${rt.options.maxDetachChecks} checks ` +
          `${rt.options.pollIntervalMs} ms apart; not deleted`,
      );
    }
    rt.logger.info('Waiting for the volume to become available', { ...rt.context, ...ctx, check, state: volume.State, attachments: describeAttachments(volume) });
    await rt.sleep(rt.options.pollIntervalMs);
    const current = await describeVolume(rt, ctx, volumeId);
    if (current === GONE) return 'gone';
    volume = current;
  }

  const out = await callUnlessGone(rt, ctx, `DeleteVolume(${volumeId})`, NOT_FOUND.volume, () => rt.ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId })));
  return out === GONE ? 'gone' : 'deleted';
}

// ---------------------------------------------------------------------------------------------
// EC2 instances, DynamoDB tables

async function terminateInstance(rt: Runtime, ctx: Ctx, instanceId: string): Promise<Deletion> {
  // Terminating an instance that is already shutting down or terminated succeeds.
  const out = await callUnlessGone(rt, ctx, `TerminateInstances(${instanceId})`, NOT_FOUND.instance, () => rt.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })));
  return out === GONE ? 'gone' : 'deleted';
}

async function deleteTable(rt: Runtime, ctx: Ctx, tableName: string): Promise<Deletion> {
  // DeleteTable on a table already DELETING succeeds.
  const out = await callUnlessGone(rt, ctx, `DeleteTable(${tableName})`, NOT_FOUND.table, () => rt.dynamodb.send(new DeleteTableCommand({ TableName: tableName })));
  return out === GONE ? 'gone' : 'deleted';
}

// ---------------------------------------------------------------------------------------------
// RDS DB instances and Aurora clusters

async function dbInstanceStatus(rt: Runtime, ctx: Ctx, id: string): Promise<string | Gone> {
  const out = await callUnlessGone(rt, ctx, `DescribeDBInstances(${id})`, NOT_FOUND.dbInstance, () => rt.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })));
  if (out === GONE) return GONE;
  const instance = (out.DBInstances ?? []).find((i) => i.DBInstanceIdentifier === id);
  return instance ? (instance.DBInstanceStatus ?? 'unknown') : GONE;
}

/** DeleteDBInstance; an instance already being deleted (InvalidDBInstanceState while `deleting`) counts as gone. */
async function deleteDbInstance(rt: Runtime, ctx: Ctx, input: DeleteDBInstanceCommandInput): Promise<Deletion> {
  const id = input.DBInstanceIdentifier as string;
  try {
    const out = await callUnlessGone(rt, ctx, `DeleteDBInstance(${id})`, NOT_FOUND.dbInstance, () => rt.rds.send(new DeleteDBInstanceCommand(input)));
    return out === GONE ? 'gone' : 'deleted';
  } catch (error) {
    if (!(error instanceof AwsCallError) || !DB_INSTANCE_STATE.has(error.code)) throw error;
    const status = await dbInstanceStatus(rt, ctx, id);
    if (status === GONE || status === 'deleting') return 'gone';
    throw new CleanupDrillError(`${error.message} (DB instance status "${status}")`, { cause: error });
  }
}

async function describeCluster(rt: Runtime, ctx: Ctx, id: string): Promise<DBCluster | Gone> {
  const out = await callUnlessGone(rt, ctx, `DescribeDBClusters(${id})`, NOT_FOUND.dbCluster, () => rt.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })));
  if (out === GONE) return GONE;
  return (out.DBClusters ?? []).find((c) => c.DBClusterIdentifier === id) ?? GONE;
}

/** The cluster's DB instances first (Aurora refuses to delete a cluster with instances not being deleted), then the cluster. */
async function deleteDbCluster(rt: Runtime, ctx: Ctx, id: string): Promise<Deletion> {
  const cluster = await describeCluster(rt, ctx, id);
  if (cluster === GONE || cluster.Status === 'deleting') return 'gone';
  if (cluster.DeletionProtection) {
    throw new CleanupDrillError(`DB cluster ${id} has deletion protection enabled; turn it off to let the drill cleanup delete it. Not deleted`);
  }
  const members = (cluster.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier).filter((m): m is string => typeof m === 'string' && m.length > 0).sort();
  for (const member of members) {
    rt.logger.info('Deleting DB instance of the cluster', { ...rt.context, ...ctx, dbInstance: member });
    // A final snapshot and automated backups are cluster-level for Aurora: nothing to set here.
    await deleteDbInstance(rt, ctx, { DBInstanceIdentifier: member });
  }
  try {
    const out = await callUnlessGone(rt, ctx, `DeleteDBCluster(${id})`, NOT_FOUND.dbCluster, () =>
      rt.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true })),
    );
    return out === GONE ? 'gone' : 'deleted';
  } catch (error) {
    if (!(error instanceof AwsCallError) || !DB_CLUSTER_STATE.has(error.code)) throw error;
    const now = await describeCluster(rt, ctx, id);
    if (now === GONE || now.Status === 'deleting') return 'gone';
    throw new CleanupDrillError(`${error.message} (DB cluster status "${now.Status ?? 'unknown'}")`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// EFS file systems

/** Upper bound on pages of one paginated call, against a service that keeps returning a marker. */
const MAX_PAGES = 100;
/** Mount target states in which DeleteMountTarget is called. */
const DELETABLE_MOUNT_TARGET_STATES: ReadonlySet<string> = new Set(['available', 'error']);

async function describeMountTargets(rt: Runtime, ctx: Ctx, fileSystemId: string): Promise<MountTargetDescription[] | Gone> {
  const found: MountTargetDescription[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const input: DescribeMountTargetsCommandInput = { FileSystemId: fileSystemId, ...(marker ? { Marker: marker } : {}) };
    const out = await callUnlessGone(rt, ctx, `DescribeMountTargets(${fileSystemId})`, NOT_FOUND.fileSystem, () => rt.efs.send(new DescribeMountTargetsCommand(input)));
    if (out === GONE) return GONE;
    found.push(...(out.MountTargets ?? []));
    marker = out.NextMarker;
  } while (marker && ++pages < MAX_PAGES);
  return found.filter((m) => m.LifeCycleState !== 'deleted');
}

async function deleteFileSystem(rt: Runtime, ctx: Ctx, fileSystemId: string): Promise<Deletion> {
  const requested = new Set<string>();
  for (let check = 0; ; check++) {
    const mountTargets = await describeMountTargets(rt, ctx, fileSystemId);
    if (mountTargets === GONE) return 'gone';
    if (mountTargets.length === 0) break;
    for (const target of mountTargets) {
      const id = target.MountTargetId;
      if (!id || requested.has(id) || !DELETABLE_MOUNT_TARGET_STATES.has(target.LifeCycleState ?? '')) continue;
      rt.logger.info('Deleting mount target', { ...rt.context, ...ctx, mountTargetId: id, availabilityZone: target.AvailabilityZoneName });
      await callUnlessGone(rt, ctx, `DeleteMountTarget(${id})`, NOT_FOUND.mountTarget, () => rt.efs.send(new DeleteMountTargetCommand({ MountTargetId: id })));
      requested.add(id);
    }
    if (check >= rt.options.maxMountTargetChecks) {
      const states = mountTargets.map((m) => `${m.MountTargetId} (${m.LifeCycleState})`).join(', ');
      throw new CleanupDrillError(
        `file system ${fileSystemId} still has mount targets ${states} after ${rt.options.maxMountTargetChecks} checks ${rt.options.pollIntervalMs} ms apart; not deleted`,
      );
    }
    await rt.sleep(rt.options.pollIntervalMs);
  }
  const out = await callUnlessGone(rt, ctx, `DeleteFileSystem(${fileSystemId})`, NOT_FOUND.fileSystem, () => rt.efs.send(new DeleteFileSystemCommand({ FileSystemId: fileSystemId })));
  return out === GONE ? 'gone' : 'deleted';
}

/** Deletes the resource of `action`. */
export function cleanUp(rt: Runtime, ctx: Ctx, action: CleanupAction): Promise<Deletion> {
  switch (action.kind) {
    case 'ebs-volume':
      return deleteEbsVolume(rt, ctx, action.id);
    case 'ec2-instance':
      return terminateInstance(rt, ctx, action.id);
    case 'rds-instance':
      return deleteDbInstance(rt, ctx, { DBInstanceIdentifier: action.id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true });
    case 'rds-cluster':
      return deleteDbCluster(rt, ctx, action.id);
    case 'dynamodb-table':
      return deleteTable(rt, ctx, action.id);
    case 'efs-file-system':
      return deleteFileSystem(rt, ctx, action.id);
  }
}
