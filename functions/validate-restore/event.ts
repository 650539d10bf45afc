/**
 * Parsing of the AWS Backup "Restore Job State Change" events this function receives: restore jobs
 * started by a restore testing plan carry `detail.restoreTestingPlanArn`; every other restore (the
 * recovery state machine, an operator) does not and is ignored.
 *
 * Restore events carry `detail.status` (the CREATED event carries `detail.state`); other fields may be
 * absent or of unexpected types (`backupSizeInBytes` is a string), so only the fields used here are
 * read, each checked for its type, before any AWS call.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { ACCOUNT_ID_PART } from '../account';
import { describeValue } from '../input-values';
import { EXPECTED_DETAIL_TYPE, EXPECTED_SOURCE, MalformedEventError, parseDetail, requiredEventString, restoreJobDetail, type IgnoredEvent, type RestoreJobEvent } from '../restore-job-event';

export { EXPECTED_DETAIL_TYPE, EXPECTED_SOURCE };

/** AWS Backup resource types this function checks (restore testing's `ProtectedResourceType` names). */
export const VALIDATED_RESOURCE_TYPES = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS'] as const;
export type ValidatedResourceType = (typeof VALIDATED_RESOURCE_TYPES)[number];

/** What a restore test created, identified from `detail.createdResourceArn`. */
export type RestoredResource =
  | { readonly kind: 'ebs-volume'; readonly volumeId: string }
  | { readonly kind: 'ec2-instance'; readonly instanceId: string }
  | { readonly kind: 'rds-instance'; readonly identifier: string }
  | { readonly kind: 'rds-cluster'; readonly identifier: string }
  | { readonly kind: 'dynamodb-table'; readonly tableName: string }
  | { readonly kind: 's3-bucket'; readonly bucket: string }
  | { readonly kind: 'efs-file-system'; readonly fileSystemId: string };

export interface RestoreTest {
  readonly restoreJobId: string;
  readonly restoreTestingPlanArn: string;
  readonly resourceType: ValidatedResourceType;
  readonly createdResourceArn: string;
  readonly resource: RestoredResource;
  /** The recovery point restored (EBS: an EC2 snapshot ARN in a standard vault); absent if the event has none. */
  readonly recoveryPointArn?: string;
  /** `detail.backupSizeInBytes` (a string in AWS's events), when present. */
  readonly backupSizeInBytes?: number;
}

export type ParsedRestoreTestEvent =
  | IgnoredEvent
  /** A restore test of a resource type this function has no check for (e.g. FSx): left unvalidated. */
  | { readonly kind: 'unsupported'; readonly restoreJobId: string; readonly resourceType: string; readonly reason: string }
  | { readonly kind: 'restore-test'; readonly test: RestoreTest };

/** Thrown for an event this function cannot act on, before any AWS call: it goes to the dead-letter queue. */
export { MalformedEventError };

const PARTITION = 'aws[a-z-]*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const ACCOUNT = ACCOUNT_ID_PART;

/**
 * `arn:<partition>:backup:<region>:<account>:restore-testing-plan:<name>-<id>` (the Service Authorization
 * Reference's form). Read leniently (any `-` and id): the rule already matched the estate's plans.
 */
const PLAN_ARN = new RegExp(`^arn:${PARTITION}:backup:${REGION}:${ACCOUNT}:restore-testing-plan:[A-Za-z0-9_][A-Za-z0-9_-]*$`);

/** The ARN forms of what each resource type's restore creates, with the human-readable form for errors. */
const CREATED_ARNS: Record<ValidatedResourceType, { readonly form: string; readonly parse: (arn: string) => RestoredResource | undefined }> = {
  EBS: {
    form: 'arn:<partition>:ec2:<region>:<account>:volume/vol-...',
    parse: (arn) => match(arn, new RegExp(`^arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:volume/(vol-[0-9a-f]{8,17})$`), (m) => ({ kind: 'ebs-volume', volumeId: m[1] })),
  },
  EC2: {
    form: 'arn:<partition>:ec2:<region>:<account>:instance/i-...',
    parse: (arn) => match(arn, new RegExp(`^arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:instance/(i-[0-9a-f]{8,17})$`), (m) => ({ kind: 'ec2-instance', instanceId: m[1] })),
  },
  RDS: {
    form: 'arn:<partition>:rds:<region>:<account>:db:<name> or :cluster:<name>',
    parse: (arn) => match(arn, RDS_ARN, (m) => (m[1] === 'db' ? { kind: 'rds-instance', identifier: m[2] } : { kind: 'rds-cluster', identifier: m[2] })),
  },
  Aurora: {
    form: 'arn:<partition>:rds:<region>:<account>:cluster:<name>',
    parse: (arn) => match(arn, RDS_ARN, (m) => (m[1] === 'cluster' ? { kind: 'rds-cluster', identifier: m[2] } : undefined)),
  },
  DynamoDB: {
    form: 'arn:<partition>:dynamodb:<region>:<account>:table/<name>',
    parse: (arn) => match(arn, new RegExp(`^arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/([A-Za-z0-9_.-]{3,255})$`), (m) => ({ kind: 'dynamodb-table', tableName: m[1] })),
  },
  S3: {
    form: 'arn:<partition>:s3:::<bucket>',
    parse: (arn) => match(arn, new RegExp(`^arn:${PARTITION}:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$`), (m) => ({ kind: 's3-bucket', bucket: m[1] })),
  },
  EFS: {
    form: 'arn:<partition>:elasticfilesystem:<region>:<account>:file-system/fs-...',
    parse: (arn) => match(arn, new RegExp(`^arn:${PARTITION}:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/(fs-[0-9a-f]{8,40})$`), (m) => ({ kind: 'efs-file-system', fileSystemId: m[1] })),
  },
};

