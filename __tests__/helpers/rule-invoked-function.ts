// The DR functions that an EventBridge rule invokes are all wired alike; the suites check that wiring here.
import { Testing } from 'cdktf';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { estateFor, exampleInput, resourcesOf, type SynthesizedStack } from './synth';

/**
 * The target of the rule whose id contains `ruleId` invokes the function matching `functionArn`, with
 * retries and a DLQ, and the example's DR stack lets EventBridge invoke it for rule `ruleName` only.
 */
export function expectRuleInvokesFunction(dr: SynthesizedStack, ruleId: string, functionArn: RegExp, ruleName: string): void {
  const target = resourcesOf(dr, 'aws_cloudwatch_event_target').find((t) => String(t.rule).includes(ruleId))!;
  expect(target.arn).toMatch(functionArn);
  expect(target.retry_policy).toEqual({ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 24 });
  expect(target.dead_letter_config).toEqual({ arn: expect.stringMatching(/aws_sqs_queue\./) });
  expect(Testing.synth(estateFor(exampleInput()).dr)).toHaveResourceWithProperties(LambdaPermission, {
    principal: 'events.amazonaws.com',
    action: 'lambda:InvokeFunction',
    source_arn: `arn:aws:events:ap-northeast-1:222222222222:rule/${ruleName}`,
    source_account: '222222222222',
  });
}
