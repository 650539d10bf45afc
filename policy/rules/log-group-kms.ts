import { compliant, forType, isSet, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_158: log groups are encrypted with KMS. */
export const logGroupKms: PolicyRule = {
  id: 'CKV_AWS_158',
  name: 'LogGroupKms',
  fix: 'set kmsKeyId on the aws_cloudwatch_log_group (the key policy must allow logs.<region>.amazonaws.com)',
  check: forType('aws_cloudwatch_log_group', (r) => (isSet(r.attributes.kms_key_id) ? compliant : nonCompliant('the log group is not encrypted with a KMS key'))),
};
