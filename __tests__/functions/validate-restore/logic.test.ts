import { BackupClient, DescribeRestoreJobCommand, GetRestoreJobMetadataCommand, ListTagsCommand, PutRestoreValidationResultCommand, type DescribeRestoreJobCommandOutput } from '@aws-sdk/client-backup';
import { DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client, type Volume } from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeFileSystemsCommand, EFSClient } from '@aws-sdk/client-efs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import completedRecoveryRds from '../../fixtures/events/restore-completed-rds.json';
import completedRecoveryEbs from '../../fixtures/events/restore-completed-ebs.json';
import created from '../../fixtures/events/restore-created.json';
import testEbs from '../../fixtures/events/restore-test-completed-ebs.json';
import testRds from '../../fixtures/events/restore-test-completed-rds.json';
import testAurora from '../../fixtures/events/restore-test-completed-aurora.json';
import testDynamoDb from '../../fixtures/events/restore-test-completed-dynamodb.json';
import testS3 from '../../fixtures/events/restore-test-completed-s3.json';
import testEfs from '../../fixtures/events/restore-test-completed-efs.json';
import testFailedRds from '../../fixtures/events/restore-test-failed-rds.json';
import {
  AwsCallError,
  MalformedEventError,
  MAX_VALIDATION_MESSAGE_LENGTH,
  REQUIRED_ACTIONS,
  ValidateRestoreError,
  requiredActionsFor,
  validateRestore,
  verdictMessage,
  type Logger,
  type ValidateOptions,
  type ValidateRestoreDeps,
} from '../../../functions/validate-restore/logic';
import { mockEach } from '../../helpers/functions/mock-each';

const REGION = 'ap-northeast-1';
const TOPIC_ARN = `arn:aws:sns:${REGION}:222222222222:acme-dr-on-call`;
const PLAN_ARN = testEbs.detail.restoreTestingPlanArn;

const mocks = mockEach(BackupClient, EC2Client, RDSClient, DynamoDBClient, S3Client, EFSClient, SNSClient);
const [backupMock, ec2Mock, rdsMock, dynamodbMock, s3Mock, efsMock, snsMock] = mocks;

interface LogLine {
  level: string;
  message: string;
  attributes: Record<string, unknown>;
}

function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = (level: string) => (message: string, ...attributes: Record<string, unknown>[]) => {
    lines.push({ level, message, attributes: Object.assign({}, ...attributes) });
  };
  return { lines, info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}

let logger: ReturnType<typeof recordingLogger>;
let sleep: jest.Mock<Promise<void>, [number]>;

function deps(overrides: Partial<ValidateRestoreDeps> = {}, options: Partial<ValidateOptions> = {}): ValidateRestoreDeps {
  return {
    backup: new BackupClient({ region: REGION }),
    ec2: new EC2Client({ region: REGION }),
    rds: new RDSClient({ region: REGION }),
    dynamodb: new DynamoDBClient({ region: REGION }),
    s3: new S3Client({ region: REGION }),
    efs: new EFSClient({ region: REGION }),
    sns: new SNSClient({ region: REGION }),
    topicArn: TOPIC_ARN,
    logger,
    sleep,
    random: () => 0.5,
    options: { pollIntervalMs: 1000, maxStateChecks: 5, ...options },
    ...overrides,
  };
}

function awsError(name: string, message = `${name} (mock)`): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

/** DescribeRestoreJob of a restore test, COMPLETED and not yet validated. */
function restoreJob(event: { detail: Record<string, unknown> }, overrides: Partial<DescribeRestoreJobCommandOutput> = {}): DescribeRestoreJobCommandOutput {
  const d = event.detail;
  return {
    $metadata: {},
    AccountId: '222222222222',
    RestoreJobId: d.restoreJobId as string,
    RecoveryPointArn: d.recoveryPointArn as string,
    CreatedResourceArn: d.createdResourceArn as string,
    ResourceType: d.resourceType as string,
    Status: 'COMPLETED',
    BackupSizeInBytes: Number(d.backupSizeInBytes),
    CreatedBy: { RestoreTestingPlanArn: PLAN_ARN },
    ...overrides,
  };
}

