import type { MapState, State } from '../../recovery/asl';
import { ifPresent, inlineProcessor, pollLoop, runbookPollStates } from '../../recovery/steps/common';
import { failbackOnFailure, type FailbackContext } from './common';
import { workloadRegionTask } from './workload-region-task';
import { FSX_IN_WORKLOAD_START, fsxInWorkloadStates } from './reconnect-fsx';

/** How long the workload's connect runbook may run (its one step times out after 1800 s; recovery waits 3600 s). */
export const CONNECT_RUNBOOK_TIMEOUT_SECONDS = 3600;
/** Automation statuses that end the runbook unsuccessfully (GetAutomationExecution AutomationExecutionStatus). */
/** Volumes attached at a time (each attach waits for its volume and the attachment). */
const ATTACH_CONCURRENCY = 5;
/** How long the mount targets of a restored EFS file system may take to become available (recovery waits as long). */
export const MOUNT_TARGETS_TIMEOUT_SECONDS = 900;

/**
 * For a restored EFS file system (item `$.restore`, `$.config`): a mount target in each failback subnet
 * (EFS allows one per Availability Zone: a zone that has one already reuses it, in the function), one
 * subnet at a time, with the failback security groups; then DescribeMountTargets until every one is
 * `available` (bounded), any in `error` failing the item. Through the workload-region-call function
 * (functions/workload-region-call/mount-targets.ts), which refuses any other subnet, security group, or
 * a file system of another account or region.
 */
function mountTargetStates(functionArn: string, poll: number): Record<string, State> {
  const create = workloadRegionTask(
    functionArn,
    'elasticfilesystem:CreateMountTarget',
    { 'FileSystemArn.$': '$.fileSystemArn', 'SubnetId.$': '$.subnetId', 'SecurityGroups.$': '$.config.securityGroupIds' },
    { ResultSelector: { 'outcome.$': '$.Payload.outcome', 'subnetId.$': '$.Payload.SubnetId' }, End: true },
  );
  // Right after the restore job completes, the file system may still be settling (recovery retries the same).
  create.Retry = [...(create.Retry ?? []), { ErrorEquals: ['Efs.IncorrectFileSystemLifeCycleState'], IntervalSeconds: 15, MaxAttempts: 8, BackoffRate: 1.5 }];
  const pollSeconds = Math.min(poll, 30);
  const maxAttempts = Math.ceil(MOUNT_TARGETS_TIMEOUT_SECONDS / pollSeconds);
  return {
    MountTargetsInWorkload: {
      Type: 'Map',
      ItemsPath: '$.config.subnetIds',
      ItemSelector: { 'fileSystemArn.$': '$.restore.createdResourceArn', 'subnetId.$': '$$.Map.Item.Value', 'config.$': '$.config' },
      // One at a time per file system: two subnets of one zone then reuse, never race.
      MaxConcurrency: 1,
      ItemProcessor: inlineProcessor('CreateMountTargetInWorkload', { CreateMountTargetInWorkload: create }, 'CreateMountTargetItemFailed'),
      ResultPath: '$.mountTargetsCreated',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AttachInWorkloadItemFailed' }],
      Next: 'WorkloadMountTargetPollInit',
    } as MapState,
    ...pollLoop({
      prefix: 'WorkloadMountTargetPoll',
      key: 'mountTargets',
      check: workloadRegionTask(functionArn, 'elasticfilesystem:DescribeMountTargets', { 'FileSystemArn.$': '$.restore.createdResourceArn' }, {
        ResultSelector: {
          'total.$': 'States.ArrayLength($.Payload.MountTargets)',
          'available.$': "States.ArrayLength($.Payload.MountTargets[?(@.LifeCycleState == 'available')])",
          'failed.$': "States.ArrayLength($.Payload.MountTargets[?(@.LifeCycleState == 'error')])",
          'statusMessage.$': "States.Format('a mount target of a restored file system in the workload account is in state error: {}', States.JsonToString($.Payload.MountTargets))",
        },
        ResultPath: '$.mountTargets',
      }),
      pollSeconds,
      maxAttempts,
      doneWhen: { And: [{ Variable: '$.mountTargets.total', NumericGreaterThanEquals: 1 }, { Variable: '$.mountTargets.available', NumericGreaterThanEqualsPath: '$.mountTargets.total' }] },
      failWhen: { Variable: '$.mountTargets.failed', NumericGreaterThan: 0 },
      failError: 'MountTargetFailed',
      timeoutError: 'MountTargetsNotAvailable',
      next: 'MountTargetsReady',
    }),
    MountTargetsReady: { Type: 'Pass', Parameters: { outcome: 'mount targets available', 'resourceArn.$': '$.restore.createdResourceArn', 'mountTargets.$': '$.mountTargets.available' }, End: true },
  };
}

