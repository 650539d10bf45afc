/**
 * Parsing of the input the recovery state machine passes to locate-recovery-points.
 *
 * The state machine invokes the function synchronously; an invalid input throws
 * {@link InvalidInputError}, whose message names the field, so that the execution takes its failure
 * branch with a message an operator can act on.
 */

import { describeType, InvalidInputError, isRecord, requiredRecord, requiredString, shown } from '../input-values';

export { describeType } from '../input-values';

export interface VaultRef {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
}

export interface CentralVaultRef extends VaultRef {
  /** Role in the backup-vault account that the DR recovery roles may assume. */
  readonly copyStarterRoleArn: string;
}

export interface LocateInput {
  readonly workload: string;
  readonly sourceAccountId: string;
  /** Absent: now (the injected clock). */
  readonly pointInTime?: Date;
  readonly rpoMinutes: number;
  /** AWS Backup ResourceType values to consider, deduplicated, in input order. */
  readonly resourceTypes: readonly string[];
  readonly restoreVault: VaultRef;
  /** The locked central vault (listed as the copy-starter role; its points must be copied first). Absent: none. */
  readonly centralVault?: CentralVaultRef;
  /**
   * The logically air-gapped vault shared with the DR account through AWS RAM, in the restore vault's
   * region: its points are restored in place, without a copy. Absent: none.
   */
  readonly airGappedVault?: VaultRef;
}

/** Thrown for an input this function cannot act on; `field` is the dotted path of the culprit. */
export { InvalidInputError };

/** Same rule as `workloads[].name` in config/schema.ts. */
const WORKLOAD = /^[a-z][a-z0-9-]{0,31}$/;
const ACCOUNT_ID = /^\d{12}$/;
/** AWS Backup vault names (config/naming.ts). */
const VAULT_NAME = /^[a-zA-Z0-9_-]{2,50}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@/-]{1,64}$/;
/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`), as Step Functions' `$$.State.EnteredTime`. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Upper bound on the RPO, against a unit mistake (seconds for minutes): one year. */
const MAX_RPO_MINUTES = 366 * 24 * 60;

function parseVault(value: unknown, field: string): VaultRef {
  const vault = requiredRecord(value, field);
  return {
    name: requiredString(vault.name, `${field}.name`, VAULT_NAME, 'an AWS Backup vault name (2-50 letters, digits, "-" or "_")'),
    accountId: requiredString(vault.accountId, `${field}.accountId`, ACCOUNT_ID, 'a 12-digit AWS account ID'),
    region: requiredString(vault.region, `${field}.region`, REGION, 'an AWS Region such as "ap-northeast-1"'),
  };
}

function parsePointInTime(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidInputError('pointInTime', `must be an ISO 8601 date-time string or null, got ${describeType(value)}`);
  const time = Date.parse(value);
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(time)) {
    throw new InvalidInputError('pointInTime', `must be an ISO 8601 date-time with a time zone such as "2026-11-20T00:00:00Z", got ${JSON.stringify(value)}`);
  }
  return new Date(time);
}

function parseRpoMinutes(value: unknown): number {
  if (value === undefined || value === null) throw new InvalidInputError('rpoMinutes', 'is missing');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidInputError('rpoMinutes', `must be a number, got ${describeType(value)}`);
  if (value <= 0 || value > MAX_RPO_MINUTES) throw new InvalidInputError('rpoMinutes', `must be greater than 0 and at most ${MAX_RPO_MINUTES} (one year), got ${value}`);
  return value;
}

function parseResourceTypes(value: unknown): string[] {
  if (value === undefined || value === null) throw new InvalidInputError('resourceTypes', 'is missing');
  if (!Array.isArray(value)) throw new InvalidInputError('resourceTypes', `must be an array of AWS Backup resource types, got ${describeType(value)}`);
  if (value.length === 0) throw new InvalidInputError('resourceTypes', 'must list at least one AWS Backup resource type');
  const types: string[] = [];
  value.forEach((type: unknown, i) => {
    if (typeof type !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,49}$/.test(type)) {
      throw new InvalidInputError(`resourceTypes[${i}]`, `must be an AWS Backup resource type such as "EBS", got ${shown(type)}`);
    }
    if (!types.includes(type)) types.push(type);
  });
  return types;
}

/**
 * Validates the state machine's input. Throws {@link InvalidInputError} naming the first missing or
 * invalid field.
 */
export function parseLocateInput(input: unknown): LocateInput {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describeType(input)}`);
  const workload = requiredString(input.workload, 'workload', WORKLOAD, 'a workload name (a lowercase letter, then up to 31 of a-z, 0-9, "-")');
  const sourceAccountId = requiredString(input.sourceAccountId, 'sourceAccountId', ACCOUNT_ID, 'a 12-digit AWS account ID');
  const pointInTime = parsePointInTime(input.pointInTime);
  const rpoMinutes = parseRpoMinutes(input.rpoMinutes);
  const resourceTypes = parseResourceTypes(input.resourceTypes);
  const restoreVault = parseVault(input.restoreVault, 'restoreVault');
  if ((input.centralVault === undefined || input.centralVault === null) && (input.airGappedVault === undefined || input.airGappedVault === null)) {
    throw new InvalidInputError('centralVault', 'is missing (and so is airGappedVault): name at least one vault of the backup-vault account to look in');
  }
  let centralVault: CentralVaultRef | undefined;
  if (input.centralVault !== undefined && input.centralVault !== null) {
    const central = parseVault(input.centralVault, 'centralVault');
    const roleField = 'centralVault.copyStarterRoleArn';
    const copyStarterRoleArn = requiredString(requiredRecord(input.centralVault, 'centralVault').copyStarterRoleArn, roleField, ROLE_ARN, 'an IAM role ARN');
    const roleAccount = ROLE_ARN.exec(copyStarterRoleArn)?.[2];
    if (roleAccount !== central.accountId) {
      throw new InvalidInputError(roleField, `must be a role of the central vault's account ${central.accountId}, got ${JSON.stringify(copyStarterRoleArn)}`);
    }
    centralVault = { ...central, copyStarterRoleArn };
  }
  let airGappedVault: VaultRef | undefined;
  if (input.airGappedVault !== undefined && input.airGappedVault !== null) {
    airGappedVault = parseVault(input.airGappedVault, 'airGappedVault');
    // Restored in place by the DR account: a point of another region would need a copy first.
    if (airGappedVault.region !== restoreVault.region) {
      throw new InvalidInputError('airGappedVault.region', `must be the restore vault's region ${restoreVault.region} (its points are restored in place), got ${JSON.stringify(airGappedVault.region)}`);
    }
  }
  return {
    workload,
    sourceAccountId,
    ...(pointInTime ? { pointInTime } : {}),
    rpoMinutes,
    resourceTypes,
    restoreVault,
    ...(centralVault ? { centralVault } : {}),
    ...(airGappedVault ? { airGappedVault } : {}),
  };
}
