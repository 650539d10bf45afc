/**
 * Step RestoreInWorkload, the restore metadata: states of the restore Map's item processor (pure ASL)
 * that turn a failback copy's restore metadata (GetRecoveryPointRestoreMetadata, in the workload
 * account) into the `StartRestoreJob` Metadata of a restore in the workload account: its subnets,
 * security groups, key, instance profile, DB subnet group, bucket and FSx directory or SVM
 * (`workloads[].failback`), never the DR landing zone's that the recovery point was taken from.
 *
 * The metadata describes the resource production ran on in the DR account. JSONPath ASL can set a key
 * (States.JsonMerge, the overrides win) but not remove one, so every key that can name something of
 * the DR account or the recovery region is overridden; EC2, whose metadata also carries network
 * interfaces, placement and key pair of the DR account, is rebuilt from the instance type alone.
 * Metadata values are strings (lists and nested configurations as JSON strings).
 *
 * Metadata keys per type: AWS Backup Developer Guide, "Restore a backup by resource type"
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-a-backup.html), the page of each
 * type cited beside its rule, and "Restore testing inferred metadata"
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html).
 */
import type { ChoiceRule, State } from '../../recovery/asl';
import { workloadRegionTask } from './workload-region-task';
import type { FailbackConfig } from '../../../config/schema';
import type { FailbackWorkload } from './common';

/** The first state of the restore item processor (it chooses the workload's restore target). */
export const RESTORE_TARGET_STATE = 'FailbackRestoreTargetOf';
/** Where `GetFailbackRestoreMetadata` goes on: the choice by resource type. */
export const RESTORE_TYPE_STATE = 'FailbackRestoreType';

/** Where the override states lead: the next state after the subnet lookup, the restore start, the item failure (a Fail reading `$.error`). */
export interface RestoreOverrideWiring {
  readonly afterTarget: string;
  readonly start: string;
  readonly failed: string;
  /** The workload-region-call function, through which the subnet is looked up in the workload's account and region. */
  readonly functionArn: string;
}

const METADATA = '$.restoreMetadata.metadata';
const present = (path: string): ChoiceRule => ({ Variable: path, IsPresent: true });
const absent = (path: string): ChoiceRule => ({ Not: present(path) });
const typeIs = (t: string): ChoiceRule => ({ Variable: '$.resourceType', StringEquals: t });
const metadataIs = (key: string, value: string): ChoiceRule => ({ And: [present(`${METADATA}.${key}`), { Variable: `${METADATA}.${key}`, StringEquals: value }] });
const multiAz = (path: string): ChoiceRule => ({ And: [present(path), { Variable: path, StringMatches: 'MULTI_AZ*' }] });

/** New names in the workload account: unique per recovery point, valid for RDS, EFS, DynamoDB and ONTAP. */
const NAME_HASH = "States.Hash($.recoveryPointArn, 'MD5')";

/**
 * `$.target` of an item: what the overrides read of its workload. Static but for the name hash; keys of
 * optional fields are present only when configured (the Choice states test them with IsPresent).
 */
export function restoreTarget(w: FailbackWorkload): Record<string, unknown> {
  const [first, second] = w.subnetIds;
  const securityGroupIdsJson = JSON.stringify(w.securityGroupIds);
  return {
    subnetId: first,
    subnetIdsJson: JSON.stringify([first]),
    ...(second ? { subnetIdsMultiAzJson: JSON.stringify([first, second]) } : {}),
    securityGroupIdsJson,
    kmsKeyArn: w.kmsKeyArn,
    // EC2 (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html): the subnet places
    // the instance (and its VPC); without IamInstanceProfileName it starts without a profile.
    ec2: { SubnetId: first, SecurityGroupIds: securityGroupIdsJson, ...(w.instanceProfileName ? { IamInstanceProfileName: w.instanceProfileName } : {}) },
    ...(w.dbSubnetGroupName ? { dbSubnetGroupName: w.dbSubnetGroupName } : {}),
    ...(w.s3BucketName ? { s3BucketName: w.s3BucketName } : {}),
    ...(w.fsx?.windowsDirectoryId ? { fsxWindows: { ActiveDirectoryId: w.fsx.windowsDirectoryId, PreferredSubnetId: first } } : {}),
    ...(w.fsx?.ontapStorageVirtualMachineId ? { fsxOntapSvm: w.fsx.ontapStorageVirtualMachineId } : {}),
    'nameHash.$': NAME_HASH,
  };
}

