import type { CatchRule, ChoiceRule, MapState, State, TaskState } from '../asl';
import { inlineProcessor, onFailure, pollLoop, sdkTask } from './common';

/** Lifecycle of a restored FSx file system that can be mounted (FSx API, FileSystem.Lifecycle; UPDATING serves clients). */
export const FSX_FILE_SYSTEM_READY = ['AVAILABLE', 'UPDATING'] as const;
export const FSX_FILE_SYSTEM_FAILED = ['FAILED', 'MISCONFIGURED', 'MISCONFIGURED_UNAVAILABLE'] as const;
/** Lifecycle of a restored FSx for NetApp ONTAP volume that can be mounted (FSx API, Volume.Lifecycle). */
export const FSX_VOLUME_READY = ['CREATED', 'AVAILABLE'] as const;
export const FSX_VOLUME_FAILED = ['FAILED', 'MISCONFIGURED'] as const;

/** A restore of FSx (a file system, or an ONTAP volume). */
const isFsxRestore = { Variable: '$.restore.resourceType', StringEquals: 'FSx' };
/** Part `index` of the restore's created resource ARN split at `/`: the file system id (1), an ONTAP volume's id (2). */
const idFromArn = (index: number) => ({ 'id.$': `States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), ${index})` });

/**
 * After a drill's cleanup (cleanup-drill skips FSx): a Map over the restores that deletes the FSx file
 * systems (Windows File Server, Lustre and others, each without a final backup) and ONTAP volumes the
 * drill restored. `prefix` keeps the state names of the two cleanup paths apart; `onError` is the
 * Map's Catch. Every Task is retried on throttling and an item's failure fails the Map.
 * https://docs.aws.amazon.com/fsx/latest/APIReference/API_DeleteFileSystem.html,
 * https://docs.aws.amazon.com/fsx/latest/APIReference/API_DeleteVolume.html
 */
export function fsxCleanupStates(prefix: string, next: string, onError: CatchRule[]): Record<string, State> {
  const p = prefix;
  const created = { Variable: '$.restore.createdResourceArn', IsPresent: true };
  const remove = (action: string, parameters: Record<string, unknown>): State => sdkTask('fsx', 'Fsx', action, parameters, { ResultPath: null, End: true });
  const itemStates: Record<string, State> = {
    [`${p}IsFsx`]: {
      Type: 'Choice',
      Choices: [
        { And: [isFsxRestore, created, { Variable: '$.restore.createdResourceArn', StringMatches: '*:volume/*' }], Next: `${p}VolumeId` },
        { And: [isFsxRestore, created, { Variable: '$.restore.createdResourceArn', StringMatches: '*:file-system/*' }], Next: `${p}FileSystemId` },
      ],
      Default: `${p}NotFsx`,
    },
    [`${p}NotFsx`]: { Type: 'Pass', Result: {}, End: true },
    [`${p}VolumeId`]: { Type: 'Pass', Parameters: idFromArn(2), ResultPath: '$.fsx', Next: `${p}DeleteVolume` },
    [`${p}DeleteVolume`]: remove('deleteVolume', { 'VolumeId.$': '$.fsx.id', OntapConfiguration: { SkipFinalBackup: true } }),
    [`${p}FileSystemId`]: { Type: 'Pass', Parameters: idFromArn(1), ResultPath: '$.fsx', Next: `${p}Describe` },
    [`${p}Describe`]: sdkTask('fsx', 'Fsx', 'describeFileSystems', { 'FileSystemIds.$': 'States.Array($.fsx.id)' }, { ResultSelector: { 'type.$': '$.FileSystems[0].FileSystemType' }, ResultPath: '$.fsxType', Next: `${p}Type` }),
    [`${p}Type`]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.fsxType.type', StringEquals: 'WINDOWS', Next: `${p}DeleteWindows` },
        { Variable: '$.fsxType.type', StringEquals: 'LUSTRE', Next: `${p}DeleteLustre` },
      ],
      Default: `${p}DeleteOther`,
    },
    [`${p}DeleteWindows`]: remove('deleteFileSystem', { 'FileSystemId.$': '$.fsx.id', WindowsConfiguration: { SkipFinalBackup: true } }),
    [`${p}DeleteLustre`]: remove('deleteFileSystem', { 'FileSystemId.$': '$.fsx.id', LustreConfiguration: { SkipFinalBackup: true } }),
    [`${p}DeleteOther`]: remove('deleteFileSystem', { 'FileSystemId.$': '$.fsx.id' }),
  };
  return {
    [`${p}FileSystems`]: {
      Type: 'Map',
      ItemsPath: '$.restores',
      ItemSelector: { 'restore.$': '$$.Map.Item.Value' },
      MaxConcurrency: 10,
      ItemProcessor: inlineProcessor(`${p}IsFsx`, itemStates, `${p}ItemFailed`),
      ResultPath: null,
      Catch: onError,
      Next: next,
    } as MapState,
  };
}

