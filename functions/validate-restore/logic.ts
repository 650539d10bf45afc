import {
  DescribeRestoreJobCommand,
  GetRestoreJobMetadataCommand,
  PutRestoreValidationResultCommand,
  type BackupClient,
  type DescribeRestoreJobCommandOutput,
} from '@aws-sdk/client-backup';
import { DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DescribeFileSystemsCommand, type EFSClient } from '@aws-sdk/client-efs';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { callRuntime, functionCalls, messageOf, type AwsCallErrorOf, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import { listBackupTags, SNAPSHOT_ARN, tagMap } from '../recovery-point-tags';
import { parseRestoreTestEvent, type RestoreTest, type ValidatedResourceType } from './event';

export { MalformedEventError, parseRestoreTestEvent, VALIDATED_RESOURCE_TYPES } from './event';
export type { ParsedRestoreTestEvent, RestoredResource, RestoreTest, ValidatedResourceType } from './event';
export type { Logger } from '../aws-call';
export { ACTIONS_BY_RESOURCE_TYPE, BASE_ACTIONS, ENCRYPTED_TOPIC_KMS_ACTIONS, REQUIRED_ACTIONS, requiredActionsFor } from './actions';

/** Tags of the public tag contract that every protected EBS volume carries (docs/recovery.md, "the tag contract"). */
export const DR_VOLUME_TAGS = ['dr:server', 'dr:device'] as const;

/** Error codes meaning that the restored resource does not exist (any more): a failed validation, not an error of this function. */
export const NOT_FOUND_ERROR_CODES: ReadonlySet<string> = new Set([
  'InvalidVolume.NotFound',
  'InvalidInstanceID.NotFound',
  'DBInstanceNotFoundFault',
  'DBInstanceNotFound',
  'DBClusterNotFoundFault',
  'DBClusterNotFound',
  'ResourceNotFoundException',
  'NoSuchBucket',
  'FileSystemNotFound',
]);

/** Validation statuses after which a second delivery of the event changes nothing. */
const FINAL_VALIDATION_STATUSES: ReadonlySet<string> = new Set(['SUCCESSFUL', 'FAILED', 'TIMED_OUT']);

/** Length kept of the message sent with PutRestoreValidationResult. */
export const MAX_VALIDATION_MESSAGE_LENGTH = 1000;
/** SNS: subjects under 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

const GIB = 1024 ** 3;

export interface ValidateOptions extends ThrottleOptions {
  /** Delay between two describes while a restored resource is still in a transient state (creating, backing-up, ...). */
  readonly pollIntervalMs: number;
  /** Describes of one resource while it is in a transient state, the first included. */
  readonly maxStateChecks: number;
}

export const DEFAULT_OPTIONS: ValidateOptions = {
  maxThrottleAttempts: 6,
  baseBackoffMs: 250,
  maxBackoffMs: 8000,
  pollIntervalMs: 15_000,
  maxStateChecks: 50,
};

export interface ValidateRestoreDeps extends CallDeps<ValidateOptions> {
  readonly backup: BackupClient;
  readonly ec2: EC2Client;
  readonly rds: RDSClient;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly efs: EFSClient;
  /** With {@link topicArn}: a FAILED validation is also published to on-call. */
  readonly sns?: SNSClient;
  /** The on-call SNS topic (`TOPIC_ARN`). */
  readonly topicArn?: string;
}

export type ValidationStatus = 'SUCCESSFUL' | 'FAILED';

export type ValidateOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'unsupported'; readonly restoreJobId: string; readonly resourceType: string; readonly reason: string }
  | { readonly outcome: 'already-validated'; readonly restoreJobId: string; readonly validationStatus: string }
  | {
      readonly outcome: 'validated';
      readonly restoreJobId: string;
      readonly resourceType: ValidatedResourceType;
      readonly createdResourceArn: string;
      readonly validationStatus: ValidationStatus;
      /** The message sent with the verdict: what was checked, or what failed. */
      readonly message: string;
      /** A FAILED verdict was published to the on-call topic. */
      readonly notified: boolean;
    };

/**
 * Every failure of this function (besides a malformed event) is a `ValidateRestoreError`; an AWS call
 * failing other than by throttling, an `AwsCallError`. `call` runs one AWS call, retrying it while
 * throttled (by the services checked: S3's SlowDown, SNS and its topic key included).
 */
export const { FunctionError: ValidateRestoreError, AwsCallError, call } = functionCalls('ValidateRestoreError', ['SlowDown', 'Throttled', 'ThrottledException', 'KMSThrottlingException']);
export type AwsCallError = AwsCallErrorOf<Error>;

