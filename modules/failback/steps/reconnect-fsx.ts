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
import type { ChoiceRule, State } from '../../recovery/asl';
import { pollLoop } from '../../recovery/steps/common';
import { FSX_FILE_SYSTEM_FAILED, FSX_FILE_SYSTEM_READY, FSX_VOLUME_FAILED, FSX_VOLUME_READY } from '../../recovery/steps/fsx';
import { workloadRegionTask } from './workload-region-task';

/** How long a restored FSx file system or ONTAP volume may take to serve (recovery waits as long). */
export const FSX_AVAILABLE_TIMEOUT_SECONDS = 3600;

/** The first state of the FSx branch of the Reconnect item processor. */
export const FSX_IN_WORKLOAD_START = 'FsxInWorkloadKind';

/** Part `index` of the restore's created resource ARN split at `/`: the file system id (1), an ONTAP volume's id (2). */
const idFromArn = (index: number) => ({ 'id.$': `States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), ${index})` });

export function fsxInWorkloadStates(functionArn: string, poll: number): Record<string, State> {
  const pollSeconds = Math.min(poll, 30);
  const maxAttempts = Math.ceil(FSX_AVAILABLE_TIMEOUT_SECONDS / pollSeconds);
  const oneOf = (variable: string, values: readonly string[]): ChoiceRule => ({ Or: values.map((v) => ({ Variable: variable, StringEquals: v })) });
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
    FsxFileSystemIdInWorkload: { Type: 'Pass', Parameters: idFromArn(1), ResultPath: '$.fsx', Next: 'WorkloadFsxFileSystemPollInit' },
    ...pollLoop({
      prefix: 'WorkloadFsxFileSystemPoll',
      key: 'fsxFileSystem',
      check: workloadRegionTask(functionArn, 'fsx:DescribeFileSystems', { 'FileSystemArn.$': '$.restore.createdResourceArn' }, {
        ResultSelector: {
          'lifecycle.$': '$.Payload.FileSystems[0].Lifecycle',
          'fileSystem.$': '$.Payload.FileSystems[0]',
          'statusMessage.$':
            "States.Format('restored FSx file system {} in the workload account is {}: {}', $.Payload.FileSystems[0].FileSystemId, $.Payload.FileSystems[0].Lifecycle, States.JsonToString($.Payload.FileSystems[*].FailureDetails))",
        },
        ResultPath: '$.fsxFileSystem',
        Next: 'x',
      }),
      pollSeconds,
      maxAttempts,
      doneWhen: oneOf('$.fsxFileSystem.lifecycle', FSX_FILE_SYSTEM_READY),
      failWhen: oneOf('$.fsxFileSystem.lifecycle', FSX_FILE_SYSTEM_FAILED),
      failError: 'FsxFileSystemFailed',
      timeoutError: 'FsxFileSystemNotAvailable',
      next: 'FsxFileSystemTypeInWorkload',
    }),
    FsxFileSystemTypeInWorkload: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.fsxFileSystem.fileSystem.FileSystemType', StringEquals: 'LUSTRE', Next: 'FsxLustreEntryInWorkload' },
        { Variable: '$.fsxFileSystem.fileSystem.FileSystemType', StringEquals: 'WINDOWS', Next: 'FsxWindowsEntryInWorkload' },
      ],
      // OpenZFS: restored, not mounted by the runbook (as in recovery).
      Default: 'FsxNotMountedInWorkload',
    },
    FsxLustreEntryInWorkload: entry('LUSTRE|{}|{}|{}', '$.fsx.id', '$.fsxFileSystem.fileSystem.DNSName', '$.fsxFileSystem.fileSystem.LustreConfiguration.MountName'),
    FsxWindowsEntryInWorkload: entry('WINDOWS|{}|{}|-', '$.fsx.id', '$.fsxFileSystem.fileSystem.DNSName'),
    FsxVolumeIdInWorkload: { Type: 'Pass', Parameters: idFromArn(2), ResultPath: '$.fsx', Next: 'WorkloadFsxVolumePollInit' },
    ...pollLoop({
      prefix: 'WorkloadFsxVolumePoll',
      key: 'fsxVolume',
      check: workloadRegionTask(functionArn, 'fsx:DescribeVolumes', { 'VolumeArn.$': '$.restore.createdResourceArn' }, {
        ResultSelector: {
          'lifecycle.$': '$.Payload.Volumes[0].Lifecycle',
          'volume.$': '$.Payload.Volumes[0]',
          'statusMessage.$':
            "States.Format('restored FSx volume {} in the workload account is {}: {}', $.Payload.Volumes[0].VolumeId, $.Payload.Volumes[0].Lifecycle, States.JsonToString($.Payload.Volumes[*].LifecycleTransitionReason))",
        },
        ResultPath: '$.fsxVolume',
        Next: 'x',
      }),
      pollSeconds,
      maxAttempts,
      doneWhen: oneOf('$.fsxVolume.lifecycle', FSX_VOLUME_READY),
      failWhen: oneOf('$.fsxVolume.lifecycle', FSX_VOLUME_FAILED),
      failError: 'FsxVolumeFailed',
      timeoutError: 'FsxVolumeNotAvailable',
      next: 'FsxStorageVirtualMachineInWorkload',
    }),
    // The NFS endpoint of the volume's SVM (svm-<id>.fs-<id>.fsx.<region>.amazonaws.com).
    FsxStorageVirtualMachineInWorkload: workloadRegionTask(
      functionArn,
      'fsx:DescribeStorageVirtualMachines',
      { 'StorageVirtualMachineId.$': '$.fsxVolume.volume.OntapConfiguration.StorageVirtualMachineId' },
      { ResultSelector: { 'nfsDnsName.$': '$.Payload.StorageVirtualMachines[0].Endpoints.Nfs.DNSName' }, ResultPath: '$.svm', Next: 'FsxOntapEntryInWorkload' },
    ),
    FsxOntapEntryInWorkload: entry('ONTAP|{}|{}|{}', '$.fsx.id', '$.svm.nfsDnsName', '$.fsxVolume.volume.OntapConfiguration.JunctionPath'),
  };
}
