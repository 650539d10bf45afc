import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  InvalidInputError,
  MAX_SUBJECT_LENGTH,
  REQUIRED_ACTIONS,
  ReportRecoveryError,
  SNS_MAX_PUBLISH_BYTES,
  buildSubject,
  executionConsoleUrl,
  formatDuration,
  parseReportInput,
  reportRecovery,
  truncateUtf8,
  type ReportOptions,
} from '../../../functions/report-recovery/logic';
import { recordLogsAndSleeps } from '../../helpers/functions/recorded-logs';
import { throttledFirst } from '../../helpers/functions/throttled-first';
import { mockEach } from '../../helpers/functions/mock-each';

const REGION = 'ap-northeast-1';
const TOPIC_ARN = `arn:aws:sns:${REGION}:222222222222:acme-dr-on-call`;
const EXECUTION_ARN = `arn:aws:states:${REGION}:222222222222:execution:acme-recovery:abc`;
const NOW = new Date('2026-11-20T03:42:10Z');
const VOLUME_ARN = `arn:aws:ec2:${REGION}:222222222222:volume/vol-0123456789abcdef0`;
const DB_ARN = `arn:aws:rds:${REGION}:222222222222:db:shop-db-dr`;

const [cloudwatchMock, snsMock] = mockEach(CloudWatchClient, SNSClient);
const cloudwatch = new CloudWatchClient({ region: REGION });
const sns = new SNSClient({ region: REGION });

/** Shared, so that both reports below are about the same execution (started 03:00:00). */
const EXECUTION = { workload: 'shop', executionArn: EXECUTION_ARN, startedAt: '2026-11-20T03:00:00Z' };

/** A successful failover: started 03:00:00, reported 03:42:10 (RTO 2530 s); incident 02:55, oldest point 01:55 (RPO 3600 s). */
function recovered(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...EXECUTION,
    mode: 'failover',
    outcome: 'recovered',
    incidentTime: '2026-11-20T02:55:00Z',
    recoveryPointTimes: ['2026-11-20T02:30:00Z', '2026-11-20T01:55:00Z', '2026-11-20T02:00:00.500Z'],
    restores: [
      { resourceType: 'EBS', createdResourceArn: VOLUME_ARN, status: 'COMPLETED' },
      { resourceType: 'RDS', createdResourceArn: DB_ARN, status: 'COMPLETED' },
    ],
    steps: [
      { name: 'LocateData', endedAt: '2026-11-20T03:01:30Z' },
      { name: 'RestoreData', endedAt: '2026-11-20T03:35:00Z' },
      { name: 'StartServers', endedAt: '2026-11-20T03:42:00Z' },
    ],
    ...overrides,
  };
}

function failed(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...EXECUTION,
    mode: 'drill',
    outcome: 'failed',
    recoveryPointTimes: [],
    failedStep: 'RestoreData',
    error: 'RestoreFailed',
    cause: 'Restore job 1234 FAILED: Access denied to KMS key',
    restores: [{ resourceType: 'EBS', status: 'FAILED' }],
    steps: [{ name: 'LocateData', endedAt: '2026-11-20T03:01:30Z' }, { name: 'RestoreData' }],
    ...overrides,
  };
}

function throttle(name = 'Throttling'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 403 } });
}

const { logs, sleeps, logger, sleep } = recordLogsAndSleeps();

function harness(options: Partial<ReportOptions> = {}, now = NOW) {
  return { cloudwatch, sns, logger, namespace: 'DisasterRecovery', topicArn: TOPIC_ARN, now: () => now, sleep, random: () => 0.5, options };
}

const run = (input: unknown, options: Partial<ReportOptions> = {}, now?: Date) => reportRecovery(input, harness(options, now));

const metricInputs = () => cloudwatchMock.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
const publishInputs = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
const publishedMessage = () => {
  const inputs = publishInputs();
  expect(inputs).toHaveLength(1);
  return inputs[0].Message as string;
};

/** The summary opens with its headline and holds these lines, in whatever order. */
function expectSummary(message: unknown, headline: string, lines: string[]) {
  const all = (message as string).split('\n');
  expect(all[0]).toBe(headline);
  expect(all).toEqual(expect.arrayContaining(lines));
}

