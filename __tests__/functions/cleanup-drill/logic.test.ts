import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteVolumeCommand, DescribeVolumesCommand, DetachVolumeCommand, EC2Client, TerminateInstancesCommand, type Volume } from '@aws-sdk/client-ec2';
import { DeleteFileSystemCommand, DeleteMountTargetCommand, DescribeMountTargetsCommand, EFSClient } from '@aws-sdk/client-efs';
import { DeleteDBClusterCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CleanupIncompleteError,
  CleanupRefusedError,
  InvalidInputError,
  REQUIRED_ACTIONS,
  S3_SKIP_REASON,
  cleanupDrill,
  type CleanupOptions,
} from '../../../functions/cleanup-drill/logic';
import { DR_ACCOUNT as ACCOUNT, DR_REGION as REGION } from '../../helpers/functions/estate-ids';
import { recordLogsAndSleeps } from '../../helpers/functions/recorded-logs';
import { throttledFirst } from '../../helpers/functions/throttled-first';
import { expectLoggedRejection } from '../../helpers/functions/logged-rejection';
import { mockEach } from '../../helpers/functions/mock-each';

const VOLUME_ID = 'vol-0123456789abcdef0';
const VOLUME_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${VOLUME_ID}`;
const OTHER_VOLUME_ID = 'vol-0fedcba9876543210';
const OTHER_VOLUME_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${OTHER_VOLUME_ID}`;
const INSTANCE_ID = 'i-0aaaaaaaaaaaaaaa1';
const INSTANCE_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
const DB_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:shop-db-drill`;
const CLUSTER_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:shop-aurora-drill`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/shop-orders-drill`;
const FS_ID = 'fs-0123456789abcdef0';
const FS_ARN = `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${FS_ID}`;
const BUCKET_ARN = 'arn:aws:s3:::acme-recovery-restores';

const [ec2Mock, rdsMock, dynamodbMock, efsMock, autoScalingMock] = mockEach(EC2Client, RDSClient, DynamoDBClient, EFSClient, AutoScalingClient);
const clients = {
  ec2: new EC2Client({ region: REGION }),
  rds: new RDSClient({ region: REGION }),
  dynamodb: new DynamoDBClient({ region: REGION }),
  efs: new EFSClient({ region: REGION }),
  autoScaling: new AutoScalingClient({ region: REGION }),
};

function drill(restores: unknown[] = [], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { mode: 'drill', executionName: 'shop-drill-2026-11-20', accountId: ACCOUNT, region: REGION, restores, autoScalingGroups: [], ...overrides };
}

const restore = (resourceType: string, createdResourceArn: string) => ({ resourceType, createdResourceArn, status: 'COMPLETED' });

function awsError(name: string, message = `${name} message`): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const throttle = (name = 'RequestLimitExceeded') => awsError(name, 'Rate exceeded');

function volume(overrides: Partial<Volume> = {}): Volume {
  return { VolumeId: VOLUME_ID, State: 'available', AvailabilityZone: `${REGION}a`, Attachments: [], ...overrides };
}

const attached = (state: 'attached' | 'detaching' = 'attached'): Volume =>
  volume({ State: 'in-use', Attachments: [{ VolumeId: VOLUME_ID, InstanceId: INSTANCE_ID, Device: '/dev/sdf', State: state }] });

const { logs, sleeps, logger, sleep } = recordLogsAndSleeps();

function harness(options: Partial<CleanupOptions> = {}) {
  return { ...clients, logger, sleep, random: () => 0.5, options };
}

const run = (input: unknown, options: Partial<CleanupOptions> = {}) => cleanupDrill(input, harness(options));

const mocks = [ec2Mock, rdsMock, dynamodbMock, efsMock, autoScalingMock];
/** A recorded call of any of the mocks: the command sent, and sinon's global call order. */
interface RecordedCall {
  readonly callId: number;
  readonly args: readonly [{ readonly input: unknown; readonly constructor: { readonly name: string } }];
}
const allCalls = (): RecordedCall[] => mocks.flatMap((m) => m.calls() as unknown as RecordedCall[]);
/** Every AWS call, in order, as `Command input`. */
function callLog(): string[] {
  return allCalls()
    .sort((a, b) => a.callId - b.callId)
    .map((c) => `${c.args[0].constructor.name.replace(/Command$/, '')} ${JSON.stringify(c.args[0].input)}`);
}

beforeEach(() => {
  for (const m of mocks) m.reset();
});

describe('REQUIRED_ACTIONS', () => {
  it('lists exactly the actions the logic calls', () => {
    expect([...REQUIRED_ACTIONS].sort()).toEqual([
      'autoscaling:UpdateAutoScalingGroup',
      'dynamodb:DeleteTable',
      'ec2:DeleteVolume',
      'ec2:DescribeVolumes',
      'ec2:DetachVolume',
      'ec2:TerminateInstances',
      'elasticfilesystem:DeleteFileSystem',
      'elasticfilesystem:DeleteMountTarget',
      'elasticfilesystem:DescribeMountTargets',
      'rds:DeleteDBCluster',
      'rds:DeleteDBInstance',
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
    ]);
  });
});

describe('refusals and invalid input', () => {
  it('refuses a failover before any AWS call, even with an otherwise malformed input', async () => {
    for (const input of [drill([restore('EBS', VOLUME_ARN)], { mode: 'failover', autoScalingGroups: ['acme-shop-app'] }), { mode: 'failover' }]) {
      const promise = run(input);
      await expect(promise).rejects.toThrow(CleanupRefusedError);
      await expect(promise).rejects.toThrow('refusing to clean up after a failover: its restored resources are the recovered workload and must never be deleted');
    }
    expect(allCalls()).toHaveLength(0);
    expect(logs.error).toHaveLength(2);
    expect(logs.error[0]).toMatchObject({ message: 'Drill cleanup failed', errorMessage: expect.stringContaining('mode is "failover"') });
  });

  it.each([
    ['not an object', ['drill'], 'Invalid input: expected an object, got an array'],
    ['no mode', drill([], { mode: undefined }), '"mode" is missing'],
    ['another mode', drill([], { mode: 'Drill' }), '"mode" must be "drill" (a failover is never cleaned up), got "Drill"'],
    ['no executionName', drill([], { executionName: undefined }), '"executionName" is missing'],
    ['a bad accountId', drill([], { accountId: '2222' }), '"accountId" must be a 12-digit AWS account ID, got "2222"'],
    ['a numeric accountId', drill([], { accountId: 222222222222 }), '"accountId" must be a non-empty string, got number 222222222222'],
    ['a bad region', drill([], { region: 'Tokyo' }), '"region" must be an AWS region such as ap-northeast-1, got "Tokyo"'],
    ['no restores', drill([], { restores: undefined }), '"restores" is missing'],
    ['restores not an array', drill([], { restores: {} }), '"restores" must be an array, got an object'],
    ['a restore that is not an object', drill([VOLUME_ARN]), '"restores[0]" must be an object'],
    ['a restore without resourceType', drill([restore('EBS', VOLUME_ARN), { createdResourceArn: VOLUME_ARN }]), '"restores[1].resourceType" is missing'],
    ['a non-string createdResourceArn', drill([{ resourceType: 'EBS', createdResourceArn: 42 }]), '"restores[0].createdResourceArn" must be a string, got number 42'],
    ['a createdResourceArn that is no ARN', drill([restore('EBS', VOLUME_ID)]), '"restores[0].createdResourceArn" must be an ARN'],
    ['autoScalingGroups not an array', drill([], { autoScalingGroups: 'acme-shop-app' }), '"autoScalingGroups" must be an array of names'],
    ['an empty group name', drill([], { autoScalingGroups: ['acme-shop-app', ''] }), '"autoScalingGroups[1]" must be a non-empty string'],
    ['a group ARN instead of a name', drill([], { autoScalingGroups: ['arn:aws:autoscaling:x'] }), '"autoScalingGroups[0]" must be an Auto Scaling group name'],
  ])('throws, logged, naming the field for %s, without any AWS call', async (_name, input, message) => {
    await expectLoggedRejection(run(input), InvalidInputError, message, logs.error, 'Drill cleanup failed');
    expect(allCalls()).toHaveLength(0);
  });

  it('refuses a drill of another region than its clients, without any AWS call', async () => {
    await expect(run(drill([restore('EBS', VOLUME_ARN.replace(REGION, 'us-east-1'))], { region: 'us-east-1' }))).rejects.toThrow(
      `the drill ran in us-east-1 but this function's EC2 client works in ${REGION}; nothing cleaned up`,
    );
    expect(allCalls()).toHaveLength(0);
  });
});

