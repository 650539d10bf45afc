import type { CatchRule, State } from '../asl';
import type { CleanupPayload } from '../../../functions/cleanup-drill/input';
import { payloadFor } from '../payload';
import { lambdaTask, onFailure, type RecoveryDefinitionProps, type StepContext } from './common';
import { fsxCleanupStates } from './fsx';

/** What cleanup-drill gets: the restores to delete and the server groups to scale back to zero. */
function cleanupPayload(props: RecoveryDefinitionProps): Record<string, unknown> {
  return payloadFor<CleanupPayload>()({
    'mode.$': '$.mode',
    'executionName.$': '$$.Execution.Name',
    accountId: props.restoreVault.accountId,
    region: props.restoreVault.region,
    'restores.$': '$.restores',
    'autoScalingGroups.$': '$.config.autoScalingGroupNames',
  });
}

/** Step CleanupDrill, after a drill's success report: delete what the drill restored, then Recovered. */
export function drillCleanupStates({ props, restoresFsx }: StepContext): Record<string, State> {
  const fn = props.functionArns;
  const states: Record<string, State> = {};
  states.IsDrill = { Type: 'Choice', Choices: [{ Variable: '$.mode', StringEquals: 'drill', Next: 'CleanupDrill' }], Default: 'Recovered' };
  // With FSx: cleanup-drill leaves FSx to the state machine's own deletions.
  states.CleanupDrill = lambdaTask(
    fn.cleanupDrill,
    cleanupPayload(props),
    { ResultPath: '$.cleanup', Catch: onFailure('CleanupDrill'), Next: restoresFsx ? 'DeleteDrillFileSystems' : 'Recovered' },
  );
  if (restoresFsx) Object.assign(states, fsxCleanupStates('DeleteDrill', 'Recovered', onFailure('CleanupDrill')));
  return states;
}

/** After the failure report, a drill still cleans up (unless the cleanup is what failed), then RecoveryFailed. */
export function failedDrillCleanupStates({ props, restoresFsx }: StepContext): Record<string, State> {
  const fn = props.functionArns;
  const cleanupFailed: CatchRule[] = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.cleanupFailure', Next: 'RecoveryFailed' }];
  const states: Record<string, State> = {};
  states.FailedDrillNeedsCleanup = {
    Type: 'Choice',
    Choices: [{ And: [{ Variable: '$.mode', StringEquals: 'drill' }, { Variable: '$.restores', IsPresent: true }, { Not: { Variable: '$.failedStep', StringEquals: 'CleanupDrill' } }], Next: 'CleanupFailedDrill' }],
    Default: 'RecoveryFailed',
  };
  states.CleanupFailedDrill = lambdaTask(
    fn.cleanupDrill,
    cleanupPayload(props),
    { ResultPath: '$.cleanup', Catch: cleanupFailed, Next: restoresFsx ? 'DeleteFailedDrillFileSystems' : 'RecoveryFailed' },
  );
  if (restoresFsx) Object.assign(states, fsxCleanupStates('DeleteFailedDrill', 'RecoveryFailed', cleanupFailed));
  return states;
}
