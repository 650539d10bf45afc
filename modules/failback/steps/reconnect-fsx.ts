/**
 * Step Reconnect, restored FSx file systems (item `$.restore`, `$.config` of the Reconnect Map): as the
 * recovery machine's DescribeRestoredFileSystems (modules/recovery/steps/fsx.ts) in the DR account, but
 * in the workload's account and region through the workload-region-call function
 * (functions/workload-region-call/fsx.ts, which refuses a file system, volume or SVM of another account
 * or region). A file system (Lustre, Windows File Server, OpenZFS) is described until its lifecycle allows
 * mounting, an ONTAP volume likewise, then its SVM's NFS endpoint. The item ends with the recovery's entry
 * `"<TYPE>|<id>|<DNS name>|<path>"` (path: Lustre mount name, ONTAP junction path, `-` otherwise), which
 * StartConnectRunbookWithFsx passes as the runbook's `FsxFileSystems`; OpenZFS is restored, not mounted.
 * A lifecycle that failed, or one not ready within {@link FSX_AVAILABLE_TIMEOUT_SECONDS}, fails the item
 * and so Reconnect (which undoes the freeze).
 */
import type { State } from '../../recovery/asl';
import { fsxMountEntryStates } from '../../recovery/steps/fsx';
import { workloadRegionTask } from './workload-region-task';

/** How long a restored FSx file system or ONTAP volume may take to serve (recovery waits as long). */
export const FSX_AVAILABLE_TIMEOUT_SECONDS = 3600;

/** The first state of the FSx branch of the Reconnect item processor. */
export const FSX_IN_WORKLOAD_START = 'FsxInWorkloadKind';

export function fsxInWorkloadStates(functionArn: string, poll: number): Record<string, State> {
  const pollSeconds = Math.min(poll, 30);
  const maxAttempts = Math.ceil(FSX_AVAILABLE_TIMEOUT_SECONDS / pollSeconds);
  const entry = (format: string, ...paths: string[]): State => ({
    Type: 'Pass',
    Parameters: { outcome: 'fsx available', 'resourceArn.$': '$.restore.createdResourceArn', 'entry.$': `States.Format('${format}', ${paths.join(', ')})` },
    End: true,
  });
  return {
    [FSX_IN_WORKLOAD_START]: {
      Type: 'Choice',
      Choices: [
        // arn:aws:fsx:<region>:<account>:volume/<file system id>/<volume id>
        { Variable: '$.restore.createdResourceArn', StringMatches: '*:volume/*', Next: 'FsxVolumeIdInWorkload' },
        // arn:aws:fsx:<region>:<account>:file-system/<file system id>
        { Variable: '$.restore.createdResourceArn', StringMatches: '*:file-system/*', Next: 'FsxFileSystemIdInWorkload' },
      ],
      Default: 'FsxNotMountedInWorkload',
    },
    FsxNotMountedInWorkload: { Type: 'Pass', Parameters: { outcome: 'fsx not mounted by the runbook', 'resourceArn.$': '$.restore.createdResourceArn' }, End: true },
    ...fsxMountEntryStates({
      suffix: 'InWorkload',
      pollPrefix: 'Workload',
      result: '$.Payload',
      describeFileSystems: (options) => workloadRegionTask(functionArn, 'fsx:DescribeFileSystems', { 'FileSystemArn.$': '$.restore.createdResourceArn' }, options),
      describeVolumes: (options) => workloadRegionTask(functionArn, 'fsx:DescribeVolumes', { 'VolumeArn.$': '$.restore.createdResourceArn' }, options),
      describeStorageVirtualMachine: (options) =>
        workloadRegionTask(functionArn, 'fsx:DescribeStorageVirtualMachines', { 'StorageVirtualMachineId.$': '$.fsxVolume.volume.OntapConfiguration.StorageVirtualMachineId' }, options),
      named: (kind) => `restored FSx ${kind} {} in the workload account`,
      // OpenZFS: restored, not mounted by the runbook (as in recovery).
      notMounted: 'FsxNotMountedInWorkload',
      entry,
      pollSeconds,
      maxAttempts,
    }),
  };
}
