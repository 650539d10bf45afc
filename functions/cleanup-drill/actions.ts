/** What each restored resource of a drill is, and whether this function deletes it. */
import type { CleanupInput, RestoredResource } from './input';

/** Why S3 restores are never deleted. */
export const S3_SKIP_REASON = 'objects restored into the recovery bucket are kept; expire them with a lifecycle rule';

/** What one restored resource is, once its ARN and type agree: every kind a drill deletes, and its ID. */
export interface CleanupAction {
  readonly kind: 'ebs-volume' | 'ec2-instance' | 'rds-instance' | 'rds-cluster' | 'dynamodb-table' | 'efs-file-system';
  readonly id: string;
}

/** How a resource type's ARN names what a drill deletes: the service, and per kind the resource part's pattern (the ID in group 1). */
interface ArnForm {
  readonly service: string;
  readonly kinds: readonly (readonly [CleanupAction['kind'], RegExp])[];
  /** For the skip reason of an ARN that does not match. */
  readonly expected: string;
}

const RDS_FORM: ArnForm = {
  service: 'rds',
  kinds: [
    ['rds-instance', /^db:([A-Za-z][A-Za-z0-9-]{0,62})$/],
    ['rds-cluster', /^cluster:([A-Za-z][A-Za-z0-9-]{0,62})$/],
  ],
  expected: 'an RDS DB instance or cluster (arn:aws:rds:<region>:<account>:db:<id> or :cluster:<id>)',
};

/** The resource types a drill cleans up. Aurora restores are RDS DB clusters (or instances). */
const ARN_FORMS: Readonly<Record<string, ArnForm>> = {
  EBS: { service: 'ec2', kinds: [['ebs-volume', /^volume\/(vol-[0-9a-f]{8,17})$/]], expected: 'an EBS volume (arn:aws:ec2:<region>:<account>:volume/vol-...)' },
  EC2: { service: 'ec2', kinds: [['ec2-instance', /^instance\/(i-[0-9a-f]{8,17})$/]], expected: 'an EC2 instance (arn:aws:ec2:<region>:<account>:instance/i-...)' },
  RDS: RDS_FORM,
  Aurora: RDS_FORM,
  DynamoDB: { service: 'dynamodb', kinds: [['dynamodb-table', /^table\/([A-Za-z0-9_.-]{3,255})$/]], expected: 'a DynamoDB table (arn:aws:dynamodb:<region>:<account>:table/<name>)' },
  EFS: { service: 'elasticfilesystem', kinds: [['efs-file-system', /^file-system\/(fs-[0-9a-f]{8,40})$/]], expected: 'an EFS file system (arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-...)' },
};

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
  const form = Object.hasOwn(ARN_FORMS, resourceType) ? ARN_FORMS[resourceType] : undefined;
  if (!form) return { skip: `resource type ${resourceType} is not cleaned up by this function; delete it by hand` };
  if (arn.service === form.service) {
    for (const [kind, pattern] of form.kinds) {
      const id = pattern.exec(arn.resource)?.[1];
      if (id) return { kind, id };
    }
  }
  return { skip: `resource type ${resourceType} but the ARN is not ${form.expected}; not touched` };
}
