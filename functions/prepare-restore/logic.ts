import { createHash } from 'crypto';
import { GetRecoveryPointRestoreMetadataCommand, type BackupClient } from '@aws-sdk/client-backup';
import { DescribeInstancesCommand, type DescribeInstancesCommandInput, type EC2Client } from '@aws-sdk/client-ec2';
import { awsCallErrorClass, awsCaller, callRuntime, isThrottling as isThrottlingCode, messageOf, THROTTLING_ERROR_CODES as COMMON_THROTTLING_ERROR_CODES, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import { recoveryPointTags } from '../recovery-point-tags';
import { parsePrepareRestoreInput, type PrepareRestoreInput, type SupportedResourceType } from './input';
import { dropForeignKmsKeys, parseDrAccountId, restoreLocation } from './kms-keys';

export { InvalidInputError, parsePrepareRestoreInput, SUPPORTED_RESOURCE_TYPES } from './input';
export type { PrepareRestoreInput, RestoreTarget, SupportedResourceType } from './input';
export { KMS_KEY_RULES, foreignKeyReason, parseDrAccountId, restoreLocation } from './kms-keys';
export type { KmsKeyFallback, KmsKeyRule, RestoreLocation } from './kms-keys';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';

/** Exactly the IAM actions {@link prepareRestore} calls. */
export const REQUIRED_ACTIONS = ['backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags', 'ec2:DescribeSnapshots', 'ec2:DescribeInstances'] as const;

/** Server role of a protected EBS volume and of its recovery instance (tag contract, README). */
export const DR_SERVER_TAG = 'dr:server';

/** Error codes of throttled requests, retried with exponential backoff and jitter. */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([...COMMON_THROTTLING_ERROR_CODES, 'LimitExceededException']);

const RDS_INSTANCE_ARN = /^arn:[^:]+:rds:[^:]*:\d*:db:(.+)$/;
const RDS_CLUSTER_ARN = /^arn:[^:]+:rds:[^:]*:\d*:cluster:(.+)$/;
const DYNAMODB_TABLE_ARN = /^arn:[^:]+:dynamodb:[^:]*:\d*:table\/([^/]+)/;
/** AWS Backup protects FSx for NetApp ONTAP volumes, not file systems: `volume/<file system>/<volume>`. */
const FSX_VOLUME_ARN = /^arn:[^:]+:fsx:[^:]*:\d*:volume\/[^/]+\/([^/]+)$/;

/** RDS DB instance and cluster identifiers. */
export const RDS_IDENTIFIER_MAX = 63;
export const DYNAMODB_TABLE_NAME_MAX = 255;
export const EFS_CREATION_TOKEN_MAX = 64;
/** FSx for NetApp ONTAP volume names (FSx API CreateVolume, `Name`). */
export const ONTAP_VOLUME_NAME_MAX = 203;

/** FSx file system types (FSx API `FileSystemType`). */
export const FSX_FILE_SYSTEM_TYPES = ['WINDOWS', 'LUSTRE', 'ONTAP', 'OPENZFS'] as const;
export type FsxFileSystemType = (typeof FSX_FILE_SYSTEM_TYPES)[number];

/** The configuration fields an FSx restore names when the DR account lacks what it needs. */
export const FSX_WINDOWS_DIRECTORY_FIELD = 'workloads[].recovery.fsx.windowsDirectoryId';
export const FSX_ONTAP_SVM_FIELD = 'workloads[].recovery.fsx.ontapStorageVirtualMachineId';
/** Hex characters of the hash that makes new names unique per execution and resource. */
export const NAME_HASH_LENGTH = 8;

export interface PrepareRestoreOptions extends ThrottleOptions {
  /** Pages of one listing; more is an error. */
  readonly maxPages: number;
}

export const DEFAULT_OPTIONS: PrepareRestoreOptions = { maxThrottleAttempts: 6, baseBackoffMs: 250, maxBackoffMs: 8000, maxPages: 100 };

export interface PrepareRestoreDeps extends CallDeps<PrepareRestoreOptions> {
  /** Backup client of the DR account (restore vault). */
  readonly backup: BackupClient;
  /** EC2 client of the DR account, for EBS recovery points and recovery instances. */
  readonly ec2: EC2Client;
}

export interface PreparedRestore {
  readonly resourceType: SupportedResourceType;
  /** `StartRestoreJob` Metadata: string values only, keys sorted. */
  readonly metadata: Record<string, string>;
  /** What an operator should know: fallbacks taken, settings dropped. */
  readonly warnings: string[];
}

/** Every failure of this function (besides an invalid input) is one of these. */
export class PrepareRestoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrepareRestoreError';
  }
}