/**
 * DescribeRestoredFileSystems: for each restore, an FSx file system (Lustre, Windows File Server,
 * OpenZFS) is described until its lifecycle allows mounting (fsx:DescribeFileSystems), an FSx for
 * NetApp ONTAP volume likewise (fsx:DescribeVolumes), then its SVM's NFS endpoint
 * (fsx:DescribeStorageVirtualMachines). Each item ends with `{ entry: "<TYPE>|<id>|<DNS name>|<path>" }`
 * (path: Lustre mount name, ONTAP junction path, `-` otherwise), any other restore with `{}`; the
 * Map keeps `entries`, the list of entries, for the connect runbook. Every Task is retried on
 * throttling and caught as the EFS mount-target steps are: an item's failure fails the Map, whose
 * Catch reports ConnectServers.
 */
export function describeRestoredFileSystemsStates(poll: number): Record<string, State> {
  const pollSeconds = Math.min(poll, 30);
  // Up to an hour each: a restore job completes when the file system exists, not always when it serves.
  const maxAttempts = Math.ceil(3600 / pollSeconds);
  const entry = (format: string, ...paths: string[]): State => ({ Type: 'Pass', Parameters: { 'entry.$': `States.Format('${format}', ${paths.join(', ')})` }, End: true });
  const itemStates: Record<string, State> = {
    IsFsxRestore: {
      Type: 'Choice',
      Choices: [
        // arn:aws:fsx:<region>:<account>:volume/<file system id>/<volume id>
        { And: [isFsxRestore, { Variable: '$.restore.createdResourceArn', StringMatches: '*:volume/*' }], Next: 'FsxVolumeId' },
        // arn:aws:fsx:<region>:<account>:file-system/<file system id>
        { And: [isFsxRestore, { Variable: '$.restore.createdResourceArn', StringMatches: '*:file-system/*' }], Next: 'FsxFileSystemId' },
      ],
      Default: 'NotFsx',
    },
    NotFsx: { Type: 'Pass', Result: {}, End: true },
    ...fsxMountEntryStates({
      suffix: '',
      pollPrefix: '',
      result: '$',
      describeFileSystems: (options) => sdkTask('fsx', 'Fsx', 'describeFileSystems', { 'FileSystemIds.$': 'States.Array($.fsx.id)' }, options),
      describeVolumes: (options) => sdkTask('fsx', 'Fsx', 'describeVolumes', { 'VolumeIds.$': 'States.Array($.fsx.id)' }, options),
      describeStorageVirtualMachine: (options) =>
        sdkTask('fsx', 'Fsx', 'describeStorageVirtualMachines', { 'StorageVirtualMachineIds.$': 'States.Array($.fsxVolume.volume.OntapConfiguration.StorageVirtualMachineId)' }, options),
      named: (kind) => `FSx ${kind} {}`,
      // OpenZFS: restored, not mounted by the runbook (prepare-restore warns).
      notMounted: 'NotFsx',
      entry,
      pollSeconds,
      maxAttempts,
    }),
  };
  return {
    DescribeRestoredFileSystems: {
      Type: 'Map',
      ItemsPath: '$.restores',
      ItemSelector: { 'restore.$': '$$.Map.Item.Value' },
      MaxConcurrency: 10,
      ItemProcessor: inlineProcessor('IsFsxRestore', itemStates, 'FsxItemFailed'),
      // Only the items that are FSx file systems to mount have an entry.
      ResultSelector: { 'entries.$': '$[*].entry' },
      ResultPath: '$.fileSystems',
      Catch: onFailure('ConnectServers'),
      Next: 'RunConnectRunbook',
    } as MapState,
  };
}

