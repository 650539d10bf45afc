import { block, compliant, forType, isSet, nonCompliant, notApplicable, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_173: environment variables are encrypted with a customer managed key. */
export const lambdaEnvironmentKms: PolicyRule = {
  id: 'CKV_AWS_173',
  name: 'LambdaEnvironmentKms',
  fix: 'set kmsKeyArn on the function',
  check: forType('aws_lambda_function', (r) => {
    if (!isSet(block(r.attributes.environment)?.variables)) return notApplicable;
    return isSet(r.attributes.kms_key_arn) ? compliant : nonCompliant('environment variables use the AWS managed key');
  }),
};
