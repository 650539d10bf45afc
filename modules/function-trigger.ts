import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { DeadLetterQueue } from './dead-letter-queue';
import type { BundledFunction } from './bundled-function';
import type { EventPattern } from './event-patterns';
import { eventRuleArn } from '../config/naming';
import { retryPolicyOf, type EventDelivery } from './event-delivery';

export interface FunctionTriggerProps {
  /** The rule's name; also names its dead-letter queue (`<ruleName>-dlq`) and that queue's alarm. */
  readonly ruleName: string;
  readonly description: string;
  /** Events of the account's default bus that invoke the function. */
  readonly pattern: EventPattern;
  readonly target: BundledFunction;
  /** The account and region of the rule and the function: the invoke permission names the rule's ARN and this account. */
  readonly accountId: string;
  readonly region: string;
  /** How long and how often EventBridge retries an invocation before the event goes to the dead-letter queue. */
  readonly delivery: EventDelivery;
  /**
   * Where the dead-letter queue's alarm notifies.
   * @default no notification (the alarm still shows in CloudWatch)
   */
  readonly alarmActions?: string[];
}

/**
 * An EventBridge rule on the account's default bus invoking a function, with a retry policy, a
 * dead-letter queue for events it could not deliver, and an invoke permission limited to that rule.
 */
export class FunctionTrigger extends Construct {
  constructor(scope: Construct, id: string, props: FunctionTriggerProps) {
    super(scope, id);
    const ruleArn = eventRuleArn(props.region, props.accountId, props.ruleName);
    const rule = new CloudwatchEventRule(this, 'Rule', { name: props.ruleName, description: props.description, eventPattern: JSON.stringify(props.pattern), state: 'ENABLED' });
    const dlq = new DeadLetterQueue(this, 'DeadLetters', {
      queueName: `${props.ruleName}-dlq`,
      accountId: props.accountId,
      region: props.region,
      sourceRuleArns: [ruleArn],
      alarmName: `${props.ruleName}-dlq-depth`,
      alarmActions: props.alarmActions,
    });
    new CloudwatchEventTarget(this, 'Target', {
      rule: rule.name,
      targetId: props.target.node.id,
      arn: props.target.function.arn,
      retryPolicy: retryPolicyOf(props.delivery),
      deadLetterConfig: { arn: dlq.queue.arn },
    });
    // Lambda's resource-based policy for EventBridge: source ARN and account scope it to this rule.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
    new LambdaPermission(this, 'InvokePermission', {
      statementId: 'InvokeFromRule',
      action: 'lambda:InvokeFunction',
      functionName: props.target.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: ruleArn,
      sourceAccount: props.accountId,
    });
  }
}
