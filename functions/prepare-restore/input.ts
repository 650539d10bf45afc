/**
 * Parsing of the input the recovery state machine passes to prepare-restore.
 *
 * The state machine invokes the function synchronously; an invalid input throws
 * {@link InvalidInputError}, whose message names the field, so that the execution takes its failure
 * branch with a message an operator can act on. Nothing is called in AWS for an invalid input.
 */

import { optionalAccountId } from '../account';
import { isResourceType, RESOURCE_TYPES, type ResourceType } from '../resource-types';
import { describeType, InvalidInputError, isAbsent, isRecord, optionalString, requiredString, shown, VAULT_NAME, VAULT_NAME_EXPECTED, WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED } from '../input-values';

export { describeType } from '../input-values';

/** The AWS Backup resource types this function prepares restores for: all of the estate's. */
export const SUPPORTED_RESOURCE_TYPES = RESOURCE_TYPES;
export type SupportedResourceType = ResourceType;

const INSTANCE_PROFILE_NAME = /^[\w+=,.@-]{1,128}$/;
export interface RestoreTarget {
  /** Availability Zones of the landing zone; the first is the fallback for EBS volumes. */
  readonly availabilityZones: readonly string[];
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly dbSubnetGroupName?: string;
  /** Existing bucket S3 recovery points are restored into. */
  readonly recoveryBucketName?: string;
  /**
   * Security groups of restored FSx file systems: the landing zone's file-system security group
   * (SMB, Lustre and NFS from the servers). Empty: `securityGroupIds`.
   */
  readonly fileSystemSecurityGroupIds: readonly string[];
  /** Instance profile of restored EC2 instances (the landing zone's); without it the source's is removed. */
  readonly instanceProfileName?: string;
  /** AWS Managed Microsoft AD that restored FSx for Windows File Server file systems join (`workloads[].recovery.fsx.windowsDirectoryId`). */
  readonly windowsDirectoryId?: string;
  /** SVM that FSx for NetApp ONTAP volumes are restored into (`workloads[].recovery.fsx.ontapStorageVirtualMachineId`). */
  readonly ontapStorageVirtualMachineId?: string;
  /** Added to every new name, before the hash (e.g. `dr`). */
  readonly nameSuffix: string;
}

export interface PrepareRestoreInput {
  readonly workload: string;
  /** The state machine execution's name: new names derive from it, so that a retry reuses them. */
  readonly executionName: string;
  readonly recoveryPointArn: string;
  readonly resourceType: SupportedResourceType;
  /** ARN of the original (protected) resource. */
  readonly resourceArn: string;
  /** The vault holding the recovery point: the DR restore vault, or the air-gapped vault shared with the DR account. */
  readonly restoreVaultName: string;
  /** Owner of that vault when it is not the caller's account (a vault shared through AWS RAM). Absent: the caller's. */
  readonly backupVaultAccountId?: string;
  readonly target: RestoreTarget;
}

/** Thrown for an input this function cannot act on; `field` is the dotted path of the culprit. */
export { InvalidInputError };

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:\S+$/;
const AZ = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
/** RDS DB subnet group names: up to 255 letters, digits, spaces, ".", "_", "-". */
const DB_SUBNET_GROUP = /^[A-Za-z0-9 ._-]{1,255}$/;
/** Same rules as `DIRECTORY_ID` and `STORAGE_VIRTUAL_MACHINE_ID` in config/schema.ts. */
const DIRECTORY_ID = /^d-[0-9a-f]{10}$/;
const STORAGE_VIRTUAL_MACHINE_ID = /^svm-[0-9a-f]{17}$/;
/** S3 general purpose bucket names. */
const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Lowercase so that it fits RDS identifiers too; no leading, trailing or double hyphen. */
const NAME_SUFFIX = /^(?=.{1,16}$)[a-z0-9]+(-[a-z0-9]+)*$/;
/** Names derived from it must stay deterministic, not unbounded input. */
const MAX_EXECUTION_NAME = 1024;

/** An array of strings matching `pattern`; absent or null is an empty list unless `minimum` > 0. */
function stringList(value: unknown, field: string, pattern: RegExp, expected: string, minimum = 0): string[] {
  if (isAbsent(value)) {
    if (minimum > 0) throw new InvalidInputError(field, 'is missing');
    return [];
  }
  if (!Array.isArray(value)) throw new InvalidInputError(field, `must be an array of ${expected}s, got ${describeType(value)}`);
  if (value.length < minimum) throw new InvalidInputError(field, `must list at least ${minimum} ${expected}`);
  const items: string[] = [];
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'string' || !pattern.test(item)) throw new InvalidInputError(`${field}[${i}]`, `must be ${expected}, got ${shown(item)}`);
    if (!items.includes(item)) items.push(item);
  });
  return items;
}

