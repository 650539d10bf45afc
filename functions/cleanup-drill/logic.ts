import { UpdateAutoScalingGroupCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteVolumeCommand, DescribeVolumesCommand, DetachVolumeCommand, TerminateInstancesCommand, type EC2Client, type Volume, type VolumeAttachment } from '@aws-sdk/client-ec2';
import {
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeMountTargetsCommand,
  type DescribeMountTargetsCommandInput,
  type EFSClient,
  type MountTargetDescription,
} from '@aws-sdk/client-efs';
import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type DBCluster,
  type DeleteDBInstanceCommandInput,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { awsCallErrorClass, awsCaller, callRuntime, isThrottling as isThrottlingCode, messageOf, THROTTLING_ERROR_CODES as COMMON_THROTTLING_ERROR_CODES, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import { parseCleanupInput, type CleanupInput, type RestoredResource } from './input';

export { CleanupRefusedError, InvalidInputError, parseArn, parseCleanupInput } from './input';
export type { Arn, CleanupInput, RestoredResource } from './input';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';

/** Exactly the IAM actions {@link cleanupDrill} calls. */
export const REQUIRED_ACTIONS = [
  'autoscaling:UpdateAutoScalingGroup',
  'ec2:DescribeVolumes',
  'ec2:DetachVolume',
  'ec2:DeleteVolume',
  'ec2:TerminateInstances',
  'rds:DeleteDBInstance',
  'rds:DescribeDBInstances',
  'rds:DescribeDBClusters',
  'rds:DeleteDBCluster',
  'dynamodb:DeleteTable',
  'elasticfilesystem:DescribeMountTargets',
  'elasticfilesystem:DeleteMountTarget',
  'elasticfilesystem:DeleteFileSystem',
] as const;

/**
 * Not called by the logic, but checked by AWS on the caller when it calls one of the actions above:
 * DeleteMountTarget deletes the mount target's network interface as the caller.
 */
export const INDIRECT_ACTIONS = ['ec2:DeleteNetworkInterface'] as const;

/** Why S3 restores are never deleted. */
export const S3_SKIP_REASON = 'objects restored into the recovery bucket are kept; expire them with a lifecycle rule';

/** Error codes of throttled requests (EC2, RDS, DynamoDB, EFS, Auto Scaling), retried with backoff and jitter. */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
  ...COMMON_THROTTLING_ERROR_CODES,
  'TooManyRequests',
  // DynamoDB: too many concurrent control-plane operations.
  'LimitExceededException',
  // Auto Scaling: a pending update to the same group.
  'ResourceContentionFault',
]);

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

export interface CleanupOptions extends ThrottleOptions {
  /** Delay between two checks while waiting for a volume to detach or mount targets to go. */
  readonly pollIntervalMs: number;
  /** DescribeVolumes while waiting for a volume to become `available`. */
  readonly maxDetachChecks: number;
  /** DescribeMountTargets while waiting for a file system's mount targets to be deleted. */
  readonly maxMountTargetChecks: number;
  /** Restored resources cleaned up at the same time. */
  readonly concurrency: number;
}

export const DEFAULT_OPTIONS: CleanupOptions = {
  maxThrottleAttempts: 6,
  baseBackoffMs: 250,
  maxBackoffMs: 8000,
  pollIntervalMs: 5000,
  maxDetachChecks: 36,
  maxMountTargetChecks: 36,
  concurrency: 4,
};

export interface CleanupDrillDeps extends CallDeps<CleanupOptions> {
  readonly ec2: EC2Client;
  readonly rds: RDSClient;
  readonly dynamodb: DynamoDBClient;
  readonly efs: EFSClient;
  readonly autoScaling: AutoScalingClient;
}

export interface SkippedResource {
  readonly arn: string;
  readonly reason: string;
}

/** The function's output, returned to the state machine; every list sorted. */
export interface CleanupResult {
  /** Deleted now, deletion already in progress, or already gone. */
  readonly deleted: string[];
  readonly skipped: SkippedResource[];
  readonly scaledToZero: string[];
}

/** Every failure of this function (besides an invalid or refused input) is one of these. */
export class CleanupDrillError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CleanupDrillError';
  }
}

/** An AWS call failed with something other than throttling; `code` is the AWS error code. */
export class AwsCallError extends awsCallErrorClass(CleanupDrillError) {}

/** Thrown at the end when some resources or groups could not be cleaned up; `result` is what was. */
export class CleanupIncompleteError extends CleanupDrillError {
  constructor(
    message: string,
    readonly failures: readonly { readonly item: string; readonly error: string }[],
    readonly result: CleanupResult,
  ) {
    super(message);
    this.name = 'CleanupIncompleteError';
  }
}

interface Runtime extends CallRuntime<CleanupOptions> {
  readonly ec2: EC2Client;
  readonly rds: RDSClient;
  readonly dynamodb: DynamoDBClient;
  readonly efs: EFSClient;
  readonly autoScaling: AutoScalingClient;
}

/** Log attributes of one resource (resources are cleaned up concurrently). */
type Ctx = Record<string, unknown>;