describe('Auto Scaling groups', () => {
  it('scales every group to zero before touching any restored resource', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume()] });
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    dynamodbMock.on(DeleteTableCommand).resolves({});
    autoScalingMock.on(UpdateAutoScalingGroupCommand).resolves({});

    await expect(run(drill([restore('EBS', VOLUME_ARN), restore('DynamoDB', TABLE_ARN)], { autoScalingGroups: ['acme-shop-web', 'acme-shop-app', 'acme-shop-web'] }))).resolves.toEqual({
      deleted: [VOLUME_ARN, TABLE_ARN].sort(),
      skipped: [],
      scaledToZero: ['acme-shop-app', 'acme-shop-web'],
    });
    const log = callLog();
    expect(log.slice(0, 2)).toEqual([
      'UpdateAutoScalingGroup {"AutoScalingGroupName":"acme-shop-web","MinSize":0,"DesiredCapacity":0}',
      'UpdateAutoScalingGroup {"AutoScalingGroupName":"acme-shop-app","MinSize":0,"DesiredCapacity":0}',
    ]);
    expect(log).toHaveLength(5);
  });

  it('works with no groups and no restores', async () => {
    await expect(run(drill([], { autoScalingGroups: undefined }))).resolves.toEqual({ deleted: [], skipped: [], scaledToZero: [] });
    expect(allCalls()).toHaveLength(0);
  });
});