function parseResourceType(value: unknown): SupportedResourceType {
  if (value === undefined || value === null || value === '') throw new InvalidInputError('resourceType', 'is missing');
  if (typeof value !== 'string') throw new InvalidInputError('resourceType', `must be a string, got ${describeType(value)}`);
  if (!isResourceType(value)) {
    throw new InvalidInputError('resourceType', `${JSON.stringify(value)} is not supported; supported types: ${SUPPORTED_RESOURCE_TYPES.join(', ')}`);
  }
  return value;
}

function parseTarget(value: unknown): RestoreTarget {
  if (isAbsent(value)) throw new InvalidInputError('target', 'is missing');
  if (!isRecord(value)) throw new InvalidInputError('target', `must be an object, got ${describeType(value)}`);
  const dbSubnetGroupName = optionalString(value.dbSubnetGroupName, 'target.dbSubnetGroupName', DB_SUBNET_GROUP, 'a DB subnet group name');
  const recoveryBucketName = optionalString(value.recoveryBucketName, 'target.recoveryBucketName', BUCKET, 'an S3 bucket name');
  const instanceProfileName = optionalString(value.instanceProfileName, 'target.instanceProfileName', INSTANCE_PROFILE_NAME, 'an instance profile name (1-128 of letters, digits and +=,.@_-)');
  const windowsDirectoryId = optionalString(value.windowsDirectoryId, 'target.windowsDirectoryId', DIRECTORY_ID, 'a directory ID such as "d-0123456789"');
  const ontapStorageVirtualMachineId = optionalString(value.ontapStorageVirtualMachineId, 'target.ontapStorageVirtualMachineId', STORAGE_VIRTUAL_MACHINE_ID, 'an SVM ID such as "svm-0123456789abcdef0"');
  return {
    availabilityZones: stringList(value.availabilityZones, 'target.availabilityZones', AZ, 'an Availability Zone name such as "ap-northeast-1a"', 1),
    subnetIds: stringList(value.subnetIds, 'target.subnetIds', SUBNET_ID, 'a subnet ID such as "subnet-0123456789abcdef0"'),
    securityGroupIds: stringList(value.securityGroupIds, 'target.securityGroupIds', SECURITY_GROUP_ID, 'a security group ID such as "sg-0123456789abcdef0"'),
    fileSystemSecurityGroupIds: stringList(value.fileSystemSecurityGroupIds, 'target.fileSystemSecurityGroupIds', SECURITY_GROUP_ID, 'a security group ID such as "sg-0123456789abcdef0"'),
    ...(dbSubnetGroupName ? { dbSubnetGroupName } : {}),
    ...(recoveryBucketName ? { recoveryBucketName } : {}),
    ...(instanceProfileName ? { instanceProfileName } : {}),
    ...(windowsDirectoryId ? { windowsDirectoryId } : {}),
    ...(ontapStorageVirtualMachineId ? { ontapStorageVirtualMachineId } : {}),
    nameSuffix: requiredString(value.nameSuffix, 'target.nameSuffix', NAME_SUFFIX, 'at most 16 of a-z, 0-9 and single inner "-"'),
  };
}

/**
 * Validates the state machine's input. Throws {@link InvalidInputError} naming the first missing or
 * invalid field, an unsupported resource type included.
 */
export function parsePrepareRestoreInput(input: unknown): PrepareRestoreInput {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describeType(input)}`);
  const workload = requiredString(input.workload, 'workload', WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED);
  const executionName = requiredString(input.executionName, 'executionName', new RegExp(`^\\S[^\\n]{0,${MAX_EXECUTION_NAME - 1}}$`), `a single line of at most ${MAX_EXECUTION_NAME} characters`);
  const recoveryPointArn = requiredString(input.recoveryPointArn, 'recoveryPointArn', ARN, 'an ARN');
  const resourceType = parseResourceType(input.resourceType);
  const resourceArn = requiredString(input.resourceArn, 'resourceArn', ARN, 'an ARN');
  const restoreVaultName = requiredString(input.restoreVaultName, 'restoreVaultName', VAULT_NAME, VAULT_NAME_EXPECTED);
  const backupVaultAccountId = optionalAccountId(input.backupVaultAccountId, 'backupVaultAccountId');
  const target = parseTarget(input.target);
  if (resourceType === 'EC2' && target.subnetIds.length === 0) {
    throw new InvalidInputError('target.subnetIds', 'is empty: an EC2 instance is restored into a subnet of the landing zone');
  }
  if (resourceType === 'S3' && !target.recoveryBucketName) {
    throw new InvalidInputError('target.recoveryBucketName', 'is missing: S3 recovery points are restored into the recovery bucket');
  }
  return { workload, executionName, recoveryPointArn, resourceType, resourceArn, restoreVaultName, ...(backupVaultAccountId ? { backupVaultAccountId } : {}), target };
}
