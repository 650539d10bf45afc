import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { DeadLetterQueue } from './dead-letter-queue';
import type { BundledFunction } from './bundled-function';
import type { EventPattern } from './event-patterns';
import { eventRuleArn } from '../config/naming';

export interface FunctionTriggerProps {
  readonly ruleName: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly target: BundledFunction;
  readonly accountId: string;
  readonly region: string;
  readonly maximumEventAgeSeconds: number;
  readonly maximumRetryAttempts: number;
  /** Where the DLQ alarm notifies. */
  readonly alarmActions?: string[];
}

/**
 * An EventBridge rule on the account's default bus invoking a function, with a retry policy, a
 * dead-letter queue for events it could not deliver, and an invoke permission limited to that rule.
 */
export class FunctionTrigger extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly ruleArn: string;
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: FunctionTriggerProps) {
    super(scope, id);
    this.ruleArn = eventRuleArn(props.region, props.accountId, props.ruleName);
    this.rule = new CloudwatchEventRule(this, 'Rule', { name: props.ruleName, description: props.description, eventPattern: JSON.stringify(props.pattern), state: 'ENABLED' });
    this.dlq = new DeadLetterQueue(this, 'DeadLetters', {
      queueName: `${props.ruleName}-dlq`,
      accountId: props.accountId,
      region: props.region,
      sourceRuleArns: [this.ruleArn],
      alarmName: `${props.ruleName}-dlq-depth`,
      alarmActions: props.alarmActions,
    });
    new CloudwatchEventTarget(this, 'Target', {
      rule: this.rule.name,
      targetId: props.target.node.id,
      arn: props.target.function.arn,
      retryPolicy: { maximumEventAgeInSeconds: props.maximumEventAgeSeconds, maximumRetryAttempts: props.maximumRetryAttempts },
      deadLetterConfig: { arn: this.dlq.queue.arn },
    });
    new LambdaPermission(this, 'InvokePermission', {
      statementId: 'InvokeFromRule',
      action: 'lambda:InvokeFunction',
      functionName: props.target.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.ruleArn,
      sourceAccount: props.accountId,
    });
  }
}
