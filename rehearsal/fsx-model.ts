/**
 * FSx in the rehearsal's model: what AWS Backup's restore metadata holds for each FSx type, what FSx
 * rejects in a restore into the DR account, and what the connect runbook's mounts need.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-fsx.html
 */
import type { FsxType, ModelError, ModelEstate, ProtectedResource } from './dr-account';

/** A restored FSx file system, or (ONTAP) a volume restored into the configured SVM. */
export interface FsxResource {
  readonly id: string;
  readonly type: FsxType;
  readonly restoreJobId: string;
  readonly dnsName: string;
  readonly mountName?: string;
  readonly junctionPath?: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** As AWS Backup tags what it restores (`aws:backup:source-resource`). */
  readonly tags: Record<string, string>;
  lifecycle: 'CREATING' | 'AVAILABLE' | 'DELETING';
}

/** FSx restore metadata as AWS Backup returns it (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-fsx.html). */
export function fsxRestoreMetadata(resource: Pick<ProtectedResource, 'resourceArn' | 'fsxType'>, sourceKey: string): Record<string, string> {
  const network = { SubnetIds: '["subnet-0aaaaaaaaaaaaaaa1"]', SecurityGroupIds: '["sg-0aaaaaaaaaaaaaaa1"]', VpcId: 'vpc-0aaaaaaaaaaaaaaa1' };
  switch (resource.fsxType ?? (/:volume\//.test(resource.resourceArn) ? 'ONTAP' : 'LUSTRE')) {
    case 'WINDOWS':
      return { FileSystemType: 'WINDOWS', StorageCapacity: '300', StorageType: 'SSD', KmsKeyId: sourceKey, ...network, WindowsConfiguration: JSON.stringify({ ActiveDirectoryId: 'd-0000000000', DeploymentType: 'SINGLE_AZ_2', ThroughputCapacity: 32 }) };
    case 'LUSTRE':
      return { FileSystemType: 'LUSTRE', StorageCapacity: '1200', KmsKeyId: sourceKey, ...network, LustreConfiguration: JSON.stringify({ DeploymentType: 'PERSISTENT_2', PerUnitStorageThroughput: 125 }) };
    case 'ONTAP':
      return { Name: 'shop_data', OntapConfiguration: JSON.stringify({ StorageVirtualMachineId: 'svm-0aaaaaaaaaaaaaaa1', JunctionPath: '/shop_data', SizeInMegabytes: 10240 }) };
  }
}

/** What FSx's CreateFileSystemFromBackup / CreateVolumeFromBackup would reject. */
export function checkFsxRestoreMetadata(e: ModelEstate, m: Record<string, string>, invalid: (message: string) => ModelError, deviation: (kind: string, text: string) => void): void {
  const list = (k: string) => (m[k] ? (JSON.parse(m[k]) as string[]) : []);
  if (m.OntapConfiguration) {
    const config = JSON.parse(m.OntapConfiguration) as Record<string, string>;
    const svm = config.storageVirtualMachineId ?? config.StorageVirtualMachineId;
    if (!svm || svm !== e.fsx?.ontapStorageVirtualMachineId) throw invalid(`ONTAP volume restore into storage virtual machine ${String(svm)}, which does not exist in ${e.drAccountId} (configured: ${e.fsx?.ontapStorageVirtualMachineId ?? 'none'})`);
    if (m.SubnetIds || m.SecurityGroupIds) throw invalid('an ONTAP volume has no SubnetIds or SecurityGroupIds of its own');
    return;
  }
  const subnets = list('SubnetIds');
  const unknownSubnets = subnets.filter((id) => !e.subnets.some((sn) => sn.id === id));
  if (subnets.length === 0 || unknownSubnets.length > 0) throw invalid(`FSx SubnetIds ${m.SubnetIds ?? '(none)'} are not subnets of the landing zone`);
  const groups = list('SecurityGroupIds');
  if (groups.length === 0 || groups.some((g) => !e.securityGroupIds.includes(g))) throw invalid(`FSx SecurityGroupIds ${m.SecurityGroupIds ?? '(none)'} are not security groups of the landing zone`);
  if (m.FileSystemType === 'WINDOWS') {
    const directory = (JSON.parse(m.WindowsConfiguration ?? '{}') as Record<string, string>).ActiveDirectoryId;
    if (!directory || directory !== e.fsx?.windowsDirectoryId) throw invalid(`FSx for Windows restore joins directory ${String(directory)}, which the DR account does not have (configured: ${e.fsx?.windowsDirectoryId ?? 'none'})`);
  }
  if (m.VpcId) deviation('fsx-vpc-id', `FSx restore metadata keeps VpcId ${m.VpcId} of the source account`);
}

/** `FsxFileSystems`: a JSON list of `<TYPE>|<id>|<dns>|<path>` (the definition's DescribeRestoredFileSystems). */
export function fsxEntries(parameters: Record<string, string[]>): string[][] {
  const raw = (parameters.FsxFileSystems ?? ['[]']).join('');
  const list = JSON.parse(raw.startsWith('[') ? raw : `[${raw}]`) as unknown[];
  return list.flat().map((entry) => String(entry).split('|'));
}

/**
 * What `mount -t lustre <dns>@tcp:/<mountname>`, `mount -t nfs <svm-dns>:<junction>` or the SMB
 * reachability check of the runbook would fail on: a file system that is not available, a name that
 * is not its DNS name or mount name, a volume with another junction path.
 */
export function fsxMountProblem(fsx: ReadonlyMap<string, FsxResource>, parameters: Record<string, string[]>): string | undefined {
  for (const [type, id, dns, path] of fsxEntries(parameters)) {
    const r = fsx.get(id);
    if (!r || r.type !== type) return `${type} ${id}: no such restored FSx ${type === 'ONTAP' ? 'volume' : 'file system'}`;
    if (r.lifecycle !== 'AVAILABLE') return `${type} ${id} is ${r.lifecycle}: mount failed`;
    if (dns !== r.dnsName) return `${type} ${id}: ${dns} does not resolve to it (its DNS name is ${r.dnsName})`;
    if (type === 'LUSTRE' && path !== r.mountName) return `mount -t lustre ${dns}@tcp:/${path} failed: the mount name is ${r.mountName}`;
    if (type === 'ONTAP' && path !== r.junctionPath) return `mount -t nfs ${dns}:${path} failed: the volume's junction path is ${r.junctionPath}`;
    if (type !== 'ONTAP' && r.securityGroupIds.length === 0) return `${type} ${id} has no security group: the servers cannot reach it`;
  }
  return undefined;
}
