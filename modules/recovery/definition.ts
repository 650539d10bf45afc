import {
  LAMBDA_TRANSIENT_ERRORS,
  retryTransient,
  transientErrors,
  type CatchRule,
  type ChoiceRule,
  type MapState,
  type ParallelState,
  type State,
  type StateMachineDefinition,
  type TaskState,
} from './asl';

/** One workload as the recovery machine sees it (derived from the estate configuration). */
export interface RecoveryWorkload {
  readonly name: string;
  readonly accountId: string;
  /** Approval before an automatic (event) start; a manual start never waits. */
  readonly approvalRequired: boolean;
  readonly approvalTimeoutSeconds: number;
  readonly rpoMinutes: number;
  readonly restoreConcurrency: number;
  /** Per restore (and per copy) job. */
  readonly jobTimeoutMinutes: number;
  /** AWS Backup resource types to restore. */
  readonly resourceTypes: string[];
  readonly servers: { readonly role: string; readonly autoScalingGroupName: string; readonly size: number; readonly maxSize: number }[];
  readonly failover?: { readonly hostedZoneId: string; readonly recordName: string; readonly recordType: string; readonly value: string; readonly ttl: number };
  /** CloudWatch alarm that is OK when the recovered workload is healthy. */
  readonly healthAlarmName?: string;
  /** Shell command that starts the application (run by the connect runbook). */
  readonly startCommand: string;
  /** Where restored EFS file systems are mounted. */
  readonly mountRoot: string;
  /** How BuildInfrastructure builds the servers. Default: autoScaling (scale the server roles' groups). */
  readonly infrastructure?: RecoveryInfrastructure;
  /** `workloads[].recovery.fsx`: what FSx restores need in the DR account (passed to prepare-restore's target). */
  readonly fsx?: { readonly windowsDirectoryId?: string; readonly ontapStorageVirtualMachineId?: string };
}

/** `workloads[].recovery.infrastructure`: the Auto Scaling groups of the landing zone, or a Terraform Cloud run. */
export type RecoveryInfrastructure =
  | { readonly kind: 'autoScaling' }
  | { readonly kind: 'terraformCloud'; readonly workspaceId: string; readonly pollSeconds: number; readonly timeoutMinutes: number };

export interface RecoveryDefinitionProps {
  readonly workloads: RecoveryWorkload[];
  readonly functionArns: {
    readonly locateRecoveryPoints: string;
    readonly prepareRestore: string;
    readonly attachRestoredVolume: string;
    readonly reportRecovery: string;
    readonly cleanupDrill: string;
  };
  readonly onCallTopicArn: string;
  readonly restoreRoleArn: string;
  readonly restoreVault: { readonly name: string; readonly arn: string; readonly accountId: string; readonly region: string };
  readonly centralVault: { readonly name: string; readonly accountId: string; readonly region: string };
  /**
   * The logically air-gapped vault shared with the DR account through AWS RAM (`centralVault.kind`
   * airGapped or both): locate prefers its points to the central vault's, and they are restored in
   * place, without a copy.
   */
  readonly airGappedVault?: { readonly name: string; readonly accountId: string; readonly region: string };
  /** Whether locate looks in the locked central vault (and copies from it). Default true; false with `centralVault.kind` airGapped (there is none). */
  readonly copyFromCentralVault?: boolean;
  readonly copyStarterRoleArn: string;
  readonly copyServiceRoleArn: string;
  /** Lifecycle of recovery points copied into the DR restore vault. */
  readonly copyRetentionDays: number;
  readonly connectDocumentName: string;
  readonly target: {
    readonly availabilityZones: string[];
    readonly subnetIds: string[];
    readonly securityGroupIds: string[];
    /** Added to the names of restored databases, tables and file systems (prepare-restore requires it). Default: `dr`. */
    readonly nameSuffix?: string;
    /** DB subnet group of the landing zone, for RDS and Aurora restores. */
    readonly dbSubnetGroupName?: string;
    /** Bucket S3 recovery points are restored into. */
    readonly recoveryBucketName?: string;
    /** Security group of restored FSx file systems (the landing zone's, when a workload backs up FSx). */
    readonly fileSystemSecurityGroupIds?: string[];
    /** Instance profile of restored EC2 instances (the landing zone's; its role is passed by the restore role). */
    readonly instanceProfileName?: string;
  };
  /** Seconds between two polls of a job. Default: 30. */
  readonly pollSeconds?: number;
  /**
   * Terraform Cloud (or Enterprise) for workloads with `infrastructure.kind` terraformCloud: the API's
   * base URL (`https://app.terraform.io`) and the EventBridge connection holding the API token.
   */
  readonly terraformCloud?: { readonly apiUrl: string; readonly connectionArn: string; readonly connectionName: string };
}

/** Step names as reported on failure ("which step failed and why"). */
export const RECOVERY_STEPS = ['Approve', 'LocateData', 'CopyToRestoreVault', 'BuildInfrastructure', 'RestoreData', 'ConnectServers', 'FailoverTraffic', 'Verify', 'CleanupDrill'] as const;
export type RecoveryStep = (typeof RECOVERY_STEPS)[number];

const SDK = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const MAX_COPY_ROUNDS = 2;

function onFailure(step: RecoveryStep): CatchRule[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `${step}Failed` }];
}

/** Error with which a branch of CopyAndBuild fails; its cause is `{"failedStep": ..., "failure": {"Error", "Cause"}}` as JSON. */
export const BRANCH_FAILED = 'Recovery.StepFailed';

/** Inside a Parallel branch: catch into `<step>BranchFailed`, which ends the branch naming the step. */
function onBranchFailure(step: RecoveryStep): CatchRule[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `${step}BranchFailed` }];
}

/**
 * The end of a failed branch: `<step>BranchFailed` (one per step the branch runs; `$.failure` holds
 * the error and cause) → the branch fails with {@link BRANCH_FAILED}, the step and the failure
 * serialized into its cause (a Fail state's Cause is a string).
 */
function branchFailureStates(branch: string, steps: RecoveryStep[]): Record<string, State> {
  const out: Record<string, State> = {};
  for (const step of steps) {
    out[`${step}BranchFailed`] = { Type: 'Pass', Parameters: { failedStep: step, 'failure.$': '$.failure' }, ResultPath: '$.branchFailure', Next: `${branch}BranchSerializeFailure` };
  }
  out[`${branch}BranchSerializeFailure`] = { Type: 'Pass', Parameters: { 'cause.$': 'States.JsonToString($.branchFailure)' }, ResultPath: '$.branchFailure', Next: `${branch}BranchFail` };
  out[`${branch}BranchFail`] = { Type: 'Fail', Error: BRANCH_FAILED, CausePath: '$.branchFailure.cause' };
  return out;
}

/** A Choice on whether `variable` exists: a rule on a missing variable would fail the execution (States.Runtime). */
function ifPresent(variable: string, next: string, otherwise: string): State {
  return { Type: 'Choice', Choices: [{ Variable: variable, IsPresent: true, Next: next }], Default: otherwise };
}

function lambdaTask(functionArn: string, payload: Record<string, unknown>, rest: Record<string, unknown>): TaskState {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE,
    Parameters: { FunctionName: functionArn, Payload: payload },
    ResultSelector: { 'Payload.$': '$.Payload' },
    Retry: retryTransient(LAMBDA_TRANSIENT_ERRORS),
    ...rest,
  } as unknown as TaskState;
}

function sdkTask(service: string, prefix: string, action: string, parameters: Record<string, unknown>, rest: Record<string, unknown>): TaskState {
  return { Type: 'Task', Resource: SDK(service, action), Parameters: parameters, Retry: retryTransient(transientErrors(prefix)), ...rest } as unknown as TaskState;
}

/**
 * A bounded polling loop: `check` (a Task writing `$.<key>.status`), then a Choice on it; after
 * `maxAttempts` polls the loop fails with `timeoutError` instead of running for ever.
 */
