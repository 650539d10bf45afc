/**
 * Parsing of the input the recovery state machine passes to report-recovery (synchronous
 * `lambda:invoke`). Every field is checked for its type; an invalid input throws an
 * {@link InvalidInputError} whose message names the field, before any AWS call.
 */

import { describeValue as describe, InvalidInputError, isAbsent, isRecord, requiredText } from '../input-values';

export type RecoveryMode = 'failover' | 'drill';
export type RecoveryOutcome = 'recovered' | 'failed';

export interface RestoreSummary {
  readonly resourceType?: string;
  readonly createdResourceArn?: string;
  readonly status?: string;
}

export interface TimelineStep {
  readonly name: string;
  /** Absent for a step that did not end (e.g. the one that failed). */
  readonly endedAt?: Date;
}

export interface RecoveryReportInput {
  readonly workload: string;
  readonly mode: RecoveryMode;
  readonly executionArn: string;
  /** Region of the state machine, from the execution ARN (for the console link). */
  readonly executionRegion: string;
  readonly outcome: RecoveryOutcome;
  readonly startedAt: Date;
  readonly incidentTime?: Date;
  /** Creation dates of the recovery points restored; empty when none was (e.g. an early failure). */
  readonly recoveryPointTimes: readonly Date[];
  readonly failedStep?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly restores: readonly RestoreSummary[];
  readonly steps: readonly TimelineStep[];
}

/** Thrown for an input this function cannot act on; the message names the field. */
export { InvalidInputError };

/** `arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>` (or `express:` for Express executions). */
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:(?:execution|express):[^:\s]+:[^\s]+$/;
/** ISO 8601 date-time with a time zone, as Step Functions (`$$.Execution.StartTime`) and the AWS SDKs write them. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

function optionalString(value: unknown, path: string): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw new InvalidInputError(`"${path}" must be a string, got ${describe(value)}`);
  return value.length > 0 ? value : undefined;
}

function timestamp(value: unknown, path: string): Date {
  if (isAbsent(value)) throw new InvalidInputError(`"${path}" is missing`);
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) {
    throw new InvalidInputError(`"${path}" must be an ISO 8601 timestamp such as 2026-11-20T03:00:00Z, got ${describe(value)}`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError(`"${path}" is not a valid date: ${describe(value)}`);
  return new Date(ms);
}

function optionalArray(value: unknown, path: string): readonly unknown[] {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(`"${path}" must be an array, got ${describe(value)}`);
  return value;
}

function oneOf<T extends string>(record: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const value = record[field];
  if (isAbsent(value)) throw new InvalidInputError(`"${field}" is missing`);
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(`"${field}" must be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** Validates the state machine's input; throws {@link InvalidInputError} naming the first invalid field. */
export function parseReportInput(input: unknown): RecoveryReportInput {
  if (!isRecord(input)) throw new InvalidInputError(`expected an object, got ${describe(input)}`);

  const workload = requiredText(input.workload, 'workload');
  const mode = oneOf<RecoveryMode>(input, 'mode', ['failover', 'drill']);
  const executionArn = requiredText(input.executionArn, 'executionArn');
  const arnMatch = EXECUTION_ARN.exec(executionArn);
  if (!arnMatch) {
    throw new InvalidInputError(`"executionArn" must be a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>), got ${describe(executionArn)}`);
  }
  const outcome = oneOf<RecoveryOutcome>(input, 'outcome', ['recovered', 'failed']);
  const startedAt = timestamp(input.startedAt, 'startedAt');
  const incidentTime = isAbsent(input.incidentTime) ? undefined : timestamp(input.incidentTime, 'incidentTime');
  const recoveryPointTimes = optionalArray(input.recoveryPointTimes, 'recoveryPointTimes').map((t, i) => timestamp(t, `recoveryPointTimes[${i}]`));

  const restores = optionalArray(input.restores, 'restores').map((item, i): RestoreSummary => {
    if (!isRecord(item)) throw new InvalidInputError(`"restores[${i}]" must be an object, got ${describe(item)}`);
    return {
      resourceType: optionalString(item.resourceType, `restores[${i}].resourceType`),
      createdResourceArn: optionalString(item.createdResourceArn, `restores[${i}].createdResourceArn`),
      status: optionalString(item.status, `restores[${i}].status`),
    };
  });
  const steps = optionalArray(input.steps, 'steps').map((item, i): TimelineStep => {
    if (!isRecord(item)) throw new InvalidInputError(`"steps[${i}]" must be an object, got ${describe(item)}`);
    const name = requiredText(item.name, `steps[${i}].name`);
    return { name, endedAt: isAbsent(item.endedAt) ? undefined : timestamp(item.endedAt, `steps[${i}].endedAt`) };
  });

  return {
    workload,
    mode,
    executionArn,
    executionRegion: arnMatch[1],
    outcome,
    startedAt,
    incidentTime,
    recoveryPointTimes,
    failedStep: optionalString(input.failedStep, 'failedStep'),
    error: optionalString(input.error, 'error'),
    cause: optionalString(input.cause, 'cause'),
    restores,
    steps,
  };
}
