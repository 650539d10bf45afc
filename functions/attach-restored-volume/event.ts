/**
 * Parsing of the AWS Backup "Restore Job State Change" events this function receives.
 *
 * Restore events carry `detail.status` (PENDING, RUNNING, COMPLETED, ABORTED, FAILED); the CREATED
 * event carries `detail.state` instead. Other fields may be absent or of unexpected types
 * (`backupSizeInBytes` is a string, `percentDone` a number), so only the fields used here are read,
 * each checked for its type.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { describeType } from '../input-values';
import { EXPECTED_DETAIL_TYPE, EXPECTED_SOURCE, lenientString, MalformedEventError, parseDetail, requiredEventString, restoreJobDetail, type IgnoredEvent, type RestoreJobEvent } from '../restore-job-event';

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
  | IgnoredEvent
  | { readonly kind: 'volume'; readonly volume: RestoredVolume };

/** Thrown for an event this function cannot act on: it goes to the on-failure destination. */
export { MalformedEventError };

/** A non-empty string, else `undefined` (any other value is as good as absent). */
const nonEmptyOrNothing = () => z.pipe(lenientString(), z.transform((value) => (value === '' ? undefined : value)));

/**
 * The fields of `detail` read before acting on an event: any value is tolerated (a field of another
 * type is as good as absent, or named in the reason the event is ignored).
 */
const screenedDetailSchema = z.looseObject({
  restoreTestingPlanArn: nonEmptyOrNothing(),
  resourceType: z.optional(z.unknown()),
});

const MISSING_ARN = 'is missing from a COMPLETED EBS restore event';

/** The `detail` of a COMPLETED EBS restore (not a restore test): the restored volume, from `createdResourceArn`. */
const completedEbsDetailSchema = z.looseObject({
  createdResourceArn: z.pipe(
    requiredEventString(MISSING_ARN, (value) => `must be a string, got ${describeType(value)}`),
    z.transform((arn, ctx) => {
      const match = VOLUME_ARN.exec(arn);
      if (match) return { volumeId: match[4], volumeArn: arn, region: match[2], accountId: match[3] };
      ctx.issues.push({
        code: 'custom',
        input: arn,
        message: `${JSON.stringify(arn)} is not an EBS volume ARN (arn:<partition>:ec2:<region>:<account>:volume/vol-...)`,
      });
      return z.NEVER;
    }),
  ),
  recoveryPointArn: nonEmptyOrNothing(),
  restoreJobId: nonEmptyOrNothing(),
});

/** The events this function accepts (`z.input` of its schemas), e.g. for a test or a rule's sample. */
export type RestoreEvent = RestoreJobEvent<z.input<typeof screenedDetailSchema> & z.input<typeof completedEbsDetailSchema>>;

/**
 * Returns the restored volume of a COMPLETED EBS restore event, or why the event is ignored.
 * Throws {@link MalformedEventError} naming the missing or invalid field when the event is not an
 * object with a `detail` object, or when a COMPLETED EBS restore lacks a volume `createdResourceArn`.
 */
export function parseRestoreEvent(event: unknown): ParsedRestoreEvent {
  const envelope = restoreJobDetail(event);
  if (envelope.kind === 'ignored') return envelope;
  const { status } = envelope;

  if (status === undefined) return { kind: 'ignored', reason: 'restore job has no detail.status or detail.state: not COMPLETED' };
  if (status !== 'COMPLETED') return { kind: 'ignored', reason: `restore job status ${status} is not COMPLETED` };
  // Never fails: every field is tolerated here.
  const screened = parseDetail(screenedDetailSchema, envelope.detail);
  // A restore test's volume is AWS Backup's to validate and delete, never a recovery server's disk. The
  // rule already excludes these events; this guards against a rule edited by hand.
  const testPlan = screened.restoreTestingPlanArn;
  if (testPlan !== undefined) return { kind: 'ignored', reason: `restore test of ${testPlan}: validated by validate-restore, never attached` };

  const resourceType = screened.resourceType;
  if (resourceType !== 'EBS') {
    return { kind: 'ignored', reason: `resourceType ${resourceType === undefined ? '(missing)' : JSON.stringify(resourceType)} is not EBS` };
  }

  const detail = parseDetail(completedEbsDetailSchema, envelope.detail);
  return {
    kind: 'volume',
    volume: { ...detail.createdResourceArn, recoveryPointArn: detail.recoveryPointArn, restoreJobId: detail.restoreJobId },
  };
}
