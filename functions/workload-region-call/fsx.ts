/**
 * The FSx operations of workload-region-call (failback step Reconnect, modules/failback/steps/reconnect.ts),
 * so that the connect runbook can mount a restored FSx file system in the workload's region, as the
 * recovery machine's DescribeRestoredFileSystems does in the DR account (modules/recovery/steps/fsx.ts):
 *
 *  - `fsx:DescribeFileSystems` with `{ FileSystemArn }`: that one file system
 *    (API_DescribeFileSystems: https://docs.aws.amazon.com/fsx/latest/APIReference/API_DescribeFileSystems.html);
 *  - `fsx:DescribeVolumes` with `{ VolumeArn }`: that one FSx for NetApp ONTAP volume
 *    (API_DescribeVolumes: https://docs.aws.amazon.com/fsx/latest/APIReference/API_DescribeVolumes.html);
 *  - `fsx:DescribeStorageVirtualMachines` with `{ StorageVirtualMachineId }`: the volume's SVM, for its
 *    NFS endpoint (API_DescribeStorageVirtualMachines: https://docs.aws.amazon.com/fsx/latest/APIReference/API_DescribeStorageVirtualMachines.html).
 *
 * File systems and volumes are named by their ARN, so that one of another account or region is refused
 * before any role is assumed; the API is called with the ID. An SVM is named by its ID (the volume gives
 * no SVM ARN): an answer naming an SVM of another account or region is refused.
 */
import { DescribeFileSystemsCommand, DescribeStorageVirtualMachinesCommand, DescribeVolumesCommand, type FSxClient } from '@aws-sdk/client-fsx';
import type { WorkloadTarget } from './input';

/** `arn:<partition>:fsx:<region>:<account>:file-system/fs-...` */
const FILE_SYSTEM_ARN = /^arn:aws[a-z-]*:fsx:([a-z0-9-]+):(\d{12}):file-system\/(fs-[0-9a-f]{8,40})$/;
/** `arn:<partition>:fsx:<region>:<account>:volume/fs-.../fsvol-...` */
const VOLUME_ARN = /^arn:aws[a-z-]*:fsx:([a-z0-9-]+):(\d{12}):volume\/fs-[0-9a-f]{8,40}\/(fsvol-[0-9a-f]{8,40})$/;
/** `arn:<partition>:fsx:<region>:<account>:storage-virtual-machine/fs-.../svm-...` */
const SVM_ARN = /^arn:aws[a-z-]*:fsx:([a-z0-9-]+):(\d{12}):storage-virtual-machine\//;
const SVM_ID = /^svm-[0-9a-f]{8,40}$/;

const accountOfRole = (roleArn: string) => roleArn.split(':')[4];

function only(operation: string, parameters: Record<string, unknown>, key: string): string | undefined {
  const extra = Object.keys(parameters)
    .sort()
    .filter((k) => k !== key);
  return extra.length > 0 ? `${operation} takes ${key} only, not ${extra.join(', ')}` : undefined;
}

/** Why `arn` is not a `kind` (matched by `pattern`) of the target's account and region, or undefined. */
function refuseArn(target: WorkloadTarget, arn: unknown, pattern: RegExp, kind: string, key: string): string | undefined {
  const match = typeof arn === 'string' ? pattern.exec(arn) : null;
  if (!match) return `${key} must be an FSx ${kind} ARN, got ${JSON.stringify(arn)}`;
  if (match[1] !== target.region || match[2] !== accountOfRole(target.roleArn)) {
    return `FSx ${kind} ${arn} is not in workload ${target.workload}'s account ${accountOfRole(target.roleArn)} and region ${target.region}`;
  }
  return undefined;
}

export function refuseDescribeFsxFileSystem(target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  return only('fsx:DescribeFileSystems', parameters, 'FileSystemArn') ?? refuseArn(target, parameters.FileSystemArn, FILE_SYSTEM_ARN, 'file system', 'FileSystemArn');
}

export function describeFsxFileSystem(fsx: FSxClient, parameters: Record<string, unknown>): Promise<object> {
  return fsx.send(new DescribeFileSystemsCommand({ FileSystemIds: [FILE_SYSTEM_ARN.exec(parameters.FileSystemArn as string)![3]] }));
}

export function refuseDescribeFsxVolume(target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  return only('fsx:DescribeVolumes', parameters, 'VolumeArn') ?? refuseArn(target, parameters.VolumeArn, VOLUME_ARN, 'volume', 'VolumeArn');
}

export function describeFsxVolume(fsx: FSxClient, parameters: Record<string, unknown>): Promise<object> {
  return fsx.send(new DescribeVolumesCommand({ VolumeIds: [VOLUME_ARN.exec(parameters.VolumeArn as string)![3]] }));
}

export function refuseDescribeStorageVirtualMachine(_target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  const extra = only('fsx:DescribeStorageVirtualMachines', parameters, 'StorageVirtualMachineId');
  if (extra) return extra;
  const id = parameters.StorageVirtualMachineId;
  return typeof id === 'string' && SVM_ID.test(id) ? undefined : `StorageVirtualMachineId must be an FSx SVM ID (svm-...), got ${JSON.stringify(id)}`;
}

/** Why an answer naming an SVM (by its ResourceARN) outside the target's account and region is refused, or undefined. */
export function refuseStorageVirtualMachineAnswer(target: WorkloadTarget, output: object): string | undefined {
  const svms = (output as { StorageVirtualMachines?: { ResourceARN?: string }[] }).StorageVirtualMachines ?? [];
  for (const svm of svms) {
    const match = SVM_ARN.exec(svm.ResourceARN ?? '');
    if (!match || match[1] !== target.region || match[2] !== accountOfRole(target.roleArn)) {
      return `SVM ${JSON.stringify(svm.ResourceARN)} is not in workload ${target.workload}'s account ${accountOfRole(target.roleArn)} and region ${target.region}`;
    }
  }
  return undefined;
}

export function describeStorageVirtualMachine(fsx: FSxClient, parameters: Record<string, unknown>): Promise<object> {
  return fsx.send(new DescribeStorageVirtualMachinesCommand({ StorageVirtualMachineIds: [parameters.StorageVirtualMachineId as string] }));
}
