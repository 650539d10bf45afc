import type { MapState, State } from '../../recovery/asl';
import { ifPresent, lambdaTask, SNS_RETRY } from '../../recovery/steps/common';
import { payloadFor } from '../../recovery/payload';
import type { CleanupPayload } from '../../../functions/cleanup-drill/input';
import { failbackOnFailure, type FailbackContext } from './common';

/**
 * After the success report: wait `failback.graceHours` (a Wait state, `$.config.graceSeconds`), then a
 * second approval (SNS task token, bounded), then step Cleanup: the DR drill cleanup function deletes
 * what production ran on in the DR account (the resources the final backups were taken of) and scales
 * the workload's DR server groups to zero. Recovery points are kept: the function never deletes one
 * (the final backups stay in the DR restore vault for their lifecycle). A rejected or unanswered
 * approval keeps everything and ends the execution successfully, saying so.
 */
export function cleanupStates({ props }: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.GraceWait = { Type: 'Wait', SecondsPath: '$.config.graceSeconds', Next: 'RequestCleanupApproval' };
  states.RequestCleanupApproval = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback: approve the cleanup of the DR account',
      'Message.$':
        "States.Format('Failback of {} has run in {} since {}. Approve deleting what production ran on in the DR account and scaling its server groups to zero (recovery points are kept): aws stepfunctions send-task-success --task-token {} --task-output \\'{\"approved\":true}\\'. Keep them: --task-output \\'{\"approved\":false}\\'. Resources: {}. Execution: {}', $.config.workload, $.config.region, $.rpo.releasedAt, $$.Task.Token, States.JsonToString($.resourceArns), $$.Execution.Id)",
    },
    TimeoutSeconds: Math.max(...props.workloads.map((w) => w.approvalTimeoutSeconds)),
    ResultPath: '$.cleanupApproval',
    Retry: SNS_RETRY,
    // Silence keeps the DR resources, as a rejection does.
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.cleanupApprovalTimeout', Next: 'CleanupDeclined' }, ...failbackOnFailure('ApproveCleanup')],
    Next: 'CheckCleanupApproval',
  };
  states.CheckCleanupApproval = ifPresent('$.cleanupApproval.approved', 'CheckCleanupApprovalAnswer', 'CleanupDeclined');
  states.CheckCleanupApprovalAnswer = { Type: 'Choice', Choices: [{ Variable: '$.cleanupApproval.approved', BooleanEquals: true, Next: 'CleanupTargets' }], Default: 'CleanupDeclined' };
  // cleanup-drill's input: `restores` of `{ resourceType, createdResourceArn }` (here: the DR resources backed up).
  states.CleanupTargets = {
    Type: 'Map',
    ItemsPath: '$.backups',
    ItemSelector: { 'resourceType.$': '$$.Map.Item.Value.resourceType', 'createdResourceArn.$': '$$.Map.Item.Value.sourceResourceArn' },
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'CleanupTarget', States: { CleanupTarget: { Type: 'Pass', End: true } } },
    ResultPath: '$.cleanupTargets',
    Catch: failbackOnFailure('Cleanup'),
    Next: 'CleanupDr',
  } as MapState;
  states.CleanupDr = lambdaTask(
    props.cleanupFunctionArn,
    payloadFor<CleanupPayload>()({
      mode: 'failback',
      'executionName.$': '$$.Execution.Name',
      accountId: props.dr.accountId,
      region: props.dr.region,
      'restores.$': '$.cleanupTargets',
      'autoScalingGroups.$': '$.config.serverGroupNames',
    }),
    { ResultPath: '$.cleanup', Catch: failbackOnFailure('Cleanup'), Next: 'ReportCleanup' },
  );
  states.ReportCleanup = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback: DR account cleaned up',
      'Message.$': "States.Format('Failback of {}: the DR account is cleaned up: {}. Recovery points were kept. Execution: {}', $.config.workload, States.JsonToString($.cleanup.Payload), $$.Execution.Id)",
    },
    ResultPath: null,
    Retry: SNS_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailbackComplete' }],
    Next: 'FailbackComplete',
  };
  states.CleanupDeclined = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback: DR account kept',
      'Message.$': "States.Format('Failback of {} is complete; the cleanup of the DR account was not approved, so its resources and server groups are kept (at the maintenance size). Clean up by hand when done (docs/failback.md): {}. Execution: {}', $.config.workload, States.JsonToString($.resourceArns), $$.Execution.Id)",
    },
    ResultPath: null,
    Retry: SNS_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailbackCompleteDrKept' }],
    Next: 'FailbackCompleteDrKept',
  };
  states.FailbackCompleteDrKept = { Type: 'Succeed' };
  states.FailbackComplete = { Type: 'Succeed' };
  return states;
}
