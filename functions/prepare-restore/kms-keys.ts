/**
 * KMS keys named in the restore metadata of a recovery point that is restored in the DR account.
 *
 * GetRecoveryPointRestoreMetadata returns the configuration of the original resource, the KMS key of
 * the source (workload) account included. A restore in the DR account cannot use a key of another
 * account (its key policy does not let the DR account's restore role use it) and must not name one: a
 * key is kept only when it is a key ARN of the DR account in the recovery Region; any other value is
 * dropped with a warning, and what {@link KMS_KEY_RULES} says applies instead.
 */

import { isAccountId, optionalAccountId } from '../account';
import { isRecord } from '../input-values';
import type { SupportedResourceType } from './input';

/** What encrypts the restored resource once a key is dropped. */
export type KmsKeyFallback =
  /** The recovery point's own key: the restore inherits it (the DR restore vault's customer managed key after the cross-account copy). */
  | 'recovery-point-key'
  /** The DR account's default for the service (EFS: aws/elasticfilesystem; S3: the bucket's default encryption). */
  | 'service-default'
  /** An AWS owned key (DynamoDB `encryptionType` `Default`). */
  | 'aws-owned-key';

export interface KmsKeyRule {
  /** Metadata keys naming a KMS key, spelled as documented; matched case-insensitively. */
  readonly metadataKeys: readonly string[];
  readonly fallback: KmsKeyFallback;
  /** What applies instead of a dropped key, in the warning. */
  readonly instead: string;
  /** Metadata set once a key is dropped (an existing case variant of the key is reused). */
  readonly setWhenDropped?: Readonly<Record<string, string>>;
  /** Metadata removed once a key is dropped when its value matches: a KMS encryption type left without its key. */
  readonly removeWhenDropped?: Readonly<Record<string, RegExp>>;
}

/**
 * The decision table: resource type → restore metadata keys naming a KMS key → what applies when the
 * key is not a key ARN of the DR account in the recovery Region. Resource types not listed (EC2)
 * are left as they are.
 *
 * Sources:
 * - AWS Backup Developer Guide, "Encryption for backups in AWS Backup"
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html): backups of resource types
 *   with full AWS Backup management (S3, EFS, DynamoDB with advanced backup) are encrypted with the
 *   key of the vault that stores them; backups of the other types (EBS, RDS, Aurora) inherit the
 *   encryption of their source resource.
 * - "Creating backup copies across AWS accounts"
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html): the
 *   copy in the destination account is encrypted with the destination vault's key, so an EBS, RDS or
 *   Aurora recovery point in the DR restore vault carries that vault's customer managed key, which the
 *   restore keeps when no key is named.
 * - Metadata key names: "Restore testing inferred metadata"
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html:
 *   EBS `kmsKeyId`, EFS `kmsKeyId` defaulting to alias/aws/elasticfilesystem, DynamoDB `encryptionType`
 *   `Default` and `kmsMasterKeyArn`; "key values are not case sensitive"), the StartRestoreJob API
 *   reference (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartRestoreJob.html: EFS
 *   `Encrypted`, `KmsKeyId`), "Restore an Amazon DynamoDB table"
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-dynamodb.html), "Restore S3
 *   data using AWS Backup" (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-s3.html:
 *   `Encrypted`, `EncryptionType`, `KMSKey`), and RDS RestoreDBInstanceFromDBSnapshot /
 *   RestoreDBClusterFromSnapshot `KmsKeyId` (no key: the restored database keeps the snapshot's key).
 */
export const KMS_KEY_RULES: Readonly<Partial<Record<SupportedResourceType, KmsKeyRule>>> = {
  EBS: { metadataKeys: ['kmsKeyId'], fallback: 'recovery-point-key', instead: "the restored volume keeps the recovery point's key (the DR restore vault's customer managed key)" },
  RDS: { metadataKeys: ['KmsKeyId'], fallback: 'recovery-point-key', instead: "the restored DB instance keeps the recovery point's key (the DR restore vault's customer managed key)" },
  Aurora: { metadataKeys: ['KmsKeyId'], fallback: 'recovery-point-key', instead: "the restored DB cluster keeps the recovery point's key (the DR restore vault's customer managed key)" },
  // FSx backups are not fully managed by AWS Backup either: the copy in the DR vault carries its key
  // (CreateFileSystemFromBackup: "If a KmsKeyId isn't specified, the ... backup's key is used";
  // https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystemFromBackup.html).
  FSx: { metadataKeys: ['KmsKeyId'], fallback: 'recovery-point-key', instead: "the restored file system keeps the recovery point's key (the DR restore vault's customer managed key)" },
  EFS: { metadataKeys: ['KmsKeyId'], fallback: 'service-default', instead: "Encrypted stays true: the DR account's default key for Amazon EFS (aws/elasticfilesystem) applies" },
  S3: {
    metadataKeys: ['KMSKey'],
    fallback: 'service-default',
    instead: "the recovery bucket's default encryption applies",
    removeWhenDropped: { EncryptionType: /kms/i },
  },
  DynamoDB: {
    metadataKeys: ['kmsMasterKeyArn'],
    fallback: 'aws-owned-key',
    instead: 'encryptionType set to Default: the restored table is encrypted with an AWS owned key',
    setWhenDropped: { encryptionType: 'Default' },
  },
};

/** Where the restore runs: the DR account and the recovery Region, as far as they are known. */
export interface RestoreLocation {
  readonly partition?: string;
  readonly region?: string;
  readonly accountId?: string;
  /** Where the account comes from, or why it is unknown. */
  readonly accountSource: string;
}

