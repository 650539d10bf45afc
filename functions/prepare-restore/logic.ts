import { GetRecoveryPointRestoreMetadataCommand } from '@aws-sdk/client-backup';
import { DescribeInstancesCommand, type DescribeInstancesCommandInput } from '@aws-sdk/client-ec2';
import { messageOf, runtimeWithClients } from '../aws-call';
import { recoveryPointTags } from '../recovery-point-tags';
import { prepareFsx } from './fsx';
import { parsePrepareRestoreInput, type PrepareRestoreInput, type SupportedResourceType } from './input';
import { dropForeignKmsKeys, parseDrAccountId, restoreLocation } from './kms-keys';
import { dynamoDbTableName, efsCreationToken, nameHash, rdsIdentifier } from './names';
import { call, DEFAULT_OPTIONS, PrepareRestoreError, type Draft, type PrepareRestoreDeps, type Runtime } from './runtime';

export { InvalidInputError, parsePrepareRestoreInput, SUPPORTED_RESOURCE_TYPES } from './input';
export type { PrepareRestoreInput, RestoreTarget, SupportedResourceType } from './input';
export { KMS_KEY_RULES, foreignKeyReason, parseDrAccountId, restoreLocation } from './kms-keys';
export type { KmsKeyFallback, KmsKeyRule, RestoreLocation } from './kms-keys';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';
export { AwsCallError, DEFAULT_OPTIONS, PrepareRestoreError } from './runtime';
export type { PrepareRestoreDeps, PrepareRestoreOptions } from './runtime';
export { DYNAMODB_TABLE_NAME_MAX, EFS_CREATION_TOKEN_MAX, NAME_HASH_LENGTH, ONTAP_VOLUME_NAME_MAX, RDS_IDENTIFIER_MAX, dynamoDbTableName, efsCreationToken, nameHash, ontapVolumeName, rdsIdentifier } from './names';
export { FSX_FILE_SYSTEM_TYPES, FSX_ONTAP_SVM_FIELD, FSX_WINDOWS_DIRECTORY_FIELD, fsxFileSystemType } from './fsx';
export type { FsxFileSystemType } from './fsx';

/** Exactly the IAM actions {@link prepareRestore} calls. */
export const REQUIRED_ACTIONS = ['backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags', 'ec2:DescribeSnapshots', 'ec2:DescribeInstances'] as const;

/** Server role of a protected EBS volume and of its recovery instance (the tag contract, docs/recovery.md). */
export const DR_SERVER_TAG = 'dr:server';

const RDS_INSTANCE_ARN = /^arn:[^:]+:rds:[^:]*:\d*:db:(.+)$/;
const RDS_CLUSTER_ARN = /^arn:[^:]+:rds:[^:]*:\d*:cluster:(.+)$/;
const DYNAMODB_TABLE_ARN = /^arn:[^:]+:dynamodb:[^:]*:\d*:table\/([^/]+)/;

export interface PreparedRestore {
  readonly resourceType: SupportedResourceType;
  /** `StartRestoreJob` Metadata: string values only, keys sorted. */
  readonly metadata: Record<string, string>;
  /** What an operator should know: fallbacks taken, settings dropped. */
  readonly warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Per resource type (FSx: fsx.ts)
// ---------------------------------------------------------------------------------------------

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
  const rt: Runtime = runtimeWithClients(deps, DEFAULT_OPTIONS);
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
