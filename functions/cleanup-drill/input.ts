/**
 * Parsing of the input the recovery state machine passes to cleanup-drill (synchronous
 * `lambda:invoke`). Every field is checked for its type before any AWS call; an invalid input throws
 * an {@link InvalidInputError} naming the field, and a failover is refused outright.
 */

import { ACCOUNT_ID_EXPECTED, isAccountId } from '../account';
import { describeValue as describe, InvalidInputError, isAbsent, isRecord, requiredText } from '../input-values';
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

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
/** Auto Scaling group names: 1-255 characters, no colon (a colon would make it an ARN). */
const ASG_NAME = /^[^:]{1,255}$/;

export function parseArn(text: string): Arn | undefined {
  const match = ARN.exec(text);
  if (!match) return undefined;
  return { text, partition: match[1], service: match[2], region: match[3], account: match[4], resource: match[5] };
}

/**
 * Validates the state machine's input. Checks `mode` first: anything but a drill (or `failback`,
 * the failback machine's cleanup of the DR account after its second approval) is refused
 * ({@link CleanupRefusedError} for a failover) before the rest is even read.
 */
export function parseCleanupInput(input: unknown): CleanupInput {
  if (!isRecord(input)) throw new InvalidInputError(`expected an object, got ${describe(input)}`);

  const mode = input.mode;
  if (mode === 'failover') {
    throw new CleanupRefusedError('refusing to clean up after a failover: its restored resources are the recovered workload and must never be deleted (mode is "failover", expected "drill")');
  }
  if (isAbsent(mode)) throw new InvalidInputError('"mode" is missing; only "drill" is cleaned up');
  if (mode !== 'drill' && mode !== 'failback') throw new InvalidInputError(`"mode" must be "drill" (a failover is never cleaned up), got ${describe(mode)}`);

  const executionName = requiredText(input.executionName, 'executionName');
  const accountId = requiredText(input.accountId, 'accountId');
  if (!isAccountId(accountId)) throw new InvalidInputError(`"accountId" must be ${ACCOUNT_ID_EXPECTED}, got ${describe(accountId)}`);
  const region = requiredText(input.region, 'region');
  if (!REGION.test(region)) throw new InvalidInputError(`"region" must be an AWS region such as ap-northeast-1, got ${describe(region)}`);

  if (isAbsent(input.restores)) throw new InvalidInputError('"restores" is missing (an empty array when nothing was restored)');
  if (!Array.isArray(input.restores)) throw new InvalidInputError(`"restores" must be an array, got ${describe(input.restores)}`);
  const restores: RestoredResource[] = [];
  const restoresWithoutResource: number[] = [];
  input.restores.forEach((item: unknown, i: number) => {
    if (!isRecord(item)) throw new InvalidInputError(`"restores[${i}]" must be an object, got ${describe(item)}`);
    const resourceType = requiredText(item.resourceType, `restores[${i}].resourceType`);
    const created = item.createdResourceArn;
    if (isAbsent(created) || created === '') {
      restoresWithoutResource.push(i);
      return;
    }
    if (typeof created !== 'string') throw new InvalidInputError(`"restores[${i}].createdResourceArn" must be a string, got ${describe(created)}`);
    const arn = parseArn(created);
    if (!arn) throw new InvalidInputError(`"restores[${i}].createdResourceArn" must be an ARN (arn:<partition>:<service>:<region>:<account>:<resource>), got ${describe(created)}`);
    restores.push({ resourceType, arn });
  });

  let autoScalingGroups: string[] = [];
  if (!isAbsent(input.autoScalingGroups)) {
    if (!Array.isArray(input.autoScalingGroups)) throw new InvalidInputError(`"autoScalingGroups" must be an array of names, got ${describe(input.autoScalingGroups)}`);
    autoScalingGroups = input.autoScalingGroups.map((name: unknown, i: number) => {
      const value = requiredText(name, `autoScalingGroups[${i}]`);
      if (!ASG_NAME.test(value)) throw new InvalidInputError(`"autoScalingGroups[${i}]" must be an Auto Scaling group name (1-255 characters, no colon), got ${describe(value)}`);
      return value;
    });
  }

  return { mode, executionName, accountId, region, restores, restoresWithoutResource, autoScalingGroups: [...new Set(autoScalingGroups)] };
}
