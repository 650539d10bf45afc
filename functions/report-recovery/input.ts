/**
 * The input the recovery state machine passes to report-recovery (synchronous `lambda:invoke`): one
 * schema, {@link reportInputSchema}, from which both the function's parser and the state machine's
 * Payload type ({@link RecoveryReportPayload}, modules/recovery/steps/report.ts) come. Every field is
 * checked for its type; an invalid input throws an {@link InvalidInputError} whose message names the
 * field, before any AWS call.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { describeValue as describe, InvalidInputError } from '../input-values';
import { missingOr, nonBlank, optionalList, optionalString, optionalTimestamp, parseOrThrow, quotedError, quotedRecord, timestamp, type TimestampWording } from '../input-schemas';

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

const ISO: TimestampWording = {
  notAString: (value) => `must be an ISO 8601 timestamp such as 2026-11-20T03:00:00Z, got ${describe(value)}`,
  malformed: (value) => `must be an ISO 8601 timestamp such as 2026-11-20T03:00:00Z, got ${describe(value)}`,
  notADate: (value) => `is not a valid date: ${describe(value)}`,
};

const oneOf = <const T extends readonly [string, ...string[]]>(allowed: T) =>
  z.enum(allowed, { error: missingOr((value) => `must be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${describe(value)}`) });

const restore = quotedRecord({
  resourceType: optionalString(),
  createdResourceArn: optionalString(),
  status: optionalString(),
});

const step = quotedRecord({
  name: nonBlank(),
  endedAt: optionalTimestamp(ISO),
});

/** The state machine's input, validated; parsed, it is a {@link RecoveryReportInput}. Fields in the order they are checked. */
export const reportInputSchema = z.pipe(
  z.object(
    {
      workload: nonBlank(),
      mode: oneOf(['failover', 'drill']),
      executionArn: nonBlank(EXECUTION_ARN, 'a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>)'),
      outcome: oneOf(['recovered', 'failed']),
      startedAt: timestamp(ISO),
      incidentTime: optionalTimestamp(ISO),
      recoveryPointTimes: optionalList(timestamp(ISO)),
      restores: optionalList(restore),
      steps: optionalList(step),
      failedStep: optionalString(),
      error: optionalString(),
      cause: optionalString(),
    },
    { error: (issue) => `expected an object, got ${describe(issue.input)}` },
  ),
  z.transform(
    (i): RecoveryReportInput => ({
      workload: i.workload,
      mode: i.mode,
      executionArn: i.executionArn,
      executionRegion: (EXECUTION_ARN.exec(i.executionArn) as RegExpExecArray)[1],
      outcome: i.outcome,
      startedAt: i.startedAt,
      incidentTime: i.incidentTime,
      recoveryPointTimes: i.recoveryPointTimes,
      failedStep: i.failedStep,
      error: i.error,
      cause: i.cause,
      restores: i.restores.map((r) => ({ resourceType: r.resourceType, createdResourceArn: r.createdResourceArn, status: r.status })),
      steps: i.steps.map((s) => ({ name: s.name, endedAt: s.endedAt })),
    }),
  ),
);

/** What the state machine passes (its Payload is checked against it: modules/recovery/steps/report.ts). */
export type RecoveryReportPayload = z.input<typeof reportInputSchema>;

/** Validates the state machine's input; throws {@link InvalidInputError} naming the first invalid field. */
export function parseReportInput(input: unknown): RecoveryReportInput {
  return parseOrThrow(reportInputSchema, input, quotedError);
}