const ARN_PARTS = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):/;
const KMS_ARN = /^arn:([^:]+):kms:([^:]*):([^:]*):([^/:]+)\/.+$/;

function arnParts(arn: string | undefined): { partition: string; region: string; account: string } | undefined {
  const m = arn ? ARN_PARTS.exec(arn) : null;
  return m ? { partition: m[1], region: m[3], account: m[4] } : undefined;
}

/**
 * `drAccountId` of the input: optional, 12 digits. The account in which the restore runs; needed for a
 * recovery point of the air-gapped vault shared with the DR account, whose ARNs name the vault's owner.
 */
export function parseDrAccountId(event: unknown): string | undefined {
  if (!isRecord(event)) return undefined;
  return optionalAccountId(event.drAccountId, 'drAccountId');
}

/**
 * The DR account and recovery Region. The Region is the recovery point's (a restore runs in the Region
 * of the recovery point), else the vault's. The account is, in this order: `drAccountId` of the input;
 * for a vault of the caller's own account (no `backupVaultAccountId`: the DR restore vault), the account
 * of the vault ARN that GetRecoveryPointRestoreMetadata returns, else of the recovery point ARN (an
 * EBS snapshot ARN names none). A shared vault's ARNs name its owner, never the DR account.
 */
export function restoreLocation(args: { recoveryPointArn: string; backupVaultAccountId?: string; vaultArn?: string; drAccountId?: string }): RestoreLocation {
  const point = arnParts(args.recoveryPointArn);
  const vault = arnParts(args.vaultArn);
  const partition = point?.partition || vault?.partition || undefined;
  const region = point?.region || vault?.region || undefined;
  const base = { ...(partition ? { partition } : {}), ...(region ? { region } : {}) };
  if (args.drAccountId) return { ...base, accountId: args.drAccountId, accountSource: 'drAccountId of the input' };
  if (args.backupVaultAccountId) {
    return { ...base, accountSource: `the recovery point is in a vault of account ${args.backupVaultAccountId} shared with the DR account and the input has no drAccountId` };
  }
  if (vault?.account && isAccountId(vault.account)) return { ...base, accountId: vault.account, accountSource: `the restore vault ${args.vaultArn}` };
  if (point?.account && isAccountId(point.account)) return { ...base, accountId: point.account, accountSource: `the recovery point ${args.recoveryPointArn}` };
  return { ...base, accountSource: 'neither the restore vault ARN nor the recovery point ARN names an account and the input has no drAccountId' };
}

/** Why `value` cannot be used by a restore at `location`, or undefined when it is a key ARN of the DR account in the recovery Region. */
export function foreignKeyReason(value: string, location: RestoreLocation): string | undefined {
  const m = KMS_ARN.exec(value);
  if (!m) return 'not a key ARN (an alias or key ID names no account)';
  const [, partition, region, account, resource] = m;
  if (resource !== 'key') return `not a key ARN (${resource === 'alias' ? 'an alias ARN' : `a KMS ${resource}`})`;
  if (!location.accountId) return `the DR account is unknown (${location.accountSource})`;
  if (account !== location.accountId) return `a key of account ${account}, not of the DR account ${location.accountId}`;
  if (!location.region) return 'the recovery Region is unknown';
  if (region !== location.region) return `a key in ${region}, not in the recovery Region ${location.region}`;
  if (location.partition && partition !== location.partition) return `a key in partition ${partition}, not ${location.partition}`;
  return undefined;
}

/** The keys of `metadata` equal to `name` but for case, in metadata order. */
function variants(metadata: Record<string, string>, name: string): string[] {
  const lower = name.toLowerCase();
  return Object.keys(metadata).filter((key) => key.toLowerCase() === lower);
}

/**
 * Applies the {@link KMS_KEY_RULES} row of `resourceType` to `metadata` (in place): each KMS key that
 * is not a key ARN of the DR account in the recovery Region is dropped, with a warning naming the
 * metadata key, the dropped value and what applies instead. Returns the metadata keys dropped.
 */
export function dropForeignKmsKeys(resourceType: SupportedResourceType, metadata: Record<string, string>, warnings: string[], location: RestoreLocation): string[] {
  const rule = KMS_KEY_RULES[resourceType];
  if (!rule) return [];
  const dropped: string[] = [];
  for (const name of rule.metadataKeys) {
    for (const key of variants(metadata, name)) {
      const value = metadata[key];
      const reason = foreignKeyReason(value, location);
      if (reason === undefined) continue;
      delete metadata[key];
      dropped.push(key);
      const also: string[] = [];
      for (const [other, pattern] of Object.entries(rule.removeWhenDropped ?? {})) {
        for (const variant of variants(metadata, other)) {
          if (!pattern.test(metadata[variant])) continue;
          also.push(`${variant} ${JSON.stringify(metadata[variant])} removed with it`);
          delete metadata[variant];
        }
      }
      warnings.push(`${key} ${JSON.stringify(value)} dropped: ${reason}, which a restore in the DR account cannot use; ${rule.instead}${also.length > 0 ? ` (${also.join(', ')})` : ''}`);
    }
  }
  if (dropped.length > 0) {
    for (const [name, value] of Object.entries(rule.setWhenDropped ?? {})) {
      const existing = variants(metadata, name);
      if (existing.length === 0) metadata[name] = value;
      for (const key of existing) metadata[key] = value;
    }
  }
  return dropped;
}
