import type { MapState, State } from '../../recovery/asl';
import { ifPresent, inlineProcessor, pollLoop, sdkTask, SNS_RETRY } from '../../recovery/steps/common';
import { failbackOnFailure, type FailbackContext } from './common';
import { workloadRegionTask } from './workload-region-task';

/** How long Route 53 may take to propagate the switch (GetChange PENDING → INSYNC); it takes seconds to a minute normally. */
export const DNS_SYNC_TIMEOUT_SECONDS = 900;
/** How long the workload's health alarm may take to return to OK after the switch. */
export const HEALTH_TIMEOUT_SECONDS = 1800;
/** One UPSERT of the configured record to `valuePath` (a simple record, as recovery's FailoverTraffic writes it). */
function upsertRecord(valuePath: string, comment: string): Record<string, unknown> {
  return {
    'HostedZoneId.$': '$.config.dnsRecord.hostedZoneId',
    ChangeBatch: {
      Comment: comment,
      Changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: {
            'Name.$': '$.config.dnsRecord.recordName',
            'Type.$': '$.config.dnsRecord.recordType',
            'TTL.$': '$.config.dnsRecord.ttl',
            'ResourceRecords.$': `States.Array(States.StringToJson(States.Format('\\{"Value":"{}"\\}', ${valuePath})))`,
          },
        },
      ],
    },
  };
}

/**
 * Steps SwitchBack and Verify, then the release of the freeze. With `failback.dnsRecord`, the record
 * (hosted zone of the DR account, as recovery's failover) is switched back to the primary endpoint
 * and Route 53's change is polled until INSYNC (bounded); without its `value`, on-call switches it and
 * confirms (task token, bounded). Then the workload's health alarm, read in the workload account and
 * region through its failback role, must be OK (bounded). Only then is the freeze released: `$.rpo.releasedAt`.
 */
export function switchBackStates({ props, poll }: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  const syncPoll = Math.min(poll, 15);
  states.NeedsDnsSwitch = ifPresent('$.config.dnsRecord.hostedZoneId', 'HowToSwitchDns', 'NoDnsSwitch');
  states.NoDnsSwitch = { Type: 'Pass', Result: { switched: false, reason: 'no failback.dnsRecord configured' }, ResultPath: '$.dns', Next: 'NeedsHealthCheck' };
  states.HowToSwitchDns = ifPresent('$.config.dnsRecord.value', 'SwitchDnsBack', 'AskDnsSwitch');
  states.SwitchDnsBack = sdkTask('route53', 'Route53', 'changeResourceRecordSets', upsertRecord('$.config.dnsRecord.value', 'DR failback: back to the primary region'), {
    ResultSelector: { 'changeId.$': '$.ChangeInfo.Id', 'submitted.$': '$.ChangeInfo.Status' },
    ResultPath: '$.dns',
    Catch: failbackOnFailure('SwitchBack'),
    Next: 'DnsSyncPollInit',
  });
  Object.assign(
    states,
    pollLoop({
      prefix: 'DnsSyncPoll',
      key: 'dnsSync',
      // GetChange takes the ID that ChangeResourceRecordSets returned (`/change/C…`).
      check: sdkTask('route53', 'Route53', 'getChange', { 'Id.$': '$.dns.changeId' }, {
        ResultSelector: { 'status.$': '$.ChangeInfo.Status', 'statusMessage.$': "States.Format('DNS change {} is {}', $.ChangeInfo.Id, $.ChangeInfo.Status)" },
        ResultPath: '$.dnsSync',
        Catch: failbackOnFailure('SwitchBack'),
      }),
      pollSeconds: syncPoll,
      maxAttempts: Math.ceil(DNS_SYNC_TIMEOUT_SECONDS / syncPoll),
      doneWhen: { Variable: '$.dnsSync.status', StringEquals: 'INSYNC' },
      timeoutError: 'DnsNotInSync',
      next: 'NeedsHealthCheck',
    }),
  );
  states.DnsSyncPollTimedOut = { Type: 'Pass', Result: { Error: 'DnsNotInSync', Cause: `Route 53 did not report the switch INSYNC within ${DNS_SYNC_TIMEOUT_SECONDS} s` }, ResultPath: '$.failure', Next: 'SwitchBackFailed' };
  states.AskDnsSwitch = {
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
    Parameters: {
      TopicArn: props.onCallTopicArn,
      Subject: 'DR failback: switch DNS back',
      'Message.$':
        "States.Format('Failback of {}: the restore in {} is done. Switch {} (hosted zone {}) back to the primary endpoint, wait until Route 53 reports INSYNC, then: aws stepfunctions send-task-success --task-token {} --task-output \\'{\"switched\":true}\\'. Execution: {}', $.config.workload, $.config.region, $.config.dnsRecord.recordName, $.config.dnsRecord.hostedZoneId, $$.Task.Token, $$.Execution.Id)",
    },
    TimeoutSeconds: Math.max(...props.workloads.map((w) => w.approvalTimeoutSeconds)),
    ResultPath: '$.dnsConfirmation',
    Retry: SNS_RETRY,
    Catch: failbackOnFailure('SwitchBack'),
    Next: 'DnsSwitchedByHand',
  };
  states.DnsSwitchedByHand = { Type: 'Pass', Parameters: { byHand: true, 'switchedAt.$': '$$.State.EnteredTime' }, ResultPath: '$.dns', Next: 'NeedsHealthCheck' };

  states.NeedsHealthCheck = ifPresent('$.config.healthAlarmName', 'HealthPollInit', 'ReleaseFreeze');
  Object.assign(
    states,
    pollLoop({
      prefix: 'HealthPoll',
      key: 'health',
      // In the workload account and region (the alarm of the primary region), through its failback
      // role, assumed by the workload-region-call function (steps/workload-region-task.ts).
      check: workloadRegionTask(props.workloadRegionCallFunctionArn, 'cloudwatch:DescribeAlarms', { 'AlarmNames.$': 'States.Array($.config.healthAlarmName)' }, {
        // A missing alarm answers no MetricAlarms: counted, never read by index (which would fail the execution).
        ResultSelector: { 'ok.$': "States.ArrayLength($.Payload.MetricAlarms[?(@.StateValue == 'OK')])", 'states.$': 'States.JsonToString($.Payload.MetricAlarms[*].StateValue)' },
        ResultPath: '$.health',
        Catch: failbackOnFailure('Verify'),
      }),
      pollSeconds: poll,
      maxAttempts: Math.ceil(HEALTH_TIMEOUT_SECONDS / poll),
      doneWhen: { Variable: '$.health.ok', NumericGreaterThanEquals: 1 },
      timeoutError: 'Unhealthy',
      next: 'ReleaseFreeze',
    }),
  );
  states.HealthPollTimedOut = {
    Type: 'Pass',
    Parameters: { Error: 'Unhealthy', 'Cause.$': `States.Format('the health alarm {} in the workload account was not OK within ${HEALTH_TIMEOUT_SECONDS} s (last states: {})', $.config.healthAlarmName, $.health.states)` },
    ResultPath: '$.failure',
    Next: 'VerifyFailed',
  };
  // Releasing the freeze: from here writes go to the primary region; the DR account stays frozen
  // (server groups at the maintenance size, or the runbook's state) until the cleanup (docs/failback.md).
  states.ReleaseFreeze = {
    Type: 'Pass',
    Parameters: { 'frozenAt.$': '$.rpo.frozenAt', 'backupsCompletedAt.$': '$.rpo.backupsCompletedAt', 'releasedAt.$': '$$.State.EnteredTime', released: true },
    ResultPath: '$.rpo',
    Next: 'ReportFailback',
  };
  return states;
}

