/**
 * Parsing of the input the recovery state machine passes to locate-recovery-points.
 *
 * The state machine invokes the function synchronously; an invalid input throws
 * {@link InvalidInputError}, whose message names the field, so that the execution takes its failure
 * branch with a message an operator can act on.
 */

import { requiredAccountId, requiredRoleOf } from '../account';
import { describeType, InvalidInputError, isAbsent, isRecord, REGION, REGION_EXPECTED, requiredRecord, requiredString, RESOURCE_TYPE_NAME, shown, VAULT_NAME, VAULT_NAME_EXPECTED, WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED } from '../input-values';

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

/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`), as Step Functions' `$$.State.EnteredTime`. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Upper bound on the RPO, against a unit mistake (seconds for minutes): one year. */
const MAX_RPO_MINUTES = 366 * 24 * 60;

function parseVault(value: unknown, field: string): VaultRef {
  const vault = requiredRecord(value, field);
  return {
    name: requiredString(vault.name, `${field}.name`, VAULT_NAME, VAULT_NAME_EXPECTED),
    accountId: requiredAccountId(vault.accountId, `${field}.accountId`),
    region: requiredString(vault.region, `${field}.region`, REGION, REGION_EXPECTED),
  };
}

function parsePointInTime(value: unknown): Date | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw new InvalidInputError('pointInTime', `must be an ISO 8601 date-time string or null, got ${describeType(value)}`);
  const time = Date.parse(value);
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(time)) {
    throw new InvalidInputError('pointInTime', `must be an ISO 8601 date-time with a time zone such as "2026-11-20T00:00:00Z", got ${JSON.stringify(value)}`);
  }
  return new Date(time);
}

function parseRpoMinutes(value: unknown): number {
  if (isAbsent(value)) throw new InvalidInputError('rpoMinutes', 'is missing');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidInputError('rpoMinutes', `must be a number, got ${describeType(value)}`);
  if (value <= 0 || value > MAX_RPO_MINUTES) throw new InvalidInputError('rpoMinutes', `must be greater than 0 and at most ${MAX_RPO_MINUTES} (one year), got ${value}`);
  return value;
}

function parseResourceTypes(value: unknown): string[] {
  if (isAbsent(value)) throw new InvalidInputError('resourceTypes', 'is missing');
  if (!Array.isArray(value)) throw new InvalidInputError('resourceTypes', `must be an array of AWS Backup resource types, got ${describeType(value)}`);
  if (value.length === 0) throw new InvalidInputError('resourceTypes', 'must list at least one AWS Backup resource type');
  const types: string[] = [];
  value.forEach((type: unknown, i) => {
    if (typeof type !== 'string' || !RESOURCE_TYPE_NAME.test(type)) {
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
  const workload = requiredString(input.workload, 'workload', WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED);
  const sourceAccountId = requiredAccountId(input.sourceAccountId, 'sourceAccountId');
  const pointInTime = parsePointInTime(input.pointInTime);
  const rpoMinutes = parseRpoMinutes(input.rpoMinutes);
  const resourceTypes = parseResourceTypes(input.resourceTypes);
  const restoreVault = parseVault(input.restoreVault, 'restoreVault');
  if (isAbsent(input.centralVault) && isAbsent(input.airGappedVault)) {
    throw new InvalidInputError('centralVault', 'is missing (and so is airGappedVault): name at least one vault of the backup-vault account to look in');
  }
  let centralVault: CentralVaultRef | undefined;
  if (!isAbsent(input.centralVault)) {
    const central = parseVault(input.centralVault, 'centralVault');
    const roleArn = requiredRecord(input.centralVault, 'centralVault').copyStarterRoleArn;
    const copyStarterRoleArn = requiredRoleOf(roleArn, 'centralVault.copyStarterRoleArn', central.accountId, "the central vault's");
    centralVault = { ...central, copyStarterRoleArn };
  }
  let airGappedVault: VaultRef | undefined;
  if (!isAbsent(input.airGappedVault)) {
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
