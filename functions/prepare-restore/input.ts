/**
 * The input the recovery state machine passes to prepare-restore: one schema,
 * {@link prepareRestoreInputSchema}, from which both the function's parser and the state machine's
 * Payload type ({@link PrepareRestorePayload}, modules/recovery/steps/restore.ts) come.
 *
 * The state machine invokes the function synchronously; an invalid input throws
 * {@link InvalidInputError}, whose message names the field, so that the execution takes its failure
 * branch with a message an operator can act on. Nothing is called in AWS for an invalid input.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { RESOURCE_TYPES, type ResourceType } from '../resource-types';
import { describeType, InvalidInputError, isRecord, VAULT_NAME, VAULT_NAME_EXPECTED, WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED } from '../input-values';
import { ARN, ARN_EXPECTED, optionalAccountId, optionalText, parseOrThrow, plainError, record, requiredTextList, text, textList } from '../input-schemas';

export { describeType } from '../input-values';

/** The AWS Backup resource types this function prepares restores for: all of the estate's. */
export const SUPPORTED_RESOURCE_TYPES = RESOURCE_TYPES;
export type SupportedResourceType = ResourceType;

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

const INSTANCE_PROFILE_NAME = /^[\w+=,.@-]{1,128}$/;
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
const EXECUTION_NAME = new RegExp(`^\\S[^\\n]{0,${MAX_EXECUTION_NAME - 1}}$`);
const SECURITY_GROUP_EXPECTED = 'a security group ID such as "sg-0123456789abcdef0"';

const resourceType = z.enum(RESOURCE_TYPES, {
  error: (issue) =>
    issue.input === undefined || issue.input === null || issue.input === ''
      ? 'is missing'
      : typeof issue.input !== 'string'
        ? `must be a string, got ${describeType(issue.input)}`
        : `${JSON.stringify(issue.input)} is not supported; supported types: ${SUPPORTED_RESOURCE_TYPES.join(', ')}`,
});

// The shapes list their fields in the order they are checked (the first problem is the one reported);
// the transforms give the parsed value its own order, and drop what is absent.

const target = z.pipe(
  record({
    dbSubnetGroupName: optionalText(DB_SUBNET_GROUP, 'a DB subnet group name'),
    recoveryBucketName: optionalText(BUCKET, 'an S3 bucket name'),
    instanceProfileName: optionalText(INSTANCE_PROFILE_NAME, 'an instance profile name (1-128 of letters, digits and +=,.@_-)'),
    windowsDirectoryId: optionalText(DIRECTORY_ID, 'a directory ID such as "d-0123456789"'),
    ontapStorageVirtualMachineId: optionalText(STORAGE_VIRTUAL_MACHINE_ID, 'an SVM ID such as "svm-0123456789abcdef0"'),
    availabilityZones: requiredTextList(AZ, 'an Availability Zone name such as "ap-northeast-1a"', 1),
    subnetIds: textList(SUBNET_ID, 'a subnet ID such as "subnet-0123456789abcdef0"'),
    securityGroupIds: textList(SECURITY_GROUP_ID, SECURITY_GROUP_EXPECTED),
    fileSystemSecurityGroupIds: textList(SECURITY_GROUP_ID, SECURITY_GROUP_EXPECTED),
    nameSuffix: text(NAME_SUFFIX, 'at most 16 of a-z, 0-9 and single inner "-"'),
  }),
  z.transform(
    (t): RestoreTarget => ({
      availabilityZones: t.availabilityZones,
      subnetIds: t.subnetIds,
      securityGroupIds: t.securityGroupIds,
      fileSystemSecurityGroupIds: t.fileSystemSecurityGroupIds,
      ...(t.dbSubnetGroupName ? { dbSubnetGroupName: t.dbSubnetGroupName } : {}),
      ...(t.recoveryBucketName ? { recoveryBucketName: t.recoveryBucketName } : {}),
      ...(t.instanceProfileName ? { instanceProfileName: t.instanceProfileName } : {}),
      ...(t.windowsDirectoryId ? { windowsDirectoryId: t.windowsDirectoryId } : {}),
      ...(t.ontapStorageVirtualMachineId ? { ontapStorageVirtualMachineId: t.ontapStorageVirtualMachineId } : {}),
      nameSuffix: t.nameSuffix,
    }),
  ),
);

/**
 * The state machine's input, validated; parsed, it is a {@link PrepareRestoreInput}. `drAccountId`
 * (the account the restore runs in) is checked here and read by kms-keys.ts (`parseDrAccountId`).
 */
export const prepareRestoreInputSchema = z.pipe(
  z
    .object({
      workload: text(WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED),
      executionName: text(EXECUTION_NAME, `a single line of at most ${MAX_EXECUTION_NAME} characters`),
      recoveryPointArn: text(ARN, ARN_EXPECTED),
      resourceType,
      resourceArn: text(ARN, ARN_EXPECTED),
      restoreVaultName: text(VAULT_NAME, VAULT_NAME_EXPECTED),
      backupVaultAccountId: optionalAccountId(),
      target,
      drAccountId: optionalAccountId(),
    })
    .check(
      z.superRefine((i, ctx) => {
        if (i.resourceType === 'EC2' && i.target.subnetIds.length === 0) {
          ctx.addIssue({ code: 'custom', path: ['target', 'subnetIds'], input: i.target.subnetIds, message: 'is empty: an EC2 instance is restored into a subnet of the landing zone' });
        }
        if (i.resourceType === 'S3' && !i.target.recoveryBucketName) {
          ctx.addIssue({ code: 'custom', path: ['target', 'recoveryBucketName'], input: i.target.recoveryBucketName, message: 'is missing: S3 recovery points are restored into the recovery bucket' });
        }
      }),
    ),
  z.transform(
    (i): PrepareRestoreInput => ({
      workload: i.workload,
      executionName: i.executionName,
      recoveryPointArn: i.recoveryPointArn,
      resourceType: i.resourceType,
      resourceArn: i.resourceArn,
      restoreVaultName: i.restoreVaultName,
      ...(i.backupVaultAccountId ? { backupVaultAccountId: i.backupVaultAccountId } : {}),
      target: i.target,
    }),
  ),
);

/** What the state machine passes (its Payload is checked against it: modules/recovery/steps/restore.ts). */
export type PrepareRestorePayload = z.input<typeof prepareRestoreInputSchema>;

/**
 * Validates the state machine's input. Throws {@link InvalidInputError} naming the first missing or
 * invalid field, an unsupported resource type included.
 */
export function parsePrepareRestoreInput(input: unknown): PrepareRestoreInput {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describeType(input)}`);
  return parseOrThrow(prepareRestoreInputSchema, input, plainError);
}
