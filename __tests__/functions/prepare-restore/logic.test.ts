import { createHash } from 'crypto';
import { BackupClient, GetRecoveryPointRestoreMetadataCommand, ListTagsCommand } from '@aws-sdk/client-backup';
import { DescribeInstancesCommand, DescribeSnapshotsCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import {
  InvalidInputError,
  KMS_KEY_RULES,
  FSX_ONTAP_SVM_FIELD,
  FSX_WINDOWS_DIRECTORY_FIELD,
  ONTAP_VOLUME_NAME_MAX,
  PrepareRestoreError,
  REQUIRED_ACTIONS,
  SUPPORTED_RESOURCE_TYPES,
  dynamoDbTableName,
  efsCreationToken,
  fsxFileSystemType,
  nameHash,
  ontapVolumeName,
  prepareRestore,
  rdsIdentifier,
  type PrepareRestoreOptions,
} from '../../../functions/prepare-restore/logic';
import { DR_REGION as REGION } from '../../helpers/functions/estate-ids';
import { recordLogsAndSleeps } from '../../helpers/functions/recorded-logs';
import { throttledFirst } from '../../helpers/functions/throttled-first';
import { expectLoggedRejection } from '../../helpers/functions/logged-rejection';
import { mockEach } from '../../helpers/functions/mock-each';

const EXECUTION = 'shop-failover-2026-11-20T03-00-00Z';
const VAULT = 'acme-dr-restore';
const SUBNET_A = 'subnet-0aaaaaaaaaaaaaaa1';
const SUBNET_C = 'subnet-0ccccccccccccccc3';
const SG_APP = 'sg-0aaaaaaaaaaaaaaa1';
const SG_DB = 'sg-0bbbbbbbbbbbbbbb2';
const SNAPSHOT_ID = 'snap-0f1e2d3c4b5a69788';
const SNAPSHOT_RP = `arn:aws:ec2:${REGION}::snapshot/${SNAPSHOT_ID}`;
const BACKUP_RP = `arn:aws:backup:${REGION}:222222222222:recovery-point:6f7fc1f8-2f2e-40ac-943b-8f8efa9ba99d`;
const VOLUME_ARN = 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-0fedcba9876543210';
const INSTANCE_ARN = 'arn:aws:ec2:ap-northeast-2:333333333333:instance/i-0123456789abcdef0';
const RDS_ARN = 'arn:aws:rds:ap-northeast-2:333333333333:db:shop-db';
const INSTANCE_A = 'i-0aaaaaaaaaaaaaaa1';
const INSTANCE_B = 'i-0bbbbbbbbbbbbbbb2';

const TARGET = {
  availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
  subnetIds: [SUBNET_A, SUBNET_C],
  securityGroupIds: [SG_APP, SG_DB],
  dbSubnetGroupName: 'acme-dr-landing-zone',
  recoveryBucketName: 'acme-dr-recovery-123',
  nameSuffix: 'dr',
};

function input(resourceType: string, resourceArn: string, recoveryPointArn = BACKUP_RP, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { workload: 'shop', executionName: EXECUTION, recoveryPointArn, resourceType, resourceArn, restoreVaultName: VAULT, target: TARGET, ...overrides };
}

/** Computed independently of the implementation: sha256 of execution name and resource ARN, 8 hex. */
function hashOf(executionName: string, resourceArn: string): string {
  return createHash('sha256').update(`${executionName}\n${resourceArn}`).digest('hex').slice(0, 8);
}

const [backupMock, ec2Mock] = mockEach(BackupClient, EC2Client);
const backup = new BackupClient({ region: REGION });
const ec2 = new EC2Client({ region: REGION });

const { logs, sleeps, logger, sleep } = recordLogsAndSleeps();

function harness(options: Partial<PrepareRestoreOptions> = {}) {
  return { backup, ec2, logger, sleep, random: () => 0.5, options };
}

const run = (event: unknown, options: Partial<PrepareRestoreOptions> = {}) => prepareRestore(event, harness(options));

/** Prepared as `resourceType` with exactly `metadata`, and nothing to warn about. */
async function expectPrepared(event: Record<string, unknown>, resourceType: string, metadata: Record<string, unknown>) {
  await expect(run(event)).resolves.toEqual({ resourceType, metadata, warnings: [] });
}

function restoreMetadata(metadata: Record<string, string>, resourceType?: string) {
  backupMock.on(GetRecoveryPointRestoreMetadataCommand).resolves({ BackupVaultArn: `arn:aws:backup:${REGION}:222222222222:backup-vault:${VAULT}`, RestoreMetadata: metadata, ResourceType: resourceType });
}

function instance(id: string, availabilityZone: string): Instance {
  return { InstanceId: id, State: { Name: 'running', Code: 16 }, Placement: { AvailabilityZone: availabilityZone }, Tags: [{ Key: 'dr:server', Value: 'app' }] };
}

function expectNoAwsCall() {
  expect(backupMock.calls()).toHaveLength(0);
  expect(ec2Mock.calls()).toHaveLength(0);
}

function throttle(name = 'ThrottlingException'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

beforeEach(() => {
  backupMock.reset();
  ec2Mock.reset();
});

describe('constants', () => {
  it('exports exactly the IAM actions the logic calls and the supported types', () => {
    expect(REQUIRED_ACTIONS).toEqual(['backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags', 'ec2:DescribeSnapshots', 'ec2:DescribeInstances']);
    expect(SUPPORTED_RESOURCE_TYPES).toEqual(['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx']);
  });
});

describe('EBS', () => {
  const EBS_METADATA = { availabilityZone: 'ap-northeast-2c', encrypted: 'false', volumeId: 'vol-0fedcba9876543210', volumeSize: '100', volumeType: 'gp3' };

  it('restores into the AZ of the running recovery instance with the dr:server tag of the snapshot, preferring the original zone letter', async () => {
    restoreMetadata(EBS_METADATA, 'EBS');
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: SNAPSHOT_ID, Tags: [{ Key: 'dr:server', Value: 'app' }, { Key: 'dr:device', Value: '/dev/sdf' }] }] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(INSTANCE_A, 'ap-northeast-1a'), instance(INSTANCE_B, 'ap-northeast-1c')] }] });

    const result = await run(input('EBS', VOLUME_ARN, SNAPSHOT_RP));
    expect(result).toEqual({
      resourceType: 'EBS',
      metadata: { availabilityZone: 'ap-northeast-1c', encrypted: 'true', volumeId: 'vol-0fedcba9876543210', volumeSize: '100', volumeType: 'gp3' },
      warnings: [],
    });
    expect(Object.keys(result.metadata)).toEqual(['availabilityZone', 'encrypted', 'volumeId', 'volumeSize', 'volumeType']);
    expect(backupMock.commandCalls(GetRecoveryPointRestoreMetadataCommand).map((c) => c.args[0].input)).toEqual([{ BackupVaultName: VAULT, RecoveryPointArn: SNAPSHOT_RP }]);
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input)).toEqual([{ SnapshotIds: [SNAPSHOT_ID] }]);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([
      {
        Filters: [
          { Name: 'tag:dr:server', Values: ['app'] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      },
    ]);
    expect(backupMock.commandCalls(ListTagsCommand)).toHaveLength(0);
    expect(logs.warn).toEqual([]);
    expect(logs.error).toEqual([]);
  });

  it('without a matching zone letter, takes the AZ of the first instance by ID, across pages', async () => {
    restoreMetadata({ ...EBS_METADATA, availabilityZone: 'ap-northeast-2d' });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'dr:server', Value: 'app' }] }] });
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance(INSTANCE_B, 'ap-northeast-1c')] }], NextToken: 'page-2' })
      .resolves({ Reservations: [{ Instances: [instance(INSTANCE_A, 'ap-northeast-1a')] }] });

    const result = await run(input('EBS', VOLUME_ARN, SNAPSHOT_RP));
    expect(result.metadata.availabilityZone).toBe('ap-northeast-1a');
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[1].args[0].input).toMatchObject({ NextToken: 'page-2' });
  });

  it('reads dr:server of an AWS Backup recovery point with backup:ListTags; leaves encrypted out when the metadata has none', async () => {
    restoreMetadata({ availabilityZone: 'ap-northeast-2a', volumeSize: '8' });
    backupMock.on(ListTagsCommand).resolves({ Tags: { 'dr:server': 'app' } });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(INSTANCE_A, 'ap-northeast-1a')] }] });

    await expectPrepared(input('EBS', VOLUME_ARN, BACKUP_RP), 'EBS', { availabilityZone: 'ap-northeast-1a', volumeSize: '8' });
    expect(backupMock.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([{ ResourceArn: BACKUP_RP }]);
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
  });

  it('falls back to the first target AZ with a warning when the recovery point has no dr:server tag', async () => {
    restoreMetadata(EBS_METADATA);
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'backup-plan', Value: 'shop' }] }] });

    const result = await run(input('EBS', VOLUME_ARN, SNAPSHOT_RP));
    const warning = `recovery point ${SNAPSHOT_RP} has no dr:server tag: volume restored in ap-northeast-1a (first target Availability Zone); it will not be attached automatically`;
    expect(result).toEqual({
      resourceType: 'EBS',
      metadata: { availabilityZone: 'ap-northeast-1a', encrypted: 'true', volumeId: 'vol-0fedcba9876543210', volumeSize: '100', volumeType: 'gp3' },
      warnings: [warning],
    });
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
    expect(logs.warn).toEqual([expect.objectContaining({ message: warning, resourceType: 'EBS' })]);
  });

  it('fails naming the server role when no recovery instance is running', async () => {
    restoreMetadata(EBS_METADATA);
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'dr:server', Value: 'app' }] }] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });

    await expect(run(input('EBS', VOLUME_ARN, SNAPSHOT_RP))).rejects.toThrow(
      `no running recovery instance with dr:server=app for the EBS volume of recovery point ${SNAPSHOT_RP}: start the "app" recovery instances before restoring their volumes`,
    );
    expect(logs.error).toEqual([expect.objectContaining({ message: 'Restore not prepared', server: 'app' })]);
  });

  it('warns when the chosen AZ has several instances of the server role', async () => {
    restoreMetadata({ availabilityZone: 'ap-northeast-2a' });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'dr:server', Value: 'app' }] }] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(INSTANCE_B, 'ap-northeast-1a'), instance(INSTANCE_A, 'ap-northeast-1a')] }] });

    const result = await run(input('EBS', VOLUME_ARN, SNAPSHOT_RP));
    expect(result.metadata).toEqual({ availabilityZone: 'ap-northeast-1a' });
    expect(result.warnings).toEqual([`2 running instances with dr:server=app in ap-northeast-1a (${INSTANCE_A}, ${INSTANCE_B}): attach-restored-volume expects exactly one`]);
  });
});