interface Runtime extends CallRuntime<ValidateOptions> {
  readonly deps: ValidateRestoreDeps;
}

/** What a check found: `problems` fail the validation; `facts` describe a successful one. */
interface CheckResult {
  /** e.g. `EBS volume vol-0abc`. */
  readonly subject: string;
  readonly problems: string[];
  readonly facts: string[];
}

const MISSING = Symbol('missing');
type Missing = typeof MISSING;

/** Runs a describe call; the restored resource not existing is {@link MISSING}, not an error. */
async function describeOrMissing<T>(rt: Runtime, operation: string, send: () => Promise<T>): Promise<T | Missing> {
  try {
    return await call(rt, operation, send);
  } catch (error) {
    if (error instanceof AwsCallError && NOT_FOUND_ERROR_CODES.has(error.code)) return MISSING;
    throw error;
  }
}

interface Observed<T> {
  readonly value: T | Missing;
  readonly state?: string;
  readonly checks: number;
}

/**
 * Describes the resource (`describe` returns {@link MISSING} when it is gone, `undefined` when the answer
 * does not contain it) until its state is not one of `transient`, at most `maxStateChecks` times.
 */
async function observe<T>(rt: Runtime, what: string, describe: () => Promise<T | Missing | undefined>, stateOf: (value: T) => string | undefined, transient: ReadonlySet<string>): Promise<Observed<T>> {
  for (let check = 1; ; check++) {
    const value = await describe();
    if (value === MISSING || value === undefined) return { value: MISSING, checks: check };
    const state = stateOf(value);
    if (state === undefined || !transient.has(state) || check >= rt.options.maxStateChecks) return { value, state, checks: check };
    rt.logger.info(`${what} is still ${state}; waiting`, { ...rt.context, check, delayMs: rt.options.pollIntervalMs });
    await rt.sleep(rt.options.pollIntervalMs);
  }
}

/** The problem of a resource not in `expected` state, naming a bounded wait that ran out. */
function stateProblem(rt: Runtime, observed: Observed<unknown>, expected: string, transient: ReadonlySet<string>): string | undefined {
  if (observed.state === expected) return undefined;
  const waited = observed.state !== undefined && transient.has(observed.state) ? ` after ${observed.checks} checks ${rt.options.pollIntervalMs} ms apart` : '';
  return `state ${JSON.stringify(observed.state ?? 'unknown')}${waited}, expected "${expected}"`;
}

function notFound(subject: string, operation: string): CheckResult {
  return { subject, problems: [`not found: ${operation} reports no such resource; the restore test created nothing to validate`], facts: [] };
}

/** A restored resource to wait for and check the state of. */
interface Watched<T> {
  /** e.g. `EBS volume vol-0abc`. */
  readonly subject: string;
  /** The describe call, e.g. `DescribeVolumes(vol-0abc)`, named in its errors and when the resource is missing. */
  readonly operation: string;
  /** The resource, or undefined when the answer does not contain it. */
  readonly describe: () => Promise<T | undefined>;
  readonly stateOf: (value: T) => string | undefined;
  /** The state of a usable resource (`available`, `running`, `ACTIVE`). */
  readonly expected: string;
  readonly transient: ReadonlySet<string>;
}

/** A watched resource once settled: missing (its failed check), or its description and the state's problem or fact. */
type Settled<T> = { readonly missing: CheckResult } | { readonly value: T; readonly problems: string[]; readonly facts: string[] };

/** Describes the resource until it leaves its transient states ({@link observe}), then checks its state. */
async function settle<T>(rt: Runtime, w: Watched<T>): Promise<Settled<T>> {
  const observed = await observe(rt, w.subject, () => describeOrMissing(rt, w.operation, w.describe), w.stateOf, w.transient);
  if (observed.value === MISSING) return { missing: notFound(w.subject, w.operation) };
  const state = stateProblem(rt, observed, w.expected, w.transient);
  return { value: observed.value, problems: state ? [state] : [], facts: state ? [] : [w.expected] };
}

/** The check of a resource whose state is all there is to check. */
async function checkState<T>(rt: Runtime, w: Watched<T>): Promise<CheckResult> {
  const settled = await settle(rt, w);
  return 'missing' in settled ? settled.missing : { subject: w.subject, problems: settled.problems, facts: settled.facts };
}

// ---- EBS ----------------------------------------------------------------------------------------

