import completedRds from '../../fixtures/events/restore-completed-rds.json';
import created from '../../fixtures/events/restore-created.json';
import failedEc2 from '../../fixtures/events/restore-failed-ec2.json';
import { MalformedEventError, parseRestoreEvent } from '../../../functions/attach-restored-volume/event';
import { RECOVERY_POINT_ARN, VOLUME_ARN, completedEbs } from '../../helpers/functions/ebs-restore-event';

describe('parseRestoreEvent', () => {
  it('returns the volume of a COMPLETED EBS restore in the documented shape', () => {
    expect(parseRestoreEvent(completedEbs())).toEqual({
      kind: 'volume',
      volume: {
        volumeId: 'vol-0123456789abcdef0',
        volumeArn: VOLUME_ARN,
        region: 'ap-northeast-1',
        accountId: '222222222222',
        recoveryPointArn: RECOVERY_POINT_ARN,
        restoreJobId: 'AB123456-78C9-0123-456D-789012E34567',
      },
    });
  });

  it('tolerates unexpected types of fields it does not use, and a missing recoveryPointArn', () => {
    const parsed = parseRestoreEvent(completedEbs({ backupSizeInBytes: 0, percentDone: '100', recoveryPointArn: undefined, restoreJobId: 7 }));
    expect(parsed).toEqual({ kind: 'volume', volume: expect.objectContaining({ volumeId: 'vol-0123456789abcdef0', recoveryPointArn: undefined, restoreJobId: undefined }) });
  });

  it.each([
    ['the documented CREATED event (state, no status)', created, 'restore job status CREATED is not COMPLETED'],
    ['the documented COMPLETED RDS event', completedRds, 'resourceType "RDS" is not EBS'],
    ['the documented FAILED EC2 event', failedEc2, 'restore job status FAILED is not COMPLETED'],
    ['a FAILED EBS event', completedEbs({ status: 'FAILED', createdResourceArn: undefined }), 'restore job status FAILED is not COMPLETED'],
    ['a RUNNING EBS event', completedEbs({ status: 'RUNNING' }), 'restore job status RUNNING is not COMPLETED'],
    ['an event with neither status nor state', completedEbs({ status: undefined }), 'restore job has no detail.status or detail.state: not COMPLETED'],
    ['a COMPLETED event without resourceType', completedEbs({ resourceType: undefined }), 'resourceType (missing) is not EBS'],
    ['another detail-type', { ...completedEbs(), 'detail-type': 'Copy Job State Change' }, 'detail-type "Copy Job State Change" is not "Restore Job State Change"'],
    ['another source', { ...completedEbs(), source: 'custom.app' }, 'source "custom.app" is not "aws.backup"'],
    [
      'a completed EBS restore test',
      completedEbs({ restoreTestingPlanArn: 'arn:aws:backup:ap-northeast-1:222222222222:restore-testing-plan:acme_shop_restore_test-abc' }),
      'restore test of arn:aws:backup:ap-northeast-1:222222222222:restore-testing-plan:acme_shop_restore_test-abc: validated by validate-restore, never attached',
    ],
  ])('ignores %s', (_name, event, reason) => {
    expect(parseRestoreEvent(event)).toEqual({ kind: 'ignored', reason });
  });

  it('prefers status over state', () => {
    expect(parseRestoreEvent(completedEbs({ state: 'CREATED' }))).toMatchObject({ kind: 'volume' });
  });

  it.each([
    ['undefined', undefined, 'Malformed event: expected an EventBridge event object, got undefined'],
    ['null', null, 'Malformed event: expected an EventBridge event object, got null'],
    ['a string', 'hello', 'Malformed event: expected an EventBridge event object, got string'],
    ['an array', [completedEbs()], 'Malformed event: expected an EventBridge event object, got array'],
    ['no detail', { source: 'aws.backup', 'detail-type': 'Restore Job State Change' }, 'Malformed event: "detail" is missing'],
    ['a string detail', { detail: 'COMPLETED' }, 'Malformed event: "detail" must be an object, got string'],
    ['a null detail', { detail: null }, 'Malformed event: "detail" must be an object, got null'],
    ['no createdResourceArn', completedEbs({ createdResourceArn: undefined }), 'Malformed event: detail.createdResourceArn is missing from a COMPLETED EBS restore event'],
    ['an empty createdResourceArn', completedEbs({ createdResourceArn: '' }), 'Malformed event: detail.createdResourceArn is missing from a COMPLETED EBS restore event'],
    ['a numeric createdResourceArn', completedEbs({ createdResourceArn: 42 }), 'Malformed event: detail.createdResourceArn must be a string, got number'],
    ['an object createdResourceArn', completedEbs({ createdResourceArn: {} }), 'Malformed event: detail.createdResourceArn must be a string, got object'],
    [
      'a snapshot createdResourceArn',
      completedEbs({ createdResourceArn: RECOVERY_POINT_ARN }),
      `Malformed event: detail.createdResourceArn "${RECOVERY_POINT_ARN}" is not an EBS volume ARN (arn:<partition>:ec2:<region>:<account>:volume/vol-...)`,
    ],
    [
      'a bare volume id',
      completedEbs({ createdResourceArn: 'vol-0123456789abcdef0' }),
      'Malformed event: detail.createdResourceArn "vol-0123456789abcdef0" is not an EBS volume ARN (arn:<partition>:ec2:<region>:<account>:volume/vol-...)',
    ],
  ])('throws a MalformedEventError naming the field for %s', (_name, event, message) => {
    expect(() => parseRestoreEvent(event)).toThrow(MalformedEventError);
    expect(() => parseRestoreEvent(event)).toThrow(message);
  });
});
