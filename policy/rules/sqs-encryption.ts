import { compliant, forType, isSet, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_27: queues are encrypted (SSE-SQS or KMS). */
export const sqsEncryption: PolicyRule = {
  id: 'CKV_AWS_27',
  name: 'SqsEncryption',
  fix: 'set sqsManagedSseEnabled: true or kmsMasterKeyId on the queue',
  check: forType('aws_sqs_queue', (r) => (r.attributes.sqs_managed_sse_enabled === true || isSet(r.attributes.kms_master_key_id) ? compliant : nonCompliant('the queue is not encrypted'))),
};
