import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { policyDocument, renderPolicy, type PolicyDocument } from './policy-document';
import { partitionOf } from '../config/regions';

export interface DeadLetterQueueProps {
  readonly queueName: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * EventBridge rules whose targets may send failed events here (through a queue policy). Leave empty
   * for a Lambda destination: the function's own role sends, and no queue policy is needed.
   */
  readonly sourceRuleArns: string[];
  /**
   * Where the depth alarm notifies (e.g. the on-call topic).
   * @default nowhere (the alarm event is forwarded by EventBridge)
   */
  readonly alarmActions?: string[];
  /** Name of the alarm that fires as soon as one event is in the queue. */
  readonly alarmName: string;
  /**
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Maximum SQS retention: events that exhausted their retries wait two weeks for a replay. */
const FOURTEEN_DAYS = 14 * 24 * 3600;

/**
 * Encrypted SQS dead-letter queue for EventBridge targets, writable only by the listed rules, with an
 * alarm on its depth: an event that could not be delivered must be seen, not silently dropped.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  readonly queueArn: string;
  readonly policy?: PolicyDocument;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queueArn = `arn:${partitionOf(props.region)}:sqs:${props.region}:${props.accountId}:${props.queueName}`;
    // SSE-SQS: EventBridge can write to it without a key policy, and it is encrypted at rest.
    this.queue = new SqsQueue(this, 'Queue', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: FOURTEEN_DAYS,
      provider: props.provider,
    });
    if (props.sourceRuleArns.length > 0) this.policy = policyDocument({
      Sid: 'OnlyEstateRulesMaySendFailedEvents',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: this.queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': [...props.sourceRuleArns].sort() }, StringEquals: { 'aws:SourceAccount': props.accountId } },
    });
    if (this.policy) new SqsQueuePolicy(this, 'Policy', { queueUrl: this.queue.url, policy: renderPolicy(this.policy), provider: props.provider });
    this.alarm = anyInAMinuteAlarm(this, 'DepthAlarm', {
      alarmName: props.alarmName,
      alarmDescription: `Events that EventBridge could not deliver are waiting in ${props.queueName}; inspect and redrive them.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: props.queueName },
      statistic: 'Maximum',
      alarmActions: props.alarmActions,
      provider: props.provider,
    });
  }
}

/**
 * An alarm on anything at all within a minute (the metric above 0 in one 60-second period; no data is
 * not a breach): what a dead-letter queue's depth and a function's errors both need, since one lost
 * event or one failed invocation is already worth a page.
 */
export function anyInAMinuteAlarm(
  scope: Construct,
  id: string,
  props: Pick<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmDescription' | 'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'alarmActions' | 'provider'>,
): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, { ...props, period: 60, evaluationPeriods: 1, threshold: 0, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'notBreaching' });
}