export function isThrottling(error: unknown): boolean {
  return isThrottlingCode(error, THROTTLING_ERROR_CODES);
}

/** Runs one AWS call, retrying it while throttled; any other error becomes an {@link AwsCallError}. `ctx` goes into its log lines. */
const call = awsCaller({ AwsCallError, GiveUpError: CleanupDrillError, throttlingCodes: THROTTLING_ERROR_CODES });

const GONE = Symbol('gone');
type Gone = typeof GONE;

/** {@link call}, but a "not found" error code (the resource is gone) returns {@link GONE}. */
async function callUnlessGone<T>(rt: Runtime, ctx: Ctx, operation: string, notFound: ReadonlySet<string>, send: () => Promise<T>): Promise<T | Gone> {
  try {
    return await call(rt, operation, send, ctx);
  } catch (error) {
    if (error instanceof AwsCallError && notFound.has(error.code)) return GONE;
    throw error;
  }
}

/** What one restored resource is, once its ARN and type agree. */
export type CleanupAction =
  | { readonly kind: 'ebs-volume'; readonly id: string }
  | { readonly kind: 'ec2-instance'; readonly id: string }
  | { readonly kind: 'rds-instance'; readonly id: string }
  | { readonly kind: 'rds-cluster'; readonly id: string }
  | { readonly kind: 'dynamodb-table'; readonly id: string }
  | { readonly kind: 'efs-file-system'; readonly id: string };

const EBS_VOLUME = /^volume\/(vol-[0-9a-f]{8,17})$/;
const EC2_INSTANCE = /^instance\/(i-[0-9a-f]{8,17})$/;
const RDS_INSTANCE = /^db:([A-Za-z][A-Za-z0-9-]{0,62})$/;
const RDS_CLUSTER = /^cluster:([A-Za-z][A-Za-z0-9-]{0,62})$/;
const DYNAMODB_TABLE = /^table\/([A-Za-z0-9_.-]{3,255})$/;
const EFS_FILE_SYSTEM = /^file-system\/(fs-[0-9a-f]{8,40})$/;

/**
 * What to do with one restored resource: an action, or why it is skipped (S3 restores, resources
 * outside the drill's account and region, types this function does not clean up, ARNs that do not
 * match their type).
 */
export function classifyResource(resource: RestoredResource, scope: Pick<CleanupInput, 'accountId' | 'region'>): CleanupAction | { readonly skip: string } {
  const { arn, resourceType } = resource;
  if (resourceType === 'S3' || arn.service === 's3') return { skip: S3_SKIP_REASON };
  if (arn.account !== scope.accountId || arn.region !== scope.region) {
    return {
      skip:
        `outside the drill's account ${scope.accountId} and region ${scope.region} ` +
        `(the ARN names account ${arn.account || '(none)'}, region ${arn.region || '(none)'}); not touched`,
    };
  }
  const mismatch = (expected: string) => ({ skip: `resource type ${resourceType} but the ARN is not ${expected}; not touched` });
  switch (resourceType) {
    case 'EBS': {
      const id = arn.service === 'ec2' ? EBS_VOLUME.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'ebs-volume', id } : mismatch('an EBS volume (arn:aws:ec2:<region>:<account>:volume/vol-...)');
    }
    case 'EC2': {
      const id = arn.service === 'ec2' ? EC2_INSTANCE.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'ec2-instance', id } : mismatch('an EC2 instance (arn:aws:ec2:<region>:<account>:instance/i-...)');
    }
    case 'RDS':
    case 'Aurora': {
      if (arn.service === 'rds') {
        const instance = RDS_INSTANCE.exec(arn.resource)?.[1];
        if (instance) return { kind: 'rds-instance', id: instance };
        const cluster = RDS_CLUSTER.exec(arn.resource)?.[1];
        if (cluster) return { kind: 'rds-cluster', id: cluster };
      }
      return mismatch('an RDS DB instance or cluster (arn:aws:rds:<region>:<account>:db:<id> or :cluster:<id>)');
    }
    case 'DynamoDB': {
      const id = arn.service === 'dynamodb' ? DYNAMODB_TABLE.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'dynamodb-table', id } : mismatch('a DynamoDB table (arn:aws:dynamodb:<region>:<account>:table/<name>)');
    }
    case 'EFS': {
      const id = arn.service === 'elasticfilesystem' ? EFS_FILE_SYSTEM.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'efs-file-system', id } : mismatch('an EFS file system (arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-...)');
    }
    default:
      return { skip: `resource type ${resourceType} is not cleaned up by this function; delete it by hand` };
  }
}

/** `deleted`: deleted now; `gone`: already deleted or being deleted (a retry of the step). */
type Deletion = 'deleted' | 'gone';

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

// ---------------------------------------------------------------------------------------------

function cleanUp(rt: Runtime, ctx: Ctx, action: CleanupAction): Promise<Deletion> {
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

async function forEachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(limit) || 1, items.length)) }, worker));
}

