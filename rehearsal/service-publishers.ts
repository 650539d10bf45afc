/**
 * The AWS services that publish to the estate's encrypted topics on its behalf: CloudWatch alarms
 * (alarm actions) and EventBridge rules (targets). Each publish is `sns:Publish` by the service
 * principal under the topic policy, and `kms:GenerateDataKey*` and `kms:Decrypt` on the topic's key
 * under the key policy, with `aws:SourceAccount` and `aws:SourceArn` of the alarm or rule (SNS
 * Developer Guide, "Enable compatibility between event sources from AWS services and encrypted
 * topics": https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * Read from the synthesized output, like every other policy of the rehearsal.
 */
import type { IamRequest } from './authorization';
import type { ModelResource, PolicyModel } from '../simulation/policy-model';

export interface ServicePublish {
  /** `alarm <name>` or `rule <name>`. */
  readonly source: string;
  readonly principal: 'cloudwatch.amazonaws.com' | 'events.amazonaws.com';
  readonly requests: IamRequest[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** Every service publish to a topic with a customer managed key, in every stack of the output. */
export function servicePublishes(policies: PolicyModel): ServicePublish[] {
  const topics = new Map<string, string>();
  for (const topic of policies.resources.filter((r) => r.type === 'aws_sns_topic' && r.arn)) {
    const key = policies.resolvedAttribute(topic, 'kms_master_key_id');
    if (key && /^arn:aws[a-z-]*:kms:/.test(key)) topics.set(topic.arn as string, key);
  }
  const resolve = (r: ModelResource, v: string) => policies.resolvedAttribute({ ...r, attributes: { v } }, 'v') ?? v;
  const publish = (topic: string, key: string, sourceAccount: string, sourceArn: string, onBehalfOf: string): IamRequest[] => [
    { action: 'sns:Publish', resource: topic, sourceAccount, sourceArn, onBehalfOf },
    { action: 'kms:GenerateDataKey', resource: key, sourceAccount, sourceArn, onBehalfOf },
    { action: 'kms:Decrypt', resource: key, sourceAccount, sourceArn, onBehalfOf },
  ];
  const out: ServicePublish[] = [];
  for (const alarm of policies.resources.filter((r) => r.type === 'aws_cloudwatch_metric_alarm' || r.type === 'aws_cloudwatch_composite_alarm')) {
    const name = policies.resolvedAttribute(alarm, 'alarm_name') ?? alarm.logicalName;
    const alarmArn = `arn:${alarm.partition}:cloudwatch:${alarm.region}:${alarm.account}:alarm:${name}`;
    for (const action of list(alarm.attributes.alarm_actions).map((a) => resolve(alarm, a))) {
      const key = topics.get(action);
      if (key) out.push({ source: `alarm ${name}`, principal: 'cloudwatch.amazonaws.com', requests: publish(action, key, alarm.account, alarmArn, `cloudwatch alarm action (${name})`) });
    }
  }
  for (const target of policies.resources.filter((r) => r.type === 'aws_cloudwatch_event_target')) {
    const arn = resolve(target, String(target.attributes.arn ?? ''));
    const key = topics.get(arn);
    if (!key) continue;
    const rule = resolve(target, String(target.attributes.rule ?? ''));
    const bus = resolve(target, String(target.attributes.event_bus_name ?? 'default'));
    const ruleArn = `arn:${target.partition}:events:${target.region}:${target.account}:rule/${bus === 'default' ? '' : `${bus}/`}${rule}`;
    out.push({ source: `rule ${rule}`, principal: 'events.amazonaws.com', requests: publish(arn, key, target.account, ruleArn, `EventBridge target (${rule})`) });
  }
  return out;
}