/** The PutRestoreValidationResult calls made (input only). */
function verdicts(): Record<string, unknown>[] {
  return backupMock.commandCalls(PutRestoreValidationResultCommand).map((c) => ({ ...c.args[0].input }));
}

function awsCallCount(): number {
  return mocks.reduce((n, m) => n + m.calls().length, 0);
}

beforeEach(() => {
  for (const m of mocks) m.reset();
  backupMock.on(PutRestoreValidationResultCommand).resolves({ $metadata: {} });
  snsMock.on(PublishCommand).resolves({ $metadata: {}, MessageId: 'm-1' });
  logger = recordingLogger();
  sleep = jest.fn(async (_ms: number) => undefined);
});

// ---- EBS -------------------------------------------------------------------------------------------

const VOLUME_ID = 'vol-0a1b2c3d4e5f60718';
const SNAPSHOT_ID = 'snap-0f1e2d3c4b5a69788';
const DR_TAGS = [
  { Key: 'dr:server', Value: 'app' },
  { Key: 'dr:device', Value: '/dev/sdf' },
];

function volume(overrides: Partial<Volume> = {}): Volume {
  return { VolumeId: VOLUME_ID, State: 'available', Size: 8, AvailabilityZone: 'ap-northeast-1a', Tags: DR_TAGS, ...overrides };
}

function ebsMocks(vol: Volume = volume(), snapshot: { VolumeSize?: number; Tags?: { Key: string; Value: string }[] } = { VolumeSize: 8, Tags: [] }): void {
  backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testEbs));
  ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [vol] });
  ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: SNAPSHOT_ID, ...snapshot }] });
}

