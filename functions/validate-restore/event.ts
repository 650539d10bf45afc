/**
 * Parsing of the AWS Backup "Restore Job State Change" events this function receives: restore jobs
 * started by a restore testing plan carry `detail.restoreTestingPlanArn`; every other restore (the
 * recovery state machine, an operator) does not and is ignored.
 *
 * Restore events carry `detail.status` (the CREATED event carries `detail.state`); other fields may be
 * absent or of unexpected types (`backupSizeInBytes` is a string), so only the fields used here are
 * read, each checked for its type, before any AWS call.
 */

import { ACCOUNT_ID_PART } from '../account';
import { describeValue } from '../input-values';
import { EXPECTED_DETAIL_TYPE, EXPECTED_SOURCE, MalformedEventError, restoreJobDetail } from '../restore-job-event';

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
  | { readonly kind: 'ignored'; readonly reason: string }
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

function requiredString(detail: Record<string, unknown>, field: string, what: string): string {
  const value = detail[field];
  if (value === undefined || value === null || value === '') throw new MalformedEventError(`detail.${field} is missing from a COMPLETED restore test event (${what})`);
  if (typeof value !== 'string') throw new MalformedEventError(`detail.${field} must be a string, got ${describeValue(value)}`);
  return value;
}

function optionalSize(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  throw new MalformedEventError(`detail.backupSizeInBytes must be a whole number of bytes (a number or a string of digits), got ${describeValue(value)}`);
}

/**
 * Returns the restore test of a COMPLETED restore job started by a restore testing plan, or why the
 * event is ignored. Throws {@link MalformedEventError}, naming the field, when the event is not an
 * object with a `detail` object, or when a COMPLETED restore test lacks (or has an invalid)
 * `restoreJobId`, `resourceType` or `createdResourceArn`.
 */
export function parseRestoreTestEvent(event: unknown): ParsedRestoreTestEvent {
  const envelope = restoreJobDetail(event);
  if (envelope.kind === 'ignored') return envelope;
  const detail = envelope.detail;

  const plan = detail.restoreTestingPlanArn;
  if (plan === undefined || plan === null || plan === '') {
    return { kind: 'ignored', reason: 'detail.restoreTestingPlanArn is absent: the restore was not started by restore testing (recovery restores are not validated here)' };
  }
  if (typeof plan !== 'string') throw new MalformedEventError(`detail.restoreTestingPlanArn must be a string, got ${describeValue(plan)}`);
  if (!PLAN_ARN.test(plan)) {
    throw new MalformedEventError(`detail.restoreTestingPlanArn ${describeValue(plan)} is not a restore testing plan ARN (arn:<partition>:backup:<region>:<account>:restore-testing-plan:<name>-<id>)`);
  }

  const status = typeof detail.status === 'string' ? detail.status : typeof detail.state === 'string' ? detail.state : undefined;
  if (status === undefined) return { kind: 'ignored', reason: 'restore job has no detail.status or detail.state: not COMPLETED' };
  if (status !== 'COMPLETED') return { kind: 'ignored', reason: `restore job status ${status} is not COMPLETED` };

  const restoreJobId = requiredString(detail, 'restoreJobId', 'the job to report the validation of');
  if (!/^[A-Za-z0-9-]{1,100}$/.test(restoreJobId)) throw new MalformedEventError(`detail.restoreJobId ${describeValue(restoreJobId)} is not a restore job ID`);
  const resourceType = requiredString(detail, 'resourceType', 'what to check');
  if (!isValidatedType(resourceType)) {
    return { kind: 'unsupported', restoreJobId, resourceType, reason: `no validation for resource type ${JSON.stringify(resourceType)} (validated: ${VALIDATED_RESOURCE_TYPES.join(', ')})` };
  }
  const createdResourceArn = requiredString(detail, 'createdResourceArn', `the restored ${resourceType} resource`);
  const expected = CREATED_ARNS[resourceType];
  const resource = expected.parse(createdResourceArn);
  if (!resource) throw new MalformedEventError(`detail.createdResourceArn ${describeValue(createdResourceArn)} is not what a ${resourceType} restore creates (${expected.form})`);

  const recoveryPoint = detail.recoveryPointArn;
  if (recoveryPoint !== undefined && recoveryPoint !== null && typeof recoveryPoint !== 'string') {
    throw new MalformedEventError(`detail.recoveryPointArn must be a string, got ${describeValue(recoveryPoint)}`);
  }
  const backupSizeInBytes = optionalSize(detail.backupSizeInBytes);
  return {
    kind: 'restore-test',
    test: {
      restoreJobId,
      restoreTestingPlanArn: plan,
      resourceType,
      createdResourceArn,
      resource,
      ...(typeof recoveryPoint === 'string' && recoveryPoint.length > 0 ? { recoveryPointArn: recoveryPoint } : {}),
      ...(backupSizeInBytes !== undefined ? { backupSizeInBytes } : {}),
    },
  };
}
