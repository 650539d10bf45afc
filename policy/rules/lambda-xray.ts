import { block, compliant, forType, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_50: functions are traced with X-Ray. */
export const lambdaXray: PolicyRule = {
  id: 'CKV_AWS_50',
  name: 'LambdaXrayTracing',
  fix: 'set tracingConfig: { mode: "Active" } on the function',
  check: forType('aws_lambda_function', (r) => (block(r.attributes.tracing_config)?.mode === 'Active' ? compliant : nonCompliant('X-Ray tracing is off'))),
};