const DIMENSIONS = (mode = 'failover') => [
  { Name: 'Workload', Value: 'shop' },
  { Name: 'Mode', Value: mode },
];

beforeEach(() => {
  cloudwatchMock.reset();
  snsMock.reset();
  cloudwatchMock.on(PutMetricDataCommand).resolves({});
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('REQUIRED_ACTIONS', () => {
  it('lists exactly the actions the logic calls', () => {
    expect([...REQUIRED_ACTIONS].sort()).toEqual(['cloudwatch:PutMetricData', 'sns:Publish']);
  });
});

describe('successful recovery', () => {
  it('computes RTO from startedAt to now and RPO from the oldest recovery point to the incident, in exact seconds', async () => {
    await expect(run(recovered())).resolves.toEqual({ rtoSeconds: 2530, rpoSeconds: 3600, published: true, warnings: [] });
  });

  it('measures RPO to startedAt when there is no incidentTime', async () => {
    await expect(run(recovered({ incidentTime: undefined }))).resolves.toMatchObject({ rtoSeconds: 2530, rpoSeconds: 3900 });
    await expect(run(recovered({ incidentTime: null }))).resolves.toMatchObject({ rpoSeconds: 3900 });
  });

  it('takes the oldest recovery point, whatever the order, and accepts offsets and fractions', async () => {
    const points = ['2026-11-20T11:00:00+09:00', '2026-11-20T02:40:00.250Z', '2026-11-20T01:00:00Z'];
    await expect(run(recovered({ recoveryPointTimes: points }))).resolves.toMatchObject({ rpoSeconds: 6900 }); // 02:55 − 01:00
    await expect(run(recovered({ recoveryPointTimes: ['2026-11-20T02:40:00.250Z'] }))).resolves.toMatchObject({ rpoSeconds: 900 }); // 899.75 s, rounded
  });

  it('omits RPO when no recovery point was restored', async () => {
    await expect(run(recovered({ recoveryPointTimes: [] }))).resolves.toMatchObject({ rtoSeconds: 2530, rpoSeconds: null });
    expect(metricInputs()[0].MetricData?.map((m) => m.MetricName)).toEqual(['RecoveryTimeSeconds', 'RecoverySucceeded']);
    expect(publishedMessage()).toContain('RPO:          unknown (no recovery point was restored)');
  });

  it('puts exactly RTO, RPO and success, per workload and mode, timestamped now', async () => {
    await run(recovered());
    expect(metricInputs()).toEqual([
      {
        Namespace: 'DisasterRecovery',
        MetricData: [
          { MetricName: 'RecoveryTimeSeconds', Dimensions: DIMENSIONS(), Timestamp: NOW, Value: 2530, Unit: 'Seconds' },
          { MetricName: 'RecoveryPointAgeSeconds', Dimensions: DIMENSIONS(), Timestamp: NOW, Value: 3600, Unit: 'Seconds' },
          { MetricName: 'RecoverySucceeded', Dimensions: DIMENSIONS(), Timestamp: NOW, Value: 1, Unit: 'Count' },
        ],
      },
    ]);
  });

  it('uses the configured namespace', async () => {
    await reportRecovery(recovered(), { ...harness(), namespace: 'Acme/DR' });
    expect(metricInputs()[0].Namespace).toBe('Acme/DR');
  });

  it('publishes the subject, the attributes and a readable summary to the topic', async () => {
    await run(recovered());
    const [publish] = publishInputs();
    expect(publish).toEqual({
      TopicArn: TOPIC_ARN,
      Subject: '[DR failover] shop recovered in 42m 10s',
      Message: expect.any(String),
      MessageAttributes: {
        workload: { DataType: 'String', StringValue: 'shop' },
        outcome: { DataType: 'String', StringValue: 'recovered' },
      },
    });
    expectSummary(publish.Message, 'Disaster recovery failover of workload shop: RECOVERED in 42m 10s.', [
      'Workload:     shop',
      'Mode:         failover',
      'Outcome:      recovered',
      'RTO:          42m 10s (2530 s), from the execution start 2026-11-20T03:00:00.000Z to 2026-11-20T03:42:10.000Z',
      'RPO:          1h 0m 0s (3600 s), from the oldest recovery point restored 2026-11-20T01:55:00.000Z to the incident 2026-11-20T02:55:00.000Z',
      'Incident:     2026-11-20T02:55:00.000Z',
      'Restores (2):',
      `  - EBS COMPLETED ${VOLUME_ARN}`,
      `  - RDS COMPLETED ${DB_ARN}`,
      'Timeline:',
      '  2026-11-20T03:00:00.000Z  (+0s)  execution started',
      '  2026-11-20T03:01:30.000Z  (+1m 30s)  LocateData',
      '  2026-11-20T03:35:00.000Z  (+35m 0s)  RestoreData',
      '  2026-11-20T03:42:00.000Z  (+42m 0s)  StartServers',
      `Execution:    ${EXECUTION_ARN}`,
      `Console:      https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/v2/executions/details/${EXECUTION_ARN}`,
    ]);
    expect(publish.Message).not.toContain('Failed step');
    expect(publish.Message).not.toContain('Warnings');
    expect(logs.error).toEqual([]);
  });

  it('publishes the metrics before the summary', async () => {
    const order: string[] = [];
    cloudwatchMock.on(PutMetricDataCommand).callsFake(() => void order.push('metrics'));
    snsMock.on(PublishCommand).callsFake(() => void order.push('publish'));
    await run(recovered());
    expect(order).toEqual(['metrics', 'publish']);
  });
});

describe('failed recovery', () => {
  it('reports no RTO, success 0, and the failed step, error and cause', async () => {
    await expect(run(failed())).resolves.toEqual({ rtoSeconds: null, rpoSeconds: null, published: true, warnings: [] });
    expect(metricInputs()).toEqual([
      { Namespace: 'DisasterRecovery', MetricData: [{ MetricName: 'RecoverySucceeded', Dimensions: DIMENSIONS('drill'), Timestamp: NOW, Value: 0, Unit: 'Count' }] },
    ]);
    const [publish] = publishInputs();
    expect(publish.Subject).toBe('[DR drill] shop FAILED at RestoreData');
    expect(publish.MessageAttributes).toEqual({ workload: { DataType: 'String', StringValue: 'shop' }, outcome: { DataType: 'String', StringValue: 'failed' } });
    expectSummary(publish.Message, 'Disaster recovery drill of workload shop: FAILED at step RestoreData.', [
      'Outcome:      failed',
      'RTO:          not measured (the recovery failed)',
      'RPO:          unknown (no recovery point was restored)',
      'Failed step:  RestoreData',
      'Error:        RestoreFailed',
      'Cause:        Restore job 1234 FAILED: Access denied to KMS key',
      'Restores (1):',
      '  - EBS FAILED (no resource created)',
      '  (did not end)  RestoreData',
    ]);
  });

  it('still reports RPO of the points restored before the failure', async () => {
    await expect(run(failed({ recoveryPointTimes: ['2026-11-20T02:00:00Z'] }))).resolves.toMatchObject({ rtoSeconds: null, rpoSeconds: 3600 });
    expect(metricInputs()[0].MetricData?.map((m) => [m.MetricName, m.Value])).toEqual([
      ['RecoveryPointAgeSeconds', 3600],
      ['RecoverySucceeded', 0],
    ]);
  });

  it('omits the step from the subject when the failed step is unknown', async () => {
    await run(failed({ failedStep: undefined, restores: undefined, steps: undefined }));
    expect(publishInputs()[0].Subject).toBe('[DR drill] shop FAILED');
    expect(publishedMessage()).toContain('Failed step:  (not reported)');
    expect(publishedMessage()).toContain('Restores: none reported');
    expect(publishedMessage()).not.toContain('Timeline');
  });
});

describe('clock skew', () => {
  it('clamps a negative RTO and RPO to 0 with warnings, in the output, the metrics and the message', async () => {
    const input = recovered({ startedAt: '2026-11-20T03:45:00Z', incidentTime: '2026-11-20T01:00:00Z', recoveryPointTimes: ['2026-11-20T01:00:30Z'] });
    const result = await run(input);
    expect(result).toEqual({
      rtoSeconds: 0,
      rpoSeconds: 0,
      published: true,
      warnings: [
        'RTO was negative (-170 s): startedAt 2026-11-20T03:45:00.000Z is after the report time 2026-11-20T03:42:10.000Z (clock skew); reported as 0',
        'RPO was negative (-30 s): the oldest recovery point 2026-11-20T01:00:30.000Z is after the incident 2026-11-20T01:00:00.000Z (clock skew); reported as 0',
      ],
    });
    expect(metricInputs()[0].MetricData?.map((m) => m.Value)).toEqual([0, 0, 1]);
    expect(publishedMessage()).toContain(`Warnings:\n  - ${result.warnings[0]}\n  - ${result.warnings[1]}`);
    expect(logs.warn.map((l) => l.message)).toEqual(result.warnings);
  });
});

describe('subject and message limits', () => {
  it('keeps the subject printable ASCII within the SNS limit', () => {
    const input = parseReportInput(failed({ workload: 'shöp', failedStep: `Restore\nData ${'x'.repeat(200)}` }));
    const subject = buildSubject(input, null);
    expect(subject.length).toBe(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^\[DR drill\] sh\?p FAILED at Restore Data x+\.\.\.$/);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('truncates the restores list with a note when the message would exceed 256 KB', async () => {
    const restores = Array.from({ length: 5000 }, (_, i) => ({ resourceType: 'EBS', status: 'COMPLETED', createdResourceArn: `${VOLUME_ARN}-${String(i).padStart(4, '0')}-${'z'.repeat(40)}` }));
    await run(recovered({ restores }));
    const message = publishedMessage();
    const bytes = Buffer.byteLength(message, 'utf8');
    expect(bytes).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES - 2048);
    expect(bytes).toBeGreaterThan(SNS_MAX_PUBLISH_BYTES - 2048 - 200); // as many as fit
    expect(message).toContain('Restores (5000):');
    const listed = message.split('\n').filter((l) => l.startsWith('  - EBS COMPLETED'));
    expect(listed.length).toBeGreaterThan(1000);
    expect(listed.length).toBeLessThan(5000);
    expect(message).toContain(`  ... ${5000 - listed.length} more restore(s) not listed: the message would exceed SNS's 256 KB limit. The execution's history has the full list.`);
    // The rest of the summary is still there, after the list.
    expect(message).toContain(`Console:      https://${REGION}.console.aws.amazon.com/`);
  });

  it('lists exactly as many restores as fit a configured limit', async () => {
    const restores = Array.from({ length: 10 }, (_, i) => ({ resourceType: 'EBS', status: 'COMPLETED', createdResourceArn: `${VOLUME_ARN}${i}` }));
    const unlimited = await run(recovered({ restores })).then(() => publishedMessage());
    snsMock.resetHistory();
    const lineBytes = Buffer.byteLength(`  - EBS COMPLETED ${VOLUME_ARN}0\n`);
    const noteBytes = Buffer.byteLength("  ... 5 more restore(s) not listed: the message would exceed SNS's 256 KB limit. The execution's history has the full list.\n");
    // Exactly the size of the message listing 5 restores and the note; one more restore would not fit.
    await run(recovered({ restores }), { maxMessageBytes: Buffer.byteLength(unlimited) - 5 * lineBytes + noteBytes });
    const message = publishedMessage();
    expect(message.split('\n').filter((l) => l.startsWith('  - EBS'))).toHaveLength(5);
    expect(message).toContain('  ... 5 more restore(s) not listed');
  });

  it('cuts the text itself, never a character, when even no restore fits (a huge cause)', async () => {
    const cause = 'é'.repeat(200_000); // 400,000 bytes
    await run(failed({ cause }));
    const message = publishedMessage();
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES - 2048);
    expect(message).not.toContain('\ufffd');
    expect(message.endsWith("\n[message truncated: it would exceed SNS's 256 KB limit]\n")).toBe(true);
    expect(message.startsWith('Disaster recovery drill of workload shop: FAILED at step RestoreData.')).toBe(true);
  });

  it('truncateUtf8 never splits a multi-byte character', () => {
    expect(truncateUtf8('aéb', 2)).toBe('a');
    expect(truncateUtf8('aéb', 3)).toBe('aé');
    expect(truncateUtf8('a😀', 4)).toBe('a');
    expect(truncateUtf8('abc', 10)).toBe('abc');
  });
});

describe('failures of CloudWatch or SNS', () => {
  it('still publishes the summary (mentioning it) when PutMetricData fails for good, then throws naming it', async () => {
    cloudwatchMock.on(PutMetricDataCommand).rejects(awsError('AccessDenied', 'not authorized to perform: cloudwatch:PutMetricData'));
    const promise = run(recovered());
    await expect(promise).rejects.toThrow(ReportRecoveryError);
    await expect(promise).rejects.toThrow(
      'recovery report incomplete: CloudWatch metrics not published: PutMetricData(DisasterRecovery) failed: AccessDenied: not authorized to perform: cloudwatch:PutMetricData; SNS summary published',
    );
    expect(publishInputs()).toHaveLength(1);
    expect(publishedMessage()).toContain('Warnings:\n  - CloudWatch metrics were not published: PutMetricData(DisasterRecovery) failed: AccessDenied');
    expect(logs.error.map((l) => l.message)).toEqual(['Metrics not published; publishing the summary anyway', 'Recovery report failed']);
  });

  it('throws naming the topic when Publish fails, after the metrics were put', async () => {
    snsMock.on(PublishCommand).rejects(awsError('KMSAccessDeniedException', 'User is not authorized to perform kms:GenerateDataKey'));
    await expect(run(recovered())).rejects.toThrow(
      `recovery report incomplete: CloudWatch metrics published; SNS summary not published: Publish(${TOPIC_ARN}) failed: KMSAccessDeniedException: User is not authorized to perform kms:GenerateDataKey`,
    );
    expect(metricInputs()).toHaveLength(1);
  });

  it('names both when both fail', async () => {
    cloudwatchMock.on(PutMetricDataCommand).rejects(awsError('AccessDenied', 'no'));
    snsMock.on(PublishCommand).rejects(awsError('AuthorizationErrorException', 'no'));
    await expect(run(recovered())).rejects.toThrow(
      `recovery report incomplete: CloudWatch metrics not published: PutMetricData(DisasterRecovery) failed: AccessDenied: no; SNS summary not published: Publish(${TOPIC_ARN}) failed: AuthorizationErrorException: no`,
    );
  });
});

describe('throttling', () => {
  it('retries throttled calls with growing, jittered backoff, then succeeds', async () => {
    throttledFirst(cloudwatchMock.on(PutMetricDataCommand), throttle('Throttling'), throttle('Throttling')).resolves({});
    throttledFirst(snsMock.on(PublishCommand), throttle('ThrottledException'), throttle('KMSThrottlingException')).resolves({ MessageId: 'm-1' });

    await expect(run(recovered())).resolves.toMatchObject({ published: true });
    // random() = 0.5: 3/4 of 250 and 500 ms for each call.
    expect(sleeps).toEqual([188, 375, 188, 375]);
    expect(metricInputs()).toHaveLength(3);
    expect(publishInputs()).toHaveLength(3);
    expect(logs.warn.map((l) => [l.operation, l.errorCode, l.attempt])).toEqual([
      ['PutMetricData(DisasterRecovery)', 'Throttling', 1],
      ['PutMetricData(DisasterRecovery)', 'Throttling', 2],
      [`Publish(${TOPIC_ARN})`, 'ThrottledException', 1],
      [`Publish(${TOPIC_ARN})`, 'KMSThrottlingException', 2],
    ]);
    expect(logs.error).toEqual([]);
  });

  it('gives up after a bounded number of attempts, still publishing, then throws', async () => {
    cloudwatchMock.on(PutMetricDataCommand).rejects(throttle('Throttling'));
    await expect(run(recovered(), { maxThrottleAttempts: 4 })).rejects.toThrow(
      'recovery report incomplete: CloudWatch metrics not published: PutMetricData(DisasterRecovery) was throttled (Throttling) on all 4 attempts; giving up; SNS summary published',
    );
    expect(metricInputs()).toHaveLength(4);
    expect(sleeps).toEqual([188, 375, 750]);
    expect(publishInputs()).toHaveLength(1);
  });
});

describe('invalid input', () => {
  it.each([
    ['not an object', 'report', 'Invalid input: expected an object, got "report"'],
    ['no workload', recovered({ workload: undefined }), '"workload" is missing'],
    ['an empty workload', recovered({ workload: ' ' }), '"workload" must be a non-empty string'],
    ['an unknown mode', recovered({ mode: 'test' }), '"mode" must be "failover" or "drill", got "test"'],
    ['no executionArn', recovered({ executionArn: undefined }), '"executionArn" is missing'],
    ['an executionArn that is not one', recovered({ executionArn: 'arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-recovery' }), '"executionArn" must be a Step Functions execution ARN'],
    ['an unknown outcome', recovered({ outcome: 'ok' }), '"outcome" must be "recovered" or "failed", got "ok"'],
    ['no startedAt', recovered({ startedAt: undefined }), '"startedAt" is missing'],
    ['a startedAt that is not ISO', recovered({ startedAt: 'yesterday' }), '"startedAt" must be an ISO 8601 timestamp such as 2026-11-20T03:00:00Z, got "yesterday"'],
    ['a startedAt without time zone', recovered({ startedAt: '2026-11-20T03:00:00' }), '"startedAt" must be an ISO 8601 timestamp'],
    ['an impossible date', recovered({ startedAt: '2026-13-45T03:00:00Z' }), '"startedAt" is not a valid date'],
    ['a numeric incidentTime', recovered({ incidentTime: 1763607300 }), '"incidentTime" must be an ISO 8601 timestamp such as 2026-11-20T03:00:00Z, got number 1763607300'],
    ['recoveryPointTimes not an array', recovered({ recoveryPointTimes: '2026-11-20T02:00:00Z' }), '"recoveryPointTimes" must be an array'],
    ['a bad recovery point time', recovered({ recoveryPointTimes: ['2026-11-20T02:00:00Z', 'x'] }), '"recoveryPointTimes[1]" must be an ISO 8601 timestamp'],
    ['a non-string failedStep', failed({ failedStep: 3 }), '"failedStep" must be a string, got number 3'],
    ['a non-object restore', recovered({ restores: ['arn'] }), '"restores[0]" must be an object'],
    ['a non-string restore ARN', recovered({ restores: [{ resourceType: 'EBS', createdResourceArn: ['arn'] }] }), '"restores[0].createdResourceArn" must be a string, got an array'],
    ['a step without a name', recovered({ steps: [{ endedAt: '2026-11-20T03:01:30Z' }] }), '"steps[0].name" is missing'],
    ['a step with a bad endedAt', recovered({ steps: [{ name: 'LocateData', endedAt: 'soon' }] }), '"steps[0].endedAt" must be an ISO 8601 timestamp'],
  ])('throws, logged, naming the field for %s, without any AWS call', async (_name, input, message) => {
    const promise = run(input);
    await expect(promise).rejects.toThrow(InvalidInputError);
    await expect(promise).rejects.toThrow(message);
    expect(cloudwatchMock.calls()).toHaveLength(0);
    expect(snsMock.calls()).toHaveLength(0);
    expect(logs.error).toEqual([expect.objectContaining({ message: 'Recovery report failed', errorMessage: expect.stringContaining(message) })]);
  });

  it('refuses a topic that is not an SNS topic ARN, without any AWS call', async () => {
    await expect(reportRecovery(recovered(), { ...harness(), topicArn: 'acme-dr-on-call' })).rejects.toThrow('the topic ARN "acme-dr-on-call" is not an SNS topic ARN');
    expect(cloudwatchMock.calls()).toHaveLength(0);
    expect(snsMock.calls()).toHaveLength(0);
  });

  it('accepts null optional fields and Express execution ARNs', async () => {
    const express = `arn:aws:states:${REGION}:222222222222:express:acme-recovery:abc:def`;
    const input = recovered({ executionArn: express, incidentTime: null, recoveryPointTimes: null, restores: null, steps: null, failedStep: null, error: null, cause: null });
    await expect(run(input)).resolves.toMatchObject({ rpoSeconds: null });
  });
});

describe('formatting', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [60, '1m 0s'],
    [2530, '42m 10s'],
    [3600, '1h 0m 0s'],
    [3725, '1h 2m 5s'],
    [90061, '1d 1h 1m 1s'],
  ])('formatDuration(%d) = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('links the execution in the console of its region', () => {
    const arn = 'arn:aws:states:us-west-2:222222222222:execution:acme-recovery:abc';
    expect(executionConsoleUrl(arn, 'us-west-2')).toBe(`https://us-west-2.console.aws.amazon.com/states/home?region=us-west-2#/v2/executions/details/${arn}`);
    expect(parseReportInput(recovered({ executionArn: arn })).executionRegion).toBe('us-west-2');
  });
});
