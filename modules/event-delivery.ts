import type { CloudwatchEventTargetRetryPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-target';

/**
 * How EventBridge retries delivery to a rule's target before it sends the event to the target's
 * dead-letter queue: the estate's `detection.delivery`, the same for every rule of the estate.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 */
export interface EventDelivery {
  /** How long EventBridge keeps retrying an event (60–86,400 s; the config's default is 3,600). */
  readonly maximumEventAgeSeconds: number;
  /** Retries of one event (0–185; the config's default is 24). */
  readonly maximumRetryAttempts: number;
}

/** The `retry_policy` of a rule target that delivers as `delivery` says. */
export function retryPolicyOf(delivery: EventDelivery): CloudwatchEventTargetRetryPolicy {
  return { maximumEventAgeInSeconds: delivery.maximumEventAgeSeconds, maximumRetryAttempts: delivery.maximumRetryAttempts };
}
