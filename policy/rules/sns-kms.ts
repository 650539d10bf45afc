import { compliant, forType, isSet, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_26: topics are encrypted with KMS. */
export const snsKms: PolicyRule = {
  id: 'CKV_AWS_26',
  name: 'SnsKms',
  fix: 'set kmsMasterKeyId on the topic',
  check: forType('aws_sns_topic', (r) => (isSet(r.attributes.kms_master_key_id) ? compliant : nonCompliant('the topic is not encrypted'))),
};
