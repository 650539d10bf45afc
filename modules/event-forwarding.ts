import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DeadLetterQueue } from './dead-letter-queue';
import type { EventPattern } from './event-patterns';
import { policyDocument, renderPolicy, serviceTrustPolicy, type PolicyDocument } from './policy-document';
import { eventRuleArn } from '../config/naming';
import { partitionOf } from '../config/regions';
import { retryPolicyOf, type EventDelivery } from './event-delivery';

export interface EventForwardingRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  /** Prefix of the rules allowed to use the role (in any region of the account). */
  readonly ruleNamePrefix: string;
  /** The one bus the role may put events on. */
  readonly targetBusArn: string;
  /**
   * Partition of the account.
   * @default aws
   */
  readonly partition?: string;
}

/**
 * The role EventBridge assumes to deliver events to the DR bus in another account: usable only by
 * this account's estate rules, and only for `events:PutEvents` on that one bus.
 */
export class EventForwardingRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly permissions: PolicyDocument;

  constructor(scope: Construct, id: string, props: EventForwardingRoleProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    this.trustPolicy = serviceTrustPolicy('events.amazonaws.com', props.accountId, `arn:${partition}:events:*:${props.accountId}:rule/${props.ruleNamePrefix}*`, 'EstateRulesOfThisAccountOnly');
    this.permissions = policyDocument({ Sid: 'PutEventsOnTheDrBusOnly', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.targetBusArn });
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'EventBridge forwards estate incidents to the DR event bus',
      assumeRolePolicy: renderPolicy(this.trustPolicy),
    });
    new IamRolePolicy(this, 'Policy', { role: this.role.name, name: 'put-events-on-dr-bus', policy: renderPolicy(this.permissions) });
    this.roleArn = this.role.arn;
  }
}

export interface ForwardedRule {
  /** Construct id, e.g. `HealthS3`. */
  readonly id: string;
  readonly ruleName: string;
  readonly description: string;
  readonly pattern: EventPattern;
}

export interface EventForwarderProps {
  readonly accountId: string;
  readonly region: string;
  readonly rules: ForwardedRule[];
  readonly targetBusArn: string;
  readonly forwarderRoleArn: string;
  readonly dlqName: string;
  /** Retry policy of every target. */
  readonly delivery: EventDelivery;
  /**
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Rules on this account's default bus (one region) that forward matching events to the DR bus, each
 * with a retry policy and the region's dead-letter queue.
 */
export class EventForwarder extends Construct {
  readonly rules: CloudwatchEventRule[] = [];
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventForwarderProps) {
    super(scope, id);
    if (props.rules.length === 0) throw new Error(`${this.node.path}: rules must list at least one rule to forward`);
    if (partitionOf(props.region) !== props.targetBusArn.split(':')[1]) {
      throw new Error(`${this.node.path}: target bus ${props.targetBusArn} is in another partition than ${props.region}`);
    }
    const names = props.rules.map((r) => r.ruleName);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new Error(`${this.node.path}: rule name "${duplicate}" is used twice`);
    this.dlq = new DeadLetterQueue(this, 'DeadLetters', {
      queueName: props.dlqName,
      accountId: props.accountId,
      region: props.region,
      sourceRuleArns: names.map((n) => eventRuleArn(props.region, props.accountId, n)),
      alarmName: `${props.dlqName}-depth`,
      provider: props.provider,
    });
    for (const rule of props.rules) {
      const eventRule = new CloudwatchEventRule(this, rule.id, {
        name: rule.ruleName,
        description: rule.description,
        eventPattern: JSON.stringify(rule.pattern),
        state: 'ENABLED',
        provider: props.provider,
      });
      new CloudwatchEventTarget(this, `${rule.id}ToDrBus`, {
        rule: eventRule.name,
        targetId: 'dr-event-bus',
        arn: props.targetBusArn,
        roleArn: props.forwarderRoleArn,
        retryPolicy: retryPolicyOf(props.delivery),
        deadLetterConfig: { arn: this.dlq.queue.arn },
        provider: props.provider,
      });
      this.rules.push(eventRule);
    }
  }
}
