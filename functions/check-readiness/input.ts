/**
 * Parsing of the input the readiness checker's schedule passes: the facts of the estate that the DR
 * stack derives from the configuration (vault names, AMI parameter names, launch template and group
 * names, the state machine's ARN, targets, restore testing plans), so that the function needs no
 * configuration of its own.
 *
 * An invalid input throws {@link InvalidInputError}, whose message names the field: nothing is
 * checked, published or written (a report from a wrong input would be wrong).
 */

import { describeType, InvalidInputError, isRecord, requiredRecord, requiredString } from '../input-values';

export interface VaultRef {
  readonly name: string;
  readonly accountId: string;
}

export interface CentralVaultRef extends VaultRef {
  /** Read-only role of the backup-vault account that the checker assumes to list the vault. */
  readonly readerRoleArn: string;
}

export interface ServerRef {
  /** The `dr:server` value. */
  readonly role: string;
  /** SSM parameter holding the golden AMI (`aws:ec2:image`). */
  readonly amiParameterName: string;
  readonly launchTemplateName: string;
  readonly autoScalingGroupName: string;
}

export interface RestoreTestingRef {
  /** The workload's restore testing plan (its ARN carries a generated suffix: it is looked up). */
  readonly planName: string;
  /** A restore test must have finished within this many hours (schedule interval plus windows). */
  readonly windowHours: number;
}

export interface WorkloadFacts {
  readonly name: string;
  /** Workload account: its ID in a recovery point's resource ARN makes the resource the workload's. */
  readonly accountId: string;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  /** AWS Backup resource types of the workload's selection. */
  readonly resourceTypes: readonly string[];
  readonly servers: readonly ServerRef[];
  readonly restoreTesting?: RestoreTestingRef;
}

export interface ReadinessInput {
  /** Estate name, for the report. */
  readonly estate: string;
  /** The recovery region: every check runs there. */
  readonly region: string;
  readonly reportBucket: string;
  /** CloudWatch namespace of the `Ready` metrics. */
  readonly metricNamespace: string;
  /** Namespace of report-recovery's metrics (`RecoveryTimeSeconds`, dimensions `Workload`, `Mode`). */
  readonly recoveryMetricNamespace: string;
  /** The DR account's restore vault. */
  readonly restoreVault: VaultRef;
  /** The locked central vault (`centralVault.kind` locked or both), listed as the reader role. */
  readonly centralVault?: CentralVaultRef;
  /** The logically air-gapped vault shared with the DR account (`centralVault.kind` airGapped or both). */
  readonly airGappedVault?: VaultRef;
  readonly stateMachineArn: string;
  /** Recovery points created within this many days are listed (bounds the listing of large vaults). */
  readonly recoveryPointLookbackDays: number;
  /** A drill's RTO is looked for within this many days. */
  readonly drillLookbackDays: number;
  readonly workloads: readonly WorkloadFacts[];
}

/** Thrown for an input this function cannot act on; `field` is the dotted path of the culprit. */
export { InvalidInputError };

const ESTATE = /^[a-z][a-z0-9-]{0,19}$/;
const WORKLOAD = /^[a-z][a-z0-9-]{0,31}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const VAULT_NAME = /^[a-zA-Z0-9_-]{2,50}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const NAMESPACE = /^[^:][^\s]{0,254}$/;
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@/-]{1,64}$/;
const STATE_MACHINE_ARN = /^arn:aws(-cn|-us-gov)?:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
const SERVER_ROLE = /^[a-z][a-z0-9-]{0,23}$/;
const PARAMETER_NAME = /^\/?[A-Za-z0-9_.\-/]{1,2047}$/;
const RESOURCE_NAME = /^[A-Za-z0-9()./_-]{3,255}$/;
const PLAN_NAME = /^[a-zA-Z0-9_]{1,50}$/;
const RESOURCE_TYPE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,49}$/;
/** One year, against a unit mistake (seconds for minutes). */
const MAX_MINUTES = 366 * 24 * 60;

function positiveNumber(value: unknown, field: string, max: number): number {
  if (value === undefined || value === null) throw new InvalidInputError(field, 'is missing');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidInputError(field, `must be a number, got ${describeType(value)}`);
  if (value <= 0 || value > max) throw new InvalidInputError(field, `must be greater than 0 and at most ${max}, got ${value}`);
  return value;
}

function requiredArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) throw new InvalidInputError(field, 'is missing');
  if (!Array.isArray(value)) throw new InvalidInputError(field, `must be an array, got ${describeType(value)}`);
  return value;
}

function parseVault(value: unknown, field: string): VaultRef {
  const vault = requiredRecord(value, field);
  return {
    name: requiredString(vault.name, `${field}.name`, VAULT_NAME, 'an AWS Backup vault name (2-50 letters, digits, "-" or "_")'),
    accountId: requiredString(vault.accountId, `${field}.accountId`, ACCOUNT_ID, 'a 12-digit AWS account ID'),
  };
}