describe('EBS restore tests', () => {
  it('passes an available volume of its source size with the dr:* tags, reporting SUCCESSFUL and paging nobody', async () => {
    ebsMocks();
    const outcome = await validateRestore(testEbs, deps());
    expect(outcome).toEqual({
      outcome: 'validated',
      restoreJobId: testEbs.detail.restoreJobId,
      resourceType: 'EBS',
      createdResourceArn: testEbs.detail.createdResourceArn,
      validationStatus: 'SUCCESSFUL',
      message: `EBS volume ${VOLUME_ID}: available, 8 GiB like its source, tags dr:server, dr:device present`,
      notified: false,
    });
    expect(verdicts()).toEqual([{ RestoreJobId: testEbs.detail.restoreJobId, ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: outcome.outcome === 'validated' ? outcome.message : '' }]);
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)[0].args[0].input).toEqual({ VolumeIds: [VOLUME_ID] });
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)[0].args[0].input).toEqual({ SnapshotIds: [SNAPSHOT_ID] });
    expect(snsMock.calls()).toHaveLength(0);
  });

  it('fails a volume whose size differs from the source snapshot, naming both sizes, and pages on-call before reporting', async () => {
    ebsMocks(volume({ Size: 4 }));
    const order: string[] = [];
    snsMock.on(PublishCommand).callsFake(() => (order.push('publish'), { MessageId: 'm-1' }));
    backupMock.on(PutRestoreValidationResultCommand).callsFake(() => (order.push('verdict'), {}));
    const outcome = await validateRestore(testEbs, deps());
    expect(outcome).toMatchObject({ outcome: 'validated', validationStatus: 'FAILED', notified: true });
    const [verdict] = verdicts();
    expect(verdict).toMatchObject({ ValidationStatus: 'FAILED' });
    expect(verdict.ValidationStatusMessage).toBe(`EBS volume ${VOLUME_ID}: size 4 GiB, expected 8 GiB (the source, from recovery point ${SNAPSHOT_ID})`);
    const [publish] = snsMock.commandCalls(PublishCommand);
    expect(publish.args[0].input).toMatchObject({ TopicArn: TOPIC_ARN, Subject: `Restore test FAILED: EBS ${VOLUME_ID}` });
    expect(publish.args[0].input.Message).toContain(String(verdict.ValidationStatusMessage));
    expect(publish.args[0].input.Message).toContain(PLAN_ARN);
    // Published before the verdict is recorded: a retry after a failed Put pages again rather than never.
    expect(order).toEqual(['publish', 'verdict']);
  });

  it('fails a volume that is not available (error state) and names the state', async () => {
    ebsMocks(volume({ State: 'error' }));
    await validateRestore(testEbs, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: expect.stringContaining('state "error", expected "available"') });
  });

  it('fails when a dr:* tag is missing on the volume and on its recovery point', async () => {
    ebsMocks(volume({ Tags: [{ Key: 'dr:server', Value: 'app' }] }), { VolumeSize: 8, Tags: [{ Key: 'dr:server', Value: 'app' }] });
    await validateRestore(testEbs, deps());
    expect(verdicts()[0]).toMatchObject({
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: `EBS volume ${VOLUME_ID}: tag(s) dr:device missing on the volume and on its recovery point ${testEbs.detail.recoveryPointArn}`,
    });
  });

  it('passes when the restored volume lacks the tags but its snapshot recovery point carries them (as attach-restored-volume reads them)', async () => {
    ebsMocks(volume({ Tags: [] }), { VolumeSize: 8, Tags: DR_TAGS });
    await expect(validateRestore(testEbs, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL' });
    expect(backupMock.commandCalls(ListTagsCommand)).toHaveLength(0);
  });

  it('reads size and tags of an air-gapped (backup-format) recovery point from the job and ListTags', async () => {
    const rp = 'arn:aws:backup:ap-northeast-1:111111111111:recovery-point:3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d';
    const event = { ...testEbs, detail: { ...testEbs.detail, recoveryPointArn: rp } };
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(event, { BackupSizeInBytes: 8 * 1024 ** 3 }));
    backupMock.on(ListTagsCommand).resolves({ Tags: { 'dr:server': 'app', 'dr:device': '/dev/sdf' } });
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ Tags: [] })] });
    const outcome = await validateRestore(event, deps());
    expect(outcome).toMatchObject({ validationStatus: 'SUCCESSFUL', message: expect.stringContaining('8 GiB like its source') });
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
    expect(backupMock.commandCalls(ListTagsCommand)[0].args[0].input).toEqual({ ResourceArn: rp });
  });

  it('fails when the source size cannot be known (no snapshot, no whole-GiB backup size) instead of passing unchecked', async () => {
    const rp = 'arn:aws:backup:ap-northeast-1:111111111111:recovery-point:3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d';
    const event = { ...testEbs, detail: { ...testEbs.detail, recoveryPointArn: rp, backupSizeInBytes: '0' } };
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(event, { BackupSizeInBytes: 0 }));
    backupMock.on(ListTagsCommand).resolves({ Tags: {} });
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume()] });
    await validateRestore(event, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: expect.stringContaining("the source volume's size is unknown") });
  });

  it('waits (bounded) while the volume is still creating, then validates it', async () => {
    ebsMocks();
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume({ State: 'creating' })] }).resolvesOnce({ Volumes: [volume({ State: 'creating' })] }).resolves({ Volumes: [volume()] });
    await expect(validateRestore(testEbs, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL' });
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)).toHaveLength(3);
    expect(sleep.mock.calls).toEqual([[1000], [1000]]);
  });

  it('fails a volume still creating after the bound, saying how long it waited', async () => {
    ebsMocks(volume({ State: 'creating' }));
    await validateRestore(testEbs, deps({}, { maxStateChecks: 3 }));
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)).toHaveLength(3);
    expect(verdicts()[0].ValidationStatusMessage).toContain('state "creating" after 3 checks 1000 ms apart, expected "available"');
  });

  it('fails a volume that does not exist', async () => {
    ebsMocks();
    ec2Mock.on(DescribeVolumesCommand).rejects(awsError('InvalidVolume.NotFound'));
    await validateRestore(testEbs, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: expect.stringMatching(/^EBS volume vol-0a1b2c3d4e5f60718: not found/) });
  });

  it('retries a throttled describe with backoff, then validates', async () => {
    ebsMocks();
    ec2Mock.on(DescribeVolumesCommand).rejectsOnce(awsError('RequestLimitExceeded')).resolves({ Volumes: [volume()] });
    await expect(validateRestore(testEbs, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL' });
    expect(logger.lines.some((l) => l.message === 'AWS call throttled; retrying')).toBe(true);
  });
});