/**
 * Step Reconnect, between the restore and the DNS switch, in the workload's account and region through
 * its failback role (the workload-region-call function: steps/workload-region-task.ts):
 *
 *  1. every restored EBS volume is attached to the restored instance with its `dr:server` tag, in its
 *     zone, at its `dr:device` (operation `ec2:AttachRestoredVolume`: the attach-restored-volume logic,
 *     idempotent, so a retried Task attaches each volume once);
 *  2. every restored EFS file system gets a mount target in each failback subnet (one per zone), with
 *     the failback security groups, and is waited for until they are available ({@link mountTargetStates});
 *  3. when the workload's runbook takes FSx file systems (`$.config.connectRunbook.fsx`, the workload backs
 *     up FSx), every restored FSx file system (or ONTAP volume) is described until it serves, bounded
 *     (steps/reconnect-fsx.ts);
 *  4. with a connect runbook (`$.config.connectRunbook`), it is started on the restored servers (tagged
 *     `dr:workload`) with the workload's start command and polled until `Success` (bounded); with FSx,
 *     the restored FSx file systems go in its `FsxFileSystems`, as recovery passes them.
 *
 * Every Task retries throttling and Lambda's transient errors; a failure goes to ReconnectFailed, which
 * undoes the freeze (the DR server groups go back to their recovery size) before the report.
 */
