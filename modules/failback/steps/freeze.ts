import type { MapState, State } from '../../recovery/asl';
import { inlineProcessor, runbookPollStates, sdkTask } from '../../recovery/steps/common';
import { failbackOnFailure, type FailbackContext } from './common';

/** SSM Automation statuses after which the freeze runbook is done, or failed (GetAutomationExecution). */
/** How long a freeze runbook may run. */
const RUNBOOK_TIMEOUT_SECONDS = 1800;

/**
 * Step Freeze: stop writes in the DR account (`failback.freeze`): scale every server group of the
 * workload to the maintenance size, run the workload's runbook and wait for it, or nothing. Then the
 * time the freeze took effect is recorded (`$.rpo.frozenAt`): the failback RPO runs from it to the
 * end of the final backups.
 */
export function freezeStates({ poll }: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.HowToFreeze = {
    Type: 'Choice',
    Choices: [
      { Variable: '$.config.freeze.kind', StringEquals: 'scaleDown', Next: 'FreezeScaleDown' },
      { Variable: '$.config.freeze.kind', StringEquals: 'runbook', Next: 'FreezeRunbook' },
    ],
    Default: 'Frozen',
  };
  states.FreezeScaleDown = {
    Type: 'Map',
    ItemsPath: '$.config.freeze.autoScalingGroupNames',
    ItemSelector: { 'name.$': '$$.Map.Item.Value', 'size.$': '$.config.freeze.size' },
    MaxConcurrency: 5,
    ItemProcessor: inlineProcessor(
      'ScaleToMaintenanceSize',
      {
        ScaleToMaintenanceSize: sdkTask(
          'autoscaling',
          'AutoScaling',
          'updateAutoScalingGroup',
          { 'AutoScalingGroupName.$': '$.name', 'MinSize.$': '$.size', 'DesiredCapacity.$': '$.size' },
          { ResultPath: null, End: true },
        ),
      },
      'ScaleDownItemFailed',
    ),
    ResultPath: null,
    Catch: failbackOnFailure('Freeze'),
    Next: 'Frozen',
  } as MapState;
  states.FreezeRunbook = sdkTask(
    'ssm',
    'Ssm',
    'startAutomationExecution',
    { 'DocumentName.$': '$.config.freeze.documentName' },
    { ResultSelector: { 'executionId.$': '$.AutomationExecutionId' }, ResultPath: '$.freezeRunbook', Catch: failbackOnFailure('Freeze'), Next: 'FreezeRunbookPollInit' },
  );
  Object.assign(
    states,
    runbookPollStates({
      prefix: 'FreezeRunbookPoll',
      key: 'freezeRunbookStatus',
      check: sdkTask('ssm', 'Ssm', 'getAutomationExecution', { 'AutomationExecutionId.$': '$.freezeRunbook.executionId' }, {
        ResultSelector: {
          'status.$': '$.AutomationExecution.AutomationExecutionStatus',
          'statusMessage.$': "States.Format('freeze runbook ended {}', $.AutomationExecution.AutomationExecutionStatus)",
        },
        ResultPath: '$.freezeRunbookStatus',
        Catch: failbackOnFailure('Freeze'),
      }),
      pollSeconds: poll,
      maxAttempts: Math.ceil(RUNBOOK_TIMEOUT_SECONDS / poll),
      failError: 'FreezeFailed',
      timeoutError: 'FreezeTimedOut',
      timeoutCause: `the freeze runbook did not finish within ${RUNBOOK_TIMEOUT_SECONDS} s`,
      failed: 'FreezeFailed',
      next: 'Frozen',
    }),
  );
  states.Frozen = { Type: 'Pass', Parameters: { 'frozenAt.$': '$$.State.EnteredTime' }, ResultPath: '$.rpo', Next: 'FinalBackups' };
  return states;
}
