/**
 * The IAM actions of the validation, without any SDK import, so that the stack can grant them
 * (modules/restore-testing.ts) without loading the AWS SDK clients at synth time.
 */
import type { ValidatedResourceType } from './event';

/** IAM actions every validation calls: the restore job, the verdict, and the on-call topic for a failed one. */
export const BASE_ACTIONS = ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult', 'sns:Publish'] as const;

/** IAM actions the check of each resource type calls, besides {@link BASE_ACTIONS}. */
export const ACTIONS_BY_RESOURCE_TYPE: Record<ValidatedResourceType, readonly string[]> = {
  EBS: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'backup:ListTags'],
  EC2: ['ec2:DescribeInstances'],
  // An RDS restore creates an instance, or a cluster for a Multi-AZ DB cluster; the expected engine is in the job's metadata.
  RDS: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'backup:GetRestoreJobMetadata'],
  Aurora: ['rds:DescribeDBClusters', 'backup:GetRestoreJobMetadata'],
  DynamoDB: ['dynamodb:DescribeTable'],
  S3: ['s3:ListBucket'],
  EFS: ['elasticfilesystem:DescribeFileSystems'],
};

/** The IAM actions a validation of the given restore testing resource types calls (types without a check add none). */
export function requiredActionsFor(resourceTypes: readonly string[]): string[] {
  const perType = resourceTypes.flatMap((t) => (Object.prototype.hasOwnProperty.call(ACTIONS_BY_RESOURCE_TYPE, t) ? ACTIONS_BY_RESOURCE_TYPE[t as ValidatedResourceType] : []));
  return [...new Set([...BASE_ACTIONS, ...perType])].sort();
}

/** Exactly the IAM actions the validation may call, every resource type included. */
export const REQUIRED_ACTIONS: readonly string[] = requiredActionsFor(Object.keys(ACTIONS_BY_RESOURCE_TYPE));

/**
 * Not called by the logic, but needed by its role when the on-call topic is encrypted with a customer
 * managed key, as it is: SNS encrypts the message with it on behalf of the publisher.
 */
export const ENCRYPTED_TOPIC_KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'] as const;
