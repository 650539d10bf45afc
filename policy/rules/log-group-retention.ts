import { compliant, forType, isSet, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_66: log groups have a retention. */
export const logGroupRetention: PolicyRule = {
  id: 'CKV_AWS_66',
  name: 'LogGroupRetention',
  fix: 'set retentionInDays on the aws_cloudwatch_log_group',
  check: forType('aws_cloudwatch_log_group', (r) => (isSet(r.attributes.retention_in_days) && r.attributes.retention_in_days !== 0 ? compliant : nonCompliant('logs are kept forever'))),
};
