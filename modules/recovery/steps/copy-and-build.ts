import type { ParallelState, State } from '../asl';
import { BRANCH_FAILED, type StepContext } from './common';
import { copyToRestoreVaultBranch } from './copy';
import { buildInfrastructureBranch } from './infrastructure';

/**
 * Steps 2-3, CopyAndBuild: copies from the central vault beside the infrastructure.
 *
 * A copy from the central vault may take hours, the servers minutes, and neither needs the other: the
 * two run as the branches of a Parallel state, and RestoreData starts when both are done. A branch
 * cannot transition outside itself, so each catches its failures into a Fail state
 * (BRANCH_FAILED) whose cause carries the step, the error and the cause; below the Parallel they
 * become the usual failure report naming the step. A failing branch stops the other (Step
 * Functions stops the remaining branches when one fails).
 */
export function copyAndBuildStates(ctx: StepContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.CopyAndBuild = {
    Type: 'Parallel',
    Branches: [copyToRestoreVaultBranch(ctx), buildInfrastructureBranch(ctx)],
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
  return states;
}