// ---- RDS and Aurora --------------------------------------------------------------------------------

const DB_ID = 'awsbackup-restore-test-4f5e6d7c8b9a';
const CLUSTER_ID = 'awsbackup-restore-test-5a6b7c8d9e0f';

describe('RDS and Aurora restore tests', () => {
  beforeEach(() => {
    backupMock.on(GetRestoreJobMetadataCommand).resolves({ RestoreJobId: 'x', Metadata: { Engine: 'postgres', DBInstanceClass: 'db.t4g.medium' } });
  });

  it('passes an available DB instance with the recovery point engine', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testRds));
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: DB_ID, DBInstanceStatus: 'available', Engine: 'postgres' }] });
    const outcome = await validateRestore(testRds, deps());
    expect(outcome).toMatchObject({ validationStatus: 'SUCCESSFUL', message: `RDS DB instance ${DB_ID}: available, engine postgres like the recovery point` });
    expect(rdsMock.commandCalls(DescribeDBInstancesCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: DB_ID });
    expect(backupMock.commandCalls(GetRestoreJobMetadataCommand)[0].args[0].input).toEqual({ RestoreJobId: testRds.detail.restoreJobId });
  });

  it('fails a DB instance with another engine, naming both', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testRds));
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: DB_ID, DBInstanceStatus: 'available', Engine: 'mysql' }] });
    await validateRestore(testRds, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: `RDS DB instance ${DB_ID}: engine "mysql", expected "postgres" (the recovery point's)` });
  });

  it('fails a DB instance in a failed state without waiting', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testRds));
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: DB_ID, DBInstanceStatus: 'incompatible-restore', Engine: 'postgres' }] });
    await validateRestore(testRds, deps());
    expect(sleep).not.toHaveBeenCalled();
    expect(verdicts()[0].ValidationStatusMessage).toBe(`RDS DB instance ${DB_ID}: state "incompatible-restore", expected "available"`);
  });

  it('waits while the restored instance takes its first backup', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testRds));
    rdsMock
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: DB_ID, DBInstanceStatus: 'backing-up', Engine: 'postgres' }] })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: DB_ID, DBInstanceStatus: 'available', Engine: 'postgres' }] });
    await expect(validateRestore(testRds, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL' });
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('fails when the restore job metadata names no engine to compare with', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testRds));
    backupMock.on(GetRestoreJobMetadataCommand).resolves({ Metadata: { DBInstanceClass: 'db.t4g.medium' } });
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: DB_ID, DBInstanceStatus: 'available', Engine: 'postgres' }] });
    await validateRestore(testRds, deps());
    expect(verdicts()[0].ValidationStatusMessage).toContain('the expected engine is unknown');
  });

  it('fails a DB instance that does not exist', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testRds));
    rdsMock.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault'));
    await validateRestore(testRds, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: expect.stringContaining('not found') });
  });

  it('passes an available Aurora cluster with the recovery point engine (metadata keys in any case)', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testAurora));
    backupMock.on(GetRestoreJobMetadataCommand).resolves({ Metadata: { engine: 'aurora-postgresql' } });
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: CLUSTER_ID, Status: 'available', Engine: 'aurora-postgresql' }] });
    await expect(validateRestore(testAurora, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL', message: `Aurora DB cluster ${CLUSTER_ID}: available, engine aurora-postgresql like the recovery point` });
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)[0].args[0].input).toEqual({ DBClusterIdentifier: CLUSTER_ID });
    expect(rdsMock.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
  });

  it('fails an Aurora cluster that is not available', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testAurora));
    backupMock.on(GetRestoreJobMetadataCommand).resolves({ Metadata: { Engine: 'aurora-postgresql' } });
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: CLUSTER_ID, Status: 'inaccessible-encryption-credentials', Engine: 'aurora-postgresql' }] });
    await validateRestore(testAurora, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: expect.stringContaining('state "inaccessible-encryption-credentials"') });
  });

  it('throws (no verdict) when a describe is denied: a permission problem of this function is no failed restore', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testRds));
    rdsMock.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 'not authorized to perform rds:DescribeDBInstances'));
    const error = await validateRestore(testRds, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toBeInstanceOf(ValidateRestoreError);
    expect((error as AwsCallError).code).toBe('AccessDenied');
    expect(verdicts()).toEqual([]);
    expect(snsMock.calls()).toHaveLength(0);
    expect(logger.lines.at(-1)).toMatchObject({ level: 'ERROR', message: 'Restore test not validated' });
  });
});