describe('each resource type', () => {
  it('EBS volume, available: DescribeVolumes, DeleteVolume', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume()] });
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    await expect(run(drill([restore('EBS', VOLUME_ARN)]))).resolves.toEqual({ deleted: [VOLUME_ARN], skipped: [], scaledToZero: [] });
    expect(callLog()).toEqual([`DescribeVolumes {"VolumeIds":["${VOLUME_ID}"]}`, `DeleteVolume {"VolumeId":"${VOLUME_ID}"}`]);
    expect(sleeps).toEqual([]);
  });

  it('EBS volume, attached: DetachVolume (not forced), wait until available, DeleteVolume', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [attached()] }).resolvesOnce({ Volumes: [attached('detaching')] }).resolves({ Volumes: [volume()] });
    ec2Mock.on(DetachVolumeCommand).resolves({ State: 'detaching' });
    ec2Mock.on(DeleteVolumeCommand).resolves({});

    await expect(run(drill([restore('EBS', VOLUME_ARN)]))).resolves.toMatchObject({ deleted: [VOLUME_ARN] });
    expect(callLog()).toEqual([
      `DescribeVolumes {"VolumeIds":["${VOLUME_ID}"]}`,
      `DetachVolume {"VolumeId":"${VOLUME_ID}","InstanceId":"${INSTANCE_ID}","Force":false}`,
      `DescribeVolumes {"VolumeIds":["${VOLUME_ID}"]}`,
      `DescribeVolumes {"VolumeIds":["${VOLUME_ID}"]}`,
      `DeleteVolume {"VolumeId":"${VOLUME_ID}"}`,
    ]);
    expect(sleeps).toEqual([5000, 5000]);
  });

  it('EBS volume already detaching: no DetachVolume, waits, deletes', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [attached('detaching')] }).resolves({ Volumes: [volume()] });
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    await expect(run(drill([restore('EBS', VOLUME_ARN)]))).resolves.toMatchObject({ deleted: [VOLUME_ARN] });
    expect(ec2Mock.commandCalls(DetachVolumeCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(1);
  });

  it('EBS volume: DetachVolume IncorrectState (detached meanwhile) is waited out', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [attached()] }).resolves({ Volumes: [volume()] });
    ec2Mock.on(DetachVolumeCommand).rejects(awsError('IncorrectState', `Volume '${VOLUME_ID}' is in the 'available' state.`));
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    await expect(run(drill([restore('EBS', VOLUME_ARN)]))).resolves.toMatchObject({ deleted: [VOLUME_ARN] });
    expect(logs.warn.map((l) => l.message)).toEqual([`DetachVolume(${VOLUME_ID} from ${INSTANCE_ID}) failed with IncorrectState: already detaching or detached; waiting`]);
  });

  it('EBS volume that never detaches: bounded wait, not deleted, reported', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [attached()] });
    ec2Mock.on(DetachVolumeCommand).resolves({});
    const promise = run(drill([restore('EBS', VOLUME_ARN)]), { maxDetachChecks: 3, pollIntervalMs: 1000 });
    await expect(promise).rejects.toThrow(CleanupIncompleteError);
    await expect(promise).rejects.toThrow(
      `${VOLUME_ARN}: volume ${VOLUME_ID} is still "in-use" (attachments: ${INSTANCE_ID} (attached)) after 3 checks 1000 ms apart; not deleted`,
    );
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)).toHaveLength(4);
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(0);
  });

  it('EC2 instance: TerminateInstances', async () => {
    ec2Mock.on(TerminateInstancesCommand).resolves({ TerminatingInstances: [{ InstanceId: INSTANCE_ID }] });
    await expect(run(drill([restore('EC2', INSTANCE_ARN)]))).resolves.toEqual({ deleted: [INSTANCE_ARN], skipped: [], scaledToZero: [] });
    expect(callLog()).toEqual([`TerminateInstances {"InstanceIds":["${INSTANCE_ID}"]}`]);
  });

  it('RDS DB instance: DeleteDBInstance, skipping the final snapshot, deleting automated backups', async () => {
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
    await expect(run(drill([restore('RDS', DB_ARN)]))).resolves.toEqual({ deleted: [DB_ARN], skipped: [], scaledToZero: [] });
    expect(callLog()).toEqual(['DeleteDBInstance {"DBInstanceIdentifier":"shop-db-drill","SkipFinalSnapshot":true,"DeleteAutomatedBackups":true}']);
  });

  it('RDS DB instance already being deleted (a retry of the step): deleted', async () => {
    rdsMock.on(DeleteDBInstanceCommand).rejects(awsError('InvalidDBInstanceStateFault', 'Instance shop-db-drill is already being deleted.'));
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'shop-db-drill', DBInstanceStatus: 'deleting' }] });
    await expect(run(drill([restore('RDS', DB_ARN)]))).resolves.toMatchObject({ deleted: [DB_ARN] });
    expect(rdsMock.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input)).toEqual([{ DBInstanceIdentifier: 'shop-db-drill' }]);
  });

  it('RDS DB instance in another state that refuses deletion: reported with its status', async () => {
    rdsMock.on(DeleteDBInstanceCommand).rejects(awsError('InvalidDBInstanceStateFault', 'Instance is not in available state.'));
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'shop-db-drill', DBInstanceStatus: 'backing-up' }] });
    await expect(run(drill([restore('RDS', DB_ARN)]))).rejects.toThrow(
      `${DB_ARN}: DeleteDBInstance(shop-db-drill) failed: InvalidDBInstanceStateFault: Instance is not in available state. (DB instance status "backing-up")`,
    );
  });

  it('Aurora cluster: its instances first, then DeleteDBCluster skipping the final snapshot', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [{ DBClusterIdentifier: 'shop-aurora-drill', Status: 'available', DBClusterMembers: [{ DBInstanceIdentifier: 'shop-aurora-drill-2' }, { DBInstanceIdentifier: 'shop-aurora-drill-1' }] }],
    });
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
    rdsMock.on(DeleteDBClusterCommand).resolves({});
    await expect(run(drill([restore('Aurora', CLUSTER_ARN)]))).resolves.toEqual({ deleted: [CLUSTER_ARN], skipped: [], scaledToZero: [] });
    expect(callLog()).toEqual([
      'DescribeDBClusters {"DBClusterIdentifier":"shop-aurora-drill"}',
      'DeleteDBInstance {"DBInstanceIdentifier":"shop-aurora-drill-1"}',
      'DeleteDBInstance {"DBInstanceIdentifier":"shop-aurora-drill-2"}',
      'DeleteDBCluster {"DBClusterIdentifier":"shop-aurora-drill","SkipFinalSnapshot":true}',
    ]);
  });

  it('Aurora cluster with no instances (as AWS Backup restores it): DeleteDBCluster only', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'shop-aurora-drill', Status: 'available', DBClusterMembers: [] }] });
    rdsMock.on(DeleteDBClusterCommand).resolves({});
    await expect(run(drill([restore('Aurora', CLUSTER_ARN)]))).resolves.toMatchObject({ deleted: [CLUSTER_ARN] });
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(0);
  });

  it('Aurora cluster with deletion protection: nothing deleted, reported', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [{ DBClusterIdentifier: 'shop-aurora-drill', Status: 'available', DeletionProtection: true, DBClusterMembers: [{ DBInstanceIdentifier: 'shop-aurora-drill-1' }] }],
    });
    await expect(run(drill([restore('Aurora', CLUSTER_ARN)]))).rejects.toThrow(`${CLUSTER_ARN}: DB cluster shop-aurora-drill has deletion protection enabled`);
    expect(callLog()).toEqual(['DescribeDBClusters {"DBClusterIdentifier":"shop-aurora-drill"}']);
  });

  it('Aurora cluster already deleting: deleted, nothing called again', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'shop-aurora-drill', Status: 'deleting' }] });
    await expect(run(drill([restore('Aurora', CLUSTER_ARN)]))).resolves.toMatchObject({ deleted: [CLUSTER_ARN] });
    expect(callLog()).toHaveLength(1);
  });

  it('DynamoDB table: DeleteTable', async () => {
    dynamodbMock.on(DeleteTableCommand).resolves({});
    await expect(run(drill([restore('DynamoDB', TABLE_ARN)]))).resolves.toEqual({ deleted: [TABLE_ARN], skipped: [], scaledToZero: [] });
    expect(callLog()).toEqual(['DeleteTable {"TableName":"shop-orders-drill"}']);
  });

  it('EFS file system: deletes its mount targets, waits until none is left, then DeleteFileSystem', async () => {
    efsMock
      .on(DescribeMountTargetsCommand)
      .resolvesOnce({
        MountTargets: [
          { MountTargetId: 'fsmt-1', FileSystemId: FS_ID, SubnetId: 'subnet-1', LifeCycleState: 'available' },
          { MountTargetId: 'fsmt-2', FileSystemId: FS_ID, SubnetId: 'subnet-2', LifeCycleState: 'available' },
        ],
      })
      .resolvesOnce({ MountTargets: [{ MountTargetId: 'fsmt-2', FileSystemId: FS_ID, SubnetId: 'subnet-2', LifeCycleState: 'deleting' }] })
      .resolves({ MountTargets: [] });
    efsMock.on(DeleteMountTargetCommand).resolves({});
    efsMock.on(DeleteFileSystemCommand).resolves({});

    await expect(run(drill([restore('EFS', FS_ARN)]))).resolves.toEqual({ deleted: [FS_ARN], skipped: [], scaledToZero: [] });
    expect(callLog()).toEqual([
      `DescribeMountTargets {"FileSystemId":"${FS_ID}"}`,
      'DeleteMountTarget {"MountTargetId":"fsmt-1"}',
      'DeleteMountTarget {"MountTargetId":"fsmt-2"}',
      `DescribeMountTargets {"FileSystemId":"${FS_ID}"}`,
      `DescribeMountTargets {"FileSystemId":"${FS_ID}"}`,
      `DeleteFileSystem {"FileSystemId":"${FS_ID}"}`,
    ]);
    expect(sleeps).toEqual([5000, 5000]);
  });

  it('EFS file system without mount targets: DeleteFileSystem at once; pages of mount targets are followed', async () => {
    efsMock.on(DescribeMountTargetsCommand).resolvesOnce({ MountTargets: [], NextMarker: 'm2' }).resolves({ MountTargets: [] });
    efsMock.on(DeleteFileSystemCommand).resolves({});
    await expect(run(drill([restore('EFS', FS_ARN)]))).resolves.toMatchObject({ deleted: [FS_ARN] });
    expect(efsMock.commandCalls(DescribeMountTargetsCommand).map((c) => c.args[0].input)).toEqual([{ FileSystemId: FS_ID }, { FileSystemId: FS_ID, Marker: 'm2' }]);
    expect(sleeps).toEqual([]);
  });

  it('EFS mount targets that never go: bounded wait, file system not deleted, reported', async () => {
    efsMock.on(DescribeMountTargetsCommand).resolves({ MountTargets: [{ MountTargetId: 'fsmt-1', FileSystemId: FS_ID, SubnetId: 'subnet-1', LifeCycleState: 'deleting' }] });
    await expect(run(drill([restore('EFS', FS_ARN)]), { maxMountTargetChecks: 2, pollIntervalMs: 1000 })).rejects.toThrow(
      `${FS_ARN}: file system ${FS_ID} still has mount targets fsmt-1 (deleting) after 2 checks 1000 ms apart; not deleted`,
    );
    expect(sleeps).toEqual([1000, 1000]);
    expect(efsMock.commandCalls(DeleteMountTargetCommand)).toHaveLength(0);
    expect(efsMock.commandCalls(DeleteFileSystemCommand)).toHaveLength(0);
  });
});

