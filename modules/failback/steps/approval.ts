import type { State } from '../../recovery/asl';
import { onCallApprovalStates } from '../../recovery/steps/common';
import { failbackOnFailure, type FailbackContext } from './common';

/**
 * Step Approve: failback always waits for on-call (SNS with a task token, as the recovery's approval
 * does), who confirms the primary region is healthy (AWS Health Dashboard, the workload's own checks)
 * before anything in the DR account stops taking writes.
 */
export function failbackApprovalStates({ props }: FailbackContext): Record<string, State> {
  return onCallApprovalStates({
    topicArn: props.onCallTopicArn,
    subject: 'DR failback waiting for approval',
    message:
      "States.Format('Failback of {} to {} (account {}) waits for approval. Approve only when {} is healthy: the AWS Health Dashboard shows no open issue there and the workload\\'s primary checks pass. Approving freezes writes in the DR account ({}). Approve: aws stepfunctions send-task-success --task-token {} --task-output \\'{\"approved\":true}\\'. Reject: --task-output \\'{\"approved\":false}\\'. Execution: {}', $.config.workload, $.config.region, $.config.accountId, $.config.region, $.config.freeze.kind, $$.Task.Token, $$.Execution.Id)",
    timeoutSeconds: Math.max(...props.workloads.map((w) => w.approvalTimeoutSeconds)),
    catch: failbackOnFailure('Approve'),
    approved: 'HowToFreeze',
    rejectedCause: 'On-call rejected the failback.',
  });
}