/** The optional restore settings of `workloads[].failback`, as the definition takes them (stacks/dr-stack.ts spreads them into its workload). */
export function failbackRestoreSettings(fb: FailbackConfig): Pick<FailbackWorkload, 'instanceProfileName' | 'dbSubnetGroupName' | 's3BucketName' | 'fsx'> {
  return {
    ...(fb.instanceProfile ? { instanceProfileName: fb.instanceProfile.name } : {}),
    ...(fb.dbSubnetGroupName ? { dbSubnetGroupName: fb.dbSubnetGroupName } : {}),
    ...(fb.s3BucketName ? { s3BucketName: fb.s3BucketName } : {}),
    ...(fb.fsx ? { fsx: { ...fb.fsx } } : {}),
  };
}

/** Fails the item: `Error`, and a cause naming the type, the recovery point and what to do. */
function itemFailure(error: string, cause: string, failed: string, args = '$.resourceType, $.recoveryPointArn'): State {
  return { Type: 'Pass', Parameters: { error: { Error: error, 'Cause.$': `States.Format('${cause}', ${args})` } }, Next: failed } as State;
}

/** A Pass writing the overrides of one type to `$.overrides`, then the merge into the metadata. */
const overrides = (parameters: Record<string, unknown>, next = 'MergeFailbackOverrides'): State => ({ Type: 'Pass', Parameters: parameters, ResultPath: '$.overrides', Next: next }) as State;

const KEY = '$.target.kmsKeyArn';
const SECURITY_GROUPS = '$.target.securityGroupIdsJson';
const FAILBACK_NAME = "States.Format('failback-{}', $.target.nameHash)";

