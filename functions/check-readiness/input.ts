/**
 * The input the readiness checker's schedule passes: the facts of the estate that the DR stack derives
 * from the configuration (vault names, AMI parameter names, launch template and group names, the state
 * machine's ARN, targets, restore testing plans), so that the function needs no configuration of its
 * own. One contract for both sides: {@link readinessInputSchema} validates the input here, and the
 * stack (modules/readiness-checker.ts) builds its facts as a {@link ReadinessInput}.
 *
 * An invalid input throws {@link InvalidInputError}, whose message names the field: nothing is
 * checked, published or written (a report from a wrong input would be wrong).
 */

// zod/mini (zod 4 with functions instead of methods), imported as a namespace, so that esbuild keeps
// only what is used: about 20 KiB of bundle. `import { z } from 'zod'` keeps all of zod (about
// 450 KiB, which takes the bundle over the functions' 1 MiB budget); `import * as z from 'zod'`, 90 KiB.
import * as z from 'zod/mini';
import { ACCOUNT_ID, ACCOUNT_ID_EXPECTED, ROLE_ARN } from '../account';
import { describeType, InvalidInputError, isRecord, REGION, REGION_EXPECTED, shown, VAULT_NAME, VAULT_NAME_EXPECTED, WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED } from '../input-values';
import { isMissing, parseOrThrow, plainError, positiveNumber, record, roleOfAccount, text } from '../input-schemas';
import { RESOURCE_TYPES } from '../resource-types';

/** Thrown for an input this function cannot act on; `field` is the dotted path of the culprit. */
export { InvalidInputError };

const ESTATE = /^[a-z][a-z0-9-]{0,19}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const NAMESPACE = /^[^:][^\s]{0,254}$/;
const STATE_MACHINE_ARN = /^arn:aws(-cn|-us-gov)?:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
const SERVER_ROLE = /^[a-z][a-z0-9-]{0,23}$/;
const PARAMETER_NAME = /^\/?[A-Za-z0-9_.\-/]{1,2047}$/;
const RESOURCE_NAME = /^[A-Za-z0-9()./_-]{3,255}$/;
const PLAN_NAME = /^[a-zA-Z0-9_]{1,50}$/;
/** One year, against a unit mistake (seconds for minutes). */
const MAX_MINUTES = 366 * 24 * 60;

// Each problem is worded as the rest of the functions word it (input-schemas.ts, plain wording):
// `<field> is missing`, `<field> must be ..., got ...`; absent and null are both missing.

const list = <T extends z.core.SomeType>(item: T) =>
  z.array(item, { error: (issue) => (isMissing(issue.input) ? 'is missing' : `must be an array, got ${describeType(issue.input)}`) });

const resourceType = z.enum(RESOURCE_TYPES, {
  error: (issue) =>
    isMissing(issue.input) || issue.input === ''
      ? 'is missing'
      : typeof issue.input !== 'string'
        ? `must be a string, got ${describeType(issue.input)}`
        : `must be an AWS Backup resource type of the estate (${RESOURCE_TYPES.join(', ')}), got ${shown(issue.input)}`,
});

const vault = record({
  name: text(VAULT_NAME, VAULT_NAME_EXPECTED),
  accountId: text(ACCOUNT_ID, ACCOUNT_ID_EXPECTED),
});

/** The locked central vault, listed as the backup-vault account's read-only role that the checker assumes. */
const centralVault = record({
  name: text(VAULT_NAME, VAULT_NAME_EXPECTED),
  accountId: text(ACCOUNT_ID, ACCOUNT_ID_EXPECTED),
  readerRoleArn: text(ROLE_ARN, 'an IAM role ARN'),
}).check(
  z.superRefine((v, ctx) => {
    const issue = roleOfAccount(v.readerRoleArn, v.accountId, "the central vault's", ['readerRoleArn']);
    if (issue) ctx.addIssue(issue);
  }),
);

const server = record({
  /** The `dr:server` value. */
  role: text(SERVER_ROLE, 'a server role (the dr:server tag value)'),
  /** SSM parameter holding the golden AMI (`aws:ec2:image`). */
  amiParameterName: text(PARAMETER_NAME, 'an SSM parameter name'),
  launchTemplateName: text(RESOURCE_NAME, 'a launch template name'),
  autoScalingGroupName: text(RESOURCE_NAME, 'an Auto Scaling group name'),
});

const restoreTesting = record({
  /** The workload's restore testing plan (its ARN carries a generated suffix: it is looked up). */
  planName: text(PLAN_NAME, 'a restore testing plan name (letters, digits, "_")'),
  /** A restore test must have finished within this many hours (schedule interval plus windows). */
  windowHours: positiveNumber(366 * 24),
});