describe('other resource types (exact metadata)', () => {
  it('EC2: first landing-zone subnet, security groups as a JSON list, no NetworkInterfaces', async () => {
    restoreMetadata({
      InstanceType: 'm7g.large',
      SubnetId: 'subnet-0source000000001',
      SecurityGroupIds: '["sg-0source000000001"]',
      NetworkInterfaces: '[{"DeviceIndex":0,"SubnetId":"subnet-0source000000001"}]',
      RequireIMDSv2: 'true',
    });

    await expectPrepared(input('EC2', INSTANCE_ARN), 'EC2', { InstanceType: 'm7g.large', RequireIMDSv2: 'true', SecurityGroupIds: `["${SG_APP}","${SG_DB}"]`, SubnetId: SUBNET_A });
  });

  it("EC2: the landing zone's instance profile replaces the source account's", async () => {
    restoreMetadata({ InstanceType: 'm7g.large', IamInstanceProfileName: 'shop-app' });
    const result = await run(input('EC2', INSTANCE_ARN, BACKUP_RP, { target: { ...TARGET, instanceProfileName: 'acme-dr-instance' } }));
    expect(result.metadata).toEqual({ IamInstanceProfileName: 'acme-dr-instance', InstanceType: 'm7g.large', SecurityGroupIds: `["${SG_APP}","${SG_DB}"]`, SubnetId: SUBNET_A });
    expect(result.warnings).toEqual([]);
  });

  it("EC2 without a target instance profile: the source account's is removed with a warning", async () => {
    restoreMetadata({ InstanceType: 'm7g.large', IamInstanceProfileName: 'shop-app' });
    const result = await run(input('EC2', INSTANCE_ARN));
    expect(result.metadata.IamInstanceProfileName).toBeUndefined();
    expect(result.warnings).toEqual(['no target.instanceProfileName: IamInstanceProfileName shop-app of the original instance removed; the instance starts without a profile']);
  });

  it('EC2 without target security groups: drops the original ones with a warning', async () => {
    restoreMetadata({ InstanceType: 'm7g.large', SecurityGroupIds: '["sg-0source000000001"]' });
    const result = await run(input('EC2', INSTANCE_ARN, BACKUP_RP, { target: { ...TARGET, securityGroupIds: [] } }));
    expect(result.metadata).toEqual({ InstanceType: 'm7g.large', SubnetId: SUBNET_A });
    expect(result.warnings).toEqual(['no target security groups (target.securityGroupIds): SecurityGroupIds of the original resource removed; the service default applies']);
  });

  it('RDS: new identifier, landing-zone subnet group and security groups, MultiAZ kept, foreign AZ dropped', async () => {
    restoreMetadata({
      DBInstanceIdentifier: 'shop-db',
      DBInstanceClass: 'db.r6g.large',
      Engine: 'postgres',
      MultiAZ: 'false',
      AvailabilityZone: 'ap-northeast-2a',
      DBSubnetGroupName: 'shop-db-subnets',
      VpcSecurityGroupIds: '["sg-0source000000001"]',
      Port: '5432',
    });

    const result = await run(input('RDS', RDS_ARN));
    expect(result).toEqual({
      resourceType: 'RDS',
      metadata: {
        DBInstanceClass: 'db.r6g.large',
        DBInstanceIdentifier: `shop-db-dr-${hashOf(EXECUTION, RDS_ARN)}`,
        DBSubnetGroupName: 'acme-dr-landing-zone',
        Engine: 'postgres',
        MultiAZ: 'false',
        Port: '5432',
        VpcSecurityGroupIds: `["${SG_APP}","${SG_DB}"]`,
      },
      warnings: [],
    });
    expect(Object.keys(result.metadata)).toEqual([...Object.keys(result.metadata)].sort());
  });

  it('RDS: keeps an AZ of the landing zone, drops it for Multi-AZ; without a target subnet group drops the original with a warning', async () => {
    restoreMetadata({ MultiAZ: 'false', AvailabilityZone: 'ap-northeast-1c', DBSubnetGroupName: 'shop-db-subnets' });
    const single = await run(input('RDS', RDS_ARN, BACKUP_RP, { target: { ...TARGET, dbSubnetGroupName: undefined } }));
    expect(single.metadata).toEqual({ AvailabilityZone: 'ap-northeast-1c', DBInstanceIdentifier: `shop-db-dr-${hashOf(EXECUTION, RDS_ARN)}`, MultiAZ: 'false', VpcSecurityGroupIds: `["${SG_APP}","${SG_DB}"]` });
    expect(single.warnings).toEqual(['no target.dbSubnetGroupName: DBSubnetGroupName of the original resource removed; the default DB subnet group applies']);

    restoreMetadata({ MultiAZ: 'true', AvailabilityZone: 'ap-northeast-1c' });
    const multi = await run(input('RDS', RDS_ARN));
    expect(multi.metadata).toEqual({ DBInstanceIdentifier: `shop-db-dr-${hashOf(EXECUTION, RDS_ARN)}`, DBSubnetGroupName: 'acme-dr-landing-zone', MultiAZ: 'true', VpcSecurityGroupIds: `["${SG_APP}","${SG_DB}"]` });
  });

  it('Aurora: new cluster identifier, subnet group, security groups; foreign AZ list dropped', async () => {
    const arn = 'arn:aws:rds:ap-northeast-2:333333333333:cluster:shop-aurora';
    restoreMetadata({
      DBClusterIdentifier: 'shop-aurora',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      AvailabilityZones: '["ap-northeast-2a","ap-northeast-2b"]',
      DBSubnetGroupName: 'shop-aurora-subnets',
      VpcSecurityGroupIds: '["sg-0source000000001"]',
    });

    await expectPrepared(input('Aurora', arn), 'Aurora', {
      DBClusterIdentifier: `shop-aurora-dr-${hashOf(EXECUTION, arn)}`,
      DBSubnetGroupName: 'acme-dr-landing-zone',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      VpcSecurityGroupIds: `["${SG_APP}","${SG_DB}"]`,
    });
  });

  it('DynamoDB: new table name', async () => {
    const arn = 'arn:aws:dynamodb:ap-northeast-2:333333333333:table/Orders_v2';
    restoreMetadata({ encryptionType: 'Default', targetTableName: 'Orders_v2' });
    await expectPrepared(input('DynamoDB', arn), 'DynamoDB', { encryptionType: 'Default', targetTableName: `Orders_v2-dr-${hashOf(EXECUTION, arn)}` });
  });

  it('S3: into the existing recovery bucket, encrypted', async () => {
    restoreMetadata({ DestinationBucketName: 'shop-assets', NewBucket: 'true', Encrypted: 'false' });
    await expectPrepared(input('S3', 'arn:aws:s3:::shop-assets'), 'S3', { DestinationBucketName: 'acme-dr-recovery-123', Encrypted: 'true', NewBucket: 'false' });
  });

  it('EFS: a new encrypted file system with a deterministic creation token, performance mode and file-system-id kept', async () => {
    const arn = 'arn:aws:elasticfilesystem:ap-northeast-2:333333333333:file-system/fs-0123456789abcdef0';
    restoreMetadata({ 'file-system-id': 'fs-0123456789abcdef0', Encrypted: 'false', PerformanceMode: 'generalPurpose', CreationToken: 'console-1', newFileSystem: 'false' });
    await expectPrepared(input('EFS', arn), 'EFS', {
      CreationToken: `shop-dr-${hashOf(EXECUTION, arn)}`,
      Encrypted: 'true',
      PerformanceMode: 'generalPurpose',
      'file-system-id': 'fs-0123456789abcdef0',
      newFileSystem: 'true',
    });
  });

  it('warns when the recovery point is of another type than the input says', async () => {
    restoreMetadata({ DestinationBucketName: 'shop-assets' }, 'EFS');
    const result = await run(input('S3', 'arn:aws:s3:::shop-assets'));
    expect(result.warnings).toEqual(["the recovery point's resource type is EFS, not S3: metadata prepared for S3"]);
  });
});

