/**
 * New names of restored resources: the original name, the target's suffix and a hash of the execution
 * and the resource, within each service's rules, so that a retry of the same execution reuses them.
 */
import { createHash } from 'crypto';

/** RDS DB instance and cluster identifiers. */
export const RDS_IDENTIFIER_MAX = 63;
export const DYNAMODB_TABLE_NAME_MAX = 255;
export const EFS_CREATION_TOKEN_MAX = 64;
/** FSx for NetApp ONTAP volume names (FSx API CreateVolume, `Name`). */
export const ONTAP_VOLUME_NAME_MAX = 203;
/** Hex characters of the hash that makes new names unique per execution and resource. */
export const NAME_HASH_LENGTH = 8;

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
