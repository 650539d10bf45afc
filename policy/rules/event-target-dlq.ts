import { block, compliant, forType, isSet, nonCompliant, type PolicyRule } from '../rule';

/** cdk-nag EventBusDLQ: every EventBridge target has a dead-letter queue (else events are dropped after retries). */
export const eventTargetDlq: PolicyRule = {
  id: 'EventBusDLQ',
  name: 'EventTargetDeadLetterQueue',
  fix: 'set deadLetterConfig { arn } (and a retryPolicy) on the aws_cloudwatch_event_target',
  check: forType('aws_cloudwatch_event_target', (r) => (isSet(block(r.attributes.dead_letter_config)?.arn) ? compliant : nonCompliant('undeliverable events are dropped'))),
};
