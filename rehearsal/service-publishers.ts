/**
 * What AWS services deliver on the estate's behalf, read from every stack of the synthesized output:
 *
 * - CloudWatch alarms and EventBridge rules publishing to a KMS-encrypted topic: `sns:Publish` by the
 *   service principal under the topic policy, and `kms:GenerateDataKey*`/`kms:Decrypt` on the topic's
 *   key under the key policy, with `aws:SourceAccount`/`aws:SourceArn` of the alarm or rule (SNS
 *   Developer Guide, "Enable compatibility between event sources from AWS services and encrypted
 *   topics": https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * - EventBridge targets with a role (the forwarders to the DR bus, the recovery trigger): EventBridge
 *   assumes the role (its trust policy, `aws:SourceArn` of the rule), which calls the target
 *   (`events:PutEvents` under the receiving bus's policy across accounts, `states:StartExecution`)
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
 * - EventBridge dead-letter queues: `sqs:SendMessage` by `events.amazonaws.com` under the queue policy,
 *   with the rule as `aws:SourceArn` (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 * - Log groups with a KMS key: CloudWatch Logs (`logs.<region>.amazonaws.com`) uses the key with the
 *   log group's ARN as encryption context (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html;
 *   the context condition is decided by simulation/encryption-context.ts).
 */
import type { IamRequest } from './authorization';
import type { ModelResource, PolicyModel } from '../simulation/policy-model';

export interface ServicePublish {
  /** `alarm <name>`, `rule <name>`, `log-group <name>`. */
  readonly source: string;
  /** A service principal, or the role a service acts with. */
  readonly principal: string;
  readonly requests: IamRequest[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** The rule of an `aws_cloudwatch_event_target`: its name and ARN (`rule/<bus>/<name>` on a custom bus). */
function ruleOf(policies: PolicyModel, target: ModelResource): { rule: string; ruleArn: string } {
  const rule = policies.resolveIn(target, String(target.attributes.rule ?? ''));
  const bus = policies.resolveIn(target, String(target.attributes.event_bus_name ?? 'default'));
  return { rule, ruleArn: `arn:${target.partition}:events:${target.region}:${target.account}:rule/${bus === 'default' ? '' : `${bus}/`}${rule}` };
}

/** Every service publish to a topic with a customer managed key, in every stack of the output. */
export function servicePublishes(policies: PolicyModel): ServicePublish[] {
  const topics = new Map<string, string>();
  for (const topic of policies.resources.filter((r) => r.type === 'aws_sns_topic' && r.arn)) {
    const key = policies.resolvedAttribute(topic, 'kms_master_key_id');
    if (key && /^arn:aws[a-z-]*:kms:/.test(key)) topics.set(topic.arn as string, key);
  }
  const publish = (topic: string, key: string, sourceAccount: string, sourceArn: string, onBehalfOf: string): IamRequest[] => [
    { action: 'sns:Publish', resource: topic, sourceAccount, sourceArn, onBehalfOf },
    { action: 'kms:GenerateDataKey', resource: key, sourceAccount, sourceArn, onBehalfOf },
    { action: 'kms:Decrypt', resource: key, sourceAccount, sourceArn, onBehalfOf },
  ];
  const out: ServicePublish[] = [];
  for (const alarm of policies.resources.filter((r) => r.type === 'aws_cloudwatch_metric_alarm' || r.type === 'aws_cloudwatch_composite_alarm')) {
    const name = policies.resolvedAttribute(alarm, 'alarm_name') ?? alarm.logicalName;
    const alarmArn = `arn:${alarm.partition}:cloudwatch:${alarm.region}:${alarm.account}:alarm:${name}`;
    for (const action of list(alarm.attributes.alarm_actions).map((a) => policies.resolveIn(alarm, a))) {
      const key = topics.get(action);
      if (key) out.push({ source: `alarm ${name}`, principal: 'cloudwatch.amazonaws.com', requests: publish(action, key, alarm.account, alarmArn, `cloudwatch alarm action (${name})`) });
    }
  }
  for (const target of policies.resources.filter((r) => r.type === 'aws_cloudwatch_event_target')) {
    const arn = policies.resolveIn(target, String(target.attributes.arn ?? ''));
    const key = topics.get(arn);
    if (!key) continue;
    const { rule, ruleArn } = ruleOf(policies, target);
    out.push({ source: `rule ${rule}`, principal: 'events.amazonaws.com', requests: publish(arn, key, target.account, ruleArn, `EventBridge target (${rule})`) });
  }
  return out;
}

/** Everything of the module's summary: encrypted topics, targets with roles, dead-letter queues, log groups. */
export function serviceDeliveries(policies: PolicyModel): ServicePublish[] {
  const out = servicePublishes(policies);
  for (const target of policies.resources.filter((r) => r.type === 'aws_cloudwatch_event_target')) {
    const { rule, ruleArn } = ruleOf(policies, target);
    const arn = policies.resolveIn(target, String(target.attributes.arn ?? ''));
    const onBehalfOf = `EventBridge target (${rule})`;
    const role = target.attributes.role_arn ? policies.resolveIn(target, String(target.attributes.role_arn)) : undefined;
    if (role) {
      out.push({ source: `rule ${rule}`, principal: 'events.amazonaws.com', requests: [{ action: 'sts:AssumeRole', resource: role, sourceAccount: target.account, sourceArn: ruleArn, onBehalfOf }] });
      const action = /:event-bus\//.test(arn) ? 'events:PutEvents' : /:stateMachine:/.test(arn) ? 'states:StartExecution' : undefined;
      if (action) out.push({ source: `rule ${rule}`, principal: role, requests: [{ action, resource: arn, onBehalfOf }] });
    }
    const dlq = (target.attributes.dead_letter_config as { arn?: string } | undefined)?.arn;
    if (dlq) out.push({ source: `rule ${rule}`, principal: 'events.amazonaws.com', requests: [{ action: 'sqs:SendMessage', resource: policies.resolveIn(target, dlq), sourceAccount: target.account, sourceArn: ruleArn, onBehalfOf: `EventBridge dead-letter queue (${rule})` }] });
  }
  for (const group of policies.resources.filter((r) => r.type === 'aws_cloudwatch_log_group' && r.attributes.kms_key_id)) {
    const name = policies.resolvedAttribute(group, 'name') ?? group.logicalName;
    const key = policies.resolvedAttribute(group, 'kms_key_id');
    if (!key || !/^arn:aws[a-z-]*:kms:/.test(key)) continue;
    const context = { 'kms:EncryptionContext:aws:logs:arn': `arn:${group.partition}:logs:${group.region}:${group.account}:log-group:${name}` };
    const via = `logs.${group.region}.amazonaws.com`;
    out.push({ source: `log-group ${name}`, principal: via, requests: ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ action, resource: key, context, onBehalfOf: `CloudWatch Logs (${name})` })) });
  }
  return out;
}