interface EbsSource {
  /** Size of the source volume in GiB, when known. */
  readonly sizeGiB?: number;
  /** Where the size comes from, for the message. */
  readonly sizeFrom?: string;
  /** Tags of the recovery point's EC2 snapshot, when it is one. */
  readonly snapshotTags?: Record<string, string>;
}

const EBS_TRANSIENT: ReadonlySet<string> = new Set(['creating']);

/** Size (and snapshot tags) of the volume the recovery point was taken of. */
async function ebsSource(rt: Runtime, recoveryPointArn: string | undefined, backupSizeInBytes: number | undefined): Promise<EbsSource> {
  const snapshotId = recoveryPointArn ? SNAPSHOT_ARN.exec(recoveryPointArn)?.[1] : undefined;
  if (snapshotId) {
    const out = await describeOrMissing(rt, `DescribeSnapshots(${snapshotId})`, () => rt.deps.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })));
    const snapshot = out === MISSING ? undefined : (out.Snapshots ?? []).find((s) => s.SnapshotId === snapshotId);
    if (snapshot?.VolumeSize !== undefined) return { sizeGiB: snapshot.VolumeSize, sizeFrom: `recovery point ${snapshotId}`, snapshotTags: tagMap(snapshot.Tags) };
    if (snapshot) return { snapshotTags: tagMap(snapshot.Tags), ...sizeFromBytes(backupSizeInBytes) };
  }
  return sizeFromBytes(backupSizeInBytes);
}

/** AWS Backup reports an EBS recovery point's size as its volume's: a whole number of GiB. */
function sizeFromBytes(bytes: number | undefined): EbsSource {
  if (bytes === undefined || bytes <= 0 || bytes % GIB !== 0) return {};
  return { sizeGiB: bytes / GIB, sizeFrom: `the restore job's backup size (${bytes} bytes)` };
}

function presentTags(tags: Record<string, string>): Set<string> {
  return new Set(DR_VOLUME_TAGS.filter((t) => typeof tags[t] === 'string' && tags[t].trim().length > 0));
}