/** States from the workload's target to the restore start (see the module comment). */
export function restoreOverrideStates(workloads: readonly FailbackWorkload[], wire: RestoreOverrideWiring): Record<string, State> {
  const { failed } = wire;
  const states: Record<string, State> = {
    [RESTORE_TARGET_STATE]: {
      Type: 'Choice',
      Choices: workloads.map((w) => ({ Variable: '$.config.workload', StringEquals: w.name, Next: `FailbackRestoreTarget-${w.name}` })),
      Default: 'NoFailbackRestoreTarget',
    },
    ...Object.fromEntries(workloads.map((w) => [`FailbackRestoreTarget-${w.name}`, { Type: 'Pass', Parameters: restoreTarget(w), ResultPath: '$.target', Next: 'DescribeFailbackSubnet' } as State])),
    NoFailbackRestoreTarget: itemFailure('UnknownWorkload', 'no failback restore target for workload {} (recovery point {})', failed, '$.config.workload, $.recoveryPointArn'),
    // The Availability Zone and VPC of failback.subnetIds[0], where EC2 instances are restored: EBS
    // volumes go to the same zone (to be attached there), RDS and Aurora too; FSx names the VPC. Also
    // proves the subnet still exists before anything is restored.
    DescribeFailbackSubnet: workloadRegionTask(
      wire.functionArn,
      'ec2:DescribeSubnets',
      { 'SubnetIds.$': 'States.Array($.target.subnetId)' },
      { ResultSelector: { 'availabilityZone.$': '$.Payload.Subnets[0].AvailabilityZone', 'vpcId.$': '$.Payload.Subnets[0].VpcId' }, ResultPath: '$.network', Next: wire.afterTarget },
    ),

    [RESTORE_TYPE_STATE]: {
      Type: 'Choice',
      Choices: [
        { ...typeIs('EBS'), Next: 'PointAtWorkloadEBS' },
        { And: [typeIs('EC2'), present(`${METADATA}.InstanceType`)], Next: 'PointAtWorkloadEC2' },
        { ...typeIs('EC2'), Next: 'FailbackRestoreMetadataIncomplete' },
        { And: [{ Or: [typeIs('RDS'), typeIs('Aurora')] }, absent('$.target.dbSubnetGroupName')], Next: 'FailbackNeedsDbSubnetGroup' },
        { And: [typeIs('RDS'), present(`${METADATA}.AvailabilityZone`)], Next: 'PointAtWorkloadRDSInZone' },
        { ...typeIs('RDS'), Next: 'PointAtWorkloadRDS' },
        { And: [typeIs('Aurora'), present(`${METADATA}.AvailabilityZones`)], Next: 'PointAtWorkloadAuroraInZones' },
        { ...typeIs('Aurora'), Next: 'PointAtWorkloadAurora' },
        { ...typeIs('DynamoDB'), Next: 'PointAtWorkloadDynamoDB' },
        { ...typeIs('EFS'), Next: 'PointAtWorkloadEFS' },
        { And: [typeIs('S3'), absent('$.target.s3BucketName')], Next: 'FailbackNeedsS3Bucket' },
        { ...typeIs('S3'), Next: 'PointAtWorkloadS3' },
        { ...typeIs('FSx'), Next: 'FailbackFsxType' },
      ],
      Default: 'UnsupportedFailbackType',
    },
    UnsupportedFailbackType: itemFailure('UnsupportedFailbackType', 'failback cannot restore {} recovery points; restore {} by hand', failed),
    FailbackRestoreMetadataIncomplete: itemFailure(
      'RestoreMetadataIncomplete',
      'the restore metadata of {} recovery point {} lacks what failback needs (EC2: InstanceType; FSx: the configuration of its file system type); restore it by hand',
      failed,
    ),
    FailbackNeedsDbSubnetGroup: itemFailure('MissingFailbackSetting', 'restoring {} recovery point {} needs workloads[].failback.dbSubnetGroupName (a DB subnet group of the workload account); set it or restore it by hand', failed),
    FailbackNeedsS3Bucket: itemFailure('MissingFailbackSetting', 'restoring {} recovery point {} needs workloads[].failback.s3BucketName (a versioned bucket of the workload account); set it or restore it by hand', failed),

    // EBS (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ebs.html): the volume is
    // created in availabilityZone, encrypted with kmsKeyId.
    PointAtWorkloadEBS: overrides({ 'availabilityZone.$': '$.network.availabilityZone', encrypted: 'true', 'kmsKeyId.$': KEY }),
    // EC2 (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html): only the instance
    // type is kept; the volumes of the image keep the recovery point's key (the local vault's).
    PointAtWorkloadEC2: overrides({ 'InstanceType.$': `${METADATA}.InstanceType` }, 'MergeFailbackEC2'),
    MergeFailbackEC2: { Type: 'Pass', Parameters: { 'value.$': 'States.JsonMerge($.target.ec2, $.overrides, false)' }, ResultPath: '$.restoreMetadata', Next: wire.start } as State,
    // RDS (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-rds.html): a new DB instance
    // identifier (the original may still exist), the workload's DB subnet group, security groups and
    // key; an Availability Zone of the recovery region is replaced by the subnet's.
    PointAtWorkloadRDSInZone: overrides({ ...rds('DBInstanceIdentifier'), 'AvailabilityZone.$': '$.network.availabilityZone' }),
    PointAtWorkloadRDS: overrides(rds('DBInstanceIdentifier')),
    // Aurora (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-aur.html): the same for
    // the DB cluster; its AvailabilityZones (a JSON list) become the subnet's zone.
    PointAtWorkloadAuroraInZones: overrides({ ...rds('DBClusterIdentifier'), 'AvailabilityZones.$': 'States.JsonToString(States.Array($.network.availabilityZone))' }),
    PointAtWorkloadAurora: overrides(rds('DBClusterIdentifier')),
    // DynamoDB (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-dynamodb.html): a new
    // table name, encrypted with the workload's key (encryptionType KMS, kmsMasterKeyArn).
    PointAtWorkloadDynamoDB: overrides({ 'targetTableName.$': "States.Format('{}-failback-{}', $.config.workload, $.target.nameHash)", encryptionType: 'KMS', 'kmsMasterKeyArn.$': KEY }),
    // EFS (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-efs.html, StartRestoreJob
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartRestoreJob.html): a new file
    // system (newFileSystem, CreationToken), Encrypted with KmsKeyId; file-system-id stays as returned.
    PointAtWorkloadEFS: overrides({ newFileSystem: 'true', Encrypted: 'true', 'KmsKeyId.$': KEY, 'CreationToken.$': FAILBACK_NAME }),
    // S3 (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-s3.html): into the existing
    // bucket DestinationBucketName (NewBucket false), SSE-KMS with the workload's key.
    PointAtWorkloadS3: overrides({ 'DestinationBucketName.$': '$.target.s3BucketName', NewBucket: 'false', Encrypted: 'true', EncryptionType: 'SSE-KMS', 'KMSKey.$': KEY }),
    ...fsxStates(failed),
    MergeFailbackOverrides: { Type: 'Pass', Parameters: { 'value.$': `States.JsonMerge(${METADATA}, $.overrides, false)` }, ResultPath: '$.restoreMetadata', Next: wire.start } as State,
  };
  return states;
}