// ---- DynamoDB, S3, EFS -----------------------------------------------------------------------------

describe('DynamoDB, S3 and EFS restore tests', () => {
  const TABLE = 'awsbackup-restore-test-6b7c8d9e0f1a';
  const BUCKET = 'awsbackup-restore-test-7c8d9e0f1a2b';
  const FS = 'fs-0123456789abcdef0';

  it('passes an ACTIVE table', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testDynamoDb));
    dynamodbMock.on(DescribeTableCommand).resolves({ Table: { TableName: TABLE, TableStatus: 'ACTIVE' } });
    await expect(validateRestore(testDynamoDb, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL', message: `DynamoDB table ${TABLE}: ACTIVE` });
    expect(dynamodbMock.commandCalls(DescribeTableCommand)[0].args[0].input).toEqual({ TableName: TABLE });
  });

  it('fails a table that does not exist', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testDynamoDb));
    dynamodbMock.on(DescribeTableCommand).rejects(awsError('ResourceNotFoundException'));
    await validateRestore(testDynamoDb, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: expect.stringMatching(/^DynamoDB table awsbackup-restore-test-6b7c8d9e0f1a: not found/) });
  });

  it('fails a table stuck in a non-ACTIVE state', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testDynamoDb));
    dynamodbMock.on(DescribeTableCommand).resolves({ Table: { TableName: TABLE, TableStatus: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS' } });
    await validateRestore(testDynamoDb, deps());
    expect(verdicts()[0].ValidationStatusMessage).toBe(`DynamoDB table ${TABLE}: state "INACCESSIBLE_ENCRYPTION_CREDENTIALS", expected "ACTIVE"`);
  });

  it('passes a bucket that holds objects, listing at most one key', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testS3));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 1, Contents: [{ Key: 'index.html' }] });
    await expect(validateRestore(testS3, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL', message: `S3 bucket ${BUCKET}: holds objects` });
    expect(s3Mock.commandCalls(ListObjectsV2Command)[0].args[0].input).toEqual({ Bucket: BUCKET, MaxKeys: 1 });
  });

  it('fails an empty bucket', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testS3));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    const outcome = await validateRestore(testS3, deps());
    expect(outcome).toMatchObject({ validationStatus: 'FAILED', notified: true });
    expect(verdicts()[0].ValidationStatusMessage).toBe(`S3 bucket ${BUCKET}: is empty: ListObjectsV2 found no object, so nothing was restored into it`);
  });

  it('fails a bucket that does not exist', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testS3));
    s3Mock.on(ListObjectsV2Command).rejects(awsError('NoSuchBucket'));
    await validateRestore(testS3, deps());
    expect(verdicts()[0].ValidationStatusMessage).toMatch(/^S3 bucket awsbackup-restore-test-7c8d9e0f1a2b: not found/);
  });

  it('passes an available file system', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testEfs));
    efsMock.on(DescribeFileSystemsCommand).resolves({ FileSystems: [{ FileSystemId: FS, LifeCycleState: 'available' } as never] });
    await expect(validateRestore(testEfs, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL', message: `EFS file system ${FS}: available` });
    expect(efsMock.commandCalls(DescribeFileSystemsCommand)[0].args[0].input).toEqual({ FileSystemId: FS });
  });

  it('fails a file system in error', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testEfs));
    efsMock.on(DescribeFileSystemsCommand).resolves({ FileSystems: [{ FileSystemId: FS, LifeCycleState: 'error' } as never] });
    await validateRestore(testEfs, deps());
    expect(verdicts()[0]).toMatchObject({ ValidationStatus: 'FAILED', ValidationStatusMessage: `EFS file system ${FS}: state "error", expected "available"` });
  });
});

