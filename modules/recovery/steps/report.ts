import type { State } from '../asl';
import type { RecoveryOutcome, RecoveryReportPayload } from '../../../functions/report-recovery/input';
import { payloadFor, type PayloadOf } from '../payload';
import { RECOVERY_STEPS, lambdaTask, onFailure, type StepContext } from './common';

/** What report-recovery gets: the outcome, and the restored points' times when recovered. */
const reportPayload = (outcome: RecoveryOutcome): PayloadOf<RecoveryReportPayload> => ({
  'workload.$': '$.config.workload',
  'mode.$': '$.mode',
  'executionArn.$': '$$.Execution.Id',
  outcome,
  'startedAt.$': '$$.Execution.StartTime',
  'recoveryPointTimes.$': outcome === 'recovered' ? '$.restores[*].creationDate' : 'States.Array()',
});

/** The success report (its failure is reported as Verify's). */
export function reportSuccessStates({ props }: StepContext): Record<string, State> {
  const fn = props.functionArns;
  const states: Record<string, State> = {};
  states.ReportSuccess = lambdaTask(fn.reportRecovery, payloadFor<RecoveryReportPayload>()(reportPayload('recovered')), { ResultPath: '$.report', Catch: onFailure('Verify'), Next: 'IsDrill' });
  return states;
}

/** The failure branch: which step failed and why (`<step>Failed` names it), reported. */
export function reportFailureStates({ props }: StepContext): Record<string, State> {
  const fn = props.functionArns;
  const states: Record<string, State> = {};
  for (const step of RECOVERY_STEPS) {
    states[`${step}Failed`] = { Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: 'ReportFailure' };
  }
  states.ReportFailure = lambdaTask(
    fn.reportRecovery,
    payloadFor<RecoveryReportPayload>()({ ...reportPayload('failed'), 'failedStep.$': '$.failedStep', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' }),
    { ResultPath: '$.report', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailedDrillNeedsCleanup' }], Next: 'FailedDrillNeedsCleanup' },
  );
  return states;
}
