import type { State } from '../../recovery/asl';
import { retryTransient, transientErrors } from '../../recovery/asl';
import { ifPresent } from '../../recovery/steps/common';
import { failbackOnFailure, type FailbackContext } from './common';

/**
 * Step Approve: failback always waits for on-call (SNS with a task token, as the recovery's approval
 * does), who confirms the primary region is healthy (AWS Health Dashboard, the workload's own checks)
 * before anything in the DR account stops taking writes.
 */
export function failbackApprovalStates({ props }: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.RequestApproval = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback waiting for approval',
      'Message.$':
        "States.Format('Failback of {} to {} (account {}) waits for approval. Approve only when {} is healthy: the AWS Health Dashboard shows no open issue there and the workload\\'s primary checks pass. Approving freezes writes in the DR account ({}). Approve: aws stepfunctions send-task-success --task-token {} --task-output \\'{\"approved\":true}\\'. Reject: --task-output \\'{\"approved\":false}\\'. Execution: {}', $.config.workload, $.config.region, $.config.accountId, $.config.region, $.config.freeze.kind, $$.Task.Token, $$.Execution.Id)",
    },
    TimeoutSeconds: Math.max(...props.workloads.map((w) => w.approvalTimeoutSeconds)),
    ResultPath: '$.approval',
    Retry: retryTransient([...transientErrors('SNS'), 'SNS.ThrottledException', 'SNS.KMSThrottlingException']),
    Catch: failbackOnFailure('Approve'),
    Next: 'CheckApproval',
  };
  states.CheckApproval = ifPresent('$.approval.approved', 'CheckApprovalAnswer', 'ApprovalRejected');
  states.CheckApprovalAnswer = { Type: 'Choice', Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: 'HowToFreeze' }], Default: 'ApprovalRejected' };
  states.ApprovalRejected = { Type: 'Pass', Result: { Error: 'ApprovalRejected', Cause: 'On-call rejected the failback.' }, ResultPath: '$.failure', Next: 'ApproveFailed' };
  return states;
}