describe('FSx, per file system type', () => {
  const FSX_ARN = 'arn:aws:fsx:ap-northeast-2:333333333333:file-system/fs-0123456789abcdef0';
  const ONTAP_ARN = 'arn:aws:fsx:ap-northeast-2:333333333333:volume/fs-0123456789abcdef0/fsvol-0123456789abcdef0';
  const SG_FS = 'sg-0fffffffffffffff9';
  const DIRECTORY = 'd-0123456789';
  const SVM = 'svm-0123456789abcdef0';
  const FSX_TARGET = { ...TARGET, fileSystemSecurityGroupIds: [SG_FS], windowsDirectoryId: DIRECTORY, ontapStorageVirtualMachineId: SVM };
  const fsx = (arn: string, target: Record<string, unknown> = FSX_TARGET) => input('FSx', arn, BACKUP_RP, { target });
  /** The source account's network, which a restore in the DR account cannot use. */
  const SOURCE_NETWORK = { VpcId: 'vpc-0ab0979fa431ad326', SubnetIds: '["subnet-0source000000001"]', SecurityGroupIds: '["sg-0source000000001"]' };

  it('Windows File Server, Single-AZ: one landing-zone subnet, the file-system security group, the DR directory in WindowsConfiguration', async () => {
    restoreMetadata({
      ...SOURCE_NETWORK,
      FileSystemType: 'WINDOWS',
      StorageCapacity: '300',
      StorageType: 'SSD',
      WindowsConfiguration: '{"DeploymentType":"SINGLE_AZ_2","ThroughputCapacity":32,"ActiveDirectoryId":"d-9999999999","PreferredSubnetId":"subnet-0source000000001"}',
    });
    const result = await run(fsx(FSX_ARN));
    expect(result).toEqual({
      resourceType: 'FSx',
      metadata: {
        FileSystemType: 'WINDOWS',
        SecurityGroupIds: `["${SG_FS}"]`,
        StorageCapacity: '300',
        StorageType: 'SSD',
        SubnetIds: `["${SUBNET_A}"]`,
        WindowsConfiguration: expect.any(String),
      },
      warnings: [],
    });
    expect(JSON.parse(result.metadata.WindowsConfiguration)).toEqual({ DeploymentType: 'SINGLE_AZ_2', ThroughputCapacity: 32, ActiveDirectoryId: DIRECTORY });
    expect(logs.error).toEqual([]);
  });

  it('Windows File Server, Multi-AZ: two subnets, the first preferred', async () => {
    restoreMetadata({ ...SOURCE_NETWORK, FileSystemType: 'WINDOWS', WindowsConfiguration: '{"DeploymentType":"MULTI_AZ_1","PreferredSubnetId":"subnet-0source000000001"}' });
    const { metadata } = await run(fsx(FSX_ARN));
    expect(metadata.SubnetIds).toBe(`["${SUBNET_A}","${SUBNET_C}"]`);
    expect(JSON.parse(metadata.WindowsConfiguration)).toEqual({ DeploymentType: 'MULTI_AZ_1', PreferredSubnetId: SUBNET_A, ActiveDirectoryId: DIRECTORY });
  });

  it('Windows File Server without a directory: fails naming workloads[].recovery.fsx.windowsDirectoryId', async () => {
    restoreMetadata({ ...SOURCE_NETWORK, FileSystemType: 'WINDOWS', WindowsConfiguration: '{"DeploymentType":"SINGLE_AZ_2","ActiveDirectoryId":"d-9999999999"}' });
    const { windowsDirectoryId: _d, ...withoutDirectory } = FSX_TARGET;
    const promise = run(fsx(FSX_ARN, withoutDirectory));
    await expect(promise).rejects.toThrow(PrepareRestoreError);
    await expect(promise).rejects.toThrow(
      `FSx for Windows File Server file system ${FSX_ARN} must join an Active Directory in the DR account: set workloads[].recovery.fsx.windowsDirectoryId of workload "shop"`,
    );
    expect(FSX_WINDOWS_DIRECTORY_FIELD).toBe('workloads[].recovery.fsx.windowsDirectoryId');
    expect(logs.error).toEqual([expect.objectContaining({ message: 'Restore not prepared', errorMessage: expect.stringContaining('windowsDirectoryId') })]);
  });

  it('Windows File Server joined to a self-managed directory: fails, a restore cannot change the type of directory', async () => {
    restoreMetadata({ FileSystemType: 'WINDOWS', WindowsConfiguration: '{"SelfManagedActiveDirectoryConfiguration":{"DomainName":"corp.example.com"}}' });
    await expect(run(fsx(FSX_ARN))).rejects.toThrow('joined a self-managed Active Directory, and a restore cannot change the type of Active Directory');
  });

  it('Multi-AZ with a single landing-zone subnet: fails, naming the subnets', async () => {
    restoreMetadata({ FileSystemType: 'WINDOWS', WindowsConfiguration: '{"DeploymentType":"MULTI_AZ_1"}' });
    await expect(run(fsx(FSX_ARN, { ...FSX_TARGET, subnetIds: [SUBNET_A] }))).rejects.toThrow(
      `FSx for Windows File Server file system ${FSX_ARN} (MULTI_AZ_1) needs 2 subnet(s) of the landing zone, target.subnetIds has 1`,
    );
  });

  it('Lustre (the Developer Guide\'s example metadata): one subnet, the file-system security group, LustreConfiguration as backed up, no VpcId', async () => {
    const lustre = '{"WeeklyMaintenanceStartTime":"4:10:30","DeploymentType":"PERSISTENT_1","PerUnitStorageThroughput":50,"CopyTagsToBackups":true}';
    restoreMetadata({ StorageType: 'SSD', StorageCapacity: '1200', VpcId: 'vpc-0ab0979fa431ad326', FileSystemType: 'LUSTRE', LustreConfiguration: lustre, FileSystemId: 'fs-0ca11fb3d218a35c2', SubnetIds: '["subnet-0e66e94eb43235351"]' });
    await expectPrepared(fsx(FSX_ARN), 'FSx', {
      FileSystemId: 'fs-0ca11fb3d218a35c2',
      FileSystemType: 'LUSTRE',
      LustreConfiguration: lustre,
      SecurityGroupIds: `["${SG_FS}"]`,
      StorageCapacity: '1200',
      StorageType: 'SSD',
      SubnetIds: `["${SUBNET_A}"]`,
    });
  });

  it('without a file-system security group, takes the target security groups; tells the type by its configuration, keys in any case', async () => {
    restoreMetadata({ lustreConfiguration: '{"DeploymentType":"PERSISTENT_2"}', subnetIds: '["subnet-0source000000001"]' });
    const { metadata } = await run(fsx(FSX_ARN, TARGET));
    expect(metadata).toEqual({ SecurityGroupIds: `["${SG_APP}","${SG_DB}"]`, lustreConfiguration: '{"DeploymentType":"PERSISTENT_2"}', subnetIds: `["${SUBNET_A}"]` });
  });

  it('NetApp ONTAP: the volume into the configured SVM, with a new name and junction path, and no network of its own', async () => {
    restoreMetadata({
      ...SOURCE_NETWORK,
      Name: 'shop-data',
      OntapConfiguration: '{"JunctionPath":"/shop-data","SizeInMegabytes":"102400","StorageVirtualMachineId":"svm-0999999999999999a","StorageEfficiencyEnabled":"true"}',
    });
    const name = `shop_data_dr_${hashOf(EXECUTION, ONTAP_ARN)}`;
    const result = await run(fsx(ONTAP_ARN));
    expect(result).toEqual({ resourceType: 'FSx', metadata: { Name: name, OntapConfiguration: expect.any(String) }, warnings: [] });
    expect(JSON.parse(result.metadata.OntapConfiguration)).toEqual({ JunctionPath: `/${name}`, SizeInMegabytes: '102400', StorageVirtualMachineId: SVM, StorageEfficiencyEnabled: 'true' });
  });

  it('NetApp ONTAP without an OntapConfiguration or Name: the documented keys, the name from the volume ID', async () => {
    restoreMetadata({ SubnetIds: '["subnet-0source000000001"]' });
    const name = `fsvol_0123456789abcdef0_dr_${hashOf(EXECUTION, ONTAP_ARN)}`;
    const { metadata } = await run(fsx(ONTAP_ARN));
    expect(metadata).toEqual({ Name: name, OntapConfiguration: JSON.stringify({ storageVirtualMachineId: SVM, junctionPath: `/${name}` }) });
  });

  it('NetApp ONTAP without an SVM: fails naming workloads[].recovery.fsx.ontapStorageVirtualMachineId', async () => {
    restoreMetadata({ Name: 'shop-data', OntapConfiguration: '{"SizeInMegabytes":"102400"}' });
    const { ontapStorageVirtualMachineId: _s, ...withoutSvm } = FSX_TARGET;
    await expect(run(fsx(ONTAP_ARN, withoutSvm))).rejects.toThrow(
      `FSx for NetApp ONTAP volume ${ONTAP_ARN}: AWS Backup restores an ONTAP volume into a storage virtual machine of an existing file system, never a new one: set workloads[].recovery.fsx.ontapStorageVirtualMachineId of workload "shop"`,
    );
    expect(FSX_ONTAP_SVM_FIELD).toBe('workloads[].recovery.fsx.ontapStorageVirtualMachineId');
  });

  it('fails when nothing tells the file system type', async () => {
    restoreMetadata({ StorageCapacity: '1200' });
    await expect(run(fsx(FSX_ARN))).rejects.toThrow(`cannot tell the FSx file system type of ${FSX_ARN}: the restore metadata has no FileSystemType`);
    expect(fsxFileSystemType(FSX_ARN, { FileSystemType: 'openzfs' })).toBe('OPENZFS');
    expect(fsxFileSystemType(ONTAP_ARN, {})).toBe('ONTAP');
  });

  it('fails on a nested configuration that is not a JSON object', async () => {
    restoreMetadata({ FileSystemType: 'WINDOWS', WindowsConfiguration: '[1]' });
    await expect(run(fsx(FSX_ARN))).rejects.toThrow(`the restore metadata's WindowsConfiguration of ${BACKUP_RP} is not a JSON object: [1]`);
  });

  it('ONTAP volume names: letters, digits and "_", starting with a letter or "_", at most 203', () => {
    expect(ontapVolumeName('shop-data', 'dr', '0a1b2c3d')).toBe('shop_data_dr_0a1b2c3d');
    expect(ontapVolumeName('1st', 'dr-site', '0a1b2c3d')).toBe('vol_1st_dr_site_0a1b2c3d');
    const long = ontapVolumeName('v'.repeat(300), 'dr', '0a1b2c3d');
    expect(long).toHaveLength(ONTAP_VOLUME_NAME_MAX);
    expect(long).toMatch(/^[A-Za-z_][A-Za-z0-9_]*_dr_0a1b2c3d$/);
  });
});