// ---- EC2 -------------------------------------------------------------------------------------------

describe('EC2 restore tests', () => {
  const INSTANCE_ID = 'i-0abcdef0123456789';
  const event = { ...testEbs, detail: { ...testEbs.detail, resourceType: 'EC2', createdResourceArn: `arn:aws:ec2:${REGION}:222222222222:instance/${INSTANCE_ID}`, recoveryPointArn: `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0` } };

  it('passes a running instance and fails a stopped one', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(event));
    ec2Mock.on(DescribeInstancesCommand).resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: INSTANCE_ID, State: { Name: 'running' } }] }] }).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE_ID, State: { Name: 'stopped' } }] }] });
    await expect(validateRestore(event, deps())).resolves.toMatchObject({ validationStatus: 'SUCCESSFUL' });
    await expect(validateRestore(event, deps())).resolves.toMatchObject({ validationStatus: 'FAILED', message: `EC2 instance ${INSTANCE_ID}: state "stopped", expected "running"` });
  });
});

// ---- what is not validated -------------------------------------------------------------------------

describe('events that are not validated', () => {
  it.each([
    ['a completed recovery restore (no restoreTestingPlanArn)', completedRecoveryRds, /restoreTestingPlanArn is absent/],
    ['a completed recovery EBS restore', completedRecoveryEbs, /restoreTestingPlanArn is absent/],
    ['the CREATED event of a restore', created, /restoreTestingPlanArn is absent|not COMPLETED/],
    ['a FAILED restore test', testFailedRds, /status FAILED is not COMPLETED/],
    ['another detail-type', { ...testEbs, 'detail-type': 'Copy Job State Change' }, /detail-type "Copy Job State Change"/],
  ])('ignores %s without any AWS call', async (_d, event, reason) => {
    await expect(validateRestore(event, deps())).resolves.toEqual({ outcome: 'ignored', reason: expect.stringMatching(reason) });
    expect(awsCallCount()).toBe(0);
  });

  it('leaves a restore test of a type without a check (FSx) unvalidated, without any AWS call', async () => {
    const event = { ...testEfs, detail: { ...testEfs.detail, resourceType: 'FSx', createdResourceArn: `arn:aws:fsx:${REGION}:222222222222:file-system/fs-0123456789abcdef0` } };
    await expect(validateRestore(event, deps())).resolves.toMatchObject({ outcome: 'unsupported', resourceType: 'FSx' });
    expect(awsCallCount()).toBe(0);
  });

  it('does nothing on a duplicate delivery of an already validated job', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testS3, { ValidationStatus: 'SUCCESSFUL' }));
    await expect(validateRestore(testS3, deps())).resolves.toEqual({ outcome: 'already-validated', restoreJobId: testS3.detail.restoreJobId, validationStatus: 'SUCCESSFUL' });
    expect(s3Mock.calls()).toHaveLength(0);
    expect(verdicts()).toEqual([]);
  });

  it('does not validate a job AWS Backup does not attribute to restore testing, nor one already being deleted', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolvesOnce(restoreJob(testS3, { CreatedBy: undefined })).resolves(restoreJob(testS3, { DeletionStatus: 'DELETING' }));
    await expect(validateRestore(testS3, deps())).resolves.toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('not started by restore testing') });
    await expect(validateRestore(testS3, deps())).resolves.toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('validation window has closed') });
    expect(s3Mock.calls()).toHaveLength(0);
    expect(verdicts()).toEqual([]);
  });
});