async function checkEbs(rt: Runtime, test: RestoreTest, volumeId: string, job: DescribeRestoreJobCommandOutput): Promise<CheckResult> {
  const subject = `EBS volume ${volumeId}`;
  const settled = await settle(rt, {
    subject,
    operation: `DescribeVolumes(${volumeId})`,
    describe: async () => (await rt.deps.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes?.find((v) => v.VolumeId === volumeId),
    stateOf: (v) => v.State,
    expected: 'available',
    transient: EBS_TRANSIENT,
  });
  if ('missing' in settled) return settled.missing;
  const { value: volume, problems, facts } = settled;

  const recoveryPointArn = test.recoveryPointArn ?? job.RecoveryPointArn;
  const source = await ebsSource(rt, recoveryPointArn, job.BackupSizeInBytes ?? test.backupSizeInBytes);
  if (source.sizeGiB === undefined) {
    problems.push(`the source volume's size is unknown (the recovery point is no EC2 snapshot and the restore job reports no whole-GiB backup size), so size ${volume.Size ?? 'unknown'} GiB cannot be compared`);
  } else if (volume.Size !== source.sizeGiB) {
    problems.push(`size ${volume.Size ?? 'unknown'} GiB, expected ${source.sizeGiB} GiB (the source, from ${source.sizeFrom})`);
  } else {
    facts.push(`${volume.Size} GiB like its source`);
  }

  // The tag contract must survive the backup: on the restored volume, or else on its recovery point,
  // which is where attach-restored-volume reads them from too.
  const onVolume = presentTags(tagMap(volume.Tags));
  let missing = DR_VOLUME_TAGS.filter((t) => !onVolume.has(t));
  if (missing.length > 0 && recoveryPointArn) {
    const onPoint = presentTags(source.snapshotTags ?? (SNAPSHOT_ARN.test(recoveryPointArn) ? {} : await listBackupTags(rt, call, rt.deps.backup, recoveryPointArn, { maxPages: 20 })));
    missing = missing.filter((t) => !onPoint.has(t));
  }
  if (missing.length > 0) {
    problems.push(`tag(s) ${missing.join(', ')} missing on the volume and on its recovery point${recoveryPointArn ? ` ${recoveryPointArn}` : ' (the event and the restore job name none)'}`);
  } else {
    facts.push(`tags ${DR_VOLUME_TAGS.join(', ')} present`);
  }
  return { subject, problems, facts };
}

// ---- EC2 ----------------------------------------------------------------------------------------

const EC2_TRANSIENT: ReadonlySet<string> = new Set(['pending']);

function checkEc2(rt: Runtime, instanceId: string): Promise<CheckResult> {
  return checkState(rt, {
    subject: `EC2 instance ${instanceId}`,
    operation: `DescribeInstances(${instanceId})`,
    describe: async () => {
      const out = await rt.deps.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
    },
    stateOf: (i) => i.State?.Name,
    expected: 'running',
    transient: EC2_TRANSIENT,
  });
}

// ---- RDS and Aurora -----------------------------------------------------------------------------

/** States a freshly restored DB instance passes through before it is available. */
const RDS_INSTANCE_TRANSIENT: ReadonlySet<string> = new Set([
  'creating',
  'backing-up',
  'modifying',
  'rebooting',
  'starting',
  'configuring-enhanced-monitoring',
  'configuring-iam-database-auth',
  'configuring-log-exports',
  'resetting-master-credentials',
  'renaming',
  'upgrading',
]);
const RDS_CLUSTER_TRANSIENT: ReadonlySet<string> = new Set(['creating', 'backing-up', 'modifying', 'migrating', 'preparing-data-migration', 'rebooting', 'renaming', 'resetting-master-credentials', 'starting', 'upgrading']);

/** The engine of the recovery point, from the restore job's metadata (`Engine`, any case). */
async function expectedEngine(rt: Runtime, restoreJobId: string): Promise<string | undefined> {
  const out = await call(rt, `GetRestoreJobMetadata(${restoreJobId})`, () => rt.deps.backup.send(new GetRestoreJobMetadataCommand({ RestoreJobId: restoreJobId })));
  const entry = Object.entries(out.Metadata ?? {}).find(([key, value]) => key.toLowerCase() === 'engine' && typeof value === 'string' && value.length > 0);
  return entry?.[1];
}

function engineProblems(actual: string | undefined, expected: string | undefined, facts: string[]): string[] {
  if (expected === undefined) return [`the expected engine is unknown: the restore job's metadata has no Engine to compare engine ${JSON.stringify(actual ?? 'unknown')} with`];
  if (actual === undefined || actual.toLowerCase() !== expected.toLowerCase()) return [`engine ${JSON.stringify(actual ?? 'unknown')}, expected ${JSON.stringify(expected)} (the recovery point's)`];
  facts.push(`engine ${actual} like the recovery point`);
  return [];
}

/** What the check reads of a restored DB instance or DB cluster: the same checks on either. */
interface RdsDescribed {
  readonly status?: string;
  readonly engine?: string;
}

/** How a DB instance and a DB cluster are described: their own API, identifier field and transient states. */
const RDS_SHAPES = {
  'rds-instance': {
    subject: (_test: RestoreTest) => 'RDS DB instance',
    operation: 'DescribeDBInstances',
    transient: RDS_INSTANCE_TRANSIENT,
    async describe(rt: Runtime, identifier: string): Promise<RdsDescribed | undefined> {
      const out = await rt.deps.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
      const d = (out.DBInstances ?? []).find((i) => i.DBInstanceIdentifier === identifier);
      return d && { status: d.DBInstanceStatus, engine: d.Engine };
    },
  },
  'rds-cluster': {
    subject: (test: RestoreTest) => `${test.resourceType === 'Aurora' ? 'Aurora' : 'RDS'} DB cluster`,
    operation: 'DescribeDBClusters',
    transient: RDS_CLUSTER_TRANSIENT,
    async describe(rt: Runtime, identifier: string): Promise<RdsDescribed | undefined> {
      const out = await rt.deps.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
      const c = (out.DBClusters ?? []).find((i) => i.DBClusterIdentifier === identifier);
      return c && { status: c.Status, engine: c.Engine };
    },
  },
} as const;

/** A restored DB instance or cluster: available, with the recovery point's engine. */
async function checkRds(rt: Runtime, test: RestoreTest, kind: keyof typeof RDS_SHAPES, identifier: string): Promise<CheckResult> {
  const shape = RDS_SHAPES[kind];
  const subject = `${shape.subject(test)} ${identifier}`;
  const settled = await settle(rt, {
    subject,
    operation: `${shape.operation}(${identifier})`,
    describe: () => shape.describe(rt, identifier),
    stateOf: (d) => d.status,
    expected: 'available',
    transient: shape.transient,
  });
  if ('missing' in settled) return settled.missing;
  const { value, problems, facts } = settled;
  problems.push(...engineProblems(value.engine, await expectedEngine(rt, test.restoreJobId), facts));
  return { subject, problems, facts };
}

// ---- DynamoDB, S3, EFS --------------------------------------------------------------------------

const DYNAMODB_TRANSIENT: ReadonlySet<string> = new Set(['CREATING', 'UPDATING']);

function checkDynamoDb(rt: Runtime, tableName: string): Promise<CheckResult> {
  return checkState(rt, {
    subject: `DynamoDB table ${tableName}`,
    operation: `DescribeTable(${tableName})`,
    describe: async () => (await rt.deps.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table,
    stateOf: (t) => t.TableStatus,
    expected: 'ACTIVE',
    transient: DYNAMODB_TRANSIENT,
  });
}

async function checkS3(rt: Runtime, bucket: string): Promise<CheckResult> {
  const subject = `S3 bucket ${bucket}`;
  const operation = `ListObjectsV2(${bucket}, MaxKeys 1)`;
  const out = await describeOrMissing(rt, operation, () => rt.deps.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 })));
  if (out === MISSING) return notFound(subject, operation);
  const count = out.KeyCount ?? out.Contents?.length ?? 0;
  return count > 0 ? { subject, problems: [], facts: ['holds objects'] } : { subject, problems: ['is empty: ListObjectsV2 found no object, so nothing was restored into it'], facts: [] };
}

