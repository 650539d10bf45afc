/**
 * The failback restore metadata (modules/failback/steps/restore-overrides.ts), driven through the
 * local Step Functions interpreter: for every type the project backs up, the RestoreInWorkload Map of
 * the failback definition gets DR-account restore metadata (what GetRecoveryPointRestoreMetadata
 * returns for a copy of a resource production ran on in the DR account) and must start the restore
 * with the workload's subnets, security groups, key and settings, and nothing of the DR account.
 */
import { StateMachine } from '../../../rehearsal/interpreter';
import { allStates, type PassState, type StateMachineDefinition, type TaskState } from '../../../modules/recovery/asl';
import { restoreInWorkloadStates } from '../../../modules/failback/steps/jobs';
import { restoreTarget } from '../../../modules/failback/steps/restore-overrides';
import { FAILBACK_RESTORABLE_TYPES, type FailbackContext, type FailbackDefinitionProps, type FailbackWorkload } from '../../../modules/failback/steps/common';
import { RESOURCE_TYPES } from '../../../config/schema';
import { estateFor } from '../../helpers/synth';
import { failbackInput, viaWorkloadRegionCall } from '../../helpers/failback';

const SHOP = '333333333333';
const DR = '222222222222';
const KEY = `arn:aws:kms:ap-northeast-2:${SHOP}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
const GROUPS = ['sg-0123456789abcdef0', 'sg-0123456789abcdef1'];
const ZONE = 'ap-northeast-2b';
const REGION_CALL_FN = `arn:aws:lambda:ap-northeast-1:222222222222:function:acme-failback-workload-region-call`;
const VPC = 'vpc-0aaaabbbbccccdddd';

// What the DR account's resources carry: none of it may reach a restore in the workload account.
const DR_KEY = `arn:aws:kms:ap-northeast-1:${DR}:key/9999abcd-12ab-34cd-56ef-1234567890ab`;
const DR_SUBNET = 'subnet-0dddd00000000000a';
const DR_SUBNET_2 = 'subnet-0dddd00000000000b';
const DR_GROUP = 'sg-0dddd000000000000';
const DR_VPC = 'vpc-0dddd000000000000';
const DR_DIRECTORY = 'd-9999999999';
const DR_SVM = 'svm-0dddd000000000000';
// A DR database's network and key settings, and the workload's that failback must restore with instead.
const DR_DATABASE = { DBSubnetGroupName: 'acme-dr-db', VpcSecurityGroupIds: JSON.stringify([DR_GROUP]), KmsKeyId: DR_KEY };
const WORKLOAD_DATABASE = { DBSubnetGroupName: 'shop-db', VpcSecurityGroupIds: JSON.stringify(GROUPS), KmsKeyId: KEY };
const DR_MARKERS = [DR, DR_KEY, DR_SUBNET, DR_SUBNET_2, DR_GROUP, DR_VPC, DR_DIRECTORY, DR_SVM, 'ap-northeast-1', 'acme-dr-'];

const workload = (extra: Partial<FailbackWorkload> = {}): FailbackWorkload =>
  ({
    name: 'shop',
    accountId: SHOP,
    region: 'ap-northeast-2',
    subnetIds: SUBNETS,
    securityGroupIds: GROUPS,
    kmsKeyArn: KEY,
    instanceProfileName: 'shop-app',
    dbSubnetGroupName: 'shop-db',
    s3BucketName: 'shop-assets',
    fsx: { windowsDirectoryId: 'd-0123456789', ontapStorageVirtualMachineId: 'svm-0123456789abcdef0' },
    ...extra,
  }) as FailbackWorkload;

function definition(w: FailbackWorkload): StateMachineDefinition {
  const ctx: FailbackContext = { props: { workloads: [w], workloadRegionCallFunctionArn: REGION_CALL_FN } as unknown as FailbackDefinitionProps, poll: 30, jobPolls: 10, jobConcurrency: 5 };
  return {
    Comment: 'RestoreInWorkload of the failback definition, alone',
    StartAt: 'RestoreInWorkload',
    States: { ...restoreInWorkloadStates(ctx), ReportFailback: { Type: 'Succeed' }, RestoreInWorkloadFailed: { Type: 'Succeed' } } as StateMachineDefinition['States'],
  };
}

const pointArn = (type: string) => `arn:aws:backup:ap-northeast-2:${SHOP}:recovery-point:${type.toLowerCase()}-5f6c1a2b`;

interface Run {
  /** Metadata of StartRestoreJob, when it was started. */
  metadata?: Record<string, string>;
  started?: Record<string, unknown>;
  failure?: { Error: string; Cause: string };
  subnetLookup?: Record<string, unknown>;
}

/** Runs the RestoreInWorkload Map for one copy of `type` whose restore metadata is `metadata`. */
async function restore(type: string, metadata: Record<string, string>, w = workload()): Promise<Run> {
  const run: Run = {};
  const machine = new StateMachine(definition(w) as any, { validationOptions: { noValidate: true } });
  const execution = machine.run(
    {
      config: { workload: 'shop', region: 'ap-northeast-2', localVaultName: 'acme-shop-local', failbackRoleArn: `arn:aws:iam::${SHOP}:role/acme-shop-failback`, backupRoleArn: `arn:aws:iam::${SHOP}:role/acme-shop-backup` },
      copies: [{ recoveryPointArn: pointArn(type), resourceType: type, sourceResourceArn: `arn:aws:x:ap-northeast-1:${DR}:${type}` }],
    } as any,
    {
      overrides: {
        taskResourceLocalHandlers: {
          // Calls in the workload region (workload-region-call): API parameters in, the API's response as the function's Payload.
          DescribeFailbackSubnet: viaWorkloadRegionCall((input: any) => {
            run.subnetLookup = input;
            return { Subnets: [{ SubnetId: input.SubnetIds[0], AvailabilityZone: ZONE, VpcId: VPC }] };
          }),
          GetFailbackRestoreMetadata: viaWorkloadRegionCall(() => ({ BackupVaultArn: `arn:aws:backup:ap-northeast-2:${SHOP}:backup-vault:acme-shop-local`, RestoreMetadata: metadata, ResourceType: type })),
          StartFailbackRestore: viaWorkloadRegionCall((input: any) => {
            run.started = input;
            run.metadata = input.Metadata;
            return { RestoreJobId: 'restore-1' };
          }),
          FailbackRestorePollCheck: viaWorkloadRegionCall(() => ({ RestoreJobId: 'restore-1', Status: 'COMPLETED', CreatedResourceArn: `arn:aws:x:ap-northeast-2:${SHOP}:restored` })),
        } as any,
        waitTimeOverrides: { FailbackRestorePollWait: 0 },
      },
      context: { Execution: { Id: `arn:aws:states:ap-northeast-1:${DR}:execution:acme-failback:fb-1`, Name: 'fb-1' } } as any,
    },
  );
  const out = (await execution.result) as any;
  if (out.failure) run.failure = { Error: out.failure.Error, Cause: out.failure.Cause };
  return run;
}

function expectNoDrLeak(metadata: Record<string, string> | undefined): void {
  const text = JSON.stringify(metadata);
  for (const marker of DR_MARKERS) expect({ marker, leaked: text.includes(marker) }).toEqual({ marker, leaked: false });
}

const DR_EC2 = {
  InstanceType: 'm6i.large',
  SubnetId: DR_SUBNET,
  SecurityGroupIds: JSON.stringify([DR_GROUP]),
  IamInstanceProfileName: 'acme-dr-instance',
  VpcId: DR_VPC,
  KeyName: 'acme-dr-keypair',
  Placement: JSON.stringify({ AvailabilityZone: 'ap-northeast-1a', Tenancy: 'default' }),
  NetworkInterfaces: JSON.stringify([{ DeviceIndex: 0, SubnetId: DR_SUBNET, Groups: [DR_GROUP] }]),
  RequireIMDSv2: 'true',
};

describe('failback restore overrides', () => {
  it('covers every resource type the project backs up', () => {
    expect([...FAILBACK_RESTORABLE_TYPES].sort()).toEqual([...RESOURCE_TYPES].sort());
  });

  it('looks up the first workload subnet with the failback role before reading the metadata', async () => {
    const def = definition(workload());
    const lookup = allStates(def).find(([n]) => n === 'DescribeFailbackSubnet')![1] as TaskState;
    // In the workload's region, through the workload-region-call function (an SDK integration would call the recovery region).
    expect(lookup).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: REGION_CALL_FN, Payload: { operation: 'ec2:DescribeSubnets', 'roleArn.$': '$.config.failbackRoleArn', 'region.$': '$.config.region' } },
      Next: 'GetFailbackRestoreMetadata',
    });
    const run = await restore('EBS', { availabilityZone: 'ap-northeast-1a', encrypted: 'true', kmsKeyId: DR_KEY, volumeSize: '100' });
    expect(run.subnetLookup).toEqual({ SubnetIds: [SUBNETS[0]] });
    expect(run.started).toMatchObject({ RecoveryPointArn: pointArn('EBS'), ResourceType: 'EBS', IamRoleArn: `arn:aws:iam::${SHOP}:role/acme-shop-backup` });
  });

  it('EBS: the zone of the first workload subnet, encrypted with the workload key', async () => {
    const run = await restore('EBS', { availabilityZone: 'ap-northeast-1a', encrypted: 'false', kmsKeyId: DR_KEY, volumeSize: '100', volumeType: 'gp3' });
    expect(run.metadata).toEqual({ availabilityZone: ZONE, encrypted: 'true', kmsKeyId: KEY, volumeSize: '100', volumeType: 'gp3' });
    expectNoDrLeak(run.metadata);
  });

  it('EC2: the instance type only, in the workload subnet and security groups, with the workload instance profile', async () => {
    const run = await restore('EC2', DR_EC2);
    expect(run.metadata).toEqual({ InstanceType: 'm6i.large', SubnetId: SUBNETS[0], SecurityGroupIds: JSON.stringify(GROUPS), IamInstanceProfileName: 'shop-app' });
    expectNoDrLeak(run.metadata);
  });

  it('EC2 without failback.instanceProfile: no profile at all (not the DR account one)', async () => {
    const run = await restore('EC2', DR_EC2, workload({ instanceProfileName: undefined }));
    expect(run.metadata).toEqual({ InstanceType: 'm6i.large', SubnetId: SUBNETS[0], SecurityGroupIds: JSON.stringify(GROUPS) });
  });

  it('RDS: a new identifier, the workload DB subnet group, security groups, key and zone', async () => {
    const run = await restore('RDS', { DBInstanceIdentifier: 'orders-dr-1a2b3c4d', ...DR_DATABASE, AvailabilityZone: 'ap-northeast-1a', DBInstanceClass: 'db.m6g.large', Engine: 'postgres', MultiAZ: 'false' });
    const { DBInstanceIdentifier, ...rest } = run.metadata!;
    expect(DBInstanceIdentifier).toMatch(/^failback-[0-9a-f]{32}$/);
    expect(rest).toEqual({ ...WORKLOAD_DATABASE, AvailabilityZone: ZONE, DBInstanceClass: 'db.m6g.large', Engine: 'postgres', MultiAZ: 'false' });
    expectNoDrLeak(run.metadata);
  });

  it('RDS Multi-AZ without a zone in its metadata: no zone is added', async () => {
    const run = await restore('RDS', { DBInstanceIdentifier: 'orders-dr', DBSubnetGroupName: 'acme-dr-db', KmsKeyId: DR_KEY, MultiAZ: 'true' });
    expect(run.metadata).not.toHaveProperty('AvailabilityZone');
    expect(run.metadata).toMatchObject({ DBSubnetGroupName: 'shop-db', MultiAZ: 'true', KmsKeyId: KEY, VpcSecurityGroupIds: JSON.stringify(GROUPS) });
  });

  it('Aurora: a new cluster identifier, the workload DB subnet group, security groups, key and zones', async () => {
    const run = await restore('Aurora', { DBClusterIdentifier: 'orders-dr-1a2b3c4d', ...DR_DATABASE, AvailabilityZones: JSON.stringify(['ap-northeast-1a', 'ap-northeast-1c']), Engine: 'aurora-postgresql' });
    const { DBClusterIdentifier, ...rest } = run.metadata!;
    expect(DBClusterIdentifier).toMatch(/^failback-[0-9a-f]{32}$/);
    expect(rest).toEqual({ ...WORKLOAD_DATABASE, AvailabilityZones: JSON.stringify([ZONE]), Engine: 'aurora-postgresql' });
    expectNoDrLeak(run.metadata);
  });

  it('DynamoDB: a new table name, encrypted with the workload key', async () => {
    const run = await restore('DynamoDB', { originalTableName: 'orders-dr-1a2b', targetTableName: 'orders-dr-1a2b', encryptionType: 'KMS', kmsMasterKeyArn: DR_KEY });
    expect(run.metadata).toEqual({ originalTableName: 'orders-dr-1a2b', targetTableName: expect.stringMatching(/^shop-failback-[0-9a-f]{32}$/), encryptionType: 'KMS', kmsMasterKeyArn: KEY });
    expect(JSON.stringify(run.metadata)).not.toContain(DR_KEY);
  });

  it('EFS: a new file system with a new creation token, encrypted with the workload key', async () => {
    const run = await restore('EFS', { 'file-system-id': 'fs-0123456789abcdef0', Encrypted: 'true', KmsKeyId: DR_KEY, PerformanceMode: 'generalPurpose', CreationToken: 'shop-dr-1a2b', newFileSystem: 'false' });
    expect(run.metadata).toEqual({ 'file-system-id': 'fs-0123456789abcdef0', Encrypted: 'true', KmsKeyId: KEY, PerformanceMode: 'generalPurpose', CreationToken: expect.stringMatching(/^failback-[0-9a-f]{32}$/), newFileSystem: 'true' });
    expectNoDrLeak(run.metadata);
  });

  it('S3: into the workload bucket, SSE-KMS with the workload key', async () => {
    const run = await restore('S3', { DestinationBucketName: `acme-dr-recovery-${DR}`, NewBucket: 'false', Encrypted: 'true', EncryptionType: 'SSE-KMS', KMSKey: DR_KEY });
    expect(run.metadata).toEqual({ DestinationBucketName: 'shop-assets', NewBucket: 'false', Encrypted: 'true', EncryptionType: 'SSE-KMS', KMSKey: KEY });
    expectNoDrLeak(run.metadata);
  });

  const drFileSystem = { SubnetIds: JSON.stringify([DR_SUBNET]), SecurityGroupIds: JSON.stringify([DR_GROUP]), KmsKeyId: DR_KEY, VpcId: DR_VPC, StorageCapacity: '1200' };
  const workloadFileSystem = (subnets: string[]) => ({ SubnetIds: JSON.stringify(subnets), SecurityGroupIds: JSON.stringify(GROUPS), KmsKeyId: KEY, VpcId: VPC, StorageCapacity: '1200' });

  it('FSx for Lustre: one workload subnet, the security groups, key and VPC', async () => {
    const lustre = JSON.stringify({ DeploymentType: 'PERSISTENT_2', PerUnitStorageThroughput: 125 });
    const run = await restore('FSx', { FileSystemType: 'LUSTRE', ...drFileSystem, LustreConfiguration: lustre });
    expect(run.metadata).toEqual({ FileSystemType: 'LUSTRE', ...workloadFileSystem([SUBNETS[0]]), LustreConfiguration: lustre });
    expectNoDrLeak(run.metadata);
  });

  it('FSx for OpenZFS single-AZ: like Lustre; Multi-AZ fails, naming type and recovery point', async () => {
    const zfs = JSON.stringify({ DeploymentType: 'SINGLE_AZ_2', ThroughputCapacity: 160 });
    const run = await restore('FSx', { FileSystemType: 'OPENZFS', ...drFileSystem, OpenZFSConfiguration: zfs });
    expect(run.metadata).toEqual({ FileSystemType: 'OPENZFS', ...workloadFileSystem([SUBNETS[0]]), OpenZFSConfiguration: zfs });
    const multi = await restore('FSx', { FileSystemType: 'OPENZFS', ...drFileSystem, OpenZFSConfiguration: JSON.stringify({ DeploymentType: 'MULTI_AZ_1', RouteTableIds: ['rtb-0dddd'] }) });
    expect(multi.metadata).toBeUndefined();
    expect(multi.failure).toEqual({ Error: 'UnsupportedFailbackType', Cause: expect.stringContaining(`FSx recovery point ${pointArn('FSx')}`) });
  });

  it('FSx for Windows File Server: the workload directory and preferred subnet; Multi-AZ in two workload subnets', async () => {
    const single = JSON.stringify({ ActiveDirectoryId: DR_DIRECTORY, DeploymentType: 'SINGLE_AZ_2', ThroughputCapacity: 32, PreferredSubnetId: DR_SUBNET });
    const run = await restore('FSx', { FileSystemType: 'WINDOWS', ...drFileSystem, WindowsConfiguration: single });
    expect(run.metadata).toEqual({ FileSystemType: 'WINDOWS', ...workloadFileSystem([SUBNETS[0]]), WindowsConfiguration: expect.any(String) });
    expect(JSON.parse(run.metadata!.WindowsConfiguration)).toEqual({ ActiveDirectoryId: 'd-0123456789', DeploymentType: 'SINGLE_AZ_2', ThroughputCapacity: 32, PreferredSubnetId: SUBNETS[0] });
    expectNoDrLeak(run.metadata);

    const multiAz = JSON.stringify({ ActiveDirectoryId: DR_DIRECTORY, DeploymentType: 'MULTI_AZ_1', ThroughputCapacity: 32, PreferredSubnetId: DR_SUBNET });
    const multi = await restore('FSx', { FileSystemType: 'WINDOWS', ...drFileSystem, SubnetIds: JSON.stringify([DR_SUBNET, DR_SUBNET_2]), WindowsConfiguration: multiAz });
    expect(multi.metadata).toMatchObject(workloadFileSystem(SUBNETS));
    expect(JSON.parse(multi.metadata!.WindowsConfiguration)).toMatchObject({ ActiveDirectoryId: 'd-0123456789', DeploymentType: 'MULTI_AZ_1', PreferredSubnetId: SUBNETS[0] });
    expectNoDrLeak(multi.metadata);

    const oneSubnet = await restore('FSx', { FileSystemType: 'WINDOWS', ...drFileSystem, WindowsConfiguration: multiAz }, workload({ subnetIds: [SUBNETS[0]] }));
    expect(oneSubnet.failure).toEqual({ Error: 'MissingFailbackSetting', Cause: expect.stringContaining('needs two subnets in workloads[].failback.subnetIds') });
  });

  it('FSx for NetApp ONTAP: a new volume name and junction path in the workload SVM', async () => {
    const run = await restore('FSx', { FileSystemType: 'ONTAP', Name: 'data_dr', OntapConfiguration: JSON.stringify({ storageVirtualMachineId: DR_SVM, junctionPath: '/data_dr', sizeInMegabytes: 10240 }) });
    expect(run.metadata!.Name).toMatch(/^failback_[0-9a-f]{32}$/);
    expect(JSON.parse(run.metadata!.OntapConfiguration)).toEqual({ storageVirtualMachineId: 'svm-0123456789abcdef0', junctionPath: `/${run.metadata!.Name}`, sizeInMegabytes: 10240 });
    expectNoDrLeak(run.metadata);
  });

  it.each<[string, string, Record<string, string>, Partial<FailbackWorkload>, string, RegExp]>([
    ['RDS without failback.dbSubnetGroupName', 'RDS', { DBInstanceIdentifier: 'orders-dr' }, { dbSubnetGroupName: undefined }, 'MissingFailbackSetting', /^restoring RDS recovery point \S+ needs workloads\[\]\.failback\.dbSubnetGroupName/],
    ['Aurora without failback.dbSubnetGroupName', 'Aurora', { DBClusterIdentifier: 'orders-dr' }, { dbSubnetGroupName: undefined }, 'MissingFailbackSetting', /^restoring Aurora recovery point \S+ needs workloads\[\]\.failback\.dbSubnetGroupName/],
    ['S3 without failback.s3BucketName', 'S3', { DestinationBucketName: 'acme-dr-recovery' }, { s3BucketName: undefined }, 'MissingFailbackSetting', /^restoring S3 recovery point \S+ needs workloads\[\]\.failback\.s3BucketName/],
    ['FSx for Windows without failback.fsx.windowsDirectoryId', 'FSx', { FileSystemType: 'WINDOWS', WindowsConfiguration: '{}' }, { fsx: {} }, 'MissingFailbackSetting', /needs workloads\[\]\.failback\.fsx\.windowsDirectoryId/],
    ['an ONTAP volume without failback.fsx.ontapStorageVirtualMachineId', 'FSx', { OntapConfiguration: '{}' }, { fsx: {} }, 'MissingFailbackSetting', /needs workloads\[\]\.failback\.fsx\.ontapStorageVirtualMachineId/],
    ['EC2 metadata without InstanceType', 'EC2', { SubnetId: DR_SUBNET }, {}, 'RestoreMetadataIncomplete', /^the restore metadata of EC2 recovery point \S+ lacks/],
    ['FSx metadata of no known file system type', 'FSx', { StorageCapacity: '1200' }, {}, 'RestoreMetadataIncomplete', /^the restore metadata of FSx recovery point/],
    ['a type failback does not know', 'Redshift', { ClusterIdentifier: 'x' }, {}, 'UnsupportedFailbackType', /^failback cannot restore Redshift recovery points; restore \S+ by hand$/],
  ])('fails the item, naming type and recovery point: %s', async (_what, type, metadata, extra, error, cause) => {
    const run = await restore(type, metadata, workload(extra));
    expect(run.metadata).toBeUndefined();
    expect(run.failure).toEqual({ Error: error, Cause: expect.stringMatching(cause) });
    expect(run.failure!.Cause).toContain(pointArn(type));
  });

  it('builds each workload target from its configuration only (optional settings absent when not configured)', () => {
    const bare = restoreTarget(workload({ instanceProfileName: undefined, dbSubnetGroupName: undefined, s3BucketName: undefined, fsx: undefined, subnetIds: [SUBNETS[0]] }));
    expect(Object.keys(bare).sort()).toEqual(['ec2', 'kmsKeyArn', 'nameHash.$', 'securityGroupIdsJson', 'subnetId', 'subnetIdsJson']);
    expect(bare['nameHash.$']).toBe("States.Hash($.recoveryPointArn, 'MD5')");
  });

  it('is synthesized with the failback settings of the configuration', () => {
    const input = failbackInput({ instanceProfile: { name: 'shop-app', roleArn: `arn:aws:iam::${SHOP}:role/shop-app` }, s3BucketName: 'shop-assets', fsx: { windowsDirectoryId: 'd-0123456789' } });
    const dr = estateFor(input).dr;
    const def = dr.failback!.stateMachine.definition;
    const target = allStates(def).find(([n]) => n === 'FailbackRestoreTarget-shop')![1] as PassState;
    expect(target.Parameters).toMatchObject({
      subnetId: 'subnet-0123456789abcdef0',
      securityGroupIdsJson: '["sg-0123456789abcdef0"]',
      kmsKeyArn: KEY,
      ec2: { SubnetId: 'subnet-0123456789abcdef0', SecurityGroupIds: '["sg-0123456789abcdef0"]', IamInstanceProfileName: 'shop-app' },
      dbSubnetGroupName: 'shop-db',
      s3BucketName: 'shop-assets',
      fsxWindows: { ActiveDirectoryId: 'd-0123456789', PreferredSubnetId: 'subnet-0123456789abcdef0' },
    });
    expect(JSON.stringify(target.Parameters)).not.toContain(DR);
  });
});
