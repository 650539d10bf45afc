import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { CloudwatchEventArchive } from '@cdktf/provider-aws/lib/cloudwatch-event-archive';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget, type CloudwatchEventTargetConfig } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DeadLetterQueue } from './dead-letter-queue';
import { OnCallTopic } from './on-call-topic';
import type { EventPattern } from './event-patterns';
import { policyDocument, renderPolicy, type PolicyDocument } from './policy-document';
import { eventRuleArn } from '../config/naming';
import { partitionOf } from '../config/regions';
import { retryPolicyOf, type EventDelivery } from './event-delivery';

export interface CentralEventBusProps {
  readonly busName: string;
  readonly accountId: string;
  readonly region: string;
  readonly organizationId: string;
  /** Accounts whose forwarding role may put events on the bus (workloads and the backup-vault account). */
  readonly senderAccountIds: string[];
  /** Name of the forwarding role in each sender account; no other principal of those accounts may put events. */
  readonly forwarderRoleName: string;
  /** How long the archive keeps events for replay. */
  readonly archiveRetentionDays: number;
  /** Prefix of the bus's rule, topic, queue and archive names, e.g. `acme`. */
  readonly namePrefix: string;
  readonly incidentPattern: EventPattern;
  readonly recoveryPattern: EventPattern;
  readonly keyAdminRoleArns: string[];
  /**
   * E-mail addresses subscribed to the on-call topic.
   * @default no e-mail subscription
   */
  readonly onCallEmailAddresses?: string[];
  /** Retry policy of the bus's rule targets. */
  readonly delivery: EventDelivery;
}

/** EventBridge rejects bus policies over 10 KB. */
export const MAX_BUS_POLICY_BYTES = 10240;

export interface RecoveryTargetProps {
  /** ARN of the target, e.g. the recovery state machine. */
  readonly arn: string;
  /** Role EventBridge assumes to invoke it. */
  readonly roleArn: string;
  /**
   * Passed as-is to the target (e.g. an input transformer).
   * @default the matched event as it is
   */
  readonly inputTransformer?: CloudwatchEventTargetConfig['inputTransformer'];
}

/**
 * The DR account's central event bus: only the estate's forwarding roles may put events on it; an
 * archive keeps them for replay; every incident reaches on-call through an encrypted SNS topic; the
 * recovery-worthy ones match a rule of their own to which recovery attaches with
 * {@link CentralEventBus.addRecoveryTarget}.
 */
export class CentralEventBus extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly busArn: string;
  readonly busPolicy: PolicyDocument;
  readonly incidentRule: CloudwatchEventRule;
  readonly recoveryRule: CloudwatchEventRule;
  readonly onCall: OnCallTopic;
  readonly dlq: DeadLetterQueue;
  private readonly props: CentralEventBusProps;

  constructor(scope: Construct, id: string, props: CentralEventBusProps) {
    super(scope, id);
    this.props = props;
    const senders = [...new Set(props.senderAccountIds)].sort();
    if (senders.length === 0) throw new Error(`${this.node.path}: senderAccountIds must list at least one account`);
    if (senders.includes(props.accountId)) throw new Error(`${this.node.path}: senderAccountIds must not include the bus's own account ${props.accountId}`);
    const partition = partitionOf(props.region);
    this.busArn = `arn:${partition}:events:${props.region}:${props.accountId}:event-bus/${props.busName}`;
    this.bus = new CloudwatchEventBus(this, 'Bus', { name: props.busName });

    this.busPolicy = policyDocument({
      Sid: 'EstateForwardersPutEvents',
      Effect: 'Allow',
      // Principal "*" narrowed by conditions: listing 200 account roots would approach the 10 KB limit.
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: this.busArn,
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': props.organizationId, 'aws:PrincipalAccount': senders },
        ArnLike: { 'aws:PrincipalArn': `arn:${partition}:iam::*:role/${props.forwarderRoleName}` },
      },
    });
    const rendered = renderPolicy(this.busPolicy);
    if (Buffer.byteLength(rendered) > MAX_BUS_POLICY_BYTES) {
      throw new Error(`${this.node.path}: the bus policy for ${senders.length} accounts is ${Buffer.byteLength(rendered)} bytes, over EventBridge's ${MAX_BUS_POLICY_BYTES}; split the estate`);
    }
    new CloudwatchEventBusPolicy(this, 'Policy', { eventBusName: this.bus.name, policy: rendered });
    new CloudwatchEventArchive(this, 'Archive', {
      name: `${props.namePrefix}-incidents`,
      description: `Every event on ${props.busName}, for replay after an incident`,
      eventSourceArn: this.bus.arn,
      retentionDays: props.archiveRetentionDays,
    });

    const incidentRuleName = `${props.namePrefix}-incidents-to-on-call`;
    const recoveryRuleName = `${props.namePrefix}-recovery-worthy`;
    const ruleArns = [incidentRuleName, recoveryRuleName].map((n) => eventRuleArn(props.region, props.accountId, n, props.busName));
    this.onCall = new OnCallTopic(this, 'OnCall', {
      topicName: `${props.namePrefix}-dr-on-call`,
      keyAlias: `alias/${props.namePrefix}/dr-on-call`,
      accountId: props.accountId,
      region: props.region,
      keyAdminRoleArns: props.keyAdminRoleArns,
      publisherRuleArns: [ruleArns[0]],
      emailAddresses: props.onCallEmailAddresses,
      publisherAlarmArnPattern: `arn:${partition}:cloudwatch:${props.region}:${props.accountId}:alarm:${props.namePrefix}-*`,
    });
    this.dlq = new DeadLetterQueue(this, 'DeadLetters', {
      queueName: `${props.namePrefix}-dr-bus-dlq`,
      accountId: props.accountId,
      region: props.region,
      sourceRuleArns: ruleArns,
      alarmName: `${props.namePrefix}-dr-bus-dlq-depth`,
      alarmActions: [this.onCall.topicArn],
    });

    this.incidentRule = new CloudwatchEventRule(this, 'IncidentRule', {
      name: incidentRuleName,
      description: 'Every incident forwarded by the estate goes to on-call',
      eventBusName: this.bus.name,
      eventPattern: JSON.stringify(props.incidentPattern),
    });
    new CloudwatchEventTarget(this, 'IncidentToOnCall', {
      rule: this.incidentRule.name,
      eventBusName: this.bus.name,
      targetId: 'on-call',
      arn: this.onCall.topicArn,
      retryPolicy: retryPolicyOf(props.delivery),
      deadLetterConfig: { arn: this.dlq.queue.arn },
    });
    this.recoveryRule = new CloudwatchEventRule(this, 'RecoveryRule', {
      name: recoveryRuleName,
      description: 'Incidents that start automated recovery',
      eventBusName: this.bus.name,
      eventPattern: JSON.stringify(props.recoveryPattern),
    });
  }

  /**
   * Sends recovery-worthy incidents to `target` (e.g. the recovery state machine), with the bus's
   * retry policy and dead-letter queue.
   */
  addRecoveryTarget(id: string, target: RecoveryTargetProps): CloudwatchEventTarget {
    return new CloudwatchEventTarget(this, id, {
      rule: this.recoveryRule.name,
      eventBusName: this.bus.name,
      targetId: id,
      arn: target.arn,
      roleArn: target.roleArn,
      inputTransformer: target.inputTransformer,
      retryPolicy: retryPolicyOf(this.props.delivery),
      deadLetterConfig: { arn: this.dlq.queue.arn },
    });
  }
}
