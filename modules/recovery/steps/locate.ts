import type { State } from '../asl';
import type { LocatePayload } from '../../../functions/locate-recovery-points/input';
import { payloadFor } from '../payload';
import { lambdaTask, onFailure, type RecoveryDefinitionProps, type StepContext } from './common';

/** What locate-recovery-points gets: the workload, the point in time and the vaults to look in (LocateData and LocateCopied). */
export function locatePayload(props: RecoveryDefinitionProps): Record<string, unknown> {
  return payloadFor<LocatePayload>()({
    'workload.$': '$.config.workload',
    'sourceAccountId.$': '$.config.accountId',
    'pointInTime.$': '$.pointInTime',
    'rpoMinutes.$': '$.config.rpoMinutes',
    'resourceTypes.$': '$.config.resourceTypes',
    restoreVault: { name: props.restoreVault.name, accountId: props.restoreVault.accountId, region: props.restoreVault.region },
    ...(props.copyFromCentralVault === false ? {} : { centralVault: { ...props.centralVault, copyStarterRoleArn: props.copyStarterRoleArn } }),
    ...(props.airGappedVault ? { airGappedVault: { name: props.airGappedVault.name, accountId: props.airGappedVault.accountId, region: props.airGappedVault.region } } : {}),
  });
}

/** Step 2, LocateData: the recovery points to restore, and those to copy from the central vault first. */
export function locateStates({ props }: StepContext): Record<string, State> {
  const fn = props.functionArns;
  const states: Record<string, State> = {};
  states.LocateData = lambdaTask(fn.locateRecoveryPoints, locatePayload(props), { ResultPath: '$.located', Catch: onFailure('LocateData'), Next: 'NothingRestoredYet' });
  // From here on a failed drill has servers to scale back to zero (cleanup runs when $.restores is
  // present): RestoreData replaces this with what it restored.
  states.NothingRestoredYet = { Type: 'Pass', Result: [], ResultPath: '$.restores', Next: 'CopyAndBuild' };
  return states;
}