async function regionOf(client: { config: { region?: unknown } }): Promise<string | undefined> {
  try {
    const region: unknown = client.config.region;
    const value: unknown = typeof region === 'function' ? await (region as () => Promise<unknown>)() : region;
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  } catch {
    return undefined; // no region configured: the first call will say so
  }
}

/**
 * After a DRILL, scales the landing zone's Auto Scaling groups to zero, then deletes what the
 * drill's restores created (EBS volumes, EC2 instances, RDS instances, Aurora clusters, DynamoDB
 * tables, EFS file systems) in the drill's account and region. Refuses a failover. Resources already
 * gone count as deleted, so a retry succeeds. One failure does not stop the others: every failure is
 * thrown at the end, in one error.
 */
export async function cleanupDrill(input: unknown, deps: CleanupDrillDeps): Promise<CleanupResult> {
  const rt: Runtime = {
    ec2: deps.ec2,
    rds: deps.rds,
    dynamodb: deps.dynamodb,
    efs: deps.efs,
    autoScaling: deps.autoScaling,
    ...callRuntime(deps, DEFAULT_OPTIONS),
  };
  try {
    const parsed = parseCleanupInput(input);
    Object.assign(rt.context, { executionName: parsed.executionName, accountId: parsed.accountId, region: parsed.region });

    for (const [service, client] of [['EC2', rt.ec2], ['RDS', rt.rds], ['DynamoDB', rt.dynamodb], ['EFS', rt.efs], ['Auto Scaling', rt.autoScaling]] as const) {
      const clientRegion = await regionOf(client);
      if (clientRegion !== undefined && clientRegion !== parsed.region) {
        throw new CleanupDrillError(`the drill ran in ${parsed.region} but this function's ${service} client works in ${clientRegion}; nothing cleaned up`);
      }
    }
    rt.logger.info('Cleaning up drill', { ...rt.context, restores: parsed.restores.length, autoScalingGroups: parsed.autoScalingGroups });
    for (const index of parsed.restoresWithoutResource) {
      rt.logger.info('Restore created no resource; nothing to delete', { ...rt.context, restoreIndex: index });
    }

    const failures: { item: string; error: string }[] = [];
    const fail = (item: string, ctx: Ctx, error: unknown) => {
      failures.push({ item, error: messageOf(error) });
      rt.logger.error('Not cleaned up', { ...rt.context, ...ctx, errorMessage: messageOf(error), error });
    };

    // First the servers: their instances terminate while the restored resources are deleted.
    const scaledToZero: string[] = [];
    for (const name of parsed.autoScalingGroups) {
      const ctx = { autoScalingGroup: name };
      try {
        await call(rt, `UpdateAutoScalingGroup(${name})`, () => rt.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, DesiredCapacity: 0 })), ctx);
        scaledToZero.push(name);
        rt.logger.info('Auto Scaling group scaled to zero', { ...rt.context, ...ctx });
      } catch (error) {
        fail(`Auto Scaling group ${name}`, ctx, error);
      }
    }

    const deleted: string[] = [];
    const skipped: SkippedResource[] = [];
    const actions: { arn: string; action: CleanupAction }[] = [];
    const seen = new Set<string>();
    for (const resource of parsed.restores) {
      if (seen.has(resource.arn.text)) continue;
      seen.add(resource.arn.text);
      const classified = classifyResource(resource, parsed);
      if ('skip' in classified) {
        skipped.push({ arn: resource.arn.text, reason: classified.skip });
        rt.logger.info('Restored resource skipped', { ...rt.context, arn: resource.arn.text, resourceType: resource.resourceType, reason: classified.skip });
      } else {
        actions.push({ arn: resource.arn.text, action: classified });
      }
    }

    await forEachConcurrently(actions, rt.options.concurrency, async ({ arn, action }) => {
      const ctx = { arn, kind: action.kind, id: action.id };
      try {
        const deletion = await cleanUp(rt, ctx, action);
        deleted.push(arn);
        rt.logger.info(deletion === 'deleted' ? 'Restored resource deleted' : 'Restored resource already gone or being deleted', { ...rt.context, ...ctx });
      } catch (error) {
        fail(arn, ctx, error);
      }
    });

    const result: CleanupResult = {
      deleted: deleted.sort(),
      skipped: skipped.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)),
      scaledToZero: scaledToZero.sort(),
    };
    if (failures.length > 0) {
      failures.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
      const total = parsed.autoScalingGroups.length + actions.length;
      throw new CleanupIncompleteError(
        `drill cleanup incomplete: ${failures.length} of ${total} failed (${result.scaledToZero.length} group(s) scaled to zero, ` +
          `${result.deleted.length} resource(s) deleted, ${result.skipped.length} skipped): ${failures.map((f) => `${f.item}: ${f.error}`).join('; ')}`,
        failures,
        result,
      );
    }
    rt.logger.info('Drill cleaned up', { ...rt.context, ...result });
    return result;
  } catch (error) {
    rt.logger.error('Drill cleanup failed', { ...rt.context, errorMessage: messageOf(error), error, ...(error instanceof CleanupIncompleteError ? { result: error.result } : {}) });
    throw error;
  }
}