function parseServer(value: unknown, field: string): ServerRef {
  const server = requiredRecord(value, field);
  return {
    role: requiredString(server.role, `${field}.role`, SERVER_ROLE, 'a server role (the dr:server tag value)'),
    amiParameterName: requiredString(server.amiParameterName, `${field}.amiParameterName`, PARAMETER_NAME, 'an SSM parameter name'),
    launchTemplateName: requiredString(server.launchTemplateName, `${field}.launchTemplateName`, RESOURCE_NAME, 'a launch template name'),
    autoScalingGroupName: requiredString(server.autoScalingGroupName, `${field}.autoScalingGroupName`, RESOURCE_NAME, 'an Auto Scaling group name'),
  };
}

function parseWorkload(value: unknown, field: string): WorkloadFacts {
  const w = requiredRecord(value, field);
  const resourceTypes = requiredArray(w.resourceTypes, `${field}.resourceTypes`).map((t, i) =>
    requiredString(t, `${field}.resourceTypes[${i}]`, RESOURCE_TYPE, 'an AWS Backup resource type such as "EBS"'),
  );
  if (resourceTypes.length === 0) throw new InvalidInputError(`${field}.resourceTypes`, 'must list at least one AWS Backup resource type');
  const servers = (w.servers === undefined || w.servers === null ? [] : requiredArray(w.servers, `${field}.servers`)).map((s, i) => parseServer(s, `${field}.servers[${i}]`));
  let restoreTesting: RestoreTestingRef | undefined;
  if (w.restoreTesting !== undefined && w.restoreTesting !== null) {
    const rt = requiredRecord(w.restoreTesting, `${field}.restoreTesting`);
    restoreTesting = {
      planName: requiredString(rt.planName, `${field}.restoreTesting.planName`, PLAN_NAME, 'a restore testing plan name (letters, digits, "_")'),
      windowHours: positiveNumber(rt.windowHours, `${field}.restoreTesting.windowHours`, 366 * 24),
    };
  }
  return {
    name: requiredString(w.name, `${field}.name`, WORKLOAD, 'a workload name (a lowercase letter, then up to 31 of a-z, 0-9, "-")'),
    accountId: requiredString(w.accountId, `${field}.accountId`, ACCOUNT_ID, 'a 12-digit AWS account ID'),
    rpoMinutes: positiveNumber(w.rpoMinutes, `${field}.rpoMinutes`, MAX_MINUTES),
    rtoMinutes: positiveNumber(w.rtoMinutes, `${field}.rtoMinutes`, MAX_MINUTES),
    resourceTypes: [...new Set(resourceTypes)],
    servers,
    ...(restoreTesting ? { restoreTesting } : {}),
  };
}

/** Validates the schedule's input. Throws {@link InvalidInputError} naming the first missing or invalid field. */
export function parseReadinessInput(input: unknown): ReadinessInput {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describeType(input)}`);
  const restoreVault = parseVault(input.restoreVault, 'restoreVault');
  let centralVault: CentralVaultRef | undefined;
  if (input.centralVault !== undefined && input.centralVault !== null) {
    const vault = parseVault(input.centralVault, 'centralVault');
    const readerRoleArn = requiredString(requiredRecord(input.centralVault, 'centralVault').readerRoleArn, 'centralVault.readerRoleArn', ROLE_ARN, 'an IAM role ARN');
    if (ROLE_ARN.exec(readerRoleArn)?.[2] !== vault.accountId) {
      throw new InvalidInputError('centralVault.readerRoleArn', `must be a role of the central vault's account ${vault.accountId}, got ${JSON.stringify(readerRoleArn)}`);
    }
    centralVault = { ...vault, readerRoleArn };
  }
  const airGappedVault = input.airGappedVault === undefined || input.airGappedVault === null ? undefined : parseVault(input.airGappedVault, 'airGappedVault');
  const workloads = requiredArray(input.workloads, 'workloads').map((w, i) => parseWorkload(w, `workloads[${i}]`));
  if (workloads.length === 0) throw new InvalidInputError('workloads', 'must list at least one workload');
  const seen = new Set<string>();
  workloads.forEach((w, i) => {
    if (seen.has(w.name)) throw new InvalidInputError(`workloads[${i}].name`, `repeats the workload ${JSON.stringify(w.name)}`);
    seen.add(w.name);
  });
  return {
    estate: requiredString(input.estate, 'estate', ESTATE, 'an estate name'),
    region: requiredString(input.region, 'region', REGION, 'an AWS Region such as "ap-northeast-1"'),
    reportBucket: requiredString(input.reportBucket, 'reportBucket', BUCKET, 'an S3 bucket name'),
    metricNamespace: requiredString(input.metricNamespace, 'metricNamespace', NAMESPACE, 'a CloudWatch namespace'),
    recoveryMetricNamespace: requiredString(input.recoveryMetricNamespace, 'recoveryMetricNamespace', NAMESPACE, 'a CloudWatch namespace'),
    restoreVault,
    ...(centralVault ? { centralVault } : {}),
    ...(airGappedVault ? { airGappedVault } : {}),
    stateMachineArn: requiredString(input.stateMachineArn, 'stateMachineArn', STATE_MACHINE_ARN, 'a Step Functions state machine ARN'),
    recoveryPointLookbackDays: positiveNumber(input.recoveryPointLookbackDays, 'recoveryPointLookbackDays', 3660),
    drillLookbackDays: positiveNumber(input.drillLookbackDays, 'drillLookbackDays', 455),
    workloads,
  };
}