describe('already gone counts as deleted (a retry of the step succeeds)', () => {
  it.each([
    ['EBS, DescribeVolumes', 'EBS', VOLUME_ARN, () => ec2Mock.on(DescribeVolumesCommand).rejects(awsError('InvalidVolume.NotFound', `The volume '${VOLUME_ID}' does not exist.`))],
    ['EBS, deleting', 'EBS', VOLUME_ARN, () => ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ State: 'deleting' })] })],
    [
      'EBS, DeleteVolume',
      'EBS',
      VOLUME_ARN,
      () => {
        ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume()] });
        ec2Mock.on(DeleteVolumeCommand).rejects(awsError('InvalidVolume.NotFound'));
      },
    ],
    ['EC2', 'EC2', INSTANCE_ARN, () => ec2Mock.on(TerminateInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'))],
    ['RDS', 'RDS', DB_ARN, () => rdsMock.on(DeleteDBInstanceCommand).rejects(awsError('DBInstanceNotFoundFault', 'DBInstance shop-db-drill not found.'))],
    ['Aurora, DescribeDBClusters', 'Aurora', CLUSTER_ARN, () => rdsMock.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault'))],
    [
      'Aurora, DeleteDBCluster',
      'Aurora',
      CLUSTER_ARN,
      () => {
        rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'shop-aurora-drill', Status: 'available', DBClusterMembers: [{ DBInstanceIdentifier: 'm-1' }] }] });
        rdsMock.on(DeleteDBInstanceCommand).rejects(awsError('DBInstanceNotFound'));
        rdsMock.on(DeleteDBClusterCommand).rejects(awsError('DBClusterNotFoundFault'));
      },
    ],
    ['DynamoDB', 'DynamoDB', TABLE_ARN, () => dynamodbMock.on(DeleteTableCommand).rejects(awsError('ResourceNotFoundException', 'Requested resource not found'))],
    ['EFS, DescribeMountTargets', 'EFS', FS_ARN, () => efsMock.on(DescribeMountTargetsCommand).rejects(awsError('FileSystemNotFound'))],
    [
      'EFS, DeleteMountTarget and DeleteFileSystem',
      'EFS',
      FS_ARN,
      () => {
        efsMock.on(DescribeMountTargetsCommand).resolvesOnce({ MountTargets: [{ MountTargetId: 'fsmt-1', FileSystemId: FS_ID, SubnetId: 'subnet-1', LifeCycleState: 'available' }] }).resolves({ MountTargets: [] });
        efsMock.on(DeleteMountTargetCommand).rejects(awsError('MountTargetNotFound'));
        efsMock.on(DeleteFileSystemCommand).rejects(awsError('FileSystemNotFound'));
      },
    ],
  ])('%s', async (_name, resourceType, arn, arrange) => {
    arrange();
    await expect(run(drill([restore(resourceType, arn)]))).resolves.toEqual({ deleted: [arn], skipped: [], scaledToZero: [] });
    expect(logs.info.at(-2)).toMatchObject({ message: 'Restored resource already gone or being deleted', arn });
    expect(logs.error).toEqual([]);
  });
});