describe('malformed events', () => {
  const withDetail = (detail: Record<string, unknown>) => ({ ...testEbs, detail: { ...testEbs.detail, ...detail } });
  it.each([
    ['not an object', 'hello', 'Malformed event: expected an EventBridge event object, got string'],
    ['no detail', { source: 'aws.backup' }, 'Malformed event: "detail" is missing'],
    ['detail not an object', { detail: [1] }, 'Malformed event: "detail" must be an object, got array'],
    ['no restoreJobId', withDetail({ restoreJobId: undefined }), 'Malformed event: detail.restoreJobId is missing from a COMPLETED restore test event (the job to report the validation of)'],
    ['restoreJobId of another type', withDetail({ restoreJobId: 42 }), 'Malformed event: detail.restoreJobId must be a string, got number 42'],
    ['no resourceType', withDetail({ resourceType: null }), 'Malformed event: detail.resourceType is missing from a COMPLETED restore test event (what to check)'],
    ['no createdResourceArn', withDetail({ createdResourceArn: '' }), 'Malformed event: detail.createdResourceArn is missing from a COMPLETED restore test event (the restored EBS resource)'],
    [
      'a createdResourceArn of another type of resource',
      withDetail({ createdResourceArn: 'arn:aws:rds:ap-northeast-1:222222222222:db:x' }),
      'Malformed event: detail.createdResourceArn "arn:aws:rds:ap-northeast-1:222222222222:db:x" is not what a EBS restore creates (arn:<partition>:ec2:<region>:<account>:volume/vol-...)',
    ],
    ['a restoreTestingPlanArn that is no plan ARN', withDetail({ restoreTestingPlanArn: 'arn:aws:backup:ap-northeast-1:222222222222:backup-plan:x' }), /^Malformed event: detail.restoreTestingPlanArn "arn:aws:backup:ap-northeast-1:222222222222:backup-plan:x" is not a restore testing plan ARN/],
    ['a backupSizeInBytes that is no number', withDetail({ backupSizeInBytes: '8 GiB' }), 'Malformed event: detail.backupSizeInBytes must be a whole number of bytes (a number or a string of digits), got "8 GiB"'],
  ])('%s: a clear error before any AWS call, no verdict', async (_d, event, message) => {
    const error = await validateRestore(event, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedEventError);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
    expect(awsCallCount()).toBe(0);
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'ERROR', message: 'Restore test not validated' })]);
  });
});

describe('reporting', () => {
  it('reports without paging when no on-call topic is configured', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testS3));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    await expect(validateRestore(testS3, deps({ sns: undefined, topicArn: undefined }))).resolves.toMatchObject({ validationStatus: 'FAILED', notified: false });
    expect(verdicts()).toHaveLength(1);
  });

  it('keeps the verdict message within its bound', () => {
    const long = verdictMessage('EBS volume vol-0', ['x'.repeat(5000)], []);
    expect(long).toHaveLength(MAX_VALIDATION_MESSAGE_LENGTH);
    expect(long.endsWith('...')).toBe(true);
  });

  it('fails (no verdict lost) when the verdict cannot be recorded, after paging', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves(restoreJob(testS3));
    backupMock.on(PutRestoreValidationResultCommand).rejects(awsError('InvalidRequestException'));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    await expect(validateRestore(testS3, deps())).rejects.toThrow(/PutRestoreValidationResult\(91A2B3C4-5F6A-4B7C-8D34-E5F6A7B8C9D0\) failed: InvalidRequestException/);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });
});

describe('REQUIRED_ACTIONS', () => {
  it('lists every action the logic can call, and per tested type only what that type needs', () => {
    expect([...REQUIRED_ACTIONS].sort()).toEqual([
      'backup:DescribeRestoreJob',
      'backup:GetRestoreJobMetadata',
      'backup:ListTags',
      'backup:PutRestoreValidationResult',
      'dynamodb:DescribeTable',
      'ec2:DescribeInstances',
      'ec2:DescribeSnapshots',
      'ec2:DescribeVolumes',
      'elasticfilesystem:DescribeFileSystems',
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
      's3:ListBucket',
      'sns:Publish',
    ]);
    expect(requiredActionsFor(['S3'])).toEqual(['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult', 's3:ListBucket', 'sns:Publish']);
    expect(requiredActionsFor(['FSx'])).toEqual(['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult', 'sns:Publish']);
  });
});