const EFS_TRANSIENT: ReadonlySet<string> = new Set(['creating', 'updating']);

function checkEfs(rt: Runtime, fileSystemId: string): Promise<CheckResult> {
  return checkState(rt, {
    subject: `EFS file system ${fileSystemId}`,
    operation: `DescribeFileSystems(${fileSystemId})`,
    describe: async () => (await rt.deps.efs.send(new DescribeFileSystemsCommand({ FileSystemId: fileSystemId }))).FileSystems?.find((f) => f.FileSystemId === fileSystemId),
    stateOf: (f) => f.LifeCycleState,
    expected: 'available',
    transient: EFS_TRANSIENT,
  });
}

async function check(rt: Runtime, test: RestoreTest, job: DescribeRestoreJobCommandOutput): Promise<CheckResult> {
  const r = test.resource;
  switch (r.kind) {
    case 'ebs-volume':
      return checkEbs(rt, test, r.volumeId, job);
    case 'ec2-instance':
      return checkEc2(rt, r.instanceId);
    case 'rds-instance':
    case 'rds-cluster':
      return checkRds(rt, test, r.kind, r.identifier);
    case 'dynamodb-table':
      return checkDynamoDb(rt, r.tableName);
    case 's3-bucket':
      return checkS3(rt, r.bucket);
    case 'efs-file-system':
      return checkEfs(rt, r.fileSystemId);
  }
}

// ---- verdict ------------------------------------------------------------------------------------

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** `<subject>: <facts or problems>`, e.g. `EBS volume vol-0abc: size 4 GiB, expected 8 GiB (...)`. */
export function verdictMessage(subject: string, problems: readonly string[], facts: readonly string[]): string {
  const body = problems.length > 0 ? problems.join('; ') : facts.join(', ');
  return truncate(`${subject}: ${body}`, MAX_VALIDATION_MESSAGE_LENGTH);
}

async function notifyOnCall(rt: Runtime, test: RestoreTest, message: string): Promise<boolean> {
  const { sns, topicArn } = rt.deps;
  if (!sns || !topicArn) return false;
  const subject = truncate(`Restore test FAILED: ${test.resourceType} ${test.createdResourceArn.split(/[:/]/).pop()}`, MAX_SUBJECT_LENGTH);
  const body = [
    `A restore test restored a recovery point but its validation failed: ${message}`,
    '',
    `Restore job:           ${test.restoreJobId}`,
    `Restore testing plan:  ${test.restoreTestingPlanArn}`,
    `Restored resource:     ${test.createdResourceArn}`,
    `Recovery point:        ${test.recoveryPointArn ?? '(not in the event)'}`,
    '',
    'AWS Backup deletes the restored resource when the validation window ends. Until then it can be inspected in the DR account.',
  ].join('\n');
  await call(rt, `Publish(${topicArn})`, () => sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: body })));
  return true;
}

