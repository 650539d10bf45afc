import { compliant, forType, isSet, nonCompliant, notApplicable, type PolicyRule } from '../rule';

/** tfsec/Trivy AVD-AWS-0067: a Lambda permission for a service principal names its source. */
export const lambdaPermissionSourceArn: PolicyRule = {
  id: 'AVD-AWS-0067',
  name: 'LambdaPermissionSourceArn',
  fix: 'set sourceArn (and sourceAccount) on the aws_lambda_permission',
  check: forType('aws_lambda_permission', (r) => {
    if (!String(r.attributes.principal).endsWith('.amazonaws.com')) return notApplicable;
    return isSet(r.attributes.source_arn) ? compliant : nonCompliant(`any ${String(r.attributes.principal)} resource, of any account, may invoke the function`);
  }),
};
