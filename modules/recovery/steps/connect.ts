import type { MapState, State } from '../asl';
import { retryTransient, transientErrors } from '../asl';
import { inlineProcessor, lambdaTask, onFailure, pollLoop, runbookPollStates, sdkTask, type StepContext } from './common';
import { describeRestoredFileSystemsStates } from './fsx';

/**
 * Step 5, ConnectServers: attach restored volumes (same idempotent logic as the event path), mount
 * targets for restored EFS file systems, FSx file systems described, then the connect runbook.
 */
export function connectServersStates({ props, poll, restoresEfs, restoresFsx }: StepContext): Record<string, State> {
  const fn = props.functionArns;
  const afterMountTargets = restoresFsx ? 'DescribeRestoredFileSystems' : 'RunConnectRunbook';
  const states: Record<string, State> = {};
  states.ConnectServers = {
    Type: 'Map',
    ItemsPath: '$.restores',
    MaxConcurrency: 10,
    ItemProcessor: inlineProcessor(
      'IsVolume',
      {
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
      },
      'AttachItemFailed',
    ),
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
        ItemProcessor: inlineProcessor('CreateMountTarget', perSubnet, 'MountTargetItemFailed'),
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
      ItemProcessor: inlineProcessor('IsFileSystem', mountStates, 'MountTargetsItemFailed'),
      ResultPath: null,
      Catch: onFailure('ConnectServers'),
      Next: afterMountTargets,
    } as MapState;
  }
  if (restoresFsx) Object.assign(states, describeRestoredFileSystemsStates(poll));
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
    runbookPollStates({
      prefix: 'RunbookPoll',
      key: 'runbookStatus',
      check: sdkTask('ssm', 'Ssm', 'getAutomationExecution', { 'AutomationExecutionId.$': '$.runbook.executionId' }, {
        ResultSelector: {
          'status.$': '$.AutomationExecution.AutomationExecutionStatus',
          'statusMessage.$': "States.Format('runbook execution {} ended {}', $.AutomationExecution.AutomationExecutionId, $.AutomationExecution.AutomationExecutionStatus)",
        },
        ResultPath: '$.runbookStatus',
        Catch: onFailure('ConnectServers'),
      }),
      pollSeconds: poll,
      maxAttempts: Math.ceil(3600 / poll),
      failError: 'RunbookFailed',
      timeoutError: 'RunbookTimedOut',
      timeoutCause: `the connect runbook did not finish within ${Math.ceil(3600 / poll)} polls`,
      failed: 'ConnectServersFailed',
      next: 'NeedsFailover',
    }),
  );
  return states;
}