describe('KMS keys of the restore metadata', () => {
  const DR_ACCOUNT = '222222222222';
  const SOURCE_ACCOUNT = '333333333333';
  const OWNER = '111111111111';
  const DR_KEY = `arn:aws:kms:${REGION}:${DR_ACCOUNT}:key/1111aaaa-2222-3333-4444-555566667777`;
  // In the recovery Region, so that only the account tells it apart from DR_KEY.
  const SOURCE_KEY = `arn:aws:kms:${REGION}:${SOURCE_ACCOUNT}:key/9999ffff-8888-7777-6666-555544443333`;
  const DR_KEY_OTHER_REGION = `arn:aws:kms:ap-northeast-2:${DR_ACCOUNT}:key/1111aaaa-2222-3333-4444-555566667777`;
  const ALIAS = 'alias/shop-data';
  const cannotUse = 'which a restore in the DR account cannot use';

  interface KeyCase {
    readonly type: string;
    readonly resourceArn: string;
    readonly recoveryPointArn: string;
    /** Restore metadata without the key. */
    readonly metadata: Record<string, string>;
    readonly keyName: string;
    readonly setup?: () => void;
    /** Prepared metadata without the key, whether it is kept or dropped. */
    readonly prepared: Record<string, string>;
    readonly whenKept?: Record<string, string>;
    readonly whenDropped?: Record<string, string>;
    /** The end of the warning: what applies instead. */
    readonly instead: string;
  }

  const rdsArn = 'arn:aws:rds:ap-northeast-2:333333333333:db:shop-db';
  const auroraArn = 'arn:aws:rds:ap-northeast-2:333333333333:cluster:shop-aurora';
  const efsArn = 'arn:aws:elasticfilesystem:ap-northeast-2:333333333333:file-system/fs-0123456789abcdef0';
  const tableArn = 'arn:aws:dynamodb:ap-northeast-2:333333333333:table/Orders';
  const dbTarget = { DBSubnetGroupName: 'acme-dr-landing-zone', VpcSecurityGroupIds: `["${SG_APP}","${SG_DB}"]` };
  const recoveryInstance = () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'dr:server', Value: 'app' }] }] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(INSTANCE_A, 'ap-northeast-1a')] }] });
  };

  const cases: KeyCase[] = [
    {
      type: 'EBS',
      resourceArn: VOLUME_ARN,
      // A snapshot ARN names no account: the DR account is the restore vault's.
      recoveryPointArn: SNAPSHOT_RP,
      metadata: { availabilityZone: 'ap-northeast-2a', encrypted: 'true', volumeSize: '100' },
      keyName: 'kmsKeyId',
      setup: recoveryInstance,
      prepared: { availabilityZone: 'ap-northeast-1a', encrypted: 'true', volumeSize: '100' },
      instead: "the restored volume keeps the recovery point's key (the DR restore vault's customer managed key)",
    },
    {
      type: 'RDS',
      resourceArn: rdsArn,
      recoveryPointArn: `arn:aws:rds:${REGION}:${DR_ACCOUNT}:snapshot:awsbackup:job-0123456789abcdef`,
      metadata: { DBInstanceIdentifier: 'shop-db', StorageEncrypted: 'true' },
      keyName: 'KmsKeyId',
      prepared: { DBInstanceIdentifier: `shop-db-dr-${hashOf(EXECUTION, rdsArn)}`, StorageEncrypted: 'true', ...dbTarget },
      instead: "the restored DB instance keeps the recovery point's key (the DR restore vault's customer managed key)",
    },
    {
      type: 'Aurora',
      resourceArn: auroraArn,
      recoveryPointArn: `arn:aws:rds:${REGION}:${DR_ACCOUNT}:cluster-snapshot:awsbackup:job-0123456789abcdef`,
      metadata: { DBClusterIdentifier: 'shop-aurora', Engine: 'aurora-postgresql', StorageEncrypted: 'true' },
      keyName: 'KmsKeyId',
      prepared: { DBClusterIdentifier: `shop-aurora-dr-${hashOf(EXECUTION, auroraArn)}`, Engine: 'aurora-postgresql', StorageEncrypted: 'true', ...dbTarget },
      instead: "the restored DB cluster keeps the recovery point's key (the DR restore vault's customer managed key)",
    },
    {
      type: 'EFS',
      resourceArn: efsArn,
      recoveryPointArn: BACKUP_RP,
      metadata: { 'file-system-id': 'fs-0123456789abcdef0', Encrypted: 'true', PerformanceMode: 'generalPurpose' },
      keyName: 'KmsKeyId',
      prepared: { CreationToken: `shop-dr-${hashOf(EXECUTION, efsArn)}`, Encrypted: 'true', PerformanceMode: 'generalPurpose', 'file-system-id': 'fs-0123456789abcdef0', newFileSystem: 'true' },
      instead: "Encrypted stays true: the DR account's default key for Amazon EFS (aws/elasticfilesystem) applies",
    },
    {
      type: 'S3',
      resourceArn: 'arn:aws:s3:::shop-assets',
      recoveryPointArn: BACKUP_RP,
      metadata: { DestinationBucketName: 'shop-assets', Encrypted: 'true', EncryptionType: 'SSE-KMS' },
      keyName: 'KMSKey',
      prepared: { DestinationBucketName: 'acme-dr-recovery-123', Encrypted: 'true', NewBucket: 'false' },
      whenKept: { EncryptionType: 'SSE-KMS' },
      instead: `the recovery bucket's default encryption applies (EncryptionType "SSE-KMS" removed with it)`,
    },
    {
      type: 'DynamoDB',
      resourceArn: tableArn,
      recoveryPointArn: BACKUP_RP,
      metadata: { targetTableName: 'Orders' },
      keyName: 'kmsMasterKeyArn',
      prepared: { targetTableName: `Orders-dr-${hashOf(EXECUTION, tableArn)}` },
      whenKept: { encryptionType: 'KMS' },
      whenDropped: { encryptionType: 'Default' },
      instead: 'encryptionType set to Default: the restored table is encrypted with an AWS owned key',
    },
  ];

  function restoreWithKey(c: KeyCase, key: string) {
    restoreMetadata({ ...c.metadata, ...(c.type === 'DynamoDB' ? { encryptionType: 'KMS' } : {}), [c.keyName]: key });
    c.setup?.();
    return run(input(c.type, c.resourceArn, c.recoveryPointArn));
  }

  describe.each(cases)('$type ($keyName)', (c) => {
    const dropped = { resourceType: c.type, metadata: { ...c.prepared, ...c.whenDropped } };

    it('drops a key of the source account, with a warning naming the key, the value and what applies instead', async () => {
      const warning = `${c.keyName} "${SOURCE_KEY}" dropped: a key of account ${SOURCE_ACCOUNT}, not of the DR account ${DR_ACCOUNT}, ${cannotUse}; ${c.instead}`;
      await expect(restoreWithKey(c, SOURCE_KEY)).resolves.toEqual({ ...dropped, warnings: [warning] });
      expect(logs.warn).toEqual([expect.objectContaining({ message: warning, resourceType: c.type })]);
    });

    it('keeps a key of the DR account in the recovery Region', async () => {
      await expect(restoreWithKey(c, DR_KEY)).resolves.toEqual({ resourceType: c.type, metadata: { ...c.prepared, ...c.whenKept, [c.keyName]: DR_KEY }, warnings: [] });
    });

    it('drops a key of the DR account in another Region', async () => {
      const warning = `${c.keyName} "${DR_KEY_OTHER_REGION}" dropped: a key in ap-northeast-2, not in the recovery Region ${REGION}, ${cannotUse}; ${c.instead}`;
      await expect(restoreWithKey(c, DR_KEY_OTHER_REGION)).resolves.toEqual({ ...dropped, warnings: [warning] });
    });

    it('drops an alias, which names no account', async () => {
      const warning = `${c.keyName} "${ALIAS}" dropped: not a key ARN (an alias or key ID names no account), ${cannotUse}; ${c.instead}`;
      await expect(restoreWithKey(c, ALIAS)).resolves.toEqual({ ...dropped, warnings: [warning] });
    });
  });

  it('the decision table names the documented metadata keys and the fallback of each type', () => {
    expect(Object.fromEntries(Object.entries(KMS_KEY_RULES).map(([type, rule]) => [type, [rule.metadataKeys, rule.fallback]]))).toEqual({
      EBS: [['kmsKeyId'], 'recovery-point-key'],
      RDS: [['KmsKeyId'], 'recovery-point-key'],
      Aurora: [['KmsKeyId'], 'recovery-point-key'],
      FSx: [['KmsKeyId'], 'recovery-point-key'],
      EFS: [['KmsKeyId'], 'service-default'],
      S3: [['KMSKey'], 'service-default'],
      DynamoDB: [['kmsMasterKeyArn'], 'aws-owned-key'],
    });
  });

  it('drops a bare key ID and an alias ARN of the DR account: only key ARNs are kept', async () => {
    const aliasArn = `arn:aws:kms:${REGION}:${DR_ACCOUNT}:alias/shop-data`;
    restoreMetadata({ DBInstanceIdentifier: 'shop-db', KmsKeyId: '1111aaaa-2222-3333-4444-555566667777' });
    const bare = await run(input('RDS', rdsArn));
    expect(bare.metadata).not.toHaveProperty('KmsKeyId');
    expect(bare.warnings).toEqual([expect.stringMatching(/^KmsKeyId "1111aaaa-2222-3333-4444-555566667777" dropped: not a key ARN \(an alias or key ID names no account\)/)]);

    restoreMetadata({ DBInstanceIdentifier: 'shop-db', KmsKeyId: aliasArn });
    const alias = await run(input('RDS', rdsArn));
    expect(alias.metadata).not.toHaveProperty('KmsKeyId');
    expect(alias.warnings).toEqual([expect.stringMatching(/^KmsKeyId "arn:aws:kms:ap-northeast-1:222222222222:alias\/shop-data" dropped: not a key ARN \(an alias ARN\)/)]);
  });

  it('matches the metadata keys whatever their case, keeping the spelling of the metadata', async () => {
    restoreMetadata({ availabilityZone: 'ap-northeast-2a', KmsKeyId: SOURCE_KEY });
    recoveryInstance();
    const ebs = await run(input('EBS', VOLUME_ARN, SNAPSHOT_RP));
    expect(ebs.metadata).toEqual({ availabilityZone: 'ap-northeast-1a' });
    expect(ebs.warnings).toEqual([expect.stringMatching(/^KmsKeyId "arn:aws:kms:ap-northeast-1:333333333333:key\/[-0-9a-f]+" dropped: a key of account 333333333333/)]);

    restoreMetadata({ targetTableName: 'Orders', EncryptionType: 'KMS', KmsMasterKeyArn: SOURCE_KEY });
    const table = await run(input('DynamoDB', tableArn));
    expect(table.metadata).toEqual({ EncryptionType: 'Default', targetTableName: `Orders-dr-${hashOf(EXECUTION, tableArn)}` });
    expect(table.warnings).toEqual([expect.stringMatching(/^KmsMasterKeyArn ".+" dropped: a key of account 333333333333.*; encryptionType set to Default/)]);
  });

  it('DynamoDB without a key keeps its encryptionType (KMS with the AWS managed key)', async () => {
    restoreMetadata({ targetTableName: 'Orders', encryptionType: 'KMS' });
    await expectPrepared(input('DynamoDB', tableArn), 'DynamoDB', { encryptionType: 'KMS', targetTableName: `Orders-dr-${hashOf(EXECUTION, tableArn)}` });
  });

  it('without a restore vault ARN, takes the DR account from the recovery point ARN; a snapshot ARN names none, so the key is dropped', async () => {
    backupMock.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { DBInstanceIdentifier: 'shop-db', KmsKeyId: DR_KEY } });
    await expect(run(input('RDS', rdsArn, BACKUP_RP))).resolves.toMatchObject({ metadata: { KmsKeyId: DR_KEY }, warnings: [] });

    backupMock.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { availabilityZone: 'ap-northeast-2a', kmsKeyId: DR_KEY } });
    recoveryInstance();
    const ebs = await run(input('EBS', VOLUME_ARN, SNAPSHOT_RP));
    expect(ebs.metadata).toEqual({ availabilityZone: 'ap-northeast-1a' });
    expect(ebs.warnings).toEqual([
      `kmsKeyId "${DR_KEY}" dropped: the DR account is unknown (neither the restore vault ARN nor the recovery point ARN names an account and the input has no drAccountId), ${cannotUse}; ` +
        "the restored volume keeps the recovery point's key (the DR restore vault's customer managed key)",
    ]);
  });

  describe('a recovery point of the air-gapped vault shared with the DR account', () => {
    const AG_POINT = `arn:aws:backup:${REGION}:${OWNER}:recovery-point:9a8b7c6d-1111-2222-3333-444455556666`;
    const agEvent = (overrides: Record<string, unknown> = {}) => input('RDS', rdsArn, AG_POINT, { restoreVaultName: 'acme-air-gapped', backupVaultAccountId: OWNER, ...overrides });
    const agMetadata = (key: string) =>
      backupMock.on(GetRecoveryPointRestoreMetadataCommand).resolves({ BackupVaultArn: `arn:aws:backup:${REGION}:${OWNER}:backup-vault:acme-air-gapped`, RestoreMetadata: { DBInstanceIdentifier: 'shop-db', KmsKeyId: key } });

    it('never takes the vault owner for the DR account: without drAccountId every key is dropped', async () => {
      agMetadata(DR_KEY);
      const result = await run(agEvent());
      expect(result.metadata).not.toHaveProperty('KmsKeyId');
      expect(result.warnings).toEqual([
        `KmsKeyId "${DR_KEY}" dropped: the DR account is unknown (the recovery point is in a vault of account ${OWNER} shared with the DR account and the input has no drAccountId), ${cannotUse}; ` +
          "the restored DB instance keeps the recovery point's key (the DR restore vault's customer managed key)",
      ]);

      agMetadata(`arn:aws:kms:${REGION}:${OWNER}:key/1111aaaa-2222-3333-4444-555566667777`);
      expect((await run(agEvent())).metadata).not.toHaveProperty('KmsKeyId');
    });

    it('with drAccountId keeps a key of that account and drops one of the vault owner', async () => {
      agMetadata(DR_KEY);
      await expect(run(agEvent({ drAccountId: DR_ACCOUNT }))).resolves.toMatchObject({ metadata: { KmsKeyId: DR_KEY }, warnings: [] });

      const ownerKey = `arn:aws:kms:${REGION}:${OWNER}:key/1111aaaa-2222-3333-4444-555566667777`;
      agMetadata(ownerKey);
      const result = await run(agEvent({ drAccountId: DR_ACCOUNT }));
      expect(result.metadata).not.toHaveProperty('KmsKeyId');
      expect(result.warnings).toEqual([expect.stringContaining(`KmsKeyId "${ownerKey}" dropped: a key of account ${OWNER}, not of the DR account ${DR_ACCOUNT}`)]);
    });
  });
});

