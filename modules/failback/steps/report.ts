import type { State } from '../../recovery/asl';
import { SNS_RETRY } from '../../recovery/steps/common';
import { FAILBACK_STEPS, FROZEN_STEPS, type FailbackContext } from './common';

/**
 * Step Report, once the freeze is released: a summary to on-call (what was restored where, the DNS
 * switch, the failback RPO window from the freeze to the end of the final backups, and when the freeze
 * was released), then the grace period (steps/cleanup.ts). On failure, `<step>Failed` names the step;
 * while frozen (FROZEN_STEPS) the freeze is undone first (steps/switch-back.ts); the report says which
 * step failed and why, and the execution fails.
 */
export function failbackReportStates({ props }: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.ReportFailback = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback complete: production runs in the primary region',
      'Message.$':
        "States.Format('Failback of {} restored in {} (account {}) and verified; the freeze was released at {} (writes go to the primary region). Writes in the DR account stopped at {}; the final backups completed at {} (failback RPO window). DNS: {}. Restored: {}. Reconnected: volumes {}, connect runbook {}. The DR account is kept for the grace period, then its cleanup waits for a second approval. Execution: {}', $.config.workload, $.config.region, $.config.accountId, $.rpo.releasedAt, $.rpo.frozenAt, $.rpo.backupsCompletedAt, States.JsonToString($.dns), States.JsonToString($.restored), States.JsonToString($.attachments), States.JsonToString($.connectRunbookStatus), $$.Execution.Id)",
    },
    ResultPath: null,
    Retry: SNS_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'GraceWait' }],
    Next: 'GraceWait',
  };
  for (const step of FAILBACK_STEPS.filter((s) => s !== 'Report')) {
    states[`${step}Failed`] = { Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: FROZEN_STEPS.includes(step) ? 'UndoFreeze' : 'NothingToUndo' };
  }
  states.NothingToUndo = { Type: 'Pass', Result: { needed: false }, ResultPath: '$.undo', Next: 'ReportFailbackFailure' };
  states.ReportFailbackFailure = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback FAILED',
      'Message.$':
        "States.Format('Failback of {} failed in step {}: {}. Before the freeze (Locate, Approve) nothing changed. While frozen (Freeze to Verify, Reconnect included) the DR server groups were scaled back to their recovery size and a switched DNS record pointed back at the DR endpoint when recovery names it; a runbook freeze is undone by hand; undo: {}. After the release (ApproveCleanup, Cleanup) production runs in the primary region and the DR account is cleaned up by hand (docs/failback.md). Execution: {}', $.config.workload, $.failedStep, States.JsonToString($.failure), States.JsonToString($.undo), $$.Execution.Id)",
    },
    ResultPath: null,
    Retry: SNS_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailbackFailed' }],
    Next: 'FailbackFailed',
  };
  states.FailbackFailed = { Type: 'Fail', Error: 'FailbackFailed', CausePath: '$.failedStep' };
  return states;
}
