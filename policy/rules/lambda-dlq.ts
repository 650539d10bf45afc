import { block, compliant, forType, isSet, nonCompliant, refersTo, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_116: functions have a dead-letter queue (or an on-failure destination). */
export const lambdaDlq: PolicyRule = {
  id: 'CKV_AWS_116',
  name: 'LambdaDeadLetterQueue',
  fix: 'set deadLetterConfig on the function or an on-failure destination in aws_lambda_function_event_invoke_config',
  check: forType('aws_lambda_function', (r, stack) => {
    if (isSet(block(r.attributes.dead_letter_config)?.target_arn)) return compliant;
    const destination = stack.some(
      (o) =>
        o.type === 'aws_lambda_function_event_invoke_config' &&
        isSet(block(block(o.attributes.destination_config)?.on_failure)?.destination) &&
        (o.attributes.function_name === r.attributes.function_name || refersTo(o.attributes.function_name, r.address)),
    );
    return destination ? compliant : nonCompliant('failed asynchronous invocations are dropped');
  }),
};