describe('names', () => {
  it('are deterministic for one execution and differ between executions and resources', async () => {
    restoreMetadata({ DBInstanceIdentifier: 'shop-db' });
    const first = await run(input('RDS', RDS_ARN));
    const retry = await run(input('RDS', RDS_ARN));
    const other = await run(input('RDS', RDS_ARN, BACKUP_RP, { executionName: `${EXECUTION}-2` }));
    expect(retry).toEqual(first);
    expect(other.metadata.DBInstanceIdentifier).not.toBe(first.metadata.DBInstanceIdentifier);
    expect(nameHash(EXECUTION, RDS_ARN)).toBe(hashOf(EXECUTION, RDS_ARN));
    expect(nameHash(EXECUTION, RDS_ARN)).not.toBe(nameHash(EXECUTION, `${RDS_ARN}2`));
  });

  it('RDS identifiers stay within 63 characters and the identifier rules, for very long and odd originals', () => {
    const rule = /^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/;
    const long = 'Shop_Orders__Primary-Database-'.repeat(5);
    const cases = [long, '1st-db', '---', 'A', `${'a'.repeat(51)}-${'b'.repeat(20)}`];
    for (const original of cases) {
      const id = rdsIdentifier(original, 'dr', '0a1b2c3d');
      expect(id).toMatch(rule);
      expect(id.length).toBeLessThanOrEqual(63);
      expect(id.endsWith('-dr-0a1b2c3d')).toBe(true);
    }
    expect(rdsIdentifier(long, 'dr', '0a1b2c3d')).toBe('shop-orders-primary-database-shop-orders-primary-da-dr-0a1b2c3d');
    expect(rdsIdentifier('1st-db', 'dr', '0a1b2c3d')).toBe('db-1st-db-dr-0a1b2c3d');
    expect(rdsIdentifier('---', 'dr', '0a1b2c3d')).toBe('db-dr-0a1b2c3d');
    // Truncation at a hyphen does not leave a double hyphen.
    expect(rdsIdentifier(`${'a'.repeat(51)}-${'b'.repeat(20)}`, 'dr', '0a1b2c3d')).toBe(`${'a'.repeat(51)}-dr-0a1b2c3d`);
  });

  it('a very long RDS instance ARN yields a valid identifier through the whole function', async () => {
    const original = `shop-${'x'.repeat(58)}`;
    const arn = `arn:aws:rds:ap-northeast-2:333333333333:db:${original}`;
    restoreMetadata({ DBInstanceIdentifier: original });
    const { metadata } = await run(input('RDS', arn, BACKUP_RP, { executionName: `${EXECUTION}-${'retry'.repeat(40)}` }));
    expect(metadata.DBInstanceIdentifier).toHaveLength(63);
    expect(metadata.DBInstanceIdentifier).toBe(`shop-${'x'.repeat(46)}-dr-${hashOf(`${EXECUTION}-${'retry'.repeat(40)}`, arn)}`);
  });

  it('DynamoDB table names and EFS creation tokens stay within their limits', () => {
    const table = dynamoDbTableName('T'.repeat(255), 'dr', '0a1b2c3d');
    expect(table).toHaveLength(255);
    expect(table).toMatch(/^[a-zA-Z0-9_.-]{3,255}$/);
    expect(table.endsWith('-dr-0a1b2c3d')).toBe(true);
    expect(dynamoDbTableName('a.b_c', 'dr', '0a1b2c3d')).toBe('a.b_c-dr-0a1b2c3d');
    expect(efsCreationToken('w'.repeat(32), 'recovery-site-01', '0a1b2c3d').length).toBeLessThanOrEqual(64);
  });
});

