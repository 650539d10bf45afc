/** What each restored resource of a drill is, and whether this function deletes it. */
import type { CleanupInput, RestoredResource } from './input';

/** Why S3 restores are never deleted. */
export const S3_SKIP_REASON = 'objects restored into the recovery bucket are kept; expire them with a lifecycle rule';

/** What one restored resource is, once its ARN and type agree: every kind a drill deletes, and its ID. */
export interface CleanupAction {
  readonly kind: 'ebs-volume' | 'ec2-instance' | 'rds-instance' | 'rds-cluster' | 'dynamodb-table' | 'efs-file-system';
  readonly id: string;
}

const EBS_VOLUME = /^volume\/(vol-[0-9a-f]{8,17})$/;
const EC2_INSTANCE = /^instance\/(i-[0-9a-f]{8,17})$/;
const RDS_INSTANCE = /^db:([A-Za-z][A-Za-z0-9-]{0,62})$/;
const RDS_CLUSTER = /^cluster:([A-Za-z][A-Za-z0-9-]{0,62})$/;
const DYNAMODB_TABLE = /^table\/([A-Za-z0-9_.-]{3,255})$/;
const EFS_FILE_SYSTEM = /^file-system\/(fs-[0-9a-f]{8,40})$/;

/**
 * What to do with one restored resource: an action, or why it is skipped (S3 restores, resources
 * outside the drill's account and region, types this function does not clean up, ARNs that do not
 * match their type).
 */
export function classifyResource(resource: RestoredResource, scope: Pick<CleanupInput, 'accountId' | 'region'>): CleanupAction | { readonly skip: string } {
  const { arn, resourceType } = resource;
  if (resourceType === 'S3' || arn.service === 's3') return { skip: S3_SKIP_REASON };
  if (arn.account !== scope.accountId || arn.region !== scope.region) {
    return {
      skip:
        `outside the drill's account ${scope.accountId} and region ${scope.region} ` +
        `(the ARN names account ${arn.account || '(none)'}, region ${arn.region || '(none)'}); not touched`,
    };
  }
  const mismatch = (expected: string) => ({ skip: `resource type ${resourceType} but the ARN is not ${expected}; not touched` });
  switch (resourceType) {
    case 'EBS': {
      const id = arn.service === 'ec2' ? EBS_VOLUME.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'ebs-volume', id } : mismatch('an EBS volume (arn:aws:ec2:<region>:<account>:volume/vol-...)');
    }
    case 'EC2': {
      const id = arn.service === 'ec2' ? EC2_INSTANCE.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'ec2-instance', id } : mismatch('an EC2 instance (arn:aws:ec2:<region>:<account>:instance/i-...)');
    }
    case 'RDS':
    case 'Aurora': {
      if (arn.service === 'rds') {
        const instance = RDS_INSTANCE.exec(arn.resource)?.[1];
        if (instance) return { kind: 'rds-instance', id: instance };
        const cluster = RDS_CLUSTER.exec(arn.resource)?.[1];
        if (cluster) return { kind: 'rds-cluster', id: cluster };
      }
      return mismatch('an RDS DB instance or cluster (arn:aws:rds:<region>:<account>:db:<id> or :cluster:<id>)');
    }
    case 'DynamoDB': {
      const id = arn.service === 'dynamodb' ? DYNAMODB_TABLE.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'dynamodb-table', id } : mismatch('a DynamoDB table (arn:aws:dynamodb:<region>:<account>:table/<name>)');
    }
    case 'EFS': {
      const id = arn.service === 'elasticfilesystem' ? EFS_FILE_SYSTEM.exec(arn.resource)?.[1] : undefined;
      return id ? { kind: 'efs-file-system', id } : mismatch('an EFS file system (arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-...)');
    }
    default:
      return { skip: `resource type ${resourceType} is not cleaned up by this function; delete it by hand` };
  }
}
