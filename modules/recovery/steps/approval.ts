import type { State } from '../asl';
import { onCallApprovalStates, onFailure, type StepContext } from './common';

/**
 * Step 1, Approve: an automatic (event) start of a workload that requires approval waits for on-call's
 * answer (SNS with a task token); a manual or scheduled start goes straight to LocateData.
 */
export function approvalStates({ props }: StepContext): Record<string, State> {
  return {
    NeedsApproval: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.trigger', IsPresent: false, Next: 'LocateData' },
        { Variable: '$.trigger', StringEquals: 'manual', Next: 'LocateData' },
        // A scheduled drill restores into the landing zone and cleans up; it must not wait for a person.
        { Variable: '$.trigger', StringEquals: 'schedule', Next: 'LocateData' },
        { Variable: '$.config.approvalRequired', BooleanEquals: false, Next: 'LocateData' },
      ],
      Default: 'RequestApproval',
    },
    ...onCallApprovalStates({
      topicArn: props.onCallTopicArn,
      subject: 'DR recovery waiting for approval',
      message: "States.Format('Recovery of {} ({}) waits for approval. Approve: aws stepfunctions send-task-success --task-token {} --task-output \\'{\"approved\":true}\\'. Reject: --task-output \\'{\"approved\":false}\\'. Execution: {}', $.config.workload, $.mode, $$.Task.Token, $$.Execution.Id)",
      timeoutSeconds: Math.max(...props.workloads.map((w) => w.approvalTimeoutSeconds)),
      catch: onFailure('Approve'),
      approved: 'LocateData',
      rejectedCause: 'On-call rejected the recovery.',
    }),
  };
}
