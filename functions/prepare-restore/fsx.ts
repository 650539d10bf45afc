/**
 * FSx restores: the file system's type, then per type the subnets, security groups, Active Directory
 * (Windows File Server) or storage virtual machine (NetApp ONTAP) of the DR account.
 */
import { ontapVolumeName } from './names';
import { PrepareRestoreError, type Draft } from './runtime';

/** AWS Backup protects FSx for NetApp ONTAP volumes, not file systems: `volume/<file system>/<volume>`. */
const FSX_VOLUME_ARN = /^arn:[^:]+:fsx:[^:]*:\d*:volume\/[^/]+\/([^/]+)$/;

/** FSx file system types (FSx API `FileSystemType`). */
export const FSX_FILE_SYSTEM_TYPES = ['WINDOWS', 'LUSTRE', 'ONTAP', 'OPENZFS'] as const;
export type FsxFileSystemType = (typeof FSX_FILE_SYSTEM_TYPES)[number];

/** The configuration fields an FSx restore names when the DR account lacks what it needs. */
export const FSX_WINDOWS_DIRECTORY_FIELD = 'workloads[].recovery.fsx.windowsDirectoryId';
export const FSX_ONTAP_SVM_FIELD = 'workloads[].recovery.fsx.ontapStorageVirtualMachineId';

// Restore metadata (AWS Backup Developer Guide, "Restore an FSx file system",
// https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-fsx.html): StartRestoreJob takes
// StorageCapacity, StorageType, VpcId, KmsKeyId, SecurityGroupIds, SubnetIds, DeploymentType, ...,
// WindowsConfiguration, LustreConfiguration, OntapConfiguration, OpenZFSConfiguration, the nested
// configurations as JSON strings; the recovery point's own metadata names the type in FileSystemType.
// For Windows File Server: ThroughputCapacity, PreferredSubnetId and ActiveDirectoryId (in
// WindowsConfiguration); for ONTAP, a *volume* restored into an existing storage virtual machine:
// Name and OntapConfiguration (junctionPath, sizeInMegabytes, storageEfficiencyEnabled,
// storageVirtualMachineId, tieringPolicy). "Restore testing inferred metadata"
// (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html)
// marks what a restore cannot do without: subnetIds (Lustre, Windows), windowsConfiguration
// activeDirectoryId (Windows), ontapConfiguration storageVirtualMachineId (ONTAP); AWS Backup cannot
// infer a complete set for FSx. Keys are not case sensitive there: an existing key keeps its spelling.
// Subnets (FSx API CreateFileSystemFromBackup, SubnetIds): two for Multi-AZ deployments, the first
// being the preferred one, else exactly one.

/** The key of `record` equal to `name` ignoring case. */
function keyOf(record: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === lower);
}

function valueOf(record: Record<string, unknown>, name: string): unknown {
  const key = keyOf(record, name);
  return key === undefined ? undefined : record[key];
}

/** Sets `name`, under the spelling the record already uses for it. */
function setValue(record: Record<string, unknown>, name: string, value: unknown): void {
  record[keyOf(record, name) ?? name] = value;
}

/** Removes `name` whatever its spelling; whether it was there. */
function removeValue(record: Record<string, unknown>, name: string): boolean {
  const key = keyOf(record, name);
  if (key === undefined) return false;
  delete record[key];
  return true;
}

/** A nested configuration of the metadata (a JSON string), as an object; `{}` when absent. */
function nestedConfig(d: Draft, name: string): Record<string, unknown> {
  const raw = valueOf(d.metadata, name);
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PrepareRestoreError(`the restore metadata's ${name} of ${d.input.recoveryPointArn} is not a JSON object: ${String(raw).slice(0, 200)}`);
  }
  return parsed as Record<string, unknown>;
}