describe('skipped resources', () => {
  it('skips resources of another account or region, and S3 restores, without any AWS call', async () => {
    const foreignAccount = `arn:aws:ec2:${REGION}:333333333333:volume/${VOLUME_ID}`;
    const foreignRegion = `arn:aws:dynamodb:ap-northeast-2:${ACCOUNT}:table/shop-orders-drill`;
    await expect(
      run(drill([restore('EBS', foreignAccount), restore('DynamoDB', foreignRegion), restore('S3', BUCKET_ARN), restore('S3', `${BUCKET_ARN}/shop/`)])),
    ).resolves.toEqual({
      deleted: [],
      skipped: [
        { arn: foreignAccount, reason: `outside the drill's account ${ACCOUNT} and region ${REGION} (the ARN names account 333333333333, region ${REGION}); not touched` },
        { arn: foreignRegion, reason: `outside the drill's account ${ACCOUNT} and region ${REGION} (the ARN names account ${ACCOUNT}, region ap-northeast-2); not touched` },
        { arn: BUCKET_ARN, reason: S3_SKIP_REASON },
        { arn: `${BUCKET_ARN}/shop/`, reason: S3_SKIP_REASON },
      ].sort((a, b) => (a.arn < b.arn ? -1 : 1)),
      scaledToZero: [],
    });
    expect(S3_SKIP_REASON).toBe('objects restored into the recovery bucket are kept; expire them with a lifecycle rule');
    expect(allCalls()).toHaveLength(0);
  });

  it('skips types it does not clean up and ARNs that do not match their type', async () => {
    const fsx = `arn:aws:fsx:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`;
    const snapshot = `arn:aws:ec2:${REGION}:${ACCOUNT}:snapshot/snap-0123456789abcdef0`;
    await expect(run(drill([restore('FSx', fsx), restore('EBS', snapshot), restore('EC2', VOLUME_ARN)]))).resolves.toEqual({
      deleted: [],
      skipped: [
        { arn: snapshot, reason: 'resource type EBS but the ARN is not an EBS volume (arn:aws:ec2:<region>:<account>:volume/vol-...); not touched' },
        { arn: VOLUME_ARN, reason: 'resource type EC2 but the ARN is not an EC2 instance (arn:aws:ec2:<region>:<account>:instance/i-...); not touched' },
        { arn: fsx, reason: 'resource type FSx is not cleaned up by this function; delete it by hand' },
      ],
      scaledToZero: [],
    });
    expect(allCalls()).toHaveLength(0);
  });

  it('ignores restores that created nothing, and cleans each ARN once', async () => {
    dynamodbMock.on(DeleteTableCommand).resolves({});
    await expect(run(drill([{ resourceType: 'EBS', status: 'FAILED' }, { resourceType: 'RDS', createdResourceArn: null }, restore('DynamoDB', TABLE_ARN), restore('DynamoDB', TABLE_ARN)]))).resolves.toEqual({
      deleted: [TABLE_ARN],
      skipped: [],
      scaledToZero: [],
    });
    expect(dynamodbMock.commandCalls(DeleteTableCommand)).toHaveLength(1);
    expect(logs.info.filter((l) => l.message === 'Restore created no resource; nothing to delete').map((l) => l.restoreIndex)).toEqual([0, 1]);
  });
});