export function reconnectStates({ props, poll }: FailbackContext): Record<string, State> {
  const functionArn = props.workloadRegionCallFunctionArn;
  // Only an estate with a workload that backs up FSx gets the FSx states (others' definitions are unchanged).
  const restoresFsx = props.workloads.some((w) => w.connectRunbook?.fsx);
  const states: Record<string, State> = {};
  states.Reconnect = {
    Type: 'Map',
    ItemsPath: '$.restored',
    ItemSelector: { 'restore.$': '$$.Map.Item.Value', 'config.$': '$.config' },
    MaxConcurrency: ATTACH_CONCURRENCY,
    ItemProcessor: inlineProcessor(
      'IsRestoredVolume',
      {
        IsRestoredVolume: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.restore.resourceType', StringEquals: 'EBS', Next: 'AttachRestoredVolumeInWorkload' },
            { Variable: '$.restore.resourceType', StringEquals: 'EFS', Next: 'MountTargetsInWorkload' },
            ...(restoresFsx
              ? [{ And: [{ Variable: '$.restore.resourceType', StringEquals: 'FSx' }, { Variable: '$.config.connectRunbook.fsx', IsPresent: true }], Next: FSX_IN_WORKLOAD_START }]
              : []),
          ],
          Default: 'NotAVolume',
        },
        NotAVolume: { Type: 'Pass', Parameters: { outcome: 'not a volume', 'resourceArn.$': '$.restore.createdResourceArn' }, End: true },
        AttachRestoredVolumeInWorkload: workloadRegionTask(
          functionArn,
          'ec2:AttachRestoredVolume',
          { 'VolumeArn.$': '$.restore.createdResourceArn' },
          {
            ResultSelector: { 'outcome.$': '$.Payload.outcome', 'volumeId.$': '$.Payload.volumeId', 'instanceId.$': '$.Payload.instanceId', 'device.$': '$.Payload.device' },
            End: true,
          },
        ),
        ...mountTargetStates(functionArn, poll),
        ...(restoresFsx ? fsxInWorkloadStates(functionArn, poll) : {}),
      },
      'AttachInWorkloadItemFailed',
    ),
    ResultPath: '$.attachments',
    Catch: failbackOnFailure('Reconnect'),
    Next: 'NeedsConnectRunbook',
  } as MapState;
  states.NeedsConnectRunbook = ifPresent('$.config.connectRunbook', restoresFsx ? 'ConnectRunbookTakesFsx' : 'StartConnectRunbook', 'NoConnectRunbook');
  // The report names the runbook's outcome: recorded either way.
  states.NoConnectRunbook = { Type: 'Pass', Result: { status: 'none configured' }, ResultPath: '$.connectRunbookStatus', Next: 'NeedsDnsSwitch' };
  states.StartConnectRunbook = workloadRegionTask(
    functionArn,
    'ssm:StartAutomationExecution',
    {
      'DocumentName.$': '$.config.connectRunbook.documentName',
      // The recovery's runbook parameters (modules/recovery/connect-runbook.ts): the restored servers
      // by their dr:workload tag, the start command, and the restored EFS file systems (their mount targets
      // made above), which the runbook mounts under MountRoot.
      Parameters: {
        'Workload.$': 'States.Array($.config.workload)',
        'StartCommand.$': 'States.Array($.config.connectRunbook.startCommand)',
        'MountRoot.$': 'States.Array($.config.connectRunbook.mountRoot)',
        'FileSystemArns.$': "States.Array(States.JsonToString($.restored[?(@.resourceType == 'EFS')].createdResourceArn))",
      },
    },
    { ResultSelector: { 'executionId.$': '$.Payload.AutomationExecutionId' }, ResultPath: '$.connectRunbook', Catch: failbackOnFailure('Reconnect'), Next: 'ConnectRunbookPollInit' },
  );
  if (restoresFsx) {
    // The workload's runbook has FsxFileSystems only when it backs up FSx (stacks/workload-stack.ts): the
    // other workloads' runbooks are started without it.
    states.ConnectRunbookTakesFsx = ifPresent('$.config.connectRunbook.fsx', 'StartConnectRunbookWithFsx', 'StartConnectRunbook');
    const start = states.StartConnectRunbook as unknown as { Parameters: { Payload: { parameters: { Parameters: Record<string, unknown> } } } };
    const withFsx = JSON.parse(JSON.stringify(start)) as typeof start;
    // The entries of the Reconnect items that are FSx file systems to mount (steps/reconnect-fsx.ts), in
    // the shape recovery passes (modules/recovery/steps/connect.ts): a JSON list of "<TYPE>|<id>|<DNS name>|<path>".
    withFsx.Parameters.Payload.parameters.Parameters['FsxFileSystems.$'] = 'States.Array(States.JsonToString($.attachments[*].entry))';
    states.StartConnectRunbookWithFsx = withFsx as unknown as State;
  }
  const maxAttempts = Math.ceil(CONNECT_RUNBOOK_TIMEOUT_SECONDS / poll);
  Object.assign(
    states,
    runbookPollStates({
      prefix: 'ConnectRunbookPoll',
      key: 'connectRunbookStatus',
      check: workloadRegionTask(functionArn, 'ssm:GetAutomationExecution', { 'AutomationExecutionId.$': '$.connectRunbook.executionId' }, {
        ResultSelector: {
          'status.$': '$.Payload.AutomationExecution.AutomationExecutionStatus',
          'statusMessage.$': "States.Format('connect runbook execution {} in the workload account ended {}', $.Payload.AutomationExecution.AutomationExecutionId, $.Payload.AutomationExecution.AutomationExecutionStatus)",
        },
        ResultPath: '$.connectRunbookStatus',
        Catch: failbackOnFailure('Reconnect'),
      }),
      pollSeconds: poll,
      maxAttempts,
      failError: 'ConnectRunbookFailed',
      timeoutError: 'ConnectRunbookTimedOut',
      timeoutCause: `the connect runbook in the workload account did not finish within ${CONNECT_RUNBOOK_TIMEOUT_SECONDS} s (${maxAttempts} polls)`,
      failed: 'ReconnectFailed',
      next: 'NeedsDnsSwitch',
    }),
  );
  return states;
}
