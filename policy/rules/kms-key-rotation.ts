import { compliant, forType, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_7: customer managed KMS keys rotate. */
export const kmsKeyRotation: PolicyRule = {
  id: 'CKV_AWS_7',
  name: 'KmsKeyRotation',
  fix: 'set enableKeyRotation: true on the aws_kms_key',
  check: forType('aws_kms_key', (r) => (r.attributes.enable_key_rotation === true ? compliant : nonCompliant('key rotation is not enabled'))),
};