/** An AWS call failed with something other than throttling; `code` is the AWS error code. */
export class AwsCallError extends awsCallErrorClass(PrepareRestoreError) {}

interface Runtime extends CallRuntime<PrepareRestoreOptions> {
  readonly backup: BackupClient;
  readonly ec2: EC2Client;
}

export function isThrottling(error: unknown): boolean {
  return isThrottlingCode(error, THROTTLING_ERROR_CODES);
}

/** Runs one AWS call, retrying it while throttled; any other error becomes an {@link AwsCallError}. */
const call = awsCaller({ AwsCallError, GiveUpError: PrepareRestoreError, throttlingCodes: THROTTLING_ERROR_CODES });

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/**
 * Short hex hash of the execution name and the original resource: the same execution (a retry)
 * always yields the same names, and two resources of one execution whose names truncate alike
 * still get different ones.
 */
export function nameHash(executionName: string, resourceArn: string): string {
  return createHash('sha256').update(`${executionName}\n${resourceArn}`).digest('hex').slice(0, NAME_HASH_LENGTH);
}

/**
 * A new RDS DB instance or cluster identifier: `<original>-<suffix>-<hash>`, at most 63 characters,
 * lowercase letters, digits and hyphens, starting with a letter, without a double or trailing hyphen.
 * The original part is shortened to fit.
 */
export function rdsIdentifier(original: string, suffix: string, hash: string): string {
  const tail = `-${suffix}-${hash}`;
  let base = original
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(base)) base = base ? `db-${base}` : 'db';
  base = base.slice(0, RDS_IDENTIFIER_MAX - tail.length).replace(/-+$/, '');
  return `${base}${tail}`;
}

/** A new DynamoDB table name: `<original>-<suffix>-<hash>`, 3-255 of `[a-zA-Z0-9_.-]`. */
export function dynamoDbTableName(original: string, suffix: string, hash: string): string {
  const tail = `-${suffix}-${hash}`;
  const base = original.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return `${base.slice(0, DYNAMODB_TABLE_NAME_MAX - tail.length)}${tail}`;
}

/** EFS creation token (idempotency of CreateFileSystem): `<workload>-<suffix>-<hash>`, at most 64. */
export function efsCreationToken(workload: string, suffix: string, hash: string): string {
  const tail = `-${suffix}-${hash}`;
  return `${workload.slice(0, EFS_CREATION_TOKEN_MAX - tail.length)}${tail}`;
}

/**
 * A new FSx for NetApp ONTAP volume name: `<original>_<suffix>_<hash>`, at most 203 of a-z, A-Z, 0-9
 * and "_", starting with a letter or "_" (ONTAP's rule for volume names; "-" is not allowed).
 */
export function ontapVolumeName(original: string, suffix: string, hash: string): string {
  const tail = `_${suffix.replace(/-/g, '_')}_${hash}`;
  let base = original.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `vol_${base}`;
  return `${base.slice(0, ONTAP_VOLUME_NAME_MAX - tail.length)}${tail}`;
}

// ---------------------------------------------------------------------------------------------
// Per resource type
// ---------------------------------------------------------------------------------------------

interface Draft {
  readonly input: PrepareRestoreInput;
  readonly metadata: Record<string, string>;
  readonly warnings: string[];
  readonly hash: string;
}

