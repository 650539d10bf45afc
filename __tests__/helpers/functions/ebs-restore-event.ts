import completedRds from '../../fixtures/events/restore-completed-rds.json';

// AWS documents only an RDS sample of the restore event; the EBS one that attach-restored-volume acts on is derived from it.

export const VOLUME_ARN = 'arn:aws:ec2:ap-northeast-1:222222222222:volume/vol-0123456789abcdef0';
export const RECOVERY_POINT_ARN = 'arn:aws:ec2:ap-northeast-1::snapshot/snap-0f1e2d3c4b5a69788';

/** A COMPLETED EBS restore; `detail` overrides fields of its detail. */
export function completedEbs(detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...completedRds,
    resources: [VOLUME_ARN],
    detail: {
      ...completedRds.detail,
      backupSizeInBytes: '8589934592',
      resourceType: 'EBS',
      recoveryPointArn: RECOVERY_POINT_ARN,
      sourceResourceArn: 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-0fedcba9876543210',
      createdResourceArn: VOLUME_ARN,
      ...detail,
    },
  };
}
