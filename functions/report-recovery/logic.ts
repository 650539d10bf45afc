import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { callRuntime, functionCalls, messageOf, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import { parseReportInput, type RecoveryReportInput } from './input';

export { InvalidInputError, parseReportInput } from './input';
export type { RecoveryMode, RecoveryOutcome, RecoveryReportInput, RestoreSummary, TimelineStep } from './input';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';

/** Exactly the IAM actions {@link reportRecovery} calls. */
export const REQUIRED_ACTIONS = ['cloudwatch:PutMetricData', 'sns:Publish'] as const;

/**
 * Not called by the logic, but needed by its role (or granted in the key policy) when the topic is
 * encrypted with a customer managed key, as the on-call topic is: SNS encrypts the message with it
 * on behalf of the publisher.
 */
export const ENCRYPTED_TOPIC_KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

export const DEFAULT_NAMESPACE = 'DisasterRecovery';

export const METRIC_RECOVERY_TIME = 'RecoveryTimeSeconds';
export const METRIC_RECOVERY_POINT_AGE = 'RecoveryPointAgeSeconds';
export const METRIC_RECOVERY_SUCCEEDED = 'RecoverySucceeded';

/** SNS: "Subjects must be ... no line breaks or control characters, and less than 100 characters long". */
export const MAX_SUBJECT_LENGTH = 99;
/** SNS's limit on one published message (256 KiB, in bytes of UTF-8), attributes included. */
export const SNS_MAX_PUBLISH_BYTES = 256 * 1024;

export interface ReportOptions extends ThrottleOptions {
  /** Upper bound of the SNS message body in UTF-8 bytes; leaves room for the subject and attributes. */
  readonly maxMessageBytes: number;
}

export const DEFAULT_OPTIONS: ReportOptions = {
  maxThrottleAttempts: 6,
  baseBackoffMs: 250,
  maxBackoffMs: 8000,
  maxMessageBytes: SNS_MAX_PUBLISH_BYTES - 2048,
};

export interface ReportRecoveryDeps extends CallDeps<ReportOptions> {
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  /** CloudWatch namespace of the metrics (`METRIC_NAMESPACE`, default {@link DEFAULT_NAMESPACE}). */
  readonly namespace: string;
  /** The on-call SNS topic (`TOPIC_ARN`). */
  readonly topicArn: string;
  /** Default: the system clock. */
  readonly now?: () => Date;
}

/** The function's output, returned to the state machine. */
export interface RecoveryReport {
  /** Seconds from the execution's start to now; null unless the outcome is `recovered`. */
  readonly rtoSeconds: number | null;
  /** Seconds from the oldest recovery point restored to the incident (or the execution's start); null without recovery points. */
  readonly rpoSeconds: number | null;
  readonly published: true;
  readonly warnings: string[];
}

/**
 * Every failure of this function (besides an invalid input) is a `ReportRecoveryError`; an AWS call
 * failing other than by throttling, an `AwsCallError`. `call` runs one AWS call, retrying it while
 * throttled (the codes of CloudWatch, SNS, and the KMS key of an encrypted topic too).
 */
export const { FunctionError: ReportRecoveryError, AwsCallError, call } = functionCalls('ReportRecoveryError', ['Throttled', 'ThrottledException', 'KMSThrottlingException']);

type Runtime = CallRuntime<ReportOptions>;

export interface RecoveryTimes {
  readonly rtoSeconds: number | null;
  readonly rpoSeconds: number | null;
  /** The oldest recovery point restored: the one that bounds the data loss. */
  readonly oldestRecoveryPoint?: Date;
  /** What the RPO is measured to: the incident, or the execution's start without one. */
  readonly rpoReference: { readonly label: 'incident' | 'execution start'; readonly time: Date };
  readonly warnings: string[];
}

const seconds = (fromMs: number, toMs: number) => Math.round((toMs - fromMs) / 1000);

/**
 * RTO = now − startedAt (outcome `recovered` only). RPO = (incidentTime ?? startedAt) − the oldest
 * recovery point time. A negative value (clock skew) is reported as 0, with a warning.
 */
export function computeRecoveryTimes(input: RecoveryReportInput, now: Date): RecoveryTimes {
  const warnings: string[] = [];
  let rtoSeconds: number | null = null;
  if (input.outcome === 'recovered') {
    rtoSeconds = seconds(input.startedAt.getTime(), now.getTime());
    if (rtoSeconds < 0) {
      warnings.push(`RTO was negative (${rtoSeconds} s): startedAt ${input.startedAt.toISOString()} is after the report time ${now.toISOString()} (clock skew); reported as 0`);
      rtoSeconds = 0;
    }
  }

  const rpoReference = input.incidentTime
    ? ({ label: 'incident', time: input.incidentTime } as const)
    : ({ label: 'execution start', time: input.startedAt } as const);
  let rpoSeconds: number | null = null;
  let oldestRecoveryPoint: Date | undefined;
  if (input.recoveryPointTimes.length > 0) {
    oldestRecoveryPoint = new Date(Math.min(...input.recoveryPointTimes.map((t) => t.getTime())));
    rpoSeconds = seconds(oldestRecoveryPoint.getTime(), rpoReference.time.getTime());
    if (rpoSeconds < 0) {
      warnings.push(
        `RPO was negative (${rpoSeconds} s): the oldest recovery point ${oldestRecoveryPoint.toISOString()} is after the ${rpoReference.label} ${rpoReference.time.toISOString()} (clock skew); reported as 0`,
      );
      rpoSeconds = 0;
    }
  }
  return { rtoSeconds, rpoSeconds, oldestRecoveryPoint, rpoReference, warnings };
}

/** `42m 10s`, `1h 0m 5s`, `2d 3h 0m 0s`, `7s`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (days > 0) return `${days}d ${hours}h ${minutes}m ${secs}s`;
  if (hours > 0) return `${hours}h ${minutes}m ${secs}s`;
  if (minutes > 0) return `${minutes}m ${secs}s`;
  return `${secs}s`;
}

/** The Step Functions console page of the execution. */
export function executionConsoleUrl(executionArn: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** `[DR failover] shop recovered in 42m 10s`, `[DR drill] shop FAILED at RestoreData`: printable ASCII, at most {@link MAX_SUBJECT_LENGTH} characters. */
export function buildSubject(input: RecoveryReportInput, rtoSeconds: number | null): string {
  const what =
    input.outcome === 'recovered'
      ? `recovered${rtoSeconds === null ? '' : ` in ${formatDuration(rtoSeconds)}`}`
      : `FAILED${input.failedStep ? ` at ${input.failedStep}` : ''}`;
  const subject = `[DR ${input.mode}] ${input.workload} ${what}`.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  return subject.length <= MAX_SUBJECT_LENGTH ? subject : `${subject.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

export interface MessageParts {
  readonly input: RecoveryReportInput;
  readonly now: Date;
  readonly times: RecoveryTimes;
  /** Warnings to show besides the clock-skew ones (e.g. metrics that could not be published). */
  readonly extraWarnings?: readonly string[];
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

const field = (label: string, value: string) => `${`${label}:`.padEnd(14)}${value}`;

function renderMessage(parts: MessageParts, restoreLimit: number): string {
  const { input, now, times } = parts;
  const lines: string[] = [];
  const headline =
    input.outcome === 'recovered'
      ? `Disaster recovery ${input.mode} of workload ${input.workload}: RECOVERED${times.rtoSeconds === null ? '' : ` in ${formatDuration(times.rtoSeconds)}`}.`
      : `Disaster recovery ${input.mode} of workload ${input.workload}: FAILED${input.failedStep ? ` at step ${input.failedStep}` : ''}.`;
  lines.push(headline, '');
  lines.push(field('Workload', input.workload), field('Mode', input.mode), field('Outcome', input.outcome));
  lines.push(
    field(
      'RTO',
      times.rtoSeconds === null
        ? 'not measured (the recovery failed)'
        : `${formatDuration(times.rtoSeconds)} (${times.rtoSeconds} s), from the execution start ${input.startedAt.toISOString()} to ${now.toISOString()}`,
    ),
  );
  lines.push(
    field(
      'RPO',
      times.rpoSeconds === null || !times.oldestRecoveryPoint
        ? 'unknown (no recovery point was restored)'
        : `${formatDuration(times.rpoSeconds)} (${times.rpoSeconds} s), from the oldest recovery point restored ` +
            `${times.oldestRecoveryPoint.toISOString()} to the ${times.rpoReference.label} ${times.rpoReference.time.toISOString()}`,
    ),
  );
  lines.push(field('Started', input.startedAt.toISOString()));
  if (input.incidentTime) lines.push(field('Incident', input.incidentTime.toISOString()));
  lines.push(field('Reported', now.toISOString()));

  if (input.outcome === 'failed' || input.failedStep || input.error || input.cause) {
    lines.push('');
    lines.push(field('Failed step', input.failedStep ?? '(not reported)'));
    if (input.error) lines.push(field('Error', input.error));
    if (input.cause) lines.push(field('Cause', input.cause));
  }

  const warnings = [...times.warnings, ...(parts.extraWarnings ?? [])];
  if (warnings.length > 0) {
    lines.push('', 'Warnings:', ...warnings.map((w) => `  - ${w}`));
  }

  lines.push('');
  if (input.restores.length === 0) {
    lines.push('Restores: none reported');
  } else {
    lines.push(`Restores (${input.restores.length}):`);
    for (const restore of input.restores.slice(0, restoreLimit)) {
      lines.push(`  - ${restore.resourceType ?? '(type unknown)'} ${restore.status ?? '(status unknown)'} ${restore.createdResourceArn ?? '(no resource created)'}`);
    }
    const omitted = input.restores.length - Math.min(restoreLimit, input.restores.length);
    if (omitted > 0) {
      lines.push(`  ... ${omitted} more restore(s) not listed: the message would exceed SNS's 256 KB limit. The execution's history has the full list.`);
    }
  }

  if (input.steps.length > 0) {
    lines.push('', 'Timeline:', `  ${input.startedAt.toISOString()}  (+0s)  execution started`);
    for (const step of input.steps) {
      const when = step.endedAt
        ? `${step.endedAt.toISOString()}  (+${formatDuration(seconds(input.startedAt.getTime(), step.endedAt.getTime()))})`
        : '(did not end)';
      lines.push(`  ${when}  ${step.name}`);
    }
  }

  lines.push('', field('Execution', input.executionArn), field('Console', executionConsoleUrl(input.executionArn, input.executionRegion)), '');
  return lines.join('\n');
}

const TRUNCATED = '\n[message truncated: it would exceed SNS\'s 256 KB limit]\n';

/**
 * The plain-text summary, within `maxBytes` UTF-8 bytes: as many restores as fit (with a note on
 * how many were left out); as a last resort (a huge cause), the text itself is cut.
 */
export function buildMessage(parts: MessageParts, maxBytes: number): string {
  const total = parts.input.restores.length;
  const full = renderMessage(parts, total);
  if (utf8Bytes(full) <= maxBytes) return full;
  // Largest number of restores that fits: rendering grows with it, so binary search.
  let low = 0;
  let high = total - 1;
  let best = -1;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    if (utf8Bytes(renderMessage(parts, mid)) <= maxBytes) {
      best = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (best >= 0) return renderMessage(parts, best);
  return truncateUtf8(renderMessage(parts, 0), maxBytes - utf8Bytes(TRUNCATED)) + TRUNCATED;
}

function metricData(input: RecoveryReportInput, times: RecoveryTimes, now: Date): MetricDatum[] {
  const dimensions = [
    { Name: 'Workload', Value: input.workload },
    { Name: 'Mode', Value: input.mode },
  ];
  const data: MetricDatum[] = [];
  if (times.rtoSeconds !== null) data.push({ MetricName: METRIC_RECOVERY_TIME, Dimensions: dimensions, Timestamp: now, Value: times.rtoSeconds, Unit: 'Seconds' });
  if (times.rpoSeconds !== null) data.push({ MetricName: METRIC_RECOVERY_POINT_AGE, Dimensions: dimensions, Timestamp: now, Value: times.rpoSeconds, Unit: 'Seconds' });
  data.push({ MetricName: METRIC_RECOVERY_SUCCEEDED, Dimensions: dimensions, Timestamp: now, Value: input.outcome === 'recovered' ? 1 : 0, Unit: 'Count' });
  return data;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * Publishes the outcome of one recovery execution: RTO and RPO as CloudWatch metrics (dimensions
 * `Workload`, `Mode`) and a plain-text summary to the on-call topic. Each of the two is attempted
 * even when the other failed; then any failure is thrown, naming what failed.
 */
export async function reportRecovery(input: unknown, deps: ReportRecoveryDeps): Promise<RecoveryReport> {
  const rt: Runtime = callRuntime(deps, DEFAULT_OPTIONS);
  try {
    if (typeof deps.namespace !== 'string' || deps.namespace.trim().length === 0) throw new ReportRecoveryError('the metric namespace is empty');
    if (!TOPIC_ARN.test(deps.topicArn)) throw new ReportRecoveryError(`the topic ARN ${JSON.stringify(deps.topicArn)} is not an SNS topic ARN`);

    const parsed = parseReportInput(input);
    Object.assign(rt.context, { workload: parsed.workload, mode: parsed.mode, outcome: parsed.outcome, executionArn: parsed.executionArn });
    const now = (deps.now ?? (() => new Date()))();
    const times = computeRecoveryTimes(parsed, now);
    for (const warning of times.warnings) rt.logger.warn(warning, { ...rt.context });
    rt.logger.info('Recovery times computed', { ...rt.context, rtoSeconds: times.rtoSeconds, rpoSeconds: times.rpoSeconds });

    let metricsError: string | undefined;
    try {
      await call(rt, `PutMetricData(${deps.namespace})`, () =>
        deps.cloudwatch.send(new PutMetricDataCommand({ Namespace: deps.namespace, MetricData: metricData(parsed, times, now) })),
      );
      rt.logger.info('Metrics published', { ...rt.context, namespace: deps.namespace });
    } catch (error) {
      metricsError = messageOf(error);
      rt.logger.error('Metrics not published; publishing the summary anyway', { ...rt.context, errorMessage: metricsError, error });
    }

    const subject = buildSubject(parsed, times.rtoSeconds);
    const extraWarnings = metricsError ? [`CloudWatch metrics were not published: ${metricsError}`] : [];
    const message = buildMessage({ input: parsed, now, times, extraWarnings }, rt.options.maxMessageBytes);
    let publishError: string | undefined;
    try {
      await call(rt, `Publish(${deps.topicArn})`, () =>
        deps.sns.send(
          new PublishCommand({
            TopicArn: deps.topicArn,
            Subject: subject,
            Message: message,
            MessageAttributes: {
              workload: { DataType: 'String', StringValue: parsed.workload },
              outcome: { DataType: 'String', StringValue: parsed.outcome },
            },
          }),
        ),
      );
      rt.logger.info('Summary published', { ...rt.context, subject, messageBytes: utf8Bytes(message) });
    } catch (error) {
      publishError = messageOf(error);
    }

    if (metricsError || publishError) {
      const failed = [
        metricsError ? `CloudWatch metrics not published: ${metricsError}` : 'CloudWatch metrics published',
        publishError ? `SNS summary not published: ${publishError}` : 'SNS summary published',
      ];
      throw new ReportRecoveryError(`recovery report incomplete: ${failed.join('; ')}`);
    }
    return { rtoSeconds: times.rtoSeconds, rpoSeconds: times.rpoSeconds, published: true, warnings: times.warnings };
  } catch (error) {
    rt.logger.error('Recovery report failed', { ...rt.context, errorMessage: messageOf(error), error });
    throw error;
  }
}
