import type { MapState, State } from '../asl';
import { branchFailureStates, inlineProcessor, lambdaTask, onBranchFailure, pollLoop, sdkTask, type ParallelBranch, type StepContext } from './common';
import { locatePayload } from './locate';

const MAX_COPY_ROUNDS = 2;

/**
 * Step CopyToRestoreVault, branch 1 of CopyAndBuild: copy what the DR vault lacks (bounded rounds),
 * locate again, hand over the located points.
 */
export function copyToRestoreVaultBranch({ props, poll, jobPolls, jobConcurrency }: StepContext): ParallelBranch {
  const fn = props.functionArns;
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
      ItemProcessor: inlineProcessor('StartCopyJob', copyStates, 'CopyItemFailed'),
      ResultPath: null,
      Catch: onBranchFailure('CopyToRestoreVault'),
      Next: 'CountCopyRound',
    } as MapState,
    CountCopyRound: { Type: 'Choice', Choices: [{ Variable: '$.copyRounds.value', IsPresent: true, Next: 'IncrementCopyRound' }], Default: 'FirstCopyRound' },
    FirstCopyRound: { Type: 'Pass', Result: { value: 1 }, ResultPath: '$.copyRounds', Next: 'LocateCopied' },
    IncrementCopyRound: { Type: 'Pass', Parameters: { 'value.$': 'States.MathAdd($.copyRounds.value, 1)' }, ResultPath: '$.copyRounds', Next: 'LocateCopied' },
    // The same function as LocateData: the copies have landed in the DR restore vault.
    LocateCopied: lambdaTask(fn.locateRecoveryPoints, locatePayload(props), { ResultPath: '$.located', Catch: onBranchFailure('LocateData'), Next: 'NeedsCopy' }),
    CopiesLanded: { Type: 'Pass', Parameters: { 'Payload.$': '$.located.Payload' }, End: true },
    ...branchFailureStates('Copy', ['LocateData', 'CopyToRestoreVault']),
  };
  return { StartAt: 'NeedsCopy', States: copyBranch };
}
