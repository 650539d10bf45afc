import { block, compliant, forType, nonCompliant, refersTo, type PolicyRule } from '../rule';

/**
 * Checkov CKV_AWS_66 for functions: the function's log group is managed with a retention (otherwise
 * Lambda creates one that keeps logs forever).
 */
export const lambdaLogRetention: PolicyRule = {
  id: 'CKV_AWS_66',
  name: 'LambdaLogGroupRetention',
  fix: 'create the function\'s log group (/aws/lambda/<name> or loggingConfig.logGroup) with retentionInDays',
  check: forType('aws_lambda_function', (r, stack) => {
    const configured = block(r.attributes.logging_config)?.log_group;
    const groups = stack.filter((o) => o.type === 'aws_cloudwatch_log_group' && o.attributes.retention_in_days);
    const found = groups.some((g) => g.attributes.name === `/aws/lambda/${String(r.attributes.function_name)}` || configured === g.attributes.name || refersTo(configured, g.address));
    return found ? compliant : nonCompliant('no log group with a retention for the function');
  }),
};