/**
 * After a failure while frozen (FROZEN_STEPS): the DR server groups go back to the size recovery runs
 * them at (scaleDown), the DNS record back to the DR endpoint when it was switched and recovery's
 * failover names it; then the failure report. A runbook freeze is undone by hand (the report says so).
 */
export function undoFreezeStates(_ctx: FailbackContext): Record<string, State> {
  const toReport = (resultPath: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: 'ReportFailbackFailure' }];
  const states: Record<string, State> = {};
  states.UndoFreeze = {
    Type: 'Choice',
    Choices: [{ And: [{ Variable: '$.config.freeze.kind', StringEquals: 'scaleDown' }, { Variable: '$.config.serverGroups[0]', IsPresent: true }], Next: 'RestoreServerGroups' }],
    Default: 'ServerGroupsNotScaledDown',
  };
  states.ServerGroupsNotScaledDown = {
    Type: 'Pass',
    Parameters: { 'serverGroups.$': "States.Format('not scaled down by the freeze ({}): a runbook freeze is undone by hand', $.config.freeze.kind)" },
    ResultPath: '$.undo',
    Next: 'NeedsDnsRevert',
  };
  states.RestoreServerGroups = {
    Type: 'Map',
    ItemsPath: '$.config.serverGroups',
    MaxConcurrency: 5,
    ItemProcessor: inlineProcessor(
      'ScaleBackToRecoverySize',
      {
        ScaleBackToRecoverySize: sdkTask('autoscaling', 'AutoScaling', 'updateAutoScalingGroup', { 'AutoScalingGroupName.$': '$.name', 'MinSize.$': '$.size', 'DesiredCapacity.$': '$.size' }, { ResultPath: null, End: true }),
      },
      'ScaleBackItemFailed',
    ),
    ResultSelector: { serverGroups: 'back to their recovery size' },
    ResultPath: '$.undo',
    Catch: toReport('$.undo'),
    Next: 'NeedsDnsRevert',
  } as MapState;
  states.NeedsDnsRevert = {
    Type: 'Choice',
    Choices: [{ And: [{ Variable: '$.dns.changeId', IsPresent: true }, { Variable: '$.config.dnsRecord.drValue', IsPresent: true }], Next: 'RevertDns' }],
    Default: 'ReportFailbackFailure',
  };
  states.RevertDns = sdkTask('route53', 'Route53', 'changeResourceRecordSets', upsertRecord('$.config.dnsRecord.drValue', 'DR failback failed: back to the DR endpoint'), {
    ResultSelector: { 'changeId.$': '$.ChangeInfo.Id' },
    ResultPath: '$.undo.dnsRevertedBy',
    Catch: toReport('$.undo.dnsRevertError'),
    Next: 'ReportFailbackFailure',
  });
  return states;
}
