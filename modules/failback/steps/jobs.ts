import type { MapState, State, TaskState } from '../../recovery/asl';
import { inlineProcessor, pollLoop, sdkTask } from '../../recovery/steps/common';
import { failbackOnFailure, type FailbackContext } from './common';
import { RESTORE_TARGET_STATE, RESTORE_TYPE_STATE, restoreOverrideStates } from './restore-overrides';
import { workloadRegionTask } from './workload-region-task';

/** AWS Backup job states that end a job unsuccessfully (DescribeBackupJob, DescribeCopyJob). */
const JOB_FAILED = ['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'];
/** Restore job statuses that end it unsuccessfully (DescribeRestoreJob). */
const RESTORE_FAILED = ['FAILED', 'ABORTED'];

/** One AWS Backup job per item: start, poll until it ends (bounded), hand over what the next step needs. */
function jobMap(opts: {
  ctx: FailbackContext;
  state: string;
  step: 'FinalBackups' | 'CopyToWorkload' | 'RestoreInWorkload';
  itemsPath: string;
  itemSelector: Record<string, unknown>;
  start: Record<string, State>;
  startAt: string;
  pollPrefix: string;
  check: TaskState;
  doneStatus: string;
  failedStatuses: string[];
  result: Record<string, unknown>;
  resultPath: string;
  next: string;
}): Record<string, State> {
  const { ctx } = opts;
  const key = `${opts.pollPrefix.charAt(0).toLowerCase()}${opts.pollPrefix.slice(1)}Status`;
  const processor: Record<string, State> = {
    ...opts.start,
    ...pollLoop({
      prefix: opts.pollPrefix,
      key,
      check: { ...opts.check, ResultPath: `$.${key}` } as TaskState,
      pollSeconds: ctx.poll,
      maxAttempts: ctx.jobPolls,
      doneWhen: { Variable: `$.${key}.status`, StringEquals: opts.doneStatus },
      failWhen: { Or: opts.failedStatuses.map((s) => ({ Variable: `$.${key}.status`, StringEquals: s })) },
      failError: `${opts.step}JobFailed`,
      timeoutError: `${opts.step}JobTimedOut`,
      next: `${opts.pollPrefix}Done`,
    }),
    [`${opts.pollPrefix}Done`]: { Type: 'Pass', Parameters: opts.result, End: true },
  };
  return {
    [opts.state]: {
      Type: 'Map',
      ItemsPath: opts.itemsPath,
      ItemSelector: opts.itemSelector,
      MaxConcurrency: ctx.jobConcurrency,
      ItemProcessor: inlineProcessor(opts.startAt, processor, `${opts.pollPrefix}ItemFailed`),
      ResultPath: opts.resultPath,
      Catch: failbackOnFailure(opts.step),
      Next: opts.next,
    } as MapState,
  };
}

const jobStatus = (statePath: string, what: string, idPath: string, jobPath = '$') => ({
  'status.$': statePath,
  'statusMessage.$': `States.Format('${what} {} ended {}', ${idPath}, ${statePath})`,
  // Everything the job reports; fields such as the recovery point ARN are read once it has COMPLETED.
  'job.$': jobPath,
});

/**
 * Step FinalBackups: an on-demand backup of every resource production ran on in the DR account, into
 * the DR restore vault, after the freeze; then `$.rpo.backupsCompletedAt` (the failback RPO window ends).
 */
export function finalBackupStates(ctx: FailbackContext): Record<string, State> {
  const { props } = ctx;
  const states = jobMap({
    ctx,
    state: 'FinalBackups',
    step: 'FinalBackups',
    itemsPath: '$.resourceArns',
    itemSelector: { 'resourceArn.$': '$$.Map.Item.Value', 'executionName.$': '$$.Execution.Name' },
    startAt: 'StartFinalBackup',
    start: {
      StartFinalBackup: sdkTask(
        'backup',
        'Backup',
        'startBackupJob',
        {
          BackupVaultName: props.restoreVault.name,
          'ResourceArn.$': '$.resourceArn',
          IamRoleArn: props.backupRoleArn,
          'IdempotencyToken.$': "States.Format('{}-{}', $.executionName, States.Hash($.resourceArn, 'MD5'))",
          StartWindowMinutes: 60,
          Lifecycle: { DeleteAfterDays: props.finalBackupRetentionDays },
        },
        { ResultSelector: { 'backupJobId.$': '$.BackupJobId' }, ResultPath: '$.backup', Next: 'BackupPollInit' },
      ),
    },
    pollPrefix: 'BackupPoll',
    check: sdkTask('backup', 'Backup', 'describeBackupJob', { 'BackupJobId.$': '$.backup.backupJobId' }, { ResultSelector: jobStatus('$.State', 'backup job', '$.BackupJobId'), Next: 'x' }),
    doneStatus: 'COMPLETED',
    failedStatuses: JOB_FAILED,
    result: { 'recoveryPointArn.$': '$.backupPollStatus.job.RecoveryPointArn', 'resourceType.$': '$.backupPollStatus.job.ResourceType', 'sourceResourceArn.$': '$.resourceArn' },
    resultPath: '$.backups',
    next: 'FinalBackupsDone',
  });
  states.FinalBackupsDone = { Type: 'Pass', Parameters: { 'frozenAt.$': '$.rpo.frozenAt', 'backupsCompletedAt.$': '$$.State.EnteredTime' }, ResultPath: '$.rpo', Next: 'CopyToWorkload' };
  return states;
}

/**
 * Step CopyToWorkload: copy each final backup from the DR restore vault to the workload's local vault
 * (cross-account and cross-Region; the local vault's policy and key accept copies from the DR account
 * only, inside the organization).
 */