/** Running instances tagged `dr:server=<server>`: instance ID → Availability Zone. */
async function recoveryInstances(rt: Runtime, server: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new PrepareRestoreError(`DescribeInstances returned more than ${rt.options.maxPages} pages; giving up`);
    const input: DescribeInstancesCommandInput = {
      Filters: [
        { Name: `tag:${DR_SERVER_TAG}`, Values: [server] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const out = await call(rt, `DescribeInstances(${DR_SERVER_TAG}=${server})`, () => rt.ec2.send(new DescribeInstancesCommand(input)));
    for (const reservation of out.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        const az = instance.Placement?.AvailabilityZone;
        if (instance.InstanceId && az) found.set(instance.InstanceId, az);
      }
    }
    nextToken = out.NextToken;
  } while (nextToken);
  return found;
}

/** The zone letter of an Availability Zone name (`ap-northeast-2c` → `c`). */
function zoneLetter(availabilityZone: string | undefined): string | undefined {
  return availabilityZone ? /\d([a-z]+)$/.exec(availabilityZone)?.[1] : undefined;
}

/**
 * EBS: the volume is restored into the Availability Zone of its running recovery instance (same
 * `dr:server`), so that attach-restored-volume can attach it there.
 */
async function prepareEbs(rt: Runtime, d: Draft): Promise<void> {
  const { input, metadata, warnings } = d;
  const tags = await recoveryPointTags(rt, call, input.recoveryPointArn, { maxPages: rt.options.maxPages, tooManyPages: (message) => new PrepareRestoreError(message) });
  const server = tags[DR_SERVER_TAG]?.trim();
  if (!server) {
    const fallback = input.target.availabilityZones[0];
    warnings.push(
      `recovery point ${input.recoveryPointArn} has no ${DR_SERVER_TAG} tag: volume restored in ${fallback} (first target Availability Zone); ` +
        'it will not be attached automatically',
    );
    metadata.availabilityZone = fallback;
  } else {
    rt.context.server = server;
    const instances = await recoveryInstances(rt, server);
    if (instances.size === 0) {
      throw new PrepareRestoreError(
        `no running recovery instance with ${DR_SERVER_TAG}=${server} for the EBS volume of recovery point ${input.recoveryPointArn}: ` +
          `start the "${server}" recovery instances before restoring their volumes`,
      );
    }
    const ids = [...instances.keys()].sort();
    const zones = [...new Set(ids.map((id) => instances.get(id) as string))];
    const originalLetter = zoneLetter(metadata.availabilityZone);
    const az = zones.find((z) => zoneLetter(z) === originalLetter) ?? zones[0];
    const inZone = ids.filter((id) => instances.get(id) === az);
    if (inZone.length > 1) {
      warnings.push(`${inZone.length} running instances with ${DR_SERVER_TAG}=${server} in ${az} (${inZone.join(', ')}): attach-restored-volume expects exactly one`);
    }
    rt.logger.info('Availability Zone of the recovery instance', { ...rt.context, availabilityZone: az, instances: ids });
    metadata.availabilityZone = az;
  }
  if ('encrypted' in metadata) metadata.encrypted = 'true';
}

/** Sets `key` to the JSON list, or, for an empty list, drops the source account's value with a warning. */
function setIdList(d: Draft, key: string, ids: readonly string[], what: string): void {
  if (ids.length > 0) {
    d.metadata[key] = JSON.stringify(ids);
  } else if (key in d.metadata) {
    delete d.metadata[key];
    d.warnings.push(`no target ${what}: ${key} of the original resource removed; the service default applies`);
  }
}

function prepareEc2(d: Draft): void {
  const { target } = d.input;
  // parsePrepareRestoreInput has checked that EC2 restores have a subnet.
  d.metadata.SubnetId = target.subnetIds[0];
  setIdList(d, 'SecurityGroupIds', target.securityGroupIds, 'security groups (target.securityGroupIds)');
  delete d.metadata.NetworkInterfaces;
  // The source instance's profile is the workload account's: the DR account has no such profile, and
  // AWS Backup would pass its role with the restore role (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html).
  const sourceProfile = d.metadata.IamInstanceProfileName;
  if (target.instanceProfileName) {
    d.metadata.IamInstanceProfileName = target.instanceProfileName;
  } else if (sourceProfile !== undefined) {
    delete d.metadata.IamInstanceProfileName;
    d.warnings.push(`no target.instanceProfileName: IamInstanceProfileName ${sourceProfile} of the original instance removed; the instance starts without a profile`);
  }
}

function setDbSubnetGroup(d: Draft): void {
  const name = d.input.target.dbSubnetGroupName;
  if (name) {
    d.metadata.DBSubnetGroupName = name;
  } else if ('DBSubnetGroupName' in d.metadata) {
    delete d.metadata.DBSubnetGroupName;
    d.warnings.push('no target.dbSubnetGroupName: DBSubnetGroupName of the original resource removed; the default DB subnet group applies');
  }
}

function originalName(d: Draft, pattern: RegExp, metadataKey: string, what: string): string {
  const fromArn = pattern.exec(d.input.resourceArn)?.[1];
  const name = fromArn ?? d.metadata[metadataKey];
  if (!name) throw new PrepareRestoreError(`resourceArn ${JSON.stringify(d.input.resourceArn)} is not ${what} ARN and the restore metadata has no ${metadataKey}`);
  return name;
}

function prepareRds(d: Draft): void {
  const { metadata, input } = d;
  metadata.DBInstanceIdentifier = rdsIdentifier(originalName(d, RDS_INSTANCE_ARN, 'DBInstanceIdentifier', 'an RDS DB instance'), input.target.nameSuffix, d.hash);
  setDbSubnetGroup(d);
  setIdList(d, 'VpcSecurityGroupIds', input.target.securityGroupIds, 'security groups (target.securityGroupIds)');
  // The original Availability Zone is in another Region; a Multi-AZ instance takes none at all.
  const az = metadata.AvailabilityZone;
  if (az !== undefined && (metadata.MultiAZ === 'true' || !input.target.availabilityZones.includes(az))) delete metadata.AvailabilityZone;
}

function prepareAurora(d: Draft): void {
  const { metadata, input } = d;
  metadata.DBClusterIdentifier = rdsIdentifier(originalName(d, RDS_CLUSTER_ARN, 'DBClusterIdentifier', 'an Aurora DB cluster'), input.target.nameSuffix, d.hash);
  setDbSubnetGroup(d);
  setIdList(d, 'VpcSecurityGroupIds', input.target.securityGroupIds, 'security groups (target.securityGroupIds)');
  // Availability Zones of the original Region cannot be used here.
  if ('AvailabilityZones' in metadata) {
    let zones: unknown;
    try {
      zones = JSON.parse(metadata.AvailabilityZones);
    } catch {
      zones = undefined;
    }
    const usable = Array.isArray(zones) && zones.every((z) => typeof z === 'string' && input.target.availabilityZones.includes(z));
    if (!usable) delete metadata.AvailabilityZones;
  }
}

function prepareDynamoDb(d: Draft): void {
  const original = originalName(d, DYNAMODB_TABLE_ARN, 'originalTableName', 'a DynamoDB table');
  d.metadata.targetTableName = dynamoDbTableName(original, d.input.target.nameSuffix, d.hash);
}

function prepareS3(d: Draft): void {
  // parsePrepareRestoreInput has checked that S3 restores have a recovery bucket.
  Object.assign(d.metadata, { DestinationBucketName: d.input.target.recoveryBucketName as string, NewBucket: 'false', Encrypted: 'true' });
}

function prepareEfs(d: Draft): void {
  const { metadata, input } = d;
  Object.assign(metadata, { newFileSystem: 'true', Encrypted: 'true', CreationToken: efsCreationToken(input.workload, input.target.nameSuffix, d.hash) });
  // `file-system-id` names the backed-up file system; AWS Backup needs it even for a new file system.
}

// ---- FSx --------------------------------------------------------------------------------------
//
// Restore metadata (AWS Backup Developer Guide, "Restore an FSx file system",
// https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-fsx.html): StartRestoreJob takes
// StorageCapacity, StorageType, VpcId, KmsKeyId, SecurityGroupIds, SubnetIds, DeploymentType, ...,
// WindowsConfiguration, LustreConfiguration, OntapConfiguration, OpenZFSConfiguration, the nested
// configurations as JSON strings; the recovery point's own metadata names the type in FileSystemType.
// For Windows File Server: ThroughputCapacity, PreferredSubnetId and ActiveDirectoryId (in
// WindowsConfiguration); for ONTAP, a *volume* restored into an existing storage virtual machine:
// Name and OntapConfiguration (junctionPath, sizeInMegabytes, storageEfficiencyEnabled,
// storageVirtualMachineId, tieringPolicy). "Restore testing inferred metadata"
// (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html)
// marks what a restore cannot do without: subnetIds (Lustre, Windows), windowsConfiguration
// activeDirectoryId (Windows), ontapConfiguration storageVirtualMachineId (ONTAP); AWS Backup cannot
// infer a complete set for FSx. Keys are not case sensitive there: an existing key keeps its spelling.
// Subnets (FSx API CreateFileSystemFromBackup, SubnetIds): two for Multi-AZ deployments, the first
// being the preferred one, else exactly one.

/** The key of `record` equal to `name` ignoring case. */
function keyOf(record: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === lower);
}