function pollLoop(opts: {
  prefix: string;
  key: string;
  check: TaskState;
  pollSeconds: number;
  maxAttempts: number;
  doneWhen: ChoiceRule;
  failWhen?: ChoiceRule;
  failError: string;
  timeoutError: string;
  next: string;
}): Record<string, State> {
  const p = opts.prefix;
  return {
    [`${p}Init`]: { Type: 'Pass', Result: { value: 0 }, ResultPath: `$.${opts.key}Attempts`, Next: `${p}Check` },
    [`${p}Check`]: { ...opts.check, Next: `${p}Evaluate` } as TaskState,
    [`${p}Evaluate`]: {
      Type: 'Choice',
      Choices: [
        { ...opts.doneWhen, Next: opts.next },
        ...(opts.failWhen ? [{ ...opts.failWhen, Next: `${p}Failed` }] : []),
        { Variable: `$.${opts.key}Attempts.value`, NumericGreaterThanEquals: opts.maxAttempts, Next: `${p}TimedOut` },
      ],
      Default: `${p}Wait`,
    },
    [`${p}Wait`]: { Type: 'Wait', Seconds: opts.pollSeconds, Next: `${p}Count` },
    [`${p}Count`]: { Type: 'Pass', Parameters: { 'value.$': `States.MathAdd($.${opts.key}Attempts.value, 1)` }, ResultPath: `$.${opts.key}Attempts`, Next: `${p}Check` },
    ...(opts.failWhen ? { [`${p}Failed`]: { Type: 'Fail', Error: opts.failError, CausePath: `$.${opts.key}.statusMessage` } as State } : {}),
    [`${p}TimedOut`]: { Type: 'Fail', Error: opts.timeoutError, Cause: `gave up after ${opts.maxAttempts} polls ${opts.pollSeconds} s apart` },
  };
}

/**
 * Gives every Task inside a Map processor a Catch that ends the item with the same error and cause,
 * so that every Task has Retry and Catch while the Map's own Catch still sees the original error.
 */
function catchInsideProcessor(processorStates: Record<string, State>, failState: string): Record<string, State> {
  for (const state of Object.values(processorStates)) {
    if (state.Type === 'Task' && !state.Catch) state.Catch = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failState }];
  }
  processorStates[failState] = { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' } as State;
  return processorStates;
}

/**
 * In the restore processor, ends a failed item with a result `{ failed: true, ... }` naming the
 * resource, the recovery point, the error and the cause, instead of failing the whole Map.
 */