// The shapes list their fields in the order they are checked (the first problem is the one reported);
// the transforms give the parsed value its own order, and drop what is absent.

const workload = z.pipe(
  record({
    /** AWS Backup resource types of the workload's selection. */
    resourceTypes: list(resourceType).check(z.minLength(1, { error: 'must list at least one AWS Backup resource type' })),
    servers: z.nullish(list(server)),
    restoreTesting: z.nullish(restoreTesting),
    name: text(WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED),
    /** Workload account: its ID in a recovery point's resource ARN makes the resource the workload's. */
    accountId: text(ACCOUNT_ID, ACCOUNT_ID_EXPECTED),
    rpoMinutes: positiveNumber(MAX_MINUTES),
    rtoMinutes: positiveNumber(MAX_MINUTES),
  }),
  z.transform(({ name, accountId, rpoMinutes, rtoMinutes, resourceTypes, servers, restoreTesting }) => ({
    name,
    accountId,
    rpoMinutes,
    rtoMinutes,
    resourceTypes: [...new Set(resourceTypes)],
    servers: servers ?? [],
    ...(restoreTesting ? { restoreTesting } : {}),
  })),
);

const workloads = list(workload).check(
  z.minLength(1, { error: 'must list at least one workload' }),
  z.superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((w, i) => {
      if (seen.has(w.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `repeats the workload ${JSON.stringify(w.name)}` });
      seen.add(w.name);
    });
  }),
);

/** The schedule's input, validated; parsed, it is a {@link ReadinessInput}. */
export const readinessInputSchema = z.pipe(
  z.object(
    {
      /** The DR account's restore vault. */
      restoreVault: vault,
      /** The locked central vault (`centralVault.kind` locked or both). */
      centralVault: z.nullish(centralVault),
      /** The logically air-gapped vault shared with the DR account (`centralVault.kind` airGapped or both). */
      airGappedVault: z.nullish(vault),
      workloads,
      /** Estate name, for the report. */
      estate: text(ESTATE, 'an estate name'),
      /** The recovery region: every check runs there. */
      region: text(REGION, REGION_EXPECTED),
      reportBucket: text(BUCKET, 'an S3 bucket name'),
      /** CloudWatch namespace of the `Ready` metrics. */
      metricNamespace: text(NAMESPACE, 'a CloudWatch namespace'),
      /** Namespace of report-recovery's metrics (`RecoveryTimeSeconds`, dimensions `Workload`, `Mode`). */
      recoveryMetricNamespace: text(NAMESPACE, 'a CloudWatch namespace'),
      stateMachineArn: text(STATE_MACHINE_ARN, 'a Step Functions state machine ARN'),
      /** Recovery points created within this many days are listed (bounds the listing of large vaults). */
      recoveryPointLookbackDays: positiveNumber(3660),
      /** A drill's RTO is looked for within this many days. */
      drillLookbackDays: positiveNumber(455),
    },
    { error: (issue) => `must be an object, got ${describeType(issue.input)}` },
  ),
  z.transform((i) => ({
    estate: i.estate,
    region: i.region,
    reportBucket: i.reportBucket,
    metricNamespace: i.metricNamespace,
    recoveryMetricNamespace: i.recoveryMetricNamespace,
    restoreVault: i.restoreVault,
    ...(i.centralVault ? { centralVault: i.centralVault } : {}),
    ...(i.airGappedVault ? { airGappedVault: i.airGappedVault } : {}),
    stateMachineArn: i.stateMachineArn,
    recoveryPointLookbackDays: i.recoveryPointLookbackDays,
    drillLookbackDays: i.drillLookbackDays,
    workloads: i.workloads,
  })),
);

/** The validated input: what the stack passes (modules/readiness-checker.ts builds one) and what the checks read. */
export type ReadinessInput = z.infer<typeof readinessInputSchema>;
export type VaultRef = z.infer<typeof vault>;
export type CentralVaultRef = z.infer<typeof centralVault>;
export type ServerRef = z.infer<typeof server>;
export type RestoreTestingRef = z.infer<typeof restoreTesting>;
export type WorkloadFacts = z.infer<typeof workload>;

/** Validates the schedule's input. Throws {@link InvalidInputError} naming the first missing or invalid field. */
export function parseReadinessInput(input: unknown): ReadinessInput {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describeType(input)}`);
  return parseOrThrow(readinessInputSchema, input, plainError);
}
