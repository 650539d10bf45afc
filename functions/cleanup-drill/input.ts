/**
 * The input the recovery state machine (and the failback machine, `mode` failback) passes to
 * cleanup-drill (synchronous `lambda:invoke`): one schema, {@link cleanupInputSchema}, from which both
 * the function's parser and the machines' Payload type ({@link CleanupPayload}) come. Every field is
 * checked for its type before any AWS call; an invalid input throws an {@link InvalidInputError}
 * naming the field, and a failover is refused outright.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { ACCOUNT_ID, ACCOUNT_ID_EXPECTED } from '../account';
import { describeValue as describe, InvalidInputError, isRecord, REGION } from '../input-values';
import { arnParts, isMissing, nonBlank, parseOrThrow, quotedError, quotedRecord } from '../input-schemas';
import { namedError } from '../errors';

export interface RestoredResource {
  /** AWS Backup resource type: `EBS`, `EC2`, `RDS`, `Aurora`, `DynamoDB`, `EFS`, `S3`, ... */
  readonly resourceType: string;
  readonly arn: Arn;
}

export interface Arn {
  readonly text: string;
  readonly partition: string;
  readonly service: string;
  /** Empty for global resources (S3 buckets). */
  readonly region: string;
  /** Empty for S3 bucket ARNs. */
  readonly account: string;
  /** Everything after the account: `volume/vol-...`, `db:name`, `table/name`, ... */
  readonly resource: string;
}

export interface CleanupInput {
  /** `failback`: the failback machine, after a verified failback and a second approval, cleans up the DR account. */
  readonly mode: 'drill' | 'failback';
  readonly executionName: string;
  readonly accountId: string;
  readonly region: string;
  /** Restores that created a resource; those without `createdResourceArn` created nothing to delete. */
  readonly restores: readonly RestoredResource[];
  /** Restores listed without a `createdResourceArn`, by index (logged, nothing to delete). */
  readonly restoresWithoutResource: readonly number[];
  readonly autoScalingGroups: readonly string[];
}

/** Thrown for an input this function cannot act on; the message names the field. */
export { InvalidInputError };

/** Thrown when the input asks to clean up after a failover: restored resources are then production. */
export class CleanupRefusedError extends namedError('CleanupRefusedError') {}

/** Auto Scaling group names: 1-255 characters, no colon (a colon would make it an ARN). */
const ASG_NAME = /^[^:]{1,255}$/;

export function parseArn(text: string): Arn | undefined {
  const parts = arnParts(text);
  return parts ? { text, ...parts } : undefined;
}

const restore = quotedRecord({
  resourceType: nonBlank(),
  // Absent, null or empty: the restore created nothing to delete.
  createdResourceArn: z.pipe(
    z.nullish(
      z.string({ error: (issue) => `must be a string, got ${describe(issue.input)}` }).check(
        z.refine((value) => value === '' || parseArn(value) !== undefined, {
          error: (issue) => `must be an ARN (arn:<partition>:<service>:<region>:<account>:<resource>), got ${describe(issue.input)}`,
        }),
      ),
    ),
    z.transform((value) => (value ? parseArn(value) : undefined)),
  ),
});

/** The state machine's input, validated; parsed, it is a {@link CleanupInput}. Fields in the order they are checked. */
export const cleanupInputSchema = z.pipe(
  z.object(
    {
      mode: z.enum(['drill', 'failback'], {
        error: (issue) => (isMissing(issue.input) ? 'is missing; only "drill" is cleaned up' : `must be "drill" (a failover is never cleaned up), got ${describe(issue.input)}`),
      }),
      executionName: nonBlank(),
      accountId: nonBlank(ACCOUNT_ID, ACCOUNT_ID_EXPECTED),
      region: nonBlank(REGION, 'an AWS region such as ap-northeast-1'),
      restores: z.array(restore, {
        error: (issue) => (isMissing(issue.input) ? 'is missing (an empty array when nothing was restored)' : `must be an array, got ${describe(issue.input)}`),
      }),
      autoScalingGroups: z.nullish(
        z.array(nonBlank(ASG_NAME, 'an Auto Scaling group name (1-255 characters, no colon)'), { error: (issue) => `must be an array of names, got ${describe(issue.input)}` }),
      ),
    },
    { error: (issue) => `expected an object, got ${describe(issue.input)}` },
  ),
  z.transform((i): CleanupInput => {
    const restores: RestoredResource[] = [];
    const restoresWithoutResource: number[] = [];
    i.restores.forEach(({ resourceType, createdResourceArn: arn }, index) => {
      if (arn) restores.push({ resourceType, arn });
      else restoresWithoutResource.push(index);
    });
    return { mode: i.mode, executionName: i.executionName, accountId: i.accountId, region: i.region, restores, restoresWithoutResource, autoScalingGroups: [...new Set(i.autoScalingGroups ?? [])] };
  }),
);

/** What the machines pass (their Payloads are checked against it: modules/recovery/steps/cleanup.ts, modules/failback/steps/cleanup.ts). */
export type CleanupPayload = z.input<typeof cleanupInputSchema>;

/**
 * Validates the state machine's input. Checks `mode` first: anything but a drill (or `failback`,
 * the failback machine's cleanup of the DR account after its second approval) is refused
 * ({@link CleanupRefusedError} for a failover) before the rest is even read.
 */
export function parseCleanupInput(input: unknown): CleanupInput {
  if (isRecord(input) && input.mode === 'failover') {
    throw new CleanupRefusedError('refusing to clean up after a failover: its restored resources are the recovered workload and must never be deleted (mode is "failover", expected "drill")');
  }
  return parseOrThrow(cleanupInputSchema, input, quotedError);
}