function reportFailedRestores(processorStates: Record<string, State>): Record<string, State> {
  const failed = (error: Record<string, string>): State => ({
    Type: 'Pass',
    Parameters: { failed: true, 'resourceType.$': '$.point.resourceType', 'resourceArn.$': '$.point.resourceArn', 'recoveryPointArn.$': '$.point.recoveryPointArn', ...error },
    End: true,
  });
  processorStates.RestoreItemFailed = failed({ 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' });
  processorStates.RestorePollFailed = failed({ error: 'RestoreFailed', 'cause.$': '$.restoreStatus.statusMessage' });
  processorStates.RestorePollTimedOut = failed({ error: 'RestoreTimedOut', 'cause.$': "States.Format('restore job {} did not finish in time', $.restore.restoreJobId)" });
  return processorStates;
}

/** Lifecycle of a restored FSx file system that can be mounted (FSx API, FileSystem.Lifecycle; UPDATING serves clients). */
export const FSX_FILE_SYSTEM_READY = ['AVAILABLE', 'UPDATING'] as const;
export const FSX_FILE_SYSTEM_FAILED = ['FAILED', 'MISCONFIGURED', 'MISCONFIGURED_UNAVAILABLE'] as const;
/** Lifecycle of a restored FSx for NetApp ONTAP volume that can be mounted (FSx API, Volume.Lifecycle). */
export const FSX_VOLUME_READY = ['CREATED', 'AVAILABLE'] as const;
export const FSX_VOLUME_FAILED = ['FAILED', 'MISCONFIGURED'] as const;

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
  const isFsx = { Variable: '$.restore.resourceType', StringEquals: 'FSx' };
  const created = { Variable: '$.restore.createdResourceArn', IsPresent: true };
  const idFromArn = (index: number) => ({ 'id.$': `States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), ${index})` });
  const remove = (action: string, parameters: Record<string, unknown>): State => sdkTask('fsx', 'Fsx', action, parameters, { ResultPath: null, End: true });
  const itemStates: Record<string, State> = {
    [`${p}IsFsx`]: {
      Type: 'Choice',
      Choices: [
        { And: [isFsx, created, { Variable: '$.restore.createdResourceArn', StringMatches: '*:volume/*' }], Next: `${p}VolumeId` },
        { And: [isFsx, created, { Variable: '$.restore.createdResourceArn', StringMatches: '*:file-system/*' }], Next: `${p}FileSystemId` },
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
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: `${p}IsFsx`, States: catchInsideProcessor(itemStates, `${p}ItemFailed`) },
      ResultPath: null,
      Catch: onError,
      Next: next,
    } as MapState,
  };
}

function fsxStates(poll: number): Record<string, State> {
  const pollSeconds = Math.min(poll, 30);
  // Up to an hour each: a restore job completes when the file system exists, not always when it serves.
  const maxAttempts = Math.ceil(3600 / pollSeconds);
  const idFromArn = (index: number) => ({ 'id.$': `States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), ${index})` });
  const isFsx = { Variable: '$.restore.resourceType', StringEquals: 'FSx' };
  const oneOf = (variable: string, values: readonly string[]): ChoiceRule => ({ Or: values.map((v) => ({ Variable: variable, StringEquals: v })) });
  const entry = (format: string, ...paths: string[]): State => ({ Type: 'Pass', Parameters: { 'entry.$': `States.Format('${format}', ${paths.join(', ')})` }, End: true });
  const itemStates: Record<string, State> = {
    IsFsxRestore: {
      Type: 'Choice',
      Choices: [
        // arn:aws:fsx:<region>:<account>:volume/<file system id>/<volume id>
        { And: [isFsx, { Variable: '$.restore.createdResourceArn', StringMatches: '*:volume/*' }], Next: 'FsxVolumeId' },
        // arn:aws:fsx:<region>:<account>:file-system/<file system id>
        { And: [isFsx, { Variable: '$.restore.createdResourceArn', StringMatches: '*:file-system/*' }], Next: 'FsxFileSystemId' },
      ],
      Default: 'NotFsx',
    },
    NotFsx: { Type: 'Pass', Result: {}, End: true },
    FsxFileSystemId: { Type: 'Pass', Parameters: idFromArn(1), ResultPath: '$.fsx', Next: 'FsxFileSystemPollInit' },
    ...pollLoop({
      prefix: 'FsxFileSystemPoll',
      key: 'fsxFileSystem',
      check: sdkTask('fsx', 'Fsx', 'describeFileSystems', { 'FileSystemIds.$': 'States.Array($.fsx.id)' }, {
        ResultSelector: {
          'lifecycle.$': '$.FileSystems[0].Lifecycle',
          'fileSystem.$': '$.FileSystems[0]',
          'statusMessage.$': "States.Format('FSx file system {} is {}: {}', $.FileSystems[0].FileSystemId, $.FileSystems[0].Lifecycle, States.JsonToString($.FileSystems[*].FailureDetails))",
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
      next: 'FsxFileSystemType',
    }),
    FsxFileSystemType: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.fsxFileSystem.fileSystem.FileSystemType', StringEquals: 'LUSTRE', Next: 'FsxLustreEntry' },
        { Variable: '$.fsxFileSystem.fileSystem.FileSystemType', StringEquals: 'WINDOWS', Next: 'FsxWindowsEntry' },
      ],
      // OpenZFS: restored, not mounted by the runbook (prepare-restore warns).
      Default: 'NotFsx',
    },
    FsxLustreEntry: entry('LUSTRE|{}|{}|{}', '$.fsx.id', '$.fsxFileSystem.fileSystem.DNSName', '$.fsxFileSystem.fileSystem.LustreConfiguration.MountName'),
    FsxWindowsEntry: entry('WINDOWS|{}|{}|-', '$.fsx.id', '$.fsxFileSystem.fileSystem.DNSName'),
    FsxVolumeId: { Type: 'Pass', Parameters: idFromArn(2), ResultPath: '$.fsx', Next: 'FsxVolumePollInit' },
    ...pollLoop({
      prefix: 'FsxVolumePoll',
      key: 'fsxVolume',
      check: sdkTask('fsx', 'Fsx', 'describeVolumes', { 'VolumeIds.$': 'States.Array($.fsx.id)' }, {
        ResultSelector: {
          'lifecycle.$': '$.Volumes[0].Lifecycle',
          'volume.$': '$.Volumes[0]',
          'statusMessage.$': "States.Format('FSx volume {} is {}: {}', $.Volumes[0].VolumeId, $.Volumes[0].Lifecycle, States.JsonToString($.Volumes[*].LifecycleTransitionReason))",
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
      next: 'FsxStorageVirtualMachine',
    }),
    // The NFS endpoint of the volume's SVM (svm-<id>.fs-<id>.fsx.<region>.amazonaws.com).
    FsxStorageVirtualMachine: sdkTask(
      'fsx',
      'Fsx',
      'describeStorageVirtualMachines',
      { 'StorageVirtualMachineIds.$': 'States.Array($.fsxVolume.volume.OntapConfiguration.StorageVirtualMachineId)' },
      { ResultSelector: { 'nfsDnsName.$': '$.StorageVirtualMachines[0].Endpoints.Nfs.DNSName' }, ResultPath: '$.svm', Next: 'FsxOntapEntry' },
    ),
    FsxOntapEntry: entry('ONTAP|{}|{}|{}', '$.fsx.id', '$.svm.nfsDnsName', '$.fsxVolume.volume.OntapConfiguration.JunctionPath'),
  };
  return {
    DescribeRestoredFileSystems: {
      Type: 'Map',
      ItemsPath: '$.restores',
      ItemSelector: { 'restore.$': '$$.Map.Item.Value' },
      MaxConcurrency: 10,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'IsFsxRestore', States: catchInsideProcessor(itemStates, 'FsxItemFailed') },
      // Only the items that are FSx file systems to mount have an entry.
      ResultSelector: { 'entries.$': '$[*].entry' },
      ResultPath: '$.fileSystems',
      Catch: onFailure('ConnectServers'),
      Next: 'RunConnectRunbook',
    } as MapState,
  };
}

/** Terminal statuses of a Terraform Cloud run that mean it did not apply (runs API, "Run states"). */
export const TERRAFORM_RUN_FAILED_STATUSES = ['errored', 'canceled', 'discarded', 'force_canceled', 'policy_soft_failed'] as const;
/** Done: applied, or planned with nothing to change (a workspace already in shape ends a run with planned_and_finished). */
export const TERRAFORM_RUN_DONE_STATUSES = ['applied', 'planned_and_finished'] as const;

/** Workloads whose infrastructure is built by a Terraform Cloud run. */
function terraformCloudWorkloads(props: RecoveryDefinitionProps): { w: RecoveryWorkload; infrastructure: Extract<RecoveryInfrastructure, { kind: 'terraformCloud' }> }[] {
  return props.workloads.flatMap((w) => (w.infrastructure?.kind === 'terraformCloud' ? [{ w, infrastructure: w.infrastructure }] : []));
}

/**
 * One machine serves every workload: it reads Terraform Cloud runs at the shortest `pollSeconds` any
 * such workload asks for, and each workload's `timeoutMinutes` becomes its own number of reads.
 */
function terraformRunPolling(props: RecoveryDefinitionProps): { pollSeconds: number; maxPolls: (timeoutMinutes: number) => number } | undefined {
  const workloads = terraformCloudWorkloads(props);
  if (workloads.length === 0) return undefined;
  const pollSeconds = Math.min(...workloads.map((x) => x.infrastructure.pollSeconds));
  return { pollSeconds, maxPolls: (timeoutMinutes) => Math.max(1, Math.ceil((timeoutMinutes * 60) / pollSeconds)) };
}

/** Throttling and transient failures of an HTTP Task (the API's status codes, the connection's own errors). */
const HTTP_TRANSIENT_ERRORS = [
  'States.Http.StatusCode.429',
  'States.Http.StatusCode.502',
  'States.Http.StatusCode.503',
  'States.Http.StatusCode.504',
  'Events.ConnectionResource.ConcurrentModification',
  'Events.ConnectionResource.InternalError',
];

/**
 * Terraform Cloud states of the build branch (workloads with `infrastructure.kind` terraformCloud):
 * queue an auto-applied run in the workspace (`POST /api/v2/runs`, HTTP Task through the EventBridge
 * connection), then read it (`GET /api/v2/runs/{id}`) until it is applied or ends otherwise, bounded
 * by the workload's `timeoutMinutes`. The API answers `application/vnd.api+json`: whether Step
 * Functions hands it over parsed or as a string, it is parsed before use. None without such workloads.
 */
function terraformCloudStates(props: RecoveryDefinitionProps, opts: { next: string; onFailure: string }): { startAt: string; states: Record<string, State> } | undefined {
  const polling = terraformRunPolling(props);
  if (!polling) return undefined;
  const tfc = props.terraformCloud;
  if (!tfc) throw new Error('recoveryDefinition: workloads with infrastructure "terraformCloud" need props.terraformCloud (API URL and connection)');
  const maxPolls = Math.max(...terraformCloudWorkloads(props).map((x) => polling.maxPolls(x.infrastructure.timeoutMinutes)));
  const catchAll: CatchRule[] = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: opts.onFailure }];
  const http = (parameters: Record<string, unknown>, rest: Record<string, unknown>): TaskState =>
    ({
      Type: 'Task',
      Resource: 'arn:aws:states:::http:invoke',
      Parameters: { ...parameters, Authentication: { ConnectionArn: tfc.connectionArn } },
      // The API answers 429 when throttled; 5xx from its gateway are transient.
      Retry: retryTransient(HTTP_TRANSIENT_ERRORS),
      Catch: catchAll,
      ...rest,
    }) as unknown as TaskState;
  /** `<prefix>` stored `body` as the API returned it: parse it when it is a string. */
  const parsed = (prefix: string, key: string, next: string): Record<string, State> => ({
    [`${prefix}Parsed`]: { Type: 'Choice', Choices: [{ Variable: `$.${key}.body`, IsString: true, Next: `${prefix}Parse` }], Default: next },
    [`${prefix}Parse`]: { Type: 'Pass', Parameters: { 'body.$': `States.StringToJson($.${key}.body)` }, ResultPath: `$.${key}`, Next: next },
  });
  const status = '$.terraformRunStatus.status';
  const states: Record<string, State> = {
    TerraformRunCreate: http(
      {
        ApiEndpoint: `${tfc.apiUrl}/api/v2/runs`,
        Method: 'POST',
        Headers: { 'Content-Type': 'application/vnd.api+json' },
        RequestBody: {
          data: {
            type: 'runs',
            attributes: { 'message.$': "States.Format('Disaster recovery ({}) of {}: execution {}', $.mode, $.config.workload, $$.Execution.Name)", 'auto-apply': true },
            relationships: { workspace: { data: { type: 'workspaces', 'id.$': '$.config.infrastructure.workspaceId' } } },
          },
        },
      },
      { ResultSelector: { 'body.$': '$.ResponseBody' }, ResultPath: '$.terraformRun', Next: 'TerraformRunCreatedParsed' },
    ),
    ...parsed('TerraformRunCreated', 'terraformRun', 'TerraformRunQueued'),
    TerraformRunQueued: { Type: 'Pass', Parameters: { 'id.$': '$.terraformRun.body.data.id' }, ResultPath: '$.terraformRun', Next: 'TerraformRunPollInit' },
    TerraformRunPollInit: { Type: 'Pass', Result: { value: 0 }, ResultPath: '$.terraformRunAttempts', Next: 'TerraformRunPollCheck' },
    TerraformRunPollCheck: http(
      { 'ApiEndpoint.$': `States.Format('${tfc.apiUrl}/api/v2/runs/{}', $.terraformRun.id)`, Method: 'GET' },
      { ResultSelector: { 'body.$': '$.ResponseBody' }, ResultPath: '$.terraformRunStatus', Next: 'TerraformRunPollParsed' },
    ),
    ...parsed('TerraformRunPoll', 'terraformRunStatus', 'TerraformRunPollRead'),
    TerraformRunPollRead: { Type: 'Pass', Parameters: { 'status.$': '$.terraformRunStatus.body.data.attributes.status' }, ResultPath: '$.terraformRunStatus', Next: 'TerraformRunPollEvaluate' },
    TerraformRunPollEvaluate: {
      Type: 'Choice',
      Choices: [
        { Or: TERRAFORM_RUN_DONE_STATUSES.map((s) => ({ Variable: status, StringEquals: s })), Next: opts.next },
        { Or: TERRAFORM_RUN_FAILED_STATUSES.map((s) => ({ Variable: status, StringEquals: s })), Next: 'TerraformRunFailed' },
        // The workload's own timeoutMinutes, and the longest any workload asks for.
        { Variable: '$.terraformRunAttempts.value', NumericGreaterThanEqualsPath: '$.config.infrastructure.maxPolls', Next: 'TerraformRunTimedOut' },
        { Variable: '$.terraformRunAttempts.value', NumericGreaterThanEquals: maxPolls, Next: 'TerraformRunTimedOut' },
      ],
      Default: 'TerraformRunPollWait',
    },
    TerraformRunPollWait: { Type: 'Wait', Seconds: polling.pollSeconds, Next: 'TerraformRunPollCount' },
    TerraformRunPollCount: { Type: 'Pass', Parameters: { 'value.$': 'States.MathAdd($.terraformRunAttempts.value, 1)' }, ResultPath: '$.terraformRunAttempts', Next: 'TerraformRunPollCheck' },
    TerraformRunFailed: {
      Type: 'Pass',
      Parameters: { Error: 'TerraformRunFailed', 'Cause.$': `States.Format('Terraform Cloud run {} of workspace {} ended {}: nothing was applied', $.terraformRun.id, $.config.infrastructure.workspaceId, ${status})` },
      ResultPath: '$.failure',
      Next: opts.onFailure,
    },
    TerraformRunTimedOut: {
      Type: 'Pass',
      Parameters: {
        Error: 'TerraformRunTimedOut',
        'Cause.$': `States.Format('Terraform Cloud run {} of workspace {} was still {} after {} reads ${polling.pollSeconds} s apart (recovery.infrastructure.timeoutMinutes)', $.terraformRun.id, $.config.infrastructure.workspaceId, ${status}, $.terraformRunAttempts.value)`,
      },
      ResultPath: '$.failure',
      Next: opts.onFailure,
    },
  };
  return { startAt: 'TerraformRunCreate', states };
}

function workloadConfig(w: RecoveryWorkload, props: RecoveryDefinitionProps): Record<string, unknown> {
  return {
    workload: w.name,
    accountId: w.accountId,
    approvalRequired: w.approvalRequired,
    rpoMinutes: w.rpoMinutes,
    resourceTypes: w.resourceTypes,
    servers: w.servers.map((s) => ({ role: s.role, autoScalingGroupName: s.autoScalingGroupName, size: s.size, maxSize: s.maxSize })),
    autoScalingGroupNames: w.servers.map((s) => s.autoScalingGroupName),
    failover: w.failover ?? null,
    // Absent (not null) without an alarm: NeedsHealthCheck tests IsPresent, and a null field is present.
    ...(w.healthAlarmName ? { healthAlarmName: w.healthAlarmName } : {}),
    startCommand: w.startCommand,
    mountRoot: w.mountRoot,
    target: {
      ...props.target,
      nameSuffix: props.target.nameSuffix ?? 'dr',
      // Only where set: the example's definition stays as it was.
      ...(w.fsx?.windowsDirectoryId ? { windowsDirectoryId: w.fsx.windowsDirectoryId } : {}),
      ...(w.fsx?.ontapStorageVirtualMachineId ? { ontapStorageVirtualMachineId: w.fsx.ontapStorageVirtualMachineId } : {}),
    },
    // Only where some workload builds through Terraform Cloud (HowToBuild reads it).
    ...(terraformRunPolling(props) ? { infrastructure: infrastructureConfig(w, props) } : {}),
  };
}

function infrastructureConfig(w: RecoveryWorkload, props: RecoveryDefinitionProps): Record<string, unknown> {
  const infrastructure = w.infrastructure ?? { kind: 'autoScaling' };
  if (infrastructure.kind !== 'terraformCloud') return { kind: 'autoScaling' };
  const polling = terraformRunPolling(props) as NonNullable<ReturnType<typeof terraformRunPolling>>;
  return { kind: 'terraformCloud', workspaceId: infrastructure.workspaceId, maxPolls: polling.maxPolls(infrastructure.timeoutMinutes) };
}

/**
 * The recovery machine: approve → locate data → copy from the central vault where the DR copy is
 * missing or too old, beside building the infrastructure (Auto Scaling groups or a Terraform Cloud
 * run) → restore data (parallel, bounded) → connect servers (attach volumes, mount targets for
 * restored file systems, runbook) → fail over traffic → verify and report; every step retried on throttling and caught into a failure
 * report naming the step. Input: `{ workload | incident.account, mode: failover|drill, pointInTime?,
 * trigger?: manual|event|schedule, incident? }`.
 */
export function recoveryDefinition(props: RecoveryDefinitionProps): StateMachineDefinition {
  if (props.workloads.length === 0) throw new Error('recoveryDefinition needs at least one workload');
  const poll = props.pollSeconds ?? 30;
  const fn = props.functionArns;
  const states: Record<string, State> = {};
  // One machine serves every workload: copy and restore jobs get the longest timeout and the lowest
  // concurrency any workload asks for.
  const jobPolls = Math.ceil((Math.max(...props.workloads.map((w) => w.jobTimeoutMinutes)) * 60) / poll);
  const jobConcurrency = Math.max(1, Math.min(...props.workloads.map((w) => w.restoreConcurrency)));
  // Restored EFS file systems need mount targets before the runbook mounts them.
  const restoresEfs = props.workloads.some((w) => w.resourceTypes.includes('EFS'));
  // Restored FSx file systems and volumes are described (type, DNS name, mount name or junction path) for the runbook.
  const restoresFsx = props.workloads.some((w) => w.resourceTypes.includes('FSx'));
  const afterMountTargets = restoresFsx ? 'DescribeRestoredFileSystems' : 'RunConnectRunbook';

  // ---- resolve the workload: by name (manual, schedule) or by the incident's account (event) --------
  // A Choice rule on a missing Variable fails the execution (States.Runtime), and the DR bus rule's
  // input has no "workload": test for the field first.
  states.HasWorkloadField = ifPresent('$.workload', 'ResolveWorkload', 'HasIncidentAccount');
  states.HasIncidentAccount = ifPresent('$.incident.account', 'ResolveWorkloadByIncident', 'UnknownWorkload');
  states.ResolveWorkloadByIncident = {
    Type: 'Choice',
    Choices: props.workloads.map((w) => ({ Variable: '$.incident.account', StringEquals: w.accountId, Next: `Config-${w.name}` })),
    Default: 'UnknownWorkload',
  };
  states.ResolveWorkload = {
    Type: 'Choice',
    Choices: props.workloads.map((w) => ({ Variable: '$.workload', StringEquals: w.name, Next: `Config-${w.name}` })),
    Default: 'UnknownWorkload',
  };
  states.UnknownWorkload = { Type: 'Fail', Error: 'UnknownWorkload', Cause: 'The input names no workload of this estate (neither "workload" nor the incident account matches).' };
  for (const w of props.workloads) {
    states[`Config-${w.name}`] = { Type: 'Pass', Result: workloadConfig(w, props), ResultPath: '$.config', Next: 'HasMode' };
  }
  states.HasMode = ifPresent('$.mode', 'CheckMode', 'InvalidMode');
  states.CheckMode = {
    Type: 'Choice',
    Choices: [{ Or: [{ Variable: '$.mode', StringEquals: 'failover' }, { Variable: '$.mode', StringEquals: 'drill' }], Next: 'CheckPointInTime' }],
    Default: 'InvalidMode',
  };
  states.InvalidMode = { Type: 'Fail', Error: 'InvalidInput', Cause: '"mode" must be "failover" or "drill".' };
  states.CheckPointInTime = { Type: 'Choice', Choices: [{ Variable: '$.pointInTime', IsPresent: true, Next: 'NeedsApproval' }], Default: 'DefaultPointInTime' };
  states.DefaultPointInTime = { Type: 'Pass', Parameters: { 'value.$': '$$.Execution.StartTime' }, ResultPath: '$.defaultPointInTime', Next: 'StorePointInTime' };
  states.StorePointInTime = { Type: 'Pass', InputPath: '$.defaultPointInTime.value', ResultPath: '$.pointInTime', Next: 'NeedsApproval' };

  // ---- 1. approve ------------------------------------------------------------------------------
  states.NeedsApproval = {
    Type: 'Choice',
    Choices: [
      { Variable: '$.trigger', IsPresent: false, Next: 'LocateData' },
      { Variable: '$.trigger', StringEquals: 'manual', Next: 'LocateData' },
      // A scheduled drill restores into the landing zone and cleans up; it must not wait for a person.
      { Variable: '$.trigger', StringEquals: 'schedule', Next: 'LocateData' },
      { Variable: '$.config.approvalRequired', BooleanEquals: false, Next: 'LocateData' },
    ],
    Default: 'RequestApproval',
  };
  states.RequestApproval = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR recovery waiting for approval',
      'Message.$': "States.Format('Recovery of {} ({}) waits for approval. Approve: aws stepfunctions send-task-success --task-token {} --task-output \\'{\"approved\":true}\\'. Reject: --task-output \\'{\"approved\":false}\\'. Execution: {}', $.config.workload, $.mode, $$.Task.Token, $$.Execution.Id)",
    },
    TimeoutSeconds: Math.max(...props.workloads.map((w) => w.approvalTimeoutSeconds)),
    ResultPath: '$.approval',
    Retry: retryTransient([...transientErrors('SNS'), 'SNS.ThrottledException', 'SNS.KMSThrottlingException']),
    Catch: onFailure('Approve'),
    Next: 'CheckApproval',
  };
  states.CheckApproval = ifPresent('$.approval.approved', 'CheckApprovalAnswer', 'ApprovalRejected');
  states.CheckApprovalAnswer = {
    Type: 'Choice',
    Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: 'LocateData' }],
    Default: 'ApprovalRejected',
  };
  states.ApprovalRejected = { Type: 'Pass', Result: { Error: 'ApprovalRejected', Cause: 'On-call rejected the recovery.' }, ResultPath: '$.failure', Next: 'ApproveFailed' };

  // ---- 2. locate data ------------------------------------------------------------------------------
  const locatePayload = {
    'workload.$': '$.config.workload',
    'sourceAccountId.$': '$.config.accountId',
    'pointInTime.$': '$.pointInTime',
    'rpoMinutes.$': '$.config.rpoMinutes',
    'resourceTypes.$': '$.config.resourceTypes',
    restoreVault: { name: props.restoreVault.name, accountId: props.restoreVault.accountId, region: props.restoreVault.region },
    ...(props.copyFromCentralVault === false ? {} : { centralVault: { ...props.centralVault, copyStarterRoleArn: props.copyStarterRoleArn } }),
    ...(props.airGappedVault ? { airGappedVault: { name: props.airGappedVault.name, accountId: props.airGappedVault.accountId, region: props.airGappedVault.region } } : {}),
  };
  states.LocateData = lambdaTask(fn.locateRecoveryPoints, locatePayload, { ResultPath: '$.located', Catch: onFailure('LocateData'), Next: 'NothingRestoredYet' });
  // From here on a failed drill has servers to scale back to zero (cleanup runs when $.restores is
  // present): RestoreData replaces this with what it restored.
  states.NothingRestoredYet = { Type: 'Pass', Result: [], ResultPath: '$.restores', Next: 'CopyAndBuild' };

  // ---- 2-3. copies from the central vault beside the infrastructure --------------------------------
  // A copy from the central vault may take hours, the servers minutes, and neither needs the other: the
  // two run as the branches of a Parallel state, and RestoreData starts when both are done. A branch
  // cannot transition outside itself, so each catches its failures into a Fail state
  // (BRANCH_FAILED) whose cause carries the step, the error and the cause; below the Parallel they
  // become the usual failure report naming the step. A failing branch stops the other (Step
  // Functions stops the remaining branches when one fails).

  // Branch 1: copy what the DR vault lacks (bounded rounds), locate again, hand over the located points.
  const copyStates: Record<string, State> = {
    StartCopyJob: sdkTask(
      'backup',
      'Backup',
      'startCopyJob',
      {
        'RecoveryPointArn.$': '$.centralRecoveryPointArn',
        SourceBackupVaultName: props.centralVault.name,
        DestinationBackupVaultArn: props.restoreVault.arn,
        IamRoleArn: props.copyServiceRoleArn,
        'IdempotencyToken.$': "States.Format('{}-{}', $.executionName, States.Hash($.centralRecoveryPointArn, 'MD5'))",
        Lifecycle: { DeleteAfterDays: props.copyRetentionDays },
      },
      { Credentials: { RoleArn: props.copyStarterRoleArn }, ResultSelector: { 'copyJobId.$': '$.CopyJobId' }, ResultPath: '$.copy', Next: 'CopyPollInit' },
    ),
    ...pollLoop({
      prefix: 'CopyPoll',
      key: 'copyStatus',
      check: sdkTask('backup', 'Backup', 'describeCopyJob', { 'CopyJobId.$': '$.copy.copyJobId' }, {
        Credentials: { RoleArn: props.copyStarterRoleArn },
        ResultSelector: { 'status.$': '$.CopyJob.State', 'statusMessage.$': "States.Format('copy job {} ended {}', $.CopyJob.CopyJobId, $.CopyJob.State)" },
        ResultPath: '$.copyStatus',
        Next: 'x',
      }),
      pollSeconds: poll,
      maxAttempts: jobPolls,
      doneWhen: { Variable: '$.copyStatus.status', StringEquals: 'COMPLETED' },
      failWhen: { Or: ['FAILED', 'ABORTED', 'EXPIRED'].map((s) => ({ Variable: '$.copyStatus.status', StringEquals: s })) },
      failError: 'CopyFailed',
      timeoutError: 'CopyTimedOut',
      next: 'CopyDone',
    }),
    CopyDone: { Type: 'Succeed' },
  };
  const copyBranch: Record<string, State> = {
    NeedsCopy: {
      Type: 'Choice',
      Choices: [
        { And: [{ Variable: '$.located.Payload.toCopy[0]', IsPresent: true }, { Variable: '$.copyRounds.value', IsPresent: true }, { Variable: '$.copyRounds.value', NumericGreaterThanEquals: MAX_COPY_ROUNDS }], Next: 'CopyDidNotLand' },
        { Variable: '$.located.Payload.toCopy[0]', IsPresent: true, Next: 'CopyToRestoreVault' },
      ],
      Default: 'CopiesLanded',
    },
    CopyDidNotLand: { Type: 'Pass', Result: { Error: 'CopyDidNotLand', Cause: `Copied recovery points were still not found in the DR restore vault after ${MAX_COPY_ROUNDS} rounds.` }, ResultPath: '$.failure', Next: 'CopyToRestoreVaultBranchFailed' },
    CopyToRestoreVault: {
      Type: 'Map',
      ItemsPath: '$.located.Payload.toCopy',
      ItemSelector: { 'centralRecoveryPointArn.$': '$$.Map.Item.Value.centralRecoveryPointArn', 'executionName.$': '$$.Execution.Name' },
      MaxConcurrency: jobConcurrency,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'StartCopyJob', States: catchInsideProcessor(copyStates, 'CopyItemFailed') },
      ResultPath: null,
      Catch: onBranchFailure('CopyToRestoreVault'),
      Next: 'CountCopyRound',
    } as MapState,
    CountCopyRound: { Type: 'Choice', Choices: [{ Variable: '$.copyRounds.value', IsPresent: true, Next: 'IncrementCopyRound' }], Default: 'FirstCopyRound' },
    FirstCopyRound: { Type: 'Pass', Result: { value: 1 }, ResultPath: '$.copyRounds', Next: 'LocateCopied' },
    IncrementCopyRound: { Type: 'Pass', Parameters: { 'value.$': 'States.MathAdd($.copyRounds.value, 1)' }, ResultPath: '$.copyRounds', Next: 'LocateCopied' },
    // The same function as LocateData: the copies have landed in the DR restore vault.
    LocateCopied: lambdaTask(fn.locateRecoveryPoints, locatePayload, { ResultPath: '$.located', Catch: onBranchFailure('LocateData'), Next: 'NeedsCopy' }),
    CopiesLanded: { Type: 'Pass', Parameters: { 'Payload.$': '$.located.Payload' }, End: true },
    ...branchFailureStates('Copy', ['LocateData', 'CopyToRestoreVault']),
  };

  // Branch 2: build the infrastructure: scale each server role up and wait for running, SSM-managed
  // instances (or, for workloads with recovery.infrastructure terraformCloud, a Terraform Cloud run).
  const serverStates: Record<string, State> = {
    ScaleUp: sdkTask(
      'autoscaling',
      'AutoScaling',
      'updateAutoScalingGroup',
      { 'AutoScalingGroupName.$': '$.autoScalingGroupName', 'MinSize.$': '$.size', 'MaxSize.$': '$.maxSize', 'DesiredCapacity.$': '$.size' },
      { ResultPath: null, Next: 'ServerPollInit' },
    ),
    ...pollLoop({
      prefix: 'ServerPoll',
      key: 'managed',
      // "Tag filters can't be combined with other filter types" (API reference): filter by tag, count the
      // Online ones. 50 is the largest page (the default is 10, fewer than a server role may have).
      check: sdkTask('ssm', 'Ssm', 'describeInstanceInformation', { Filters: [{ Key: 'tag:dr:server', 'Values.$': 'States.Array($.role)' }], MaxResults: 50 }, {
        ResultSelector: { 'count.$': "States.ArrayLength($.InstanceInformationList[?(@.PingStatus == 'Online')])" },
        ResultPath: '$.managed',
        Next: 'x',
      }),
      pollSeconds: poll,
      maxAttempts: Math.ceil(1800 / poll),
      doneWhen: { Variable: '$.managed.count', NumericGreaterThanEqualsPath: '$.size' },
      failError: 'ServersNotReady',
      timeoutError: 'ServersNotReady',
      next: 'ServerReady',
    }),
    ServerReady: { Type: 'Succeed' },
  };
  const terraformCloud = terraformCloudStates(props, { next: 'InfrastructureReady', onFailure: 'BuildInfrastructureBranchFailed' });
  const buildBranch: Record<string, State> = {
    ...(terraformCloud
      ? { HowToBuild: { Type: 'Choice', Choices: [{ Variable: '$.config.infrastructure.kind', StringEquals: 'terraformCloud', Next: terraformCloud.startAt }], Default: 'BuildInfrastructure' } as State, ...terraformCloud.states }
      : {}),
    BuildInfrastructure: {
      Type: 'Map',
      ItemsPath: '$.config.servers',
      MaxConcurrency: 10,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'ScaleUp', States: catchInsideProcessor(serverStates, 'ServerItemFailed') },
      ResultPath: null,
      Catch: onBranchFailure('BuildInfrastructure'),
      Next: 'InfrastructureReady',
    } as MapState,
    InfrastructureReady: { Type: 'Pass', Result: { ready: true }, End: true },
    ...branchFailureStates('Build', ['BuildInfrastructure']),
  };

  states.CopyAndBuild = {
    Type: 'Parallel',
    Branches: [
      { StartAt: 'NeedsCopy', States: copyBranch },
      { StartAt: terraformCloud ? 'HowToBuild' : 'BuildInfrastructure', States: buildBranch },
    ],
    // The copy branch hands over the recovery points located once the copies landed.
    ResultSelector: { 'Payload.$': '$[0].Payload' },
    ResultPath: '$.located',
    Catch: [
      { ErrorEquals: [BRANCH_FAILED], ResultPath: '$.branchFailure', Next: 'ReadBranchFailure' },
      // Every state of both branches catches its failures; this only guards what cannot be caught inside.
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'BuildInfrastructureFailed' },
    ],
    Next: 'RestoreData',
  } as ParallelState;
  states.ReadBranchFailure = { Type: 'Pass', Parameters: { 'value.$': 'States.StringToJson($.branchFailure.Cause)' }, ResultPath: '$.branchFailure', Next: 'StoreBranchFailure' };
  states.StoreBranchFailure = { Type: 'Pass', InputPath: '$.branchFailure.value.failure', ResultPath: '$.failure', Next: 'RouteBranchFailure' };
  states.RouteBranchFailure = {
    Type: 'Choice',
    Choices: (['LocateData', 'CopyToRestoreVault'] as const).map((step) => ({ Variable: '$.branchFailure.value.failedStep', StringEquals: step, Next: `${step}Failed` })),
    Default: 'BuildInfrastructureFailed',
  };

  // ---- 4. restore data: in parallel, bounded, each job polled with a timeout ----------------------
  const restoreStates: Record<string, State> = {
    PrepareRestore: lambdaTask(
      fn.prepareRestore,
      {
        'workload.$': '$.workload',
        'executionName.$': '$.executionName',
        'recoveryPointArn.$': '$.point.recoveryPointArn',
        'resourceType.$': '$.point.resourceType',
        'resourceArn.$': '$.point.resourceArn',
        // With an air-gapped vault, a point is either in the restore vault or restored in place from the
        // shared vault: locate names the vault holding each one.
        ...(props.airGappedVault ? { 'restoreVaultName.$': '$.point.backupVaultName', 'backupVaultAccountId.$': '$.point.backupVaultAccountId' } : { restoreVaultName: props.restoreVault.name }),
        // The account the restore runs in: prepare-restore keeps only KMS keys of this account (a point
        // of the shared air-gapped vault names its owner, not the DR account).
        drAccountId: props.restoreVault.accountId,
        'target.$': '$.target',
      },
      { ResultPath: '$.prepared', Next: 'StartRestoreJob' },
    ),
    StartRestoreJob: sdkTask(
      'backup',
      'Backup',
      'startRestoreJob',
      {
        'RecoveryPointArn.$': '$.point.recoveryPointArn',
        'ResourceType.$': '$.prepared.Payload.resourceType',
        'Metadata.$': '$.prepared.Payload.metadata',
        IamRoleArn: props.restoreRoleArn,
        'IdempotencyToken.$': "States.Format('{}-{}', $.executionName, States.Hash($.point.recoveryPointArn, 'MD5'))",
        CopySourceTagsToRestoredResource: true,
      },
      { ResultSelector: { 'restoreJobId.$': '$.RestoreJobId' }, ResultPath: '$.restore', Next: 'RestorePollInit' },
    ),
    ...pollLoop({
      prefix: 'RestorePoll',
      key: 'restoreStatus',
      check: sdkTask('backup', 'Backup', 'describeRestoreJob', { 'RestoreJobId.$': '$.restore.restoreJobId' }, {
        // The whole job: DescribeRestoreJob has no CreatedResourceArn until the job created a resource
        // (never for a FAILED job), and a path to a missing field is an uncatchable States.Runtime.
        ResultSelector: {
          'status.$': '$.Status',
          'job.$': '$',
          'statusMessage.$': "States.Format('restore job {} of {} ended {}', $.RestoreJobId, $.RecoveryPointArn, $.Status)",
        },
        ResultPath: '$.restoreStatus',
        Next: 'x',
      }),
      pollSeconds: poll,
      maxAttempts: jobPolls,
      doneWhen: { Variable: '$.restoreStatus.status', StringEquals: 'COMPLETED' },
      failWhen: { Or: ['FAILED', 'ABORTED'].map((s) => ({ Variable: '$.restoreStatus.status', StringEquals: s })) },
      failError: 'RestoreFailed',
      timeoutError: 'RestoreTimedOut',
      next: 'Restored',
    }),
    Restored: {
      Type: 'Pass',
      Parameters: {
        'resourceType.$': '$.point.resourceType',
        'resourceArn.$': '$.point.resourceArn',
        'recoveryPointArn.$': '$.point.recoveryPointArn',
        'creationDate.$': '$.point.creationDate',
        'restoreJobId.$': '$.restore.restoreJobId',
        // Reached only when the job is COMPLETED, when the created resource is known.
        'createdResourceArn.$': '$.restoreStatus.job.CreatedResourceArn',
      },
      End: true,
    },
  };
  states.RestoreData = {
    Type: 'Map',
    ItemsPath: '$.located.Payload.ready',
    ItemSelector: {
      'point.$': '$$.Map.Item.Value',
      'workload.$': '$.config.workload',
      'executionName.$': '$$.Execution.Name',
      'target.$': '$.config.target',
    },
    MaxConcurrency: jobConcurrency,
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'PrepareRestore', States: reportFailedRestores(catchInsideProcessor(restoreStates, 'RestoreItemFailed')) },
    ResultPath: '$.restores',
    Catch: onFailure('RestoreData'),
    Next: 'CountFailedRestores',
  } as MapState;

  // Failed items are results, not Map failures, so that $.restores keeps what did get restored (a
  // drill must clean it up, a failover must know it).
  states.CountFailedRestores = {
    Type: 'Pass',
    Parameters: { 'count.$': 'States.ArrayLength($.restores[?(@.failed == true)])', 'failed.$': '$.restores[?(@.failed == true)]' },
    ResultPath: '$.restoreFailures',
    Next: 'AnyRestoreFailed',
  };
  states.AnyRestoreFailed = { Type: 'Choice', Choices: [{ Variable: '$.restoreFailures.count', NumericGreaterThan: 0, Next: 'RestoreJobsFailed' }], Default: 'ConnectServers' };
  states.RestoreJobsFailed = {
    Type: 'Pass',
    Parameters: { Error: 'RestoreFailed', 'Cause.$': "States.Format('{} restore(s) failed: {}', $.restoreFailures.count, States.JsonToString($.restoreFailures.failed))" },
    ResultPath: '$.failure',
    Next: 'RestoreDataFailed',
  };

  // ---- 5. connect servers: attach restored volumes (same idempotent logic as the event path), run the runbook
  states.ConnectServers = {
    Type: 'Map',
    ItemsPath: '$.restores',
    MaxConcurrency: 10,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: 'IsVolume',
      States: catchInsideProcessor({
        IsVolume: { Type: 'Choice', Choices: [{ Variable: '$.resourceType', StringEquals: 'EBS', Next: 'AttachRestoredVolume' }], Default: 'NothingToAttach' },
        AttachRestoredVolume: lambdaTask(
          fn.attachRestoredVolume,
          {
            source: 'aws.backup',
            'detail-type': 'Restore Job State Change',
            detail: { status: 'COMPLETED', resourceType: 'EBS', 'createdResourceArn.$': '$.createdResourceArn', 'recoveryPointArn.$': '$.recoveryPointArn', 'restoreJobId.$': '$.restoreJobId' },
          },
          { ResultPath: null, End: true },
        ),
        NothingToAttach: { Type: 'Succeed' },
      }, 'AttachItemFailed'),
    },
    ResultPath: null,
    Catch: onFailure('ConnectServers'),
    Next: restoresEfs ? 'CreateMountTargets' : afterMountTargets,
  } as MapState;
  if (restoresEfs) {
    // A restored EFS file system has no mount target, so the runbook's `mount -t efs` would fail: one in
    // each subnet of the landing zone (one per zone), with the servers' security group (which accepts
    // everything from itself, NFS included), then wait until they are available. CreateMountTarget
    // fails with MountTargetConflict when the zone has one already: a re-run is fine.
    const perSubnet: Record<string, State> = {
      CreateMountTarget: sdkTask(
        'efs',
        'Efs',
        'createMountTarget',
        { 'FileSystemId.$': '$.fileSystemId', 'SubnetId.$': '$.subnetId', 'SecurityGroups.$': '$.securityGroupIds' },
        {
          ResultPath: null,
          Retry: [
            ...retryTransient(transientErrors('Efs')),
            // Right after the restore job completes, the file system may still be settling.
            { ErrorEquals: ['Efs.IncorrectFileSystemLifeCycleStateException'], IntervalSeconds: 15, MaxAttempts: 8, BackoffRate: 1.5 },
          ],
          Catch: [
            { ErrorEquals: ['Efs.MountTargetConflictException'], ResultPath: null, Next: 'MountTargetExists' },
            { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MountTargetItemFailed' },
          ],
          End: true,
        },
      ),
      MountTargetExists: { Type: 'Succeed' },
    };
    const mountStates: Record<string, State> = {
      IsFileSystem: {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.restore.resourceType', StringEquals: 'EFS' }, { Variable: '$.subnetIds[0]', IsPresent: true }], Next: 'FileSystemId' }],
        Default: 'NoFileSystem',
      },
      NoFileSystem: { Type: 'Succeed' },
      FileSystemId: {
        Type: 'Pass',
        // arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-0123 → fs-0123
        Parameters: { 'id.$': "States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), 1)", 'subnets.$': 'States.ArrayLength($.subnetIds)' },
        ResultPath: '$.fileSystem',
        Next: 'MountTargetPerSubnet',
      },
      MountTargetPerSubnet: {
        Type: 'Map',
        ItemsPath: '$.subnetIds',
        ItemSelector: { 'fileSystemId.$': '$.fileSystem.id', 'subnetId.$': '$$.Map.Item.Value', 'securityGroupIds.$': '$.securityGroupIds' },
        // One at a time per file system.
        MaxConcurrency: 1,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'CreateMountTarget', States: catchInsideProcessor(perSubnet, 'MountTargetItemFailed') },
        ResultPath: null,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MountTargetsItemFailed' }],
        Next: 'MountTargetPollInit',
      } as MapState,
      ...pollLoop({
        prefix: 'MountTargetPoll',
        key: 'mountTargets',
        check: sdkTask('efs', 'Efs', 'describeMountTargets', { 'FileSystemId.$': '$.fileSystem.id' }, {
          ResultSelector: {
            'available.$': "States.ArrayLength($.MountTargets[?(@.LifeCycleState == 'available')])",
            'failed.$': "States.ArrayLength($.MountTargets[?(@.LifeCycleState == 'error')])",
            'statusMessage.$': "States.Format('a mount target is in state error: {}', States.JsonToString($.MountTargets))",
          },
          ResultPath: '$.mountTargets',
          Next: 'x',
        }),
        pollSeconds: Math.min(poll, 30),
        maxAttempts: Math.ceil(900 / Math.min(poll, 30)),
        doneWhen: { Variable: '$.mountTargets.available', NumericGreaterThanEqualsPath: '$.fileSystem.subnets' },
        failWhen: { Variable: '$.mountTargets.failed', NumericGreaterThan: 0 },
        failError: 'MountTargetFailed',
        timeoutError: 'MountTargetsNotAvailable',
        next: 'MountTargetsReady',
      }),
      MountTargetsReady: { Type: 'Succeed' },
    };
    states.CreateMountTargets = {
      Type: 'Map',
      ItemsPath: '$.restores',
      ItemSelector: { 'restore.$': '$$.Map.Item.Value', 'subnetIds.$': '$.config.target.subnetIds', 'securityGroupIds.$': '$.config.target.securityGroupIds' },
      MaxConcurrency: 10,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'IsFileSystem', States: catchInsideProcessor(mountStates, 'MountTargetsItemFailed') },
      ResultPath: null,
      Catch: onFailure('ConnectServers'),
      Next: afterMountTargets,
    } as MapState;
  }
  if (restoresFsx) Object.assign(states, fsxStates(poll));
  states.RunConnectRunbook = sdkTask(
    'ssm',
    'Ssm',
    'startAutomationExecution',
    {
      DocumentName: props.connectDocumentName,
      Parameters: {
        'Workload.$': 'States.Array($.config.workload)',
        'StartCommand.$': 'States.Array($.config.startCommand)',
        'MountRoot.$': 'States.Array($.config.mountRoot)',
        'FileSystemArns.$': "States.Array(States.JsonToString($.restores[?(@.resourceType == 'EFS')].createdResourceArn))",
        ...(restoresFsx ? { 'FsxFileSystems.$': 'States.Array(States.JsonToString($.fileSystems.entries))' } : {}),
      },
    },
    { ResultSelector: { 'executionId.$': '$.AutomationExecutionId' }, ResultPath: '$.runbook', Catch: onFailure('ConnectServers'), Next: 'RunbookPollInit' },
  );
  Object.assign(
    states,
    pollLoop({
      prefix: 'RunbookPoll',
      key: 'runbookStatus',
      check: sdkTask('ssm', 'Ssm', 'getAutomationExecution', { 'AutomationExecutionId.$': '$.runbook.executionId' }, {
        ResultSelector: {
          'status.$': '$.AutomationExecution.AutomationExecutionStatus',
          'statusMessage.$': "States.Format('runbook execution {} ended {}', $.AutomationExecution.AutomationExecutionId, $.AutomationExecution.AutomationExecutionStatus)",
        },
        ResultPath: '$.runbookStatus',
        Catch: onFailure('ConnectServers'),
        Next: 'x',
      }),
      pollSeconds: poll,
      maxAttempts: Math.ceil(3600 / poll),
      doneWhen: { Variable: '$.runbookStatus.status', StringEquals: 'Success' },
      failWhen: { Or: ['Failed', 'Cancelled', 'TimedOut'].map((s) => ({ Variable: '$.runbookStatus.status', StringEquals: s })) },
      failError: 'RunbookFailed',
      timeoutError: 'RunbookTimedOut',
      next: 'NeedsFailover',
    }),
  );
  // A runbook failure at top level must still be reported: route the loop's Fail states through the report.
  states.RunbookPollFailed = { Type: 'Pass', Parameters: { Error: 'RunbookFailed', 'Cause.$': '$.runbookStatus.statusMessage' }, ResultPath: '$.failure', Next: 'ConnectServersFailed' };
  states.RunbookPollTimedOut = { Type: 'Pass', Result: { Error: 'RunbookTimedOut', Cause: `the connect runbook did not finish within ${Math.ceil(3600 / poll)} polls` }, ResultPath: '$.failure', Next: 'ConnectServersFailed' };

  // ---- 6. fail over traffic (failover mode, when configured) ----------------------------------------
  states.NeedsFailover = {
    Type: 'Choice',
    Choices: [{ And: [{ Variable: '$.mode', StringEquals: 'failover' }, { Variable: '$.config.failover.hostedZoneId', IsPresent: true }], Next: 'SwitchDns' }],
    Default: 'NeedsHealthCheck',
  };
  states.SwitchDns = sdkTask(
    'route53',
    'Route53',
    'changeResourceRecordSets',
    {
      'HostedZoneId.$': '$.config.failover.hostedZoneId',
      ChangeBatch: {
        Comment: 'DR failover',
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              'Name.$': '$.config.failover.recordName',
              'Type.$': '$.config.failover.recordType',
              // The API member is TTL (Route 53 rejects a record set without it).
              'TTL.$': '$.config.failover.ttl',
              'ResourceRecords.$': 'States.Array(States.StringToJson(States.Format(\'\\{"Value":"{}"\\}\', $.config.failover.value)))',
            },
          },
        ],
      },
    },
    { ResultPath: null, Catch: onFailure('FailoverTraffic'), Next: 'NeedsHealthCheck' },
  );

  // ---- 7. verify and report ------------------------------------------------------------------------
  states.NeedsHealthCheck = {
    Type: 'Choice',
    Choices: [{ Variable: '$.config.healthAlarmName', IsPresent: true, Next: 'CheckHealthNotNull' }],
    Default: 'ReportSuccess',
  };
  states.CheckHealthNotNull = { Type: 'Choice', Choices: [{ Variable: '$.config.healthAlarmName', StringEquals: '', Next: 'ReportSuccess' }, { Not: { Variable: '$.config.healthAlarmName', StringEquals: '' }, Next: 'HealthPollInit' }], Default: 'ReportSuccess' } as State;
  Object.assign(
    states,
    pollLoop({
      prefix: 'HealthPoll',
      key: 'health',
      check: sdkTask('cloudwatch', 'CloudWatch', 'describeAlarms', { 'AlarmNames.$': 'States.Array($.config.healthAlarmName)' }, {
        ResultSelector: { 'status.$': '$.MetricAlarms[0].StateValue', 'statusMessage.$': "States.Format('health alarm is {}', $.MetricAlarms[0].StateValue)" },
        ResultPath: '$.health',
        Catch: onFailure('Verify'),
        Next: 'x',
      }),
      pollSeconds: poll,
      maxAttempts: Math.ceil(1800 / poll),
      doneWhen: { Variable: '$.health.status', StringEquals: 'OK' },
      failError: 'Unhealthy',
      timeoutError: 'Unhealthy',
      next: 'ReportSuccess',
    }),
  );
  states.HealthPollTimedOut = { Type: 'Pass', Result: { Error: 'Unhealthy', Cause: 'the health alarm did not return to OK' }, ResultPath: '$.failure', Next: 'VerifyFailed' };

  const reportPayload = (outcome: string) => ({
    'workload.$': '$.config.workload',
    'mode.$': '$.mode',
    'executionArn.$': '$$.Execution.Id',
    outcome,
    'startedAt.$': '$$.Execution.StartTime',
    'recoveryPointTimes.$': outcome === 'recovered' ? '$.restores[*].creationDate' : 'States.Array()',
  });
  states.ReportSuccess = lambdaTask(fn.reportRecovery, reportPayload('recovered'), { ResultPath: '$.report', Catch: onFailure('Verify'), Next: 'IsDrill' });
  states.IsDrill = { Type: 'Choice', Choices: [{ Variable: '$.mode', StringEquals: 'drill', Next: 'CleanupDrill' }], Default: 'Recovered' };
  const cleanupPayload = {
    'mode.$': '$.mode',
    'executionName.$': '$$.Execution.Name',
    accountId: props.restoreVault.accountId,
    region: props.restoreVault.region,
    'restores.$': '$.restores',
    'autoScalingGroups.$': '$.config.autoScalingGroupNames',
  };
  // With FSx: cleanup-drill leaves FSx to the state machine's own deletions.
  states.CleanupDrill = lambdaTask(
    fn.cleanupDrill,
    cleanupPayload,
    { ResultPath: '$.cleanup', Catch: onFailure('CleanupDrill'), Next: restoresFsx ? 'DeleteDrillFileSystems' : 'Recovered' },
  );
  if (restoresFsx) Object.assign(states, fsxCleanupStates('DeleteDrill', 'Recovered', onFailure('CleanupDrill')));
  states.Recovered = { Type: 'Succeed' };

  // ---- failure branch: which step failed and why, reported; a drill still cleans up ----------------
  for (const step of RECOVERY_STEPS) {
    states[`${step}Failed`] = { Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: 'ReportFailure' };
  }
  states.ReportFailure = lambdaTask(
    fn.reportRecovery,
    { ...reportPayload('failed'), 'failedStep.$': '$.failedStep', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
    { ResultPath: '$.report', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailedDrillNeedsCleanup' }], Next: 'FailedDrillNeedsCleanup' },
  );
  states.FailedDrillNeedsCleanup = {
    Type: 'Choice',
    Choices: [{ And: [{ Variable: '$.mode', StringEquals: 'drill' }, { Variable: '$.restores', IsPresent: true }, { Not: { Variable: '$.failedStep', StringEquals: 'CleanupDrill' } }], Next: 'CleanupFailedDrill' }],
    Default: 'RecoveryFailed',
  };
  states.CleanupFailedDrill = lambdaTask(
    fn.cleanupDrill,
    cleanupPayload,
    { ResultPath: '$.cleanup', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.cleanupFailure', Next: 'RecoveryFailed' }], Next: restoresFsx ? 'DeleteFailedDrillFileSystems' : 'RecoveryFailed' },
  );
  if (restoresFsx) Object.assign(states, fsxCleanupStates('DeleteFailedDrill', 'RecoveryFailed', [{ ErrorEquals: ['States.ALL'], ResultPath: '$.cleanupFailure', Next: 'RecoveryFailed' }]));
  states.RecoveryFailed = { Type: 'Fail', Error: 'RecoveryFailed', CausePath: '$.failure.Cause' };

  return {
    Comment: 'Disaster recovery: approve, locate data, build infrastructure, restore data, connect servers, fail over, verify and report.',
    StartAt: 'HasWorkloadField',
    // A Standard workflow may run a year; a recovery that takes more than two days needs a person.
    TimeoutSeconds: 2 * 24 * 3600,
    States: states,
  };
}
