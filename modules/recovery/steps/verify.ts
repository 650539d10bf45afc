import type { State } from '../asl';
import { onFailure, pollLoop, sdkTask, type StepContext } from './common';

/** Step 7, Verify: when the workload names a health alarm, wait (bounded) until it is OK. */
export function verifyStates({ poll }: StepContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.NeedsHealthCheck = {
    Type: 'Choice',
    Choices: [{ Variable: '$.config.healthAlarmName', IsPresent: true, Next: 'CheckHealthNotNull' }],
    Default: 'ReportSuccess',
  };
  states.CheckHealthNotNull = { Type: 'Choice', Choices: [{ Variable: '$.config.healthAlarmName', StringEquals: '', Next: 'ReportSuccess' }, { Not: { Variable: '$.config.healthAlarmName', StringEquals: '' }, Next: 'HealthPollInit' }], Default: 'ReportSuccess' } as State;
  // In the DR account: the alarm the recovered workload names there.
  const describeHealthAlarm = sdkTask('cloudwatch', 'CloudWatch', 'describeAlarms', { 'AlarmNames.$': 'States.Array($.config.healthAlarmName)' }, {
    ResultSelector: { 'status.$': '$.MetricAlarms[0].StateValue', 'statusMessage.$': "States.Format('health alarm is {}', $.MetricAlarms[0].StateValue)" },
    ResultPath: '$.health',
    Catch: onFailure('Verify'),
  });
  Object.assign(
    states,
    pollLoop({
      prefix: 'HealthPoll',
      key: 'health',
      check: describeHealthAlarm,
      pollSeconds: poll,
      maxAttempts: Math.ceil(1800 / poll),
      doneWhen: { Variable: '$.health.status', StringEquals: 'OK' },
      timeoutError: 'Unhealthy',
      next: 'ReportSuccess',
    }),
  );
  states.HealthPollTimedOut = { Type: 'Pass', Result: { Error: 'Unhealthy', Cause: 'the health alarm did not return to OK' }, ResultPath: '$.failure', Next: 'VerifyFailed' };
  return states;
}