/** The options of a Task state that reads an FSx description (what the builder below sets). */
type DescribeOptions = { ResultSelector: Record<string, string>; ResultPath: string; Next?: string };

/** How {@link fsxMountEntryStates} reaches FSx, and how its states are named. */
export interface FsxMountEntryCalls {
  /** Appended to each state's name (recovery: none). */
  readonly suffix: string;
  /** Put before each poll loop's prefix (recovery: none). */
  readonly pollPrefix: string;
  /** Where the FSx answer is in the Task's result: `$` for an SDK integration, `$.Payload` for a function's. */
  readonly result: string;
  readonly describeFileSystems: (options: DescribeOptions) => TaskState;
  readonly describeVolumes: (options: DescribeOptions) => TaskState;
  readonly describeStorageVirtualMachine: (options: DescribeOptions) => TaskState;
  /** How the status message names a file system or volume (`{}`: its id). */
  readonly named: (kind: 'file system' | 'volume') => string;
  /** Where a file system the runbook does not mount (OpenZFS) goes. */
  readonly notMounted: string;
  /** The item's last state: its runbook entry `States.Format(format, ...paths)`. */
  readonly entry: (format: string, ...paths: string[]) => State;
  readonly pollSeconds: number;
  readonly maxAttempts: number;
}

const oneOf = (variable: string, values: readonly string[]): ChoiceRule => ({ Or: values.map((v) => ({ Variable: variable, StringEquals: v })) });

/** What tells a file system's description from a volume's (the FSx API names them alike). */
interface FsxLifecycleKind {
  /** In state names and errors: `Fsx<Name>Poll`, `Fsx<Name>Failed`, `Fsx<Name>NotAvailable`. */
  readonly name: 'FileSystem' | 'Volume';
  /** Where the described item is kept. */
  readonly item: 'fileSystem' | 'volume';
  /** The answer's list, its item's id field, and the field that says why it failed. */
  readonly list: 'FileSystems' | 'Volumes';
  readonly idField: string;
  readonly whyField: string;
  readonly noun: 'file system' | 'volume';
  readonly ready: readonly string[];
  readonly failed: readonly string[];
}

const FSX_FILE_SYSTEM: FsxLifecycleKind = { name: 'FileSystem', item: 'fileSystem', list: 'FileSystems', idField: 'FileSystemId', whyField: 'FailureDetails', noun: 'file system', ready: FSX_FILE_SYSTEM_READY, failed: FSX_FILE_SYSTEM_FAILED };
const FSX_VOLUME: FsxLifecycleKind = { name: 'Volume', item: 'volume', list: 'Volumes', idField: 'VolumeId', whyField: 'LifecycleTransitionReason', noun: 'volume', ready: FSX_VOLUME_READY, failed: FSX_VOLUME_FAILED };

/**
 * A restored file system or volume described until its lifecycle allows mounting (bounded), failing
 * on a lifecycle that never will: the same loop for both, over `$.fsx<Name>` (`lifecycle`, the item
 * as `fileSystem` or `volume`, `statusMessage`).
 */