/** RDS and Aurora overrides: a new identifier under `identifierKey`, the DB subnet group, security groups and key. */
function rds(identifierKey: string): Record<string, unknown> {
  return { [`${identifierKey}.$`]: FAILBACK_NAME, 'DBSubnetGroupName.$': '$.target.dbSubnetGroupName', 'VpcSecurityGroupIds.$': SECURITY_GROUPS, 'KmsKeyId.$': KEY };
}

/**
 * FSx (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-fsx.html): the type from
 * FileSystemType, else from the configuration the metadata carries. A new file system takes SubnetIds
 * (two for Multi-AZ, the first preferred), SecurityGroupIds, KmsKeyId and the subnet's VpcId; Windows
 * File Server joins the workload's AWS Managed Microsoft AD (WindowsConfiguration ActiveDirectoryId);
 * an ONTAP volume is restored into the workload's SVM (OntapConfiguration storageVirtualMachineId)
 * under a new name and junction path. OpenZFS Multi-AZ names route tables of the DR VPC: by hand.
 */
function fsxStates(failed: string): Record<string, State> {
  const isType = (type: string, configuration: string): ChoiceRule => ({ Or: [metadataIs('FileSystemType', type), present(`${METADATA}.${configuration}`)] });
  const windows = isType('WINDOWS', 'WindowsConfiguration');
  const ontap = isType('ONTAP', 'OntapConfiguration');
  const openZfs = isType('OPENZFS', 'OpenZFSConfiguration');
  const fileSystem = (subnets: string): Record<string, unknown> => ({ 'SubnetIds.$': subnets, 'SecurityGroupIds.$': SECURITY_GROUPS, 'KmsKeyId.$': KEY, 'VpcId.$': '$.network.vpcId' });
  const read = (configuration: string, next: string): State => ({ Type: 'Pass', Parameters: { 'configuration.$': `States.StringToJson(${METADATA}.${configuration})` }, ResultPath: '$.fsx', Next: next }) as State;
  const windowsConfiguration = "States.JsonToString(States.JsonMerge($.fsx.configuration, $.target.fsxWindows, false))";
  return {
    FailbackFsxType: {
      Type: 'Choice',
      Choices: [
        { And: [windows, absent(`${METADATA}.WindowsConfiguration`)], Next: 'FailbackRestoreMetadataIncomplete' },
        { And: [windows, absent('$.target.fsxWindows')], Next: 'FailbackNeedsFsxDirectory' },
        { ...windows, Next: 'ReadFsxWindowsConfiguration' },
        { And: [ontap, absent(`${METADATA}.OntapConfiguration`)], Next: 'FailbackRestoreMetadataIncomplete' },
        { And: [ontap, absent('$.target.fsxOntapSvm')], Next: 'FailbackNeedsFsxSvm' },
        { ...ontap, Next: 'ReadFsxOntapConfiguration' },
        { And: [openZfs, absent(`${METADATA}.OpenZFSConfiguration`)], Next: 'FailbackRestoreMetadataIncomplete' },
        { ...openZfs, Next: 'ReadFsxOpenZfsConfiguration' },
        { ...isType('LUSTRE', 'LustreConfiguration'), Next: 'PointAtWorkloadFSxFileSystem' },
      ],
      Default: 'FailbackRestoreMetadataIncomplete',
    },
    FailbackNeedsFsxDirectory: itemFailure('MissingFailbackSetting', 'restoring FSx for Windows File Server ({} recovery point {}) needs workloads[].failback.fsx.windowsDirectoryId (an AWS Managed Microsoft AD of the workload account); set it or restore it by hand', failed),
    FailbackNeedsFsxSvm: itemFailure('MissingFailbackSetting', 'restoring an FSx for NetApp ONTAP volume ({} recovery point {}) needs workloads[].failback.fsx.ontapStorageVirtualMachineId (an SVM of the workload account); set it or restore it by hand', failed),
    FailbackNeedsTwoSubnets: itemFailure('MissingFailbackSetting', 'restoring a Multi-AZ FSx file system ({} recovery point {}) needs two subnets in workloads[].failback.subnetIds, in two Availability Zones; add one or restore it by hand', failed),
    FailbackFsxOpenZfsMultiAz: itemFailure('UnsupportedFailbackType', 'failback cannot restore an FSx for OpenZFS Multi-AZ file system ({} recovery point {}): its route tables are those of the DR VPC; restore it by hand', failed),

    ReadFsxWindowsConfiguration: read('WindowsConfiguration', 'FailbackFsxWindowsDeployment'),
    FailbackFsxWindowsDeployment: {
      Type: 'Choice',
      Choices: [
        { And: [multiAz('$.fsx.configuration.DeploymentType'), present('$.target.subnetIdsMultiAzJson')], Next: 'PointAtWorkloadFSxWindowsMultiAz' },
        { ...multiAz('$.fsx.configuration.DeploymentType'), Next: 'FailbackNeedsTwoSubnets' },
      ],
      Default: 'PointAtWorkloadFSxWindows',
    },
    PointAtWorkloadFSxWindows: overrides({ ...fileSystem('$.target.subnetIdsJson'), 'WindowsConfiguration.$': windowsConfiguration }),
    PointAtWorkloadFSxWindowsMultiAz: overrides({ ...fileSystem('$.target.subnetIdsMultiAzJson'), 'WindowsConfiguration.$': windowsConfiguration }),

    ReadFsxOpenZfsConfiguration: read('OpenZFSConfiguration', 'FailbackFsxOpenZfsDeployment'),
    FailbackFsxOpenZfsDeployment: { Type: 'Choice', Choices: [{ ...multiAz('$.fsx.configuration.DeploymentType'), Next: 'FailbackFsxOpenZfsMultiAz' }], Default: 'PointAtWorkloadFSxFileSystem' },
    // Lustre and single-AZ OpenZFS: one subnet.
    PointAtWorkloadFSxFileSystem: overrides(fileSystem('$.target.subnetIdsJson')),

    ReadFsxOntapConfiguration: read('OntapConfiguration', 'PointAtWorkloadFSxOntapVolume'),
    PointAtWorkloadFSxOntapVolume: {
      Type: 'Pass',
      Parameters: { 'storageVirtualMachineId.$': '$.target.fsxOntapSvm', 'junctionPath.$': "States.Format('/failback_{}', $.target.nameHash)" },
      ResultPath: '$.fsx.volume',
      Next: 'PointAtWorkloadFSxOntap',
    } as State,
    // ONTAP volume names: letters, digits and "_".
    PointAtWorkloadFSxOntap: overrides({
      'Name.$': "States.Format('failback_{}', $.target.nameHash)",
      'OntapConfiguration.$': 'States.JsonToString(States.JsonMerge($.fsx.configuration, $.fsx.volume, false))',
    }),
  };
}