function valueOf(record: Record<string, unknown>, name: string): unknown {
  const key = keyOf(record, name);
  return key === undefined ? undefined : record[key];
}

/** Sets `name`, under the spelling the record already uses for it. */
function setValue(record: Record<string, unknown>, name: string, value: unknown): void {
  record[keyOf(record, name) ?? name] = value;
}

/** Removes `name` whatever its spelling; whether it was there. */
function removeValue(record: Record<string, unknown>, name: string): boolean {
  const key = keyOf(record, name);
  if (key === undefined) return false;
  delete record[key];
  return true;
}

/** A nested configuration of the metadata (a JSON string), as an object; `{}` when absent. */
function nestedConfig(d: Draft, name: string): Record<string, unknown> {
  const raw = valueOf(d.metadata, name);
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PrepareRestoreError(`the restore metadata's ${name} of ${d.input.recoveryPointArn} is not a JSON object: ${String(raw).slice(0, 200)}`);
  }
  return parsed as Record<string, unknown>;
}

function setNestedConfig(d: Draft, name: string, config: Record<string, unknown>): void {
  setValue(d.metadata, name, JSON.stringify(config));
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The FSx type of the recovery point: an ONTAP volume ARN, else FileSystemType, else the configuration it carries. */
export function fsxFileSystemType(resourceArn: string, metadata: Record<string, string>): FsxFileSystemType {
  if (FSX_VOLUME_ARN.test(resourceArn)) return 'ONTAP';
  const declared = stringValue(valueOf(metadata, 'FileSystemType'))?.toUpperCase();
  if (declared && (FSX_FILE_SYSTEM_TYPES as readonly string[]).includes(declared)) return declared as FsxFileSystemType;
  const byConfiguration: [string, FsxFileSystemType][] = [
    ['WindowsConfiguration', 'WINDOWS'],
    ['LustreConfiguration', 'LUSTRE'],
    ['OntapConfiguration', 'ONTAP'],
    ['OpenZFSConfiguration', 'OPENZFS'],
  ];
  const found = byConfiguration.find(([key]) => keyOf(metadata, key) !== undefined);
  if (found) return found[1];
  throw new PrepareRestoreError(
    `cannot tell the FSx file system type of ${resourceArn}: the restore metadata has ${declared ? `FileSystemType ${JSON.stringify(declared)}` : 'no FileSystemType'} ` +
      'and none of WindowsConfiguration, LustreConfiguration, OntapConfiguration, OpenZFSConfiguration',
  );
}

/** Subnets of a new file system: the landing zone's first two for a Multi-AZ deployment (the first preferred), else its first. */
function fileSystemSubnets(d: Draft, deploymentType: string | undefined, what: string): string[] {
  const { subnetIds } = d.input.target;
  const multiAz = deploymentType?.toUpperCase().startsWith('MULTI_AZ') ?? false;
  const needed = multiAz ? 2 : 1;
  if (subnetIds.length < needed) {
    throw new PrepareRestoreError(
      `${what} ${d.input.resourceArn}${multiAz ? ` (${deploymentType})` : ''} needs ${needed} subnet(s) of the landing zone, target.subnetIds has ${subnetIds.length}: ` +
        'the workload needs servers (the landing zone) to restore FSx into',
    );
  }
  return subnetIds.slice(0, needed);
}

/**
 * The network of a new file system: its subnets, the landing zone's file-system security group (or
 * the servers' when there is none), and no VpcId (the original VPC is in the workload's account and
 * Region; the subnets place the file system).
 */
function setFileSystemNetwork(d: Draft, subnets: string[]): void {
  const { target } = d.input;
  setValue(d.metadata, 'SubnetIds', JSON.stringify(subnets));
  const groups = target.fileSystemSecurityGroupIds.length > 0 ? target.fileSystemSecurityGroupIds : target.securityGroupIds;
  if (groups.length > 0) {
    setValue(d.metadata, 'SecurityGroupIds', JSON.stringify(groups));
  } else if (removeValue(d.metadata, 'SecurityGroupIds')) {
    d.warnings.push('no target security groups (target.fileSystemSecurityGroupIds, target.securityGroupIds): SecurityGroupIds of the original file system removed; the VPC default security group applies');
  }
  removeValue(d.metadata, 'VpcId');
}

/** FSx for Windows File Server: subnets, security groups, and the DR account's AWS Managed Microsoft AD. */
function prepareFsxWindows(d: Draft): void {
  const { input } = d;
  const config = nestedConfig(d, 'WindowsConfiguration');
  if (keyOf(config, 'SelfManagedActiveDirectoryConfiguration') !== undefined) {
    // "When restoring a backup, you can't change the type of Active Directory on the file system." (restoring-fsx.html)
    throw new PrepareRestoreError(
      `FSx for Windows File Server file system ${input.resourceArn} joined a self-managed Active Directory, and a restore cannot change the type of Active Directory: ` +
        `${FSX_WINDOWS_DIRECTORY_FIELD} (an AWS Managed Microsoft AD) cannot be used for it; restore it by hand with the self-managed directory's service account`,
    );
  }
  const directoryId = input.target.windowsDirectoryId;
  if (!directoryId) {
    throw new PrepareRestoreError(
      `FSx for Windows File Server file system ${input.resourceArn} must join an Active Directory in the DR account: set ${FSX_WINDOWS_DIRECTORY_FIELD} of workload ` +
        `"${input.workload}" to the ID (d-0123456789) of an AWS Managed Microsoft AD in the recovery region that the landing zone VPC reaches`,
    );
  }
  const deploymentType = stringValue(valueOf(config, 'DeploymentType')) ?? stringValue(valueOf(d.metadata, 'DeploymentType'));
  const subnets = fileSystemSubnets(d, deploymentType, 'FSx for Windows File Server file system');
  setValue(config, 'ActiveDirectoryId', directoryId);
  if (subnets.length > 1) setValue(config, 'PreferredSubnetId', subnets[0]);
  else removeValue(config, 'PreferredSubnetId');
  setNestedConfig(d, 'WindowsConfiguration', config);
  setFileSystemNetwork(d, subnets);
}

/** FSx for Lustre: one subnet and the security groups; LustreConfiguration as backed up. */
function prepareFsxLustre(d: Draft): void {
  setFileSystemNetwork(d, fileSystemSubnets(d, undefined, 'FSx for Lustre file system'));
}

/** FSx for OpenZFS: subnets (two for Multi-AZ) and security groups; not mounted by the connect runbook. */
function prepareFsxOpenZfs(d: Draft): void {
  const config = nestedConfig(d, 'OpenZFSConfiguration');
  const subnets = fileSystemSubnets(d, stringValue(valueOf(config, 'DeploymentType')) ?? stringValue(valueOf(d.metadata, 'DeploymentType')), 'FSx for OpenZFS file system');
  let changed = removeValue(config, 'PreferredSubnetId');
  if (subnets.length > 1) {
    setValue(config, 'PreferredSubnetId', subnets[0]);
    changed = true;
  }
  if (removeValue(config, 'RouteTableIds')) {
    changed = true;
    d.warnings.push('RouteTableIds of the original file system removed (route tables of its VPC); the landing zone subnets\' route tables apply');
  }
  if (changed) setNestedConfig(d, 'OpenZFSConfiguration', config);
  setFileSystemNetwork(d, subnets);
  d.warnings.push(`FSx for OpenZFS file system ${d.input.resourceArn} is restored but not mounted by the connect runbook; mount it from the application`);
}

/**
 * FSx for NetApp ONTAP: AWS Backup restores the volume into a storage virtual machine of an existing
 * file system, with a new name and junction path (unique per execution, so that drills do not
 * collide); a volume has no subnets or security groups of its own (the file system's apply).
 */
function prepareFsxOntap(d: Draft): void {
  const { input, metadata } = d;
  const svm = input.target.ontapStorageVirtualMachineId;
  if (!svm) {
    throw new PrepareRestoreError(
      `FSx for NetApp ONTAP volume ${input.resourceArn}: AWS Backup restores an ONTAP volume into a storage virtual machine of an existing file system, never a new one: ` +
        `set ${FSX_ONTAP_SVM_FIELD} of workload "${input.workload}" to an SVM (svm-0123456789abcdef0) of an FSx for NetApp ONTAP file system in the DR account`,
    );
  }
  const config = nestedConfig(d, 'OntapConfiguration');
  const original = stringValue(valueOf(metadata, 'Name')) ?? FSX_VOLUME_ARN.exec(input.resourceArn)?.[1] ?? 'volume';
  const name = ontapVolumeName(original, input.target.nameSuffix, d.hash);
  setValue(metadata, 'Name', name);
  setValue(config, 'storageVirtualMachineId', svm);
  setValue(config, 'junctionPath', `/${name}`);
  setNestedConfig(d, 'OntapConfiguration', config);
  for (const key of ['SubnetIds', 'SecurityGroupIds', 'VpcId']) removeValue(metadata, key);
}

function prepareFsx(d: Draft): void {
  const type = fsxFileSystemType(d.input.resourceArn, d.metadata);
  switch (type) {
    case 'WINDOWS':
      prepareFsxWindows(d);
      break;
    case 'LUSTRE':
      prepareFsxLustre(d);
      break;
    case 'OPENZFS':
      prepareFsxOpenZfs(d);
      break;
    case 'ONTAP':
      prepareFsxOntap(d);
      break;
  }
}

function sortedStrings(metadata: Record<string, unknown>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(metadata).sort()) {
    const value = metadata[key];
    if (value === undefined || value === null) continue;
    sorted[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return sorted;
}

/** `drAccountId`: the account the restore runs in, from the input (see {@link restoreLocation}). */
async function prepare(rt: Runtime, input: PrepareRestoreInput, drAccountId: string | undefined): Promise<PreparedRestore> {
  const out = await call(rt, `GetRecoveryPointRestoreMetadata(${input.recoveryPointArn})`, () =>
    rt.backup.send(
      new GetRecoveryPointRestoreMetadataCommand({
        BackupVaultName: input.restoreVaultName,
        RecoveryPointArn: input.recoveryPointArn,
        // A recovery point of the air-gapped vault shared with this account names the vault's owner.
        ...(input.backupVaultAccountId ? { BackupVaultAccountId: input.backupVaultAccountId } : {}),
      }),
    ),
  );
  const d: Draft = { input, metadata: sortedStrings(out.RestoreMetadata ?? {}), warnings: [], hash: nameHash(input.executionName, input.resourceArn) };
  if (out.ResourceType && out.ResourceType !== input.resourceType) {
    d.warnings.push(`the recovery point's resource type is ${out.ResourceType}, not ${input.resourceType}: metadata prepared for ${input.resourceType}`);
  }
  switch (input.resourceType) {
    case 'EBS':
      await prepareEbs(rt, d);
      break;
    case 'EC2':
      prepareEc2(d);
      break;
    case 'RDS':
      prepareRds(d);
      break;
    case 'Aurora':
      prepareAurora(d);
      break;
    case 'DynamoDB':
      prepareDynamoDb(d);
      break;
    case 'S3':
      prepareS3(d);
      break;
    case 'EFS':
      prepareEfs(d);
      break;
    case 'FSx':
      prepareFsx(d);
      break;
  }
  // KMS keys of another account (the workload's) or Region cannot be used by a restore in the DR account.
  const location = restoreLocation({ recoveryPointArn: input.recoveryPointArn, backupVaultAccountId: input.backupVaultAccountId, vaultArn: out.BackupVaultArn, drAccountId });
  dropForeignKmsKeys(input.resourceType, d.metadata, d.warnings, location);
  return { resourceType: input.resourceType, metadata: sortedStrings(d.metadata), warnings: d.warnings };
}

/**
 * Builds the `StartRestoreJob` Metadata of one recovery point in the DR restore vault (or in the
 * logically air-gapped vault shared with the DR account, `backupVaultAccountId` naming its owner): the
 * recovery point's restore metadata, adapted to the landing zone, with new, deterministic names, and
 * without KMS keys the DR account cannot use ({@link KMS_KEY_RULES}; optional input `drAccountId`).
 * Throws {@link InvalidInputError} for an invalid input (an unsupported resource type included) and
 * {@link PrepareRestoreError} when the restore cannot be prepared, after logging.
 */
export async function prepareRestore(event: unknown, deps: PrepareRestoreDeps): Promise<PreparedRestore> {
  const rt: Runtime = {
    backup: deps.backup,
    ec2: deps.ec2,
    ...callRuntime(deps, DEFAULT_OPTIONS),
  };
  try {
    const input = parsePrepareRestoreInput(event);
    const drAccountId = parseDrAccountId(event);
    Object.assign(rt.context, { workload: input.workload, resourceType: input.resourceType, resourceArn: input.resourceArn, recoveryPointArn: input.recoveryPointArn });
    const result = await prepare(rt, input, drAccountId);
    for (const warning of result.warnings) rt.logger.warn(warning, { ...rt.context });
    rt.logger.info('Restore prepared', { ...rt.context, metadataKeys: Object.keys(result.metadata) });
    return result;
  } catch (error) {
    rt.logger.error('Restore not prepared', { ...rt.context, errorMessage: messageOf(error), error });
    throw error;
  }
}