function fsxLifecyclePollStates(c: FsxMountEntryCalls, kind: FsxLifecycleKind, describe: (options: DescribeOptions) => TaskState, next: string): Record<string, State> {
  const key = `fsx${kind.name}`;
  const item = `${c.result}.${kind.list}[0]`;
  const lifecycle = `$.${key}.lifecycle`;
  return pollLoop({
    prefix: `${c.pollPrefix}Fsx${kind.name}Poll`,
    key,
    check: describe({
      ResultSelector: {
        'lifecycle.$': `${item}.Lifecycle`,
        [`${kind.item}.$`]: item,
        'statusMessage.$': `States.Format('${c.named(kind.noun)} is {}: {}', ${item}.${kind.idField}, ${item}.Lifecycle, States.JsonToString(${c.result}.${kind.list}[*].${kind.whyField}))`,
      },
      ResultPath: `$.${key}`,
    }),
    pollSeconds: c.pollSeconds,
    maxAttempts: c.maxAttempts,
    doneWhen: oneOf(lifecycle, kind.ready),
    failWhen: oneOf(lifecycle, kind.failed),
    failError: `Fsx${kind.name}Failed`,
    timeoutError: `Fsx${kind.name}NotAvailable`,
    next,
  });
}

/**
 * From a restored FSx file system's or ONTAP volume's id (`$.fsx.id`) to its connect runbook entry
 * `"<TYPE>|<id>|<DNS name>|<path>"`: described until its lifecycle allows mounting (bounded), then, for
 * a volume, its SVM's NFS endpoint. Recovery (DR account, SDK integrations) and failback (workload
 * account, through the workload-region-call function) build the same states this way.
 */
export function fsxMountEntryStates(c: FsxMountEntryCalls): Record<string, State> {
  const r = c.result;
  const name = (state: string) => `${state}${c.suffix}`;
  return {
    [name('FsxFileSystemId')]: { Type: 'Pass', Parameters: idFromArn(1), ResultPath: '$.fsx', Next: `${c.pollPrefix}FsxFileSystemPollInit` },
    ...fsxLifecyclePollStates(c, FSX_FILE_SYSTEM, c.describeFileSystems, name('FsxFileSystemType')),
    [name('FsxFileSystemType')]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.fsxFileSystem.fileSystem.FileSystemType', StringEquals: 'LUSTRE', Next: name('FsxLustreEntry') },
        { Variable: '$.fsxFileSystem.fileSystem.FileSystemType', StringEquals: 'WINDOWS', Next: name('FsxWindowsEntry') },
      ],
      Default: c.notMounted,
    },
    [name('FsxLustreEntry')]: c.entry('LUSTRE|{}|{}|{}', '$.fsx.id', '$.fsxFileSystem.fileSystem.DNSName', '$.fsxFileSystem.fileSystem.LustreConfiguration.MountName'),
    [name('FsxWindowsEntry')]: c.entry('WINDOWS|{}|{}|-', '$.fsx.id', '$.fsxFileSystem.fileSystem.DNSName'),
    [name('FsxVolumeId')]: { Type: 'Pass', Parameters: idFromArn(2), ResultPath: '$.fsx', Next: `${c.pollPrefix}FsxVolumePollInit` },
    ...fsxLifecyclePollStates(c, FSX_VOLUME, c.describeVolumes, name('FsxStorageVirtualMachine')),
    // The NFS endpoint of the volume's SVM (svm-<id>.fs-<id>.fsx.<region>.amazonaws.com).
    [name('FsxStorageVirtualMachine')]: c.describeStorageVirtualMachine({
      ResultSelector: { 'nfsDnsName.$': `${r}.StorageVirtualMachines[0].Endpoints.Nfs.DNSName` },
      ResultPath: '$.svm',
      Next: name('FsxOntapEntry'),
    }),
    [name('FsxOntapEntry')]: c.entry('ONTAP|{}|{}|{}', '$.fsx.id', '$.svm.nfsDnsName', '$.fsxVolume.volume.OntapConfiguration.JunctionPath'),
  };
}