describe('failures', () => {
  it('one failure does not stop the others; every failure is thrown at the end, with what was done', async () => {
    autoScalingMock.on(UpdateAutoScalingGroupCommand, { AutoScalingGroupName: 'acme-shop-app' }).rejects(awsError('ValidationError', 'AutoScalingGroup name not found - null'));
    autoScalingMock.on(UpdateAutoScalingGroupCommand, { AutoScalingGroupName: 'acme-shop-web' }).resolves({});
    ec2Mock.on(DescribeVolumesCommand, { VolumeIds: [VOLUME_ID] }).resolves({ Volumes: [volume()] });
    ec2Mock.on(DescribeVolumesCommand, { VolumeIds: [OTHER_VOLUME_ID] }).resolves({ Volumes: [volume({ VolumeId: OTHER_VOLUME_ID })] });
    ec2Mock.on(DeleteVolumeCommand, { VolumeId: VOLUME_ID }).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    ec2Mock.on(DeleteVolumeCommand, { VolumeId: OTHER_VOLUME_ID }).resolves({});
    dynamodbMock.on(DeleteTableCommand).resolves({});

    const promise = run(drill([restore('EBS', VOLUME_ARN), restore('EBS', OTHER_VOLUME_ARN), restore('DynamoDB', TABLE_ARN), restore('S3', BUCKET_ARN)], { autoScalingGroups: ['acme-shop-app', 'acme-shop-web'] }));
    await expect(promise).rejects.toThrow(CleanupIncompleteError);
    const error = (await promise.catch((e: unknown) => e)) as CleanupIncompleteError;
    expect(error.message).toBe(
      'drill cleanup incomplete: 2 of 5 failed (1 group(s) scaled to zero, 2 resource(s) deleted, 1 skipped): ' +
        'Auto Scaling group acme-shop-app: UpdateAutoScalingGroup(acme-shop-app) failed: ValidationError: AutoScalingGroup name not found - null; ' +
        `${VOLUME_ARN}: DeleteVolume(${VOLUME_ID}) failed: UnauthorizedOperation: You are not authorized to perform this operation.`,
    );
    expect(error.result).toEqual({ deleted: [OTHER_VOLUME_ARN, TABLE_ARN].sort(), skipped: [{ arn: BUCKET_ARN, reason: S3_SKIP_REASON }], scaledToZero: ['acme-shop-web'] });
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(2);
    expect(dynamodbMock.commandCalls(DeleteTableCommand)).toHaveLength(1);
    expect(logs.error.map((l) => [l.message, l.arn ?? l.autoScalingGroup])).toEqual([
      ['Not cleaned up', 'acme-shop-app'],
      ['Not cleaned up', VOLUME_ARN],
      ['Drill cleanup failed', undefined],
    ]);
    expect(logs.error[2].result).toEqual(error.result);
  });

  it('a failing Aurora instance leaves its cluster undeleted', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'shop-aurora-drill', Status: 'available', DBClusterMembers: [{ DBInstanceIdentifier: 'm-1' }] }] });
    rdsMock.on(DeleteDBInstanceCommand).rejects(awsError('AccessDenied', 'not authorized'));
    await expect(run(drill([restore('Aurora', CLUSTER_ARN)]))).rejects.toThrow(`${CLUSTER_ARN}: DeleteDBInstance(m-1) failed: AccessDenied: not authorized`);
    expect(rdsMock.commandCalls(DeleteDBClusterCommand)).toHaveLength(0);
  });
});