/**
 * Validates what an AWS Backup restore test restored (a COMPLETED `Restore Job State Change` event
 * carrying `detail.restoreTestingPlanArn`) and reports the verdict with PutRestoreValidationResult:
 * EBS volume `available`, its source's size and the `dr:*` tags (on the volume or its recovery
 * point); EC2 instance `running`; RDS instance / Aurora or RDS cluster `available` with the recovery
 * point's engine; DynamoDB table `ACTIVE`; S3 bucket not empty; EFS file system `available`. A FAILED
 * verdict is also published to the on-call topic. Every other event is ignored without any AWS call;
 * a malformed one throws {@link MalformedEventError} before any call; an AWS error other than "not
 * found" throws (retried, then the dead-letter queue) without a verdict.
 */
export async function validateRestore(event: unknown, deps: ValidateRestoreDeps): Promise<ValidateOutcome> {
  const rt: Runtime = { deps, ...callRuntime(deps, DEFAULT_OPTIONS) };
  try {
    const parsed = parseRestoreTestEvent(event);
    if (parsed.kind === 'ignored') {
      rt.logger.info('Event ignored', { reason: parsed.reason });
      return { outcome: 'ignored', reason: parsed.reason };
    }
    if (parsed.kind === 'unsupported') {
      rt.logger.warn('Restore test not validated', { restoreJobId: parsed.restoreJobId, resourceType: parsed.resourceType, reason: parsed.reason });
      return { outcome: 'unsupported', restoreJobId: parsed.restoreJobId, resourceType: parsed.resourceType, reason: parsed.reason };
    }
    const test = parsed.test;
    Object.assign(rt.context, { restoreJobId: test.restoreJobId, resourceType: test.resourceType, createdResourceArn: test.createdResourceArn });
    rt.logger.info('Restore test completed', { ...rt.context, restoreTestingPlanArn: test.restoreTestingPlanArn, recoveryPointArn: test.recoveryPointArn });

    const job = await call(rt, `DescribeRestoreJob(${test.restoreJobId})`, () => deps.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: test.restoreJobId })));
    if (!job.CreatedBy?.RestoreTestingPlanArn) {
      const reason = `AWS Backup reports restore job ${test.restoreJobId} as not started by restore testing (no CreatedBy.RestoreTestingPlanArn); not validated`;
      rt.logger.warn('Event ignored', { ...rt.context, reason });
      return { outcome: 'ignored', reason };
    }
    if (job.ValidationStatus && FINAL_VALIDATION_STATUSES.has(job.ValidationStatus)) {
      rt.logger.info('Restore test already validated: duplicate delivery', { ...rt.context, validationStatus: job.ValidationStatus });
      return { outcome: 'already-validated', restoreJobId: test.restoreJobId, validationStatus: job.ValidationStatus };
    }
    if (job.DeletionStatus) {
      const reason = `the restored resource is already being deleted (DeletionStatus ${job.DeletionStatus}): the validation window has closed`;
      rt.logger.warn('Event ignored', { ...rt.context, reason });
      return { outcome: 'ignored', reason };
    }
    if (job.Status && job.Status !== 'COMPLETED') {
      const reason = `DescribeRestoreJob reports status ${job.Status}, not COMPLETED; not validated`;
      rt.logger.warn('Event ignored', { ...rt.context, reason });
      return { outcome: 'ignored', reason };
    }

    const result = await check(rt, test, job);
    const validationStatus: ValidationStatus = result.problems.length === 0 ? 'SUCCESSFUL' : 'FAILED';
    const message = verdictMessage(result.subject, result.problems, result.facts);
    const log = validationStatus === 'SUCCESSFUL' ? rt.logger.info.bind(rt.logger) : rt.logger.warn.bind(rt.logger);
    log(`Restore test ${validationStatus === 'SUCCESSFUL' ? 'passed' : 'failed'} its validation`, { ...rt.context, validationStatus, validationMessage: message });

    // On-call first: should the verdict then fail to be recorded, a retry re-validates and pages again
    // rather than leaving a failure nobody heard of.
    const notified = validationStatus === 'FAILED' ? await notifyOnCall(rt, test, message) : false;
    await call(rt, `PutRestoreValidationResult(${test.restoreJobId})`, () =>
      deps.backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: test.restoreJobId, ValidationStatus: validationStatus, ValidationStatusMessage: message })),
    );
    rt.logger.info('Validation result reported', { ...rt.context, validationStatus, notified });
    return { outcome: 'validated', restoreJobId: test.restoreJobId, resourceType: test.resourceType, createdResourceArn: test.createdResourceArn, validationStatus, message, notified };
  } catch (error) {
    rt.logger.error('Restore test not validated', { ...rt.context, errorMessage: messageOf(error), error });
    throw error;
  }
}
