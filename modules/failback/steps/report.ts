import type { State } from '../../recovery/asl';
import { retryTransient, transientErrors } from '../../recovery/asl';
import { FAILBACK_STEPS, type FailbackContext } from './common';

const SNS_RETRY = retryTransient([...transientErrors('SNS'), 'SNS.ThrottledException', 'SNS.KMSThrottlingException']);

/**
 * The end: on success, a summary to on-call (what was restored where, and the failback RPO window
 * from the freeze to the end of the final backups); on failure, `<step>Failed` names the step, the
 * report says which step failed and why, and the execution fails.
 */
export function failbackReportStates({ props }: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.ReportFailback = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback restored in the primary region',
      'Message.$':
        "States.Format('Failback of {} restored in {} (account {}). Writes in the DR account stopped at {}; the final backups completed at {} (failback RPO window). Restored: {}. Not automated yet: reconnect, DNS switch back, verify, release of the freeze, cleanup of the DR account (docs/failback.md). Execution: {}', $.config.workload, $.config.region, $.config.accountId, $.rpo.frozenAt, $.rpo.backupsCompletedAt, States.JsonToString($.restored), $$.Execution.Id)",
    },
    ResultPath: null,
    Retry: SNS_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailbackRestored' }],
    Next: 'FailbackRestored',
  };
  states.FailbackRestored = { Type: 'Succeed' };
  for (const step of FAILBACK_STEPS.filter((s) => s !== 'Report')) {
    states[`${step}Failed`] = { Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: 'ReportFailbackFailure' };
  }
  states.ReportFailbackFailure = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback FAILED',
      'Message.$': "States.Format('Failback of {} failed in step {}: {}. Production still runs in the DR account unless the step was RestoreInWorkload; check the freeze before releasing writes (docs/failback.md). Execution: {}', $.config.workload, $.failedStep, States.JsonToString($.failure), $$.Execution.Id)",
    },
    ResultPath: null,
    Retry: SNS_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailbackFailed' }],
    Next: 'FailbackFailed',
  };
  states.FailbackFailed = { Type: 'Fail', Error: 'FailbackFailed', CausePath: '$.failedStep' };
  return states;
}
