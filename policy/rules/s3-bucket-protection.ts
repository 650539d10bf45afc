import { block, compliant, forType, nonCompliant, refersTo, type PolicyRule, type RuleResult } from '../rule';

/**
 * A bucket's check made on its companion resource of `type` (versioning, public access block,
 * encryption: Terraform configures each in a resource of its own that names the bucket, by name or by
 * reference). `attributes` is undefined when the bucket has none.
 */
function forBucketCompanion(type: string, check: (attributes: Record<string, unknown> | undefined) => RuleResult): PolicyRule['check'] {
  return forType('aws_s3_bucket', (bucket, stack) =>
    check(stack.find((o) => o.type === type && (o.attributes.bucket === bucket.attributes.bucket || refersTo(o.attributes.bucket, bucket.address)))?.attributes),
  );
}

/** Checkov CKV_AWS_21: buckets are versioned (the "human error" guard-rail, and required by AWS Backup for S3). */
export const s3Versioning: PolicyRule = {
  id: 'CKV_AWS_21',
  name: 'S3Versioning',
  fix: 'add an aws_s3_bucket_versioning with status Enabled for the bucket',
  check: forBucketCompanion('aws_s3_bucket_versioning', (v) => (block(v?.versioning_configuration)?.status === 'Enabled' ? compliant : nonCompliant('the bucket is not versioned'))),
};

/** Checkov CKV_AWS_53-56: buckets block public access. */
export const s3PublicAccessBlock: PolicyRule = {
  id: 'CKV_AWS_53',
  name: 'S3PublicAccessBlock',
  fix: 'add an aws_s3_bucket_public_access_block with all four settings true',
  check: forBucketCompanion('aws_s3_bucket_public_access_block', (b) => {
    const all = b && ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => b[k] === true);
    return all ? compliant : nonCompliant('public access is not fully blocked');
  }),
};

/** Checkov CKV_AWS_145: buckets are encrypted with KMS by default. */
export const s3KmsEncryption: PolicyRule = {
  id: 'CKV_AWS_145',
  name: 'S3KmsEncryption',
  fix: 'add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms',
  check: forBucketCompanion('aws_s3_bucket_server_side_encryption_configuration', (c) => (JSON.stringify(c ?? {}).includes('aws:kms') ? compliant : nonCompliant('the bucket has no KMS default encryption'))),
};