export function copyToWorkloadStates(ctx: FailbackContext): Record<string, State> {
  const { props } = ctx;
  return jobMap({
    ctx,
    state: 'CopyToWorkload',
    step: 'CopyToWorkload',
    itemsPath: '$.backups',
    itemSelector: {
      'recoveryPointArn.$': '$$.Map.Item.Value.recoveryPointArn',
      'sourceResourceArn.$': '$$.Map.Item.Value.sourceResourceArn',
      'executionName.$': '$$.Execution.Name',
      'destinationVaultArn.$': '$.config.localVaultArn',
      'retentionDays.$': '$.config.localRetentionDays',
    },
    startAt: 'StartFailbackCopy',
    start: {
      StartFailbackCopy: sdkTask(
        'backup',
        'Backup',
        'startCopyJob',
        {
          'RecoveryPointArn.$': '$.recoveryPointArn',
          SourceBackupVaultName: props.restoreVault.name,
          'DestinationBackupVaultArn.$': '$.destinationVaultArn',
          IamRoleArn: props.backupRoleArn,
          'IdempotencyToken.$': "States.Format('{}-{}', $.executionName, States.Hash($.recoveryPointArn, 'MD5'))",
          Lifecycle: { 'DeleteAfterDays.$': '$.retentionDays' },
        },
        { ResultSelector: { 'copyJobId.$': '$.CopyJobId' }, ResultPath: '$.copy', Next: 'FailbackCopyPollInit' },
      ),
    },
    pollPrefix: 'FailbackCopyPoll',
    check: sdkTask('backup', 'Backup', 'describeCopyJob', { 'CopyJobId.$': '$.copy.copyJobId' }, { ResultSelector: jobStatus('$.CopyJob.State', 'copy job', '$.CopyJob.CopyJobId'), Next: 'x' }),
    doneStatus: 'COMPLETED',
    failedStatuses: JOB_FAILED,
    result: {
      'recoveryPointArn.$': '$.failbackCopyPollStatus.job.CopyJob.DestinationRecoveryPointArn',
      'resourceType.$': '$.failbackCopyPollStatus.job.CopyJob.ResourceType',
      'sourceResourceArn.$': '$.sourceResourceArn',
    },
    resultPath: '$.copies',
    next: 'RestoreInWorkload',
  });
}

/**
 * Step RestoreInWorkload: in the workload account and region, through its failback role (assumed by
 * the workload-region-call function: steps/workload-region-task.ts), read each copy's restore metadata, point it at the workload's subnets, security
 * groups, key and the other `failback` settings (steps/restore-overrides.ts), start the restore with
 * the workload's backup role, and wait for it. A recovery point that cannot be pointed there fails
 * its item, naming its type and ARN.
 */
export function restoreInWorkloadStates(ctx: FailbackContext): Record<string, State> {
  const functionArn = ctx.props.workloadRegionCallFunctionArn;
  const start: Record<string, State> = {
    ...restoreOverrideStates(ctx.props.workloads, { afterTarget: 'GetFailbackRestoreMetadata', start: 'StartFailbackRestore', failed: 'FailbackRestorePollItemFailed', functionArn }),
    GetFailbackRestoreMetadata: workloadRegionTask(
      functionArn,
      'backup:GetRecoveryPointRestoreMetadata',
      { 'BackupVaultName.$': '$.config.localVaultName', 'RecoveryPointArn.$': '$.recoveryPointArn' },
      { ResultSelector: { 'metadata.$': '$.Payload.RestoreMetadata' }, ResultPath: '$.restoreMetadata', Next: RESTORE_TYPE_STATE },
    ),
    StartFailbackRestore: workloadRegionTask(
      functionArn,
      'backup:StartRestoreJob',
      {
        'RecoveryPointArn.$': '$.recoveryPointArn',
        'ResourceType.$': '$.resourceType',
        'Metadata.$': '$.restoreMetadata.value',
        'IamRoleArn.$': '$.config.backupRoleArn',
        'IdempotencyToken.$': "States.Format('{}-{}', $.executionName, States.Hash($.recoveryPointArn, 'MD5'))",
        // The restored volumes and instances keep their dr:* tags: step Reconnect attaches by them, and the
        // failback role may attach only what carries the workload's dr:workload tag (steps/reconnect.ts).
        CopySourceTagsToRestoredResource: true,
      },
      { ResultSelector: { 'restoreJobId.$': '$.Payload.RestoreJobId' }, ResultPath: '$.restore', Next: 'FailbackRestorePollInit' },
    ),
  };
  return jobMap({
    ctx,
    state: 'RestoreInWorkload',
    step: 'RestoreInWorkload',
    itemsPath: '$.copies',
    itemSelector: {
      'recoveryPointArn.$': '$$.Map.Item.Value.recoveryPointArn',
      'resourceType.$': '$$.Map.Item.Value.resourceType',
      'sourceResourceArn.$': '$$.Map.Item.Value.sourceResourceArn',
      'executionName.$': '$$.Execution.Name',
      'config.$': '$.config',
    },
    startAt: RESTORE_TARGET_STATE,
    start,
    pollPrefix: 'FailbackRestorePoll',
    check: workloadRegionTask(functionArn, 'backup:DescribeRestoreJob', { 'RestoreJobId.$': '$.restore.restoreJobId' }, { ResultSelector: jobStatus('$.Payload.Status', 'restore job', '$.Payload.RestoreJobId', '$.Payload'), Next: 'x' }),
    doneStatus: 'COMPLETED',
    failedStatuses: RESTORE_FAILED,
    result: { 'createdResourceArn.$': '$.failbackRestorePollStatus.job.CreatedResourceArn', 'resourceType.$': '$.resourceType', 'sourceResourceArn.$': '$.sourceResourceArn' },
    resultPath: '$.restored',
    next: 'ReportFailback',
  });
}
