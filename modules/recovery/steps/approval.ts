import type { State } from '../asl';
import { retryTransient, transientErrors } from '../asl';
import { ifPresent, onFailure, type StepContext } from './common';

/**
 * Step 1, Approve: an automatic (event) start of a workload that requires approval waits for on-call's
 * answer (SNS with a task token); a manual or scheduled start goes straight to LocateData.
 */
export function approvalStates({ props }: StepContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.NeedsApproval = {
    Type: 'Choice',
    Choices: [
      { Variable: '$.trigger', IsPresent: false, Next: 'LocateData' },
      { Variable: '$.trigger', StringEquals: 'manual', Next: 'LocateData' },
      // A scheduled drill restores into the landing zone and cleans up; it must not wait for a person.
      { Variable: '$.trigger', StringEquals: 'schedule', Next: 'LocateData' },
      { Variable: '$.config.approvalRequired', BooleanEquals: false, Next: 'LocateData' },
    ],
    Default: 'RequestApproval',
  };
  states.RequestApproval = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR recovery waiting for approval',
      'Message.$': "States.Format('Recovery of {} ({}) waits for approval. Approve: aws stepfunctions send-task-success --task-token {} --task-output \\'{\"approved\":true}\\'. Reject: --task-output \\'{\"approved\":false}\\'. Execution: {}', $.config.workload, $.mode, $$.Task.Token, $$.Execution.Id)",
    },
    TimeoutSeconds: Math.max(...props.workloads.map((w) => w.approvalTimeoutSeconds)),
    ResultPath: '$.approval',
    Retry: retryTransient([...transientErrors('SNS'), 'SNS.ThrottledException', 'SNS.KMSThrottlingException']),
    Catch: onFailure('Approve'),
    Next: 'CheckApproval',
  };
  states.CheckApproval = ifPresent('$.approval.approved', 'CheckApprovalAnswer', 'ApprovalRejected');
  states.CheckApprovalAnswer = {
    Type: 'Choice',
    Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: 'LocateData' }],
    Default: 'ApprovalRejected',
  };
  states.ApprovalRejected = { Type: 'Pass', Result: { Error: 'ApprovalRejected', Cause: 'On-call rejected the recovery.' }, ResultPath: '$.failure', Next: 'ApproveFailed' };
  return states;
}