describe('invalid input', () => {
  it.each([
    ['not an object', null, 'Invalid input: input must be an object, got null'],
    ['an unknown resource type', input('Redshift', RDS_ARN), 'Invalid input: resourceType "Redshift" is not supported; supported types: EBS, EC2, RDS, Aurora, DynamoDB, S3, EFS, FSx'],
    ['no resource type', input('', RDS_ARN), 'Invalid input: resourceType is missing'],
    ['S3 without recovery bucket', input('S3', 'arn:aws:s3:::shop-assets', BACKUP_RP, { target: { ...TARGET, recoveryBucketName: undefined } }), 'Invalid input: target.recoveryBucketName is missing'],
    ['EC2 without subnet', input('EC2', INSTANCE_ARN, BACKUP_RP, { target: { ...TARGET, subnetIds: [] } }), 'Invalid input: target.subnetIds is empty'],
    ['no workload', input('RDS', RDS_ARN, BACKUP_RP, { workload: undefined }), 'Invalid input: workload is missing'],
    ['no executionName', input('RDS', RDS_ARN, BACKUP_RP, { executionName: '' }), 'Invalid input: executionName is missing'],
    ['a recoveryPointArn that is no ARN', input('RDS', RDS_ARN, 'snap-0123'), 'Invalid input: recoveryPointArn must be an ARN, got "snap-0123"'],
    ['a resourceArn of another type', { ...input('RDS', RDS_ARN), resourceArn: ['arn'] }, 'Invalid input: resourceArn must be a string, got array'],
    ['an invalid vault name', input('RDS', RDS_ARN, BACKUP_RP, { restoreVaultName: 'acme dr' }), 'Invalid input: restoreVaultName must be an AWS Backup vault name'],
    ['no target', input('RDS', RDS_ARN, BACKUP_RP, { target: undefined }), 'Invalid input: target is missing'],
    ['no availability zones', input('RDS', RDS_ARN, BACKUP_RP, { target: { ...TARGET, availabilityZones: [] } }), 'Invalid input: target.availabilityZones must list at least 1'],
    ['an invalid subnet', input('RDS', RDS_ARN, BACKUP_RP, { target: { ...TARGET, subnetIds: [SUBNET_A, 'subnet-x'] } }), 'Invalid input: target.subnetIds[1] must be a subnet ID'],
    ['security groups not a list', input('RDS', RDS_ARN, BACKUP_RP, { target: { ...TARGET, securityGroupIds: SG_APP } }), 'Invalid input: target.securityGroupIds must be an array'],
    ['a bucket name that is not one', input('S3', 'arn:aws:s3:::shop-assets', BACKUP_RP, { target: { ...TARGET, recoveryBucketName: 'Not_A_Bucket' } }), 'Invalid input: target.recoveryBucketName must be an S3 bucket name'],
    ['no name suffix', input('RDS', RDS_ARN, BACKUP_RP, { target: { ...TARGET, nameSuffix: undefined } }), 'Invalid input: target.nameSuffix is missing'],
    ['an invalid name suffix', input('RDS', RDS_ARN, BACKUP_RP, { target: { ...TARGET, nameSuffix: 'DR--1' } }), 'Invalid input: target.nameSuffix must be at most 16 of a-z, 0-9'],
    ['a drAccountId that is no account ID', input('RDS', RDS_ARN, BACKUP_RP, { drAccountId: '2222' }), 'Invalid input: drAccountId must be a 12-digit AWS account ID, got "2222"'],
    ['a drAccountId that is not a string', input('RDS', RDS_ARN, BACKUP_RP, { drAccountId: 222222222222 }), 'Invalid input: drAccountId must be a string, got number'],
    ['a directory ID that is not one', input('FSx', 'arn:aws:fsx:ap-northeast-2:333333333333:file-system/fs-0123456789abcdef0', BACKUP_RP, { target: { ...TARGET, windowsDirectoryId: 'corp.example.com' } }), 'Invalid input: target.windowsDirectoryId must be a directory ID such as "d-0123456789", got "corp.example.com"'],
    ['an SVM ID that is not one', input('FSx', 'arn:aws:fsx:ap-northeast-2:333333333333:file-system/fs-0123456789abcdef0', BACKUP_RP, { target: { ...TARGET, ontapStorageVirtualMachineId: 'svm-1' } }), 'Invalid input: target.ontapStorageVirtualMachineId must be an SVM ID'],
    ['a file-system security group that is not one', input('FSx', 'arn:aws:fsx:ap-northeast-2:333333333333:file-system/fs-0123456789abcdef0', BACKUP_RP, { target: { ...TARGET, fileSystemSecurityGroupIds: ['sg-x'] } }), 'Invalid input: target.fileSystemSecurityGroupIds[0] must be a security group ID'],
  ])('throws a logged InvalidInputError naming the field for %s, without any AWS call', async (_name, event, message) => {
    await expectLoggedRejection(run(event), InvalidInputError, message, logs.error, 'Restore not prepared');
    expectNoAwsCall();
  });

  it('accepts absent subnet and security group lists as empty', async () => {
    restoreMetadata({ DBInstanceIdentifier: 'shop-db' });
    const { subnetIds: _s, securityGroupIds: _g, ...target } = TARGET;
    const result = await run(input('RDS', RDS_ARN, BACKUP_RP, { target }));
    expect(result.metadata).toEqual({ DBInstanceIdentifier: `shop-db-dr-${hashOf(EXECUTION, RDS_ARN)}`, DBSubnetGroupName: 'acme-dr-landing-zone' });
  });
});

