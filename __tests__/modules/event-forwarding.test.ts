import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { EventForwarder, EventForwardingRole, type EventForwarderProps } from '../../modules/event-forwarding';
import { healthIssuePattern } from '../../modules/event-patterns';
import { policyOf, resourcesOf } from '../helpers/synth';
import { synthWithDefaults } from '../helpers/synth-construct';
import { allowAssumeRole } from '../helpers/trust-statement';

const bus = 'arn:aws:events:ap-northeast-1:222222222222:event-bus/dr-events';
const props: EventForwarderProps = {
  accountId: '333333333333',
  region: 'ap-northeast-2',
  rules: [
    { id: 'HealthS3', ruleName: 'acme-health-s3', description: 'S3', pattern: healthIssuePattern('S3', ['AWS_S3_INCREASED_GET_API_ERROR_RATES']) },
    { id: 'HealthEC2', ruleName: 'acme-health-ec2', description: 'EC2', pattern: healthIssuePattern('EC2', ['AWS_EC2_OPERATIONAL_ISSUE']) },
  ],
  targetBusArn: bus,
  forwarderRoleArn: 'arn:aws:iam::333333333333:role/acme-event-forwarder',
  dlqName: 'acme-event-forwarding-dlq',
  delivery: { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 24 },
};

const synthForwarder = synthWithDefaults(EventForwarder, 'Forwarder', props);

describe('EventForwarder', () => {
  it('creates one enabled rule per forwarded pattern, with the pattern as JSON', () => {
    const out = synthForwarder();
    const rules = resourcesOf(out, 'aws_cloudwatch_event_rule');
    expect(rules.map((r) => r.name).sort()).toEqual(['acme-health-ec2', 'acme-health-s3']);
    expect(out).toHaveResourceWithProperties(CloudwatchEventRule, { name: 'acme-health-s3', state: 'ENABLED', event_pattern: JSON.stringify(props.rules[0].pattern) });
  });

  it('targets the DR bus through the forwarding role, with a retry policy and the dead-letter queue', () => {
    const targets = resourcesOf(synthForwarder(), 'aws_cloudwatch_event_target');
    expect(targets).toHaveLength(2);
    for (const t of targets) {
      expect(t).toMatchObject({ arn: bus, role_arn: props.forwarderRoleArn, retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 24 } });
      expect((t.dead_letter_config as { arn: string }).arn).toMatch(/^\$\{aws_sqs_queue\..*\.arn\}$/);
    }
  });

  it('has an encrypted dead-letter queue that only these rules may write to, and an alarm on its depth', () => {
    const out = synthForwarder();
    expect(out).toHaveResourceWithProperties(SqsQueue, { name: 'acme-event-forwarding-dlq', sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    const policy = policyOf(resourcesOf(out, 'aws_sqs_queue_policy')[0]);
    expect(policy.Statement).toEqual([
      {
        Sid: 'OnlyEstateRulesMaySendFailedEvents',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: 'arn:aws:sqs:ap-northeast-2:333333333333:acme-event-forwarding-dlq',
        Condition: {
          ArnEquals: { 'aws:SourceArn': ['arn:aws:events:ap-northeast-2:333333333333:rule/acme-health-ec2', 'arn:aws:events:ap-northeast-2:333333333333:rule/acme-health-s3'] },
          StringEquals: { 'aws:SourceAccount': '333333333333' },
        },
      },
    ]);
    expect(out).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'acme-event-forwarding-dlq-depth',
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'acme-event-forwarding-dlq' },
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
  });

  it.each([
    [{ rules: [] }, /rules must list at least one rule/],
    [{ rules: [props.rules[0], { ...props.rules[1], ruleName: 'acme-health-s3' }] }, /rule name "acme-health-s3" is used twice/],
    [{ region: 'cn-north-1' }, /another partition/],
  ])('rejects invalid props %#', (override, message) => {
    expect(() => synthForwarder(override as Partial<EventForwarderProps>)).toThrow(message);
  });
});

describe('EventForwardingRole', () => {
  const synthRole = synthWithDefaults(EventForwardingRole, 'Role', { roleName: 'acme-event-forwarder', accountId: '333333333333', ruleNamePrefix: 'acme-', targetBusArn: bus });

  it('is assumable only by EventBridge for this account\'s estate rules', () => {
    const role = resourcesOf(synthRole(), 'aws_iam_role')[0];
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      allowAssumeRole('EstateRulesOfThisAccountOnly', { Service: 'events.amazonaws.com' }, { StringEquals: { 'aws:SourceAccount': '333333333333' }, ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:333333333333:rule/acme-*' } }),
    ]);
  });

  it('may only put events on the DR bus', () => {
    const policy = policyOf(resourcesOf(synthRole(), 'aws_iam_role_policy')[0]);
    expect(policy.Statement).toEqual([{ Sid: 'PutEventsOnTheDrBusOnly', Effect: 'Allow', Action: 'events:PutEvents', Resource: bus }]);
  });
});