const RDS_ARN = new RegExp(`^arn:${PARTITION}:rds:${REGION}:${ACCOUNT}:(db|cluster):([A-Za-z][A-Za-z0-9-]{0,62})$`);

function match(arn: string, re: RegExp, build: (m: RegExpExecArray) => RestoredResource | undefined): RestoredResource | undefined {
  const m = re.exec(arn);
  return m ? build(m) : undefined;
}

function isValidatedType(type: string): type is ValidatedResourceType {
  return (VALIDATED_RESOURCE_TYPES as readonly string[]).includes(type);
}

const mustBeAString = (value: unknown) => `must be a string, got ${describeValue(value)}`;

/** A field a COMPLETED restore test event must have: `what` says what for. */
const required = (what: string) => requiredEventString(`is missing from a COMPLETED restore test event (${what})`, mustBeAString);

/**
 * `detail.restoreTestingPlanArn`, read before anything else of `detail`: absent, null or empty is
 * `undefined` (the restore was not started by restore testing).
 */
const planDetailSchema = z.looseObject({
  restoreTestingPlanArn: z.pipe(
    z.nullish(
      z.string({ error: (issue) => mustBeAString(issue.input) }).check(
        z.refine((value) => value === '' || PLAN_ARN.test(value), {
          error: (issue) =>
            `${describeValue(issue.input)} is not a restore testing plan ARN (arn:<partition>:backup:<region>:<account>:restore-testing-plan:<name>-<id>)`,
        }),
      ),
    ),
    z.transform((value) => (value === '' || value === null ? undefined : value)),
  ),
});

/** The job of a COMPLETED restore test, and its resource type (checked or not). */
const jobDetailSchema = z.looseObject({
  restoreJobId: required('the job to report the validation of').check(
    z.regex(/^[A-Za-z0-9-]{1,100}$/, { error: (issue) => `${describeValue(issue.input)} is not a restore job ID` }),
  ),
  resourceType: required('what to check'),
});

/** `detail.backupSizeInBytes`: a whole number of bytes, a number or (as AWS sends it) a string of digits; absent, null or empty is `undefined`. */
const backupSize = () =>
  z.pipe(
    // Any value, checked below (`z.custom` without a check types the input, `z.input`, and accepts anything).
    z.optional(z.custom<number | string | null>()),
    z.transform((value, ctx): number | undefined => {
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
      if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
      ctx.issues.push({ code: 'custom', input: value, message: `must be a whole number of bytes (a number or a string of digits), got ${describeValue(value)}` });
      return z.NEVER;
    }),
  );

/** The rest of a COMPLETED restore test of `resourceType` (one this function checks). */
const testedDetailSchema = (resourceType: ValidatedResourceType) =>
  z.looseObject({
    createdResourceArn: z.pipe(
      required(`the restored ${resourceType} resource`),
      z.transform((arn, ctx) => {
        const expected = CREATED_ARNS[resourceType];
        const resource = expected.parse(arn);
        if (resource) return { createdResourceArn: arn, resource };
        ctx.issues.push({ code: 'custom', input: arn, message: `${describeValue(arn)} is not what a ${resourceType} restore creates (${expected.form})` });
        return z.NEVER;
      }),
    ),
    recoveryPointArn: z.nullish(z.string({ error: (issue) => mustBeAString(issue.input) })),
    backupSizeInBytes: backupSize(),
  });

/** The events this function accepts (`z.input` of its schemas), e.g. for a test or a rule's sample. */
export type RestoreTestEvent = RestoreJobEvent<
  z.input<typeof planDetailSchema> & z.input<typeof jobDetailSchema> & z.input<ReturnType<typeof testedDetailSchema>>
>;

/**
 * Returns the restore test of a COMPLETED restore job started by a restore testing plan, or why the
 * event is ignored. Throws {@link MalformedEventError}, naming the field, when the event is not an
 * object with a `detail` object, or when a COMPLETED restore test lacks (or has an invalid)
 * `restoreJobId`, `resourceType` or `createdResourceArn`.
 */
export function parseRestoreTestEvent(event: unknown): ParsedRestoreTestEvent {
  const envelope = restoreJobDetail(event);
  if (envelope.kind === 'ignored') return envelope;
  const { detail, status } = envelope;

  const plan = parseDetail(planDetailSchema, detail).restoreTestingPlanArn;
  if (plan === undefined) {
    return { kind: 'ignored', reason: 'detail.restoreTestingPlanArn is absent: the restore was not started by restore testing (recovery restores are not validated here)' };
  }

  if (status === undefined) return { kind: 'ignored', reason: 'restore job has no detail.status or detail.state: not COMPLETED' };
  if (status !== 'COMPLETED') return { kind: 'ignored', reason: `restore job status ${status} is not COMPLETED` };

  const { restoreJobId, resourceType } = parseDetail(jobDetailSchema, detail);
  if (!isValidatedType(resourceType)) {
    return { kind: 'unsupported', restoreJobId, resourceType, reason: `no validation for resource type ${JSON.stringify(resourceType)} (validated: ${VALIDATED_RESOURCE_TYPES.join(', ')})` };
  }
  const tested = parseDetail(testedDetailSchema(resourceType), detail);
  const recoveryPoint = tested.recoveryPointArn;
  return {
    kind: 'restore-test',
    test: {
      restoreJobId,
      restoreTestingPlanArn: plan,
      resourceType,
      ...tested.createdResourceArn,
      ...(typeof recoveryPoint === 'string' && recoveryPoint.length > 0 ? { recoveryPointArn: recoveryPoint } : {}),
      ...(tested.backupSizeInBytes !== undefined ? { backupSizeInBytes: tested.backupSizeInBytes } : {}),
    },
  };
}
