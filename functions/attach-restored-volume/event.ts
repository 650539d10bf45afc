/**
 * Parsing of the AWS Backup "Restore Job State Change" events this function receives.
 *
 * Restore events carry `detail.status` (PENDING, RUNNING, COMPLETED, ABORTED, FAILED); the CREATED
 * event carries `detail.state` instead. Other fields may be absent or of unexpected types
 * (`backupSizeInBytes` is a string, `percentDone` a number), so only the fields used here are read,
 * each checked for its type.
 */

import { describeType } from '../input-values';
import { EXPECTED_DETAIL_TYPE, EXPECTED_SOURCE, MalformedEventError, restoreJobDetail } from '../restore-job-event';

export { EXPECTED_DETAIL_TYPE, EXPECTED_SOURCE };

/** `arn:<partition>:ec2:<region>:<account>:volume/vol-...` */
const VOLUME_ARN = /^arn:(aws[a-z-]*):ec2:([a-z0-9-]+):(\d{12}):volume\/(vol-[0-9a-f]{8,17})$/;

export interface RestoredVolume {
  readonly volumeId: string;
  readonly volumeArn: string;
  readonly region: string;
  readonly accountId: string;
  /** Where `dr:server` / `dr:device` are read from when the volume lacks them; absent if the event has none. */
  readonly recoveryPointArn?: string;
  readonly restoreJobId?: string;
}

export type ParsedRestoreEvent =
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'volume'; readonly volume: RestoredVolume };

/** Thrown for an event this function cannot act on: it goes to the on-failure destination. */
export { MalformedEventError };

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Returns the restored volume of a COMPLETED EBS restore event, or why the event is ignored.
 * Throws {@link MalformedEventError} naming the missing or invalid field when the event is not an
 * object with a `detail` object, or when a COMPLETED EBS restore lacks a volume `createdResourceArn`.
 */
export function parseRestoreEvent(event: unknown): ParsedRestoreEvent {
  const envelope = restoreJobDetail(event);
  if (envelope.kind === 'ignored') return envelope;
  const detail = envelope.detail;

  const status = typeof detail.status === 'string' ? detail.status : typeof detail.state === 'string' ? detail.state : undefined;
  if (status === undefined) return { kind: 'ignored', reason: 'restore job has no detail.status or detail.state: not COMPLETED' };
  if (status !== 'COMPLETED') return { kind: 'ignored', reason: `restore job status ${status} is not COMPLETED` };
  // A restore test's volume is AWS Backup's to validate and delete, never a recovery server's disk. The
  // rule already excludes these events; this guards against a rule edited by hand.
  const testPlan = optionalString(detail.restoreTestingPlanArn);
  if (testPlan !== undefined) return { kind: 'ignored', reason: `restore test of ${testPlan}: validated by validate-restore, never attached` };

  const resourceType = detail.resourceType;
  if (resourceType !== 'EBS') {
    return { kind: 'ignored', reason: `resourceType ${resourceType === undefined ? '(missing)' : JSON.stringify(resourceType)} is not EBS` };
  }

  const arn = detail.createdResourceArn;
  if (arn === undefined || arn === null || arn === '') {
    throw new MalformedEventError('detail.createdResourceArn is missing from a COMPLETED EBS restore event');
  }
  if (typeof arn !== 'string') throw new MalformedEventError(`detail.createdResourceArn must be a string, got ${describeType(arn)}`);
  const match = VOLUME_ARN.exec(arn);
  if (!match) {
    throw new MalformedEventError(`detail.createdResourceArn ${JSON.stringify(arn)} is not an EBS volume ARN (arn:<partition>:ec2:<region>:<account>:volume/vol-...)`);
  }
  return {
    kind: 'volume',
    volume: {
      volumeId: match[4],
      volumeArn: arn,
      region: match[2],
      accountId: match[3],
      recoveryPointArn: optionalString(detail.recoveryPointArn),
      restoreJobId: optionalString(detail.restoreJobId),
    },
  };
}
