import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import type { CentralEventBus } from '../central-event-bus';
import { DeadLetterQueue } from '../dead-letter-queue';
import { policyDocument, renderPolicy, serviceTrustPolicy } from '../policy-document';
import { partitionOf } from '../../config/regions';

export interface RecoveryTriggersProps {
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly stateMachineArn: string;
  /** Its recovery-worthy rule starts a failover (after approval, where the workload requires it). */
  readonly bus: CentralEventBus;
  /** Workloads with a drill schedule (EventBridge Scheduler expression). */
  readonly drills: { readonly workload: string; readonly schedule: string }[];
  /**
   * Where the dead-letter queue's alarm notifies.
   * @default no notification (the alarm still shows in CloudWatch)
   */
  readonly alarmActions?: string[];
}

/**
 * What starts a recovery without a person at the console: recovery-worthy incidents on the DR bus
 * (mode failover, trigger event) and, per workload, a drill schedule (mode drill). A manual start
 * is `aws stepfunctions start-execution` with `{"workload": ..., "mode": ...}`.
 */
export class RecoveryTriggers extends Construct {
  constructor(scope: Construct, id: string, props: RecoveryTriggersProps) {
    super(scope, id);
    const p = partitionOf(props.region);
    const startExecution = policyDocument({ Sid: 'StartRecovery', Effect: 'Allow', Action: 'states:StartExecution', Resource: props.stateMachineArn });

    const eventsRole = new IamRole(this, 'EventsRole', {
      name: `${props.namePrefix}-recovery-events`,
      description: 'EventBridge starts the recovery state machine for recovery-worthy incidents',
      assumeRolePolicy: renderPolicy(
        serviceTrustPolicy('events.amazonaws.com', props.accountId, `arn:${p}:events:${props.region}:${props.accountId}:rule/*/${props.namePrefix}-recovery-worthy`, 'TheRecoveryRuleOnly'),
      ),
    });
    new IamRolePolicy(this, 'EventsPolicy', { role: eventsRole.name, name: 'start-recovery', policy: renderPolicy(startExecution) });
    props.bus.addRecoveryTarget('RecoveryStateMachine', {
      arn: props.stateMachineArn,
      roleArn: eventsRole.arn,
      inputTransformer: { inputTemplate: '{"mode":"failover","trigger":"event","incident":<aws.events.event.json>}', inputPaths: {} },
    });

    if (props.drills.length === 0) return;
    const dlq = new DeadLetterQueue(this, 'DrillDeadLetters', {
      queueName: `${props.namePrefix}-recovery-drill-dlq`,
      accountId: props.accountId,
      region: props.region,
      sourceRuleArns: [],
      alarmName: `${props.namePrefix}-recovery-drill-dlq-depth`,
      alarmActions: props.alarmActions,
    });
    const schedulerRole = new IamRole(this, 'SchedulerRole', {
      name: `${props.namePrefix}-recovery-scheduler`,
      description: 'EventBridge Scheduler starts recovery drills',
      assumeRolePolicy: renderPolicy(serviceTrustPolicy('scheduler.amazonaws.com', props.accountId, `arn:${p}:scheduler:${props.region}:${props.accountId}:schedule/default/${props.namePrefix}-drill-*`)),
    });
    new IamRolePolicy(this, 'SchedulerPolicy', {
      role: schedulerRole.name,
      name: 'start-drills',
      policy: renderPolicy(
        policyDocument(
          { Sid: 'StartRecovery', Effect: 'Allow', Action: 'states:StartExecution', Resource: props.stateMachineArn },
          { Sid: 'UndeliveredToDlq', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: dlq.queueArn },
        ),
      ),
    });
    for (const drill of [...props.drills].sort((a, b) => a.workload.localeCompare(b.workload))) {
      new SchedulerSchedule(this, `Drill-${drill.workload}`, {
        name: `${props.namePrefix}-drill-${drill.workload}`,
        description: `Recovery drill of ${drill.workload}`,
        scheduleExpression: drill.schedule,
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: props.stateMachineArn,
          roleArn: schedulerRole.arn,
          input: JSON.stringify({ workload: drill.workload, mode: 'drill', trigger: 'schedule' }),
          retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
          deadLetterConfig: { arn: dlq.queue.arn },
        },
      });
    }
  }
}