function setNestedConfig(d: Draft, name: string, config: Record<string, unknown>): void {
  setValue(d.metadata, name, JSON.stringify(config));
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The FSx type of the recovery point: an ONTAP volume ARN, else FileSystemType, else the configuration it carries. */
export function fsxFileSystemType(resourceArn: string, metadata: Record<string, string>): FsxFileSystemType {
  if (FSX_VOLUME_ARN.test(resourceArn)) return 'ONTAP';
  const declared = stringValue(valueOf(metadata, 'FileSystemType'))?.toUpperCase();
  if (declared && (FSX_FILE_SYSTEM_TYPES as readonly string[]).includes(declared)) return declared as FsxFileSystemType;
  const byConfiguration: [string, FsxFileSystemType][] = [
    ['WindowsConfiguration', 'WINDOWS'],
    ['LustreConfiguration', 'LUSTRE'],
    ['OntapConfiguration', 'ONTAP'],
    ['OpenZFSConfiguration', 'OPENZFS'],
  ];
  const found = byConfiguration.find(([key]) => keyOf(metadata, key) !== undefined);
  if (found) return found[1];
  throw new PrepareRestoreError(
    `cannot tell the FSx file system type of ${resourceArn}: the restore metadata has ${declared ? `FileSystemType ${JSON.stringify(declared)}` : 'no FileSystemType'} ` +
      'and none of WindowsConfiguration, LustreConfiguration, OntapConfiguration, OpenZFSConfiguration',
  );
}

/** Subnets of a new file system: the landing zone's first two for a Multi-AZ deployment (the first preferred), else its first. */
function fileSystemSubnets(d: Draft, deploymentType: string | undefined, what: string): string[] {
  const { subnetIds } = d.input.target;
  const multiAz = deploymentType?.toUpperCase().startsWith('MULTI_AZ') ?? false;
  const needed = multiAz ? 2 : 1;
  if (subnetIds.length < needed) {
    throw new PrepareRestoreError(
      `${what} ${d.input.resourceArn}${multiAz ? ` (${deploymentType})` : ''} needs ${needed} subnet(s) of the landing zone, target.subnetIds has ${subnetIds.length}: ` +
        'the workload needs servers (the landing zone) to restore FSx into',
    );
  }
  return subnetIds.slice(0, needed);
}

/**
 * The network of a new file system: its subnets, the landing zone's file-system security group (or
 * the servers' when there is none), and no VpcId (the original VPC is in the workload's account and
 * Region; the subnets place the file system).
 */
function setFileSystemNetwork(d: Draft, subnets: string[]): void {
  const { target } = d.input;
  setValue(d.metadata, 'SubnetIds', JSON.stringify(subnets));
  const groups = target.fileSystemSecurityGroupIds.length > 0 ? target.fileSystemSecurityGroupIds : target.securityGroupIds;
  if (groups.length > 0) {
    setValue(d.metadata, 'SecurityGroupIds', JSON.stringify(groups));
  } else if (removeValue(d.metadata, 'SecurityGroupIds')) {
    d.warnings.push('no target security groups (target.fileSystemSecurityGroupIds, target.securityGroupIds): SecurityGroupIds of the original file system removed; the VPC default security group applies');
  }
  removeValue(d.metadata, 'VpcId');
}

/** FSx for Windows File Server: subnets, security groups, and the DR account's AWS Managed Microsoft AD. */
function prepareFsxWindows(d: Draft): void {
  const { input } = d;
  const config = nestedConfig(d, 'WindowsConfiguration');
  if (keyOf(config, 'SelfManagedActiveDirectoryConfiguration') !== undefined) {
    // "When restoring a backup, you can't change the type of Active Directory on the file system." (restoring-fsx.html)
    throw new PrepareRestoreError(
      `FSx for Windows File Server file system ${input.resourceArn} joined a self-managed Active Directory, and a restore cannot change the type of Active Directory: ` +
        `${FSX_WINDOWS_DIRECTORY_FIELD} (an AWS Managed Microsoft AD) cannot be used for it; restore it by hand with the self-managed directory's service account`,
    );
  }
  const directoryId = input.target.windowsDirectoryId;
  if (!directoryId) {
    throw new PrepareRestoreError(
      `FSx for Windows File Server file system ${input.resourceArn} must join an Active Directory in the DR account: set ${FSX_WINDOWS_DIRECTORY_FIELD} of workload ` +
        `"${input.workload}" to the ID (d-0123456789) of an AWS Managed Microsoft AD in the recovery region that the landing zone VPC reaches`,
    );
  }
  const deploymentType = stringValue(valueOf(config, 'DeploymentType')) ?? stringValue(valueOf(d.metadata, 'DeploymentType'));
  const subnets = fileSystemSubnets(d, deploymentType, 'FSx for Windows File Server file system');
  setValue(config, 'ActiveDirectoryId', directoryId);
  if (subnets.length > 1) setValue(config, 'PreferredSubnetId', subnets[0]);
  else removeValue(config, 'PreferredSubnetId');
  setNestedConfig(d, 'WindowsConfiguration', config);
  setFileSystemNetwork(d, subnets);
}

/** FSx for Lustre: one subnet and the security groups; LustreConfiguration as backed up. */
function prepareFsxLustre(d: Draft): void {
  setFileSystemNetwork(d, fileSystemSubnets(d, undefined, 'FSx for Lustre file system'));
}

/** FSx for OpenZFS: subnets (two for Multi-AZ) and security groups; not mounted by the connect runbook. */
function prepareFsxOpenZfs(d: Draft): void {
  const config = nestedConfig(d, 'OpenZFSConfiguration');
  const subnets = fileSystemSubnets(d, stringValue(valueOf(config, 'DeploymentType')) ?? stringValue(valueOf(d.metadata, 'DeploymentType')), 'FSx for OpenZFS file system');
  let changed = removeValue(config, 'PreferredSubnetId');
  if (subnets.length > 1) {
    setValue(config, 'PreferredSubnetId', subnets[0]);
    changed = true;
  }
  if (removeValue(config, 'RouteTableIds')) {
    changed = true;
    d.warnings.push('RouteTableIds of the original file system removed (route tables of its VPC); the landing zone subnets\' route tables apply');
  }
  if (changed) setNestedConfig(d, 'OpenZFSConfiguration', config);
  setFileSystemNetwork(d, subnets);
  d.warnings.push(`FSx for OpenZFS file system ${d.input.resourceArn} is restored but not mounted by the connect runbook; mount it from the application`);
}

/**
 * FSx for NetApp ONTAP: AWS Backup restores the volume into a storage virtual machine of an existing
 * file system, with a new name and junction path (unique per execution, so that drills do not
 * collide); a volume has no subnets or security groups of its own (the file system's apply).
 */
function prepareFsxOntap(d: Draft): void {
  const { input, metadata } = d;
  const svm = input.target.ontapStorageVirtualMachineId;
  if (!svm) {
    throw new PrepareRestoreError(
      `FSx for NetApp ONTAP volume ${input.resourceArn}: AWS Backup restores an ONTAP volume into a storage virtual machine of an existing file system, never a new one: ` +
        `set ${FSX_ONTAP_SVM_FIELD} of workload "${input.workload}" to an SVM (svm-0123456789abcdef0) of an FSx for NetApp ONTAP file system in the DR account`,
    );
  }
  const config = nestedConfig(d, 'OntapConfiguration');
  const original = stringValue(valueOf(metadata, 'Name')) ?? FSX_VOLUME_ARN.exec(input.resourceArn)?.[1] ?? 'volume';
  const name = ontapVolumeName(original, input.target.nameSuffix, d.hash);
  setValue(metadata, 'Name', name);
  setValue(config, 'storageVirtualMachineId', svm);
  setValue(config, 'junctionPath', `/${name}`);
  setNestedConfig(d, 'OntapConfiguration', config);
  for (const key of ['SubnetIds', 'SecurityGroupIds', 'VpcId']) removeValue(metadata, key);
}

export function prepareFsx(d: Draft): void {
  const type = fsxFileSystemType(d.input.resourceArn, d.metadata);
  switch (type) {
    case 'WINDOWS':
      prepareFsxWindows(d);
      break;
    case 'LUSTRE':
      prepareFsxLustre(d);
      break;
    case 'OPENZFS':
      prepareFsxOpenZfs(d);
      break;
    case 'ONTAP':
      prepareFsxOntap(d);
      break;
  }
}