describe('AWS failures', () => {
  it('retries throttled calls with jittered backoff, then succeeds', async () => {
    throttledFirst(backupMock.on(GetRecoveryPointRestoreMetadataCommand), throttle('ThrottlingException'), throttle('LimitExceededException')).resolves({
      RestoreMetadata: { availabilityZone: 'ap-northeast-2a' },
    });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'dr:server', Value: 'app' }] }] });
    ec2Mock.on(DescribeInstancesCommand).rejectsOnce(throttle('RequestLimitExceeded')).resolves({ Reservations: [{ Instances: [instance(INSTANCE_A, 'ap-northeast-1a')] }] });

    await expectPrepared(input('EBS', VOLUME_ARN, SNAPSHOT_RP), 'EBS', { availabilityZone: 'ap-northeast-1a' });
    expect(sleeps).toEqual([188, 375, 188]);
    expect(logs.warn.map((l) => [l.operation, l.errorCode, l.attempt])).toEqual([
      [`GetRecoveryPointRestoreMetadata(${SNAPSHOT_RP})`, 'ThrottlingException', 1],
      [`GetRecoveryPointRestoreMetadata(${SNAPSHOT_RP})`, 'LimitExceededException', 2],
      ['DescribeInstances(dr:server=app)', 'RequestLimitExceeded', 1],
    ]);
  });

  it('gives up after a bounded number of throttled attempts', async () => {
    backupMock.on(GetRecoveryPointRestoreMetadataCommand).rejects(throttle('TooManyRequestsException'));
    await expect(run(input('S3', 'arn:aws:s3:::shop-assets'), { maxThrottleAttempts: 3 })).rejects.toThrow(
      `GetRecoveryPointRestoreMetadata(${BACKUP_RP}) was throttled (TooManyRequestsException) on all 3 attempts; giving up`,
    );
    expect(backupMock.calls()).toHaveLength(3);
    expect(sleeps).toEqual([188, 375]);
  });

  it('fails clearly, without a retry, on another AWS error', async () => {
    backupMock.on(GetRecoveryPointRestoreMetadataCommand).rejects(Object.assign(new Error('Recovery point not found'), { name: 'ResourceNotFoundException' }));
    await expect(run(input('S3', 'arn:aws:s3:::shop-assets'))).rejects.toThrow(`GetRecoveryPointRestoreMetadata(${BACKUP_RP}) failed: ResourceNotFoundException: Recovery point not found`);
    expect(backupMock.calls()).toHaveLength(1);
    expect(logs.error).toEqual([expect.objectContaining({ message: 'Restore not prepared', resourceType: 'S3' })]);
  });
});
