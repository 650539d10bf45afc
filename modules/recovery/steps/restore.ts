import type { MapState, State } from '../asl';
import type { PrepareRestorePayload } from '../../../functions/prepare-restore/input';
import { payloadFor } from '../payload';
import { catchInsideProcessor, lambdaTask, onFailure, pollLoop, sdkTask, type StepContext } from './common';

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

/** Step 4, RestoreData: in parallel, bounded, each job polled with a timeout. */
export function restoreDataStates({ props, poll, jobPolls, jobConcurrency }: StepContext): Record<string, State> {
  const fn = props.functionArns;
  const states: Record<string, State> = {};
  const restoreStates: Record<string, State> = {
    PrepareRestore: lambdaTask(
      fn.prepareRestore,
      payloadFor<PrepareRestorePayload>()({
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
      }),
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
  return states;
}
