import { Testing } from 'cdktf';
import { CloudwatchEventArchive } from '@cdktf/provider-aws/lib/cloudwatch-event-archive';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { CentralEventBus, type CentralEventBusProps } from '../../modules/central-event-bus';
import { incidentPattern, recoveryPattern } from '../../modules/event-patterns';
import { policyOf, resourcesOf, statement } from '../helpers/synth';

const props: CentralEventBusProps = {
  busName: 'dr-events',
  accountId: '222222222222',
  region: 'ap-northeast-1',
  organizationId: 'o-a1b2c3d4e5',
  senderAccountIds: ['333333333333', '111111111111'],
  forwarderRoleName: 'acme-event-forwarder',
  archiveRetentionDays: 30,
  namePrefix: 'acme',
  incidentPattern: incidentPattern(),
  recoveryPattern: recoveryPattern({ S3: ['AWS_S3_OPERATIONAL_ISSUE'] }, []),
  keyAdminRoleArns: ['arn:aws:iam::222222222222:role/terraform-dr'],
  onCallEmailAddresses: ['oncall@example.com'],
  delivery: { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 24 },
};

function synth(p: Partial<CentralEventBusProps> = {}, extend?: (bus: CentralEventBus) => void) {
  return Testing.synthScope((scope) => {
    const bus = new CentralEventBus(scope, 'Bus', { ...props, ...p });
    extend?.(bus);
  });
}

describe('CentralEventBus', () => {
  it('creates the custom bus and an archive of it with the configured retention', () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(CloudwatchEventBus, { name: 'dr-events' });
    expect(out).toHaveResourceWithProperties(CloudwatchEventArchive, { name: 'acme-incidents', retention_days: 30 });
    expect(resourcesOf(out, 'aws_cloudwatch_event_archive')[0].event_source_arn).toMatch(/^\$\{aws_cloudwatch_event_bus\..*\.arn\}$/);
  });

  it('lets only the forwarding roles of listed accounts in the organization put events', () => {
    const policy = policyOf(resourcesOf(synth(), 'aws_cloudwatch_event_bus_policy')[0]);
    expect(policy.Statement).toEqual([
      {
        Sid: 'EstateForwardersPutEvents',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: 'arn:aws:events:ap-northeast-1:222222222222:event-bus/dr-events',
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:PrincipalAccount': ['111111111111', '333333333333'] },
          ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/acme-event-forwarder' },
        },
      },
    ]);
  });

  it('routes every incident to an encrypted on-call topic, with retries and a dead-letter queue', () => {
    const out = synth();
    const rules = resourcesOf(out, 'aws_cloudwatch_event_rule');
    const incident = rules.find((r) => r.name === 'acme-incidents-to-on-call')!;
    expect(incident.event_pattern).toBe(JSON.stringify(incidentPattern()));
    expect(incident.event_bus_name).toMatch(/aws_cloudwatch_event_bus\./);
    const [target] = resourcesOf(out, 'aws_cloudwatch_event_target');
    expect(target).toMatchObject({ target_id: 'on-call', retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 24 } });
    expect(target.arn).toMatch(/aws_sns_topic\./);
    expect(out).toHaveResourceWithProperties(SnsTopic, { name: 'acme-dr-on-call' });
    expect(resourcesOf(out, 'aws_sns_topic')[0].kms_master_key_id).toMatch(/aws_kms_key\./);
    expect(out).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'oncall@example.com' });
  });

  it('lets only the incident rule publish to the topic, and EventBridge of this account use its key', () => {
    const out = synth();
    const topicPolicy = policyOf(resourcesOf(out, 'aws_sns_topic_policy')[0]);
    expect(statement(topicPolicy, 'EstateRulesPublish')).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: 'arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call',
      Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:events:ap-northeast-1:222222222222:rule/dr-events/acme-incidents-to-on-call'] } },
    });
    const key = resourcesOf(out, 'aws_kms_key')[0];
    expect(key.enable_key_rotation).toBe(true);
    const encrypt = statement(policyOf(key), 'PublishersOfThisAccountEncrypt');
    expect(encrypt.Principal).toEqual({ Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] });
    expect(encrypt.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '222222222222' } });
    expect(statement(topicPolicy, 'EstateAlarmsPublish')).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:ap-northeast-1:222222222222:alarm:acme-*' }, StringEquals: { 'aws:SourceAccount': '222222222222' } },
    });
    // The DLQ's depth alarm pages on-call directly: the DR account has nowhere further to forward to.
    expect(resourcesOf(out, 'aws_cloudwatch_metric_alarm')[0].alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\./)]);
  });

  it('has a recovery rule with no target until recovery attaches one through addRecoveryTarget', () => {
    const without = synth();
    const recovery = resourcesOf(without, 'aws_cloudwatch_event_rule').find((r) => r.name === 'acme-recovery-worthy')!;
    expect(JSON.parse(recovery.event_pattern as string)).toEqual(props.recoveryPattern);
    expect(resourcesOf(without, 'aws_cloudwatch_event_target')).toHaveLength(1);

    const withTarget = synth({}, (bus) =>
      bus.addRecoveryTarget('RecoveryStateMachine', { arn: 'arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-recovery', roleArn: 'arn:aws:iam::222222222222:role/acme-recovery-events' }),
    );
    const targets = resourcesOf(withTarget, 'aws_cloudwatch_event_target');
    const recoveryTarget = targets.find((t) => t.target_id === 'RecoveryStateMachine')!;
    expect(recoveryTarget).toMatchObject({
      arn: 'arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-recovery',
      role_arn: 'arn:aws:iam::222222222222:role/acme-recovery-events',
      retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 24 },
    });
    expect(recoveryTarget.rule).toMatch(/aws_cloudwatch_event_rule\.Bus_RecoveryRule/);
    const dlqPolicy = policyOf(resourcesOf(withTarget, 'aws_sqs_queue_policy')[0]);
    expect(dlqPolicy.Statement[0].Condition.ArnEquals['aws:SourceArn']).toEqual([
      'arn:aws:events:ap-northeast-1:222222222222:rule/dr-events/acme-incidents-to-on-call',
      'arn:aws:events:ap-northeast-1:222222222222:rule/dr-events/acme-recovery-worthy',
    ]);
  });

  it('keeps the bus policy under 10 KB for 200 sender accounts', () => {
    const senders = Array.from({ length: 200 }, (_, i) => String(300000000000 + i));
    const out = synth({ senderAccountIds: senders });
    const policy = resourcesOf(out, 'aws_cloudwatch_event_bus_policy')[0].policy as string;
    expect(Buffer.byteLength(policy)).toBeLessThan(10240);
    expect(JSON.parse(policy).Statement[0].Condition.StringEquals['aws:PrincipalAccount']).toHaveLength(200);
  });

  it.each([
    [{ senderAccountIds: [] }, /senderAccountIds must list at least one account/],
    [{ senderAccountIds: ['222222222222'] }, /must not include the bus's own account/],
    [{ senderAccountIds: Array.from({ length: 800 }, (_, i) => String(300000000000 + i)) }, /over EventBridge's 10240; split the estate/],
  ])('rejects invalid props %#', (override, message) => {
    expect(() => synth(override)).toThrow(message);
  });
});