describe('throttling', () => {
  it('retries throttled calls with growing, jittered backoff, then succeeds', async () => {
    autoScalingMock.on(UpdateAutoScalingGroupCommand).rejectsOnce(throttle('Throttling')).resolves({});
    throttledFirst(dynamodbMock.on(DeleteTableCommand), throttle('ThrottlingException'), throttle('LimitExceededException')).resolves({});
    ec2Mock.on(TerminateInstancesCommand).rejectsOnce(throttle('RequestLimitExceeded')).resolves({});

    await expect(run(drill([restore('DynamoDB', TABLE_ARN), restore('EC2', INSTANCE_ARN)], { autoScalingGroups: ['acme-shop-app'] }), { concurrency: 1 })).resolves.toEqual({
      deleted: [TABLE_ARN, INSTANCE_ARN], // sorted: arn:aws:dynamodb < arn:aws:ec2
      skipped: [],
      scaledToZero: ['acme-shop-app'],
    });
    // random() = 0.5: 3/4 of 250 ms, then of 500 ms.
    expect(sleeps).toEqual([188, 188, 375, 188]);
    expect(logs.warn.map((l) => [l.operation, l.errorCode, l.attempt])).toEqual([
      ['UpdateAutoScalingGroup(acme-shop-app)', 'Throttling', 1],
      ['DeleteTable(shop-orders-drill)', 'ThrottlingException', 1],
      ['DeleteTable(shop-orders-drill)', 'LimitExceededException', 2],
      [`TerminateInstances(${INSTANCE_ID})`, 'RequestLimitExceeded', 1],
    ]);
    expect(logs.error).toEqual([]);
  });

  it('gives up after a bounded number of attempts, reporting it, after finishing the rest', async () => {
    efsMock.on(DescribeMountTargetsCommand).rejects(throttle('ThrottlingException'));
    dynamodbMock.on(DeleteTableCommand).resolves({});
    await expect(run(drill([restore('EFS', FS_ARN), restore('DynamoDB', TABLE_ARN)]), { maxThrottleAttempts: 3 })).rejects.toThrow(
      `drill cleanup incomplete: 1 of 2 failed (0 group(s) scaled to zero, 1 resource(s) deleted, 0 skipped): ${FS_ARN}: DescribeMountTargets(${FS_ID}) was throttled (ThrottlingException) on all 3 attempts; giving up`,
    );
    expect(efsMock.commandCalls(DescribeMountTargetsCommand)).toHaveLength(3);
    expect(dynamodbMock.commandCalls(DeleteTableCommand)).toHaveLength(1);
  });
});
