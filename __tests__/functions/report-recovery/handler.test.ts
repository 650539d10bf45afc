import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { handlerUnderTest } from '../../helpers/functions/lambda-handler';
import { lambdaContext } from '../../helpers/functions/lambda-context';
import { expectErrorLogged } from '../../helpers/functions/error-log-line';
import { mockEach } from '../../helpers/functions/mock-each';

// aws-sdk-client-mock patches the clients' prototype, so the clients index.ts creates at module scope use it.
const [cloudwatchMock, snsMock] = mockEach(CloudWatchClient, SNSClient);

const TOPIC_ARN = 'arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call';
const input = {
  workload: 'shop',
  mode: 'drill',
  executionArn: 'arn:aws:states:ap-northeast-1:222222222222:execution:acme-recovery:abc',
  outcome: 'failed',
  startedAt: '2026-11-20T03:00:00Z',
  recoveryPointTimes: [],
  failedStep: 'RestoreData',
};

const { handler, logLines, expectNoAwsCall } = handlerUnderTest(() => import('../../../functions/report-recovery/index'), [cloudwatchMock, snsMock]);

beforeEach(() => {
  cloudwatchMock.on(PutMetricDataCommand).resolves({});
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  process.env.TOPIC_ARN = TOPIC_ARN;
  delete process.env.METRIC_NAMESPACE;
});

afterAll(() => {
  delete process.env.TOPIC_ARN;
});

describe('report-recovery handler', () => {
  it('publishes to TOPIC_ARN in the default namespace DisasterRecovery, with the Lambda context in its logs', async () => {
    await expect(handler(input, lambdaContext('report-recovery', 'req-1'))).resolves.toEqual({ rtoSeconds: null, rpoSeconds: null, published: true, warnings: [] });
    expect(cloudwatchMock.commandCalls(PutMetricDataCommand)[0].args[0].input.Namespace).toBe('DisasterRecovery');
    expect(snsMock.commandCalls(PublishCommand)[0].args[0].input).toMatchObject({ TopicArn: TOPIC_ARN, Subject: '[DR drill] shop FAILED at RestoreData' });
    expect(logLines().at(-1)).toMatchObject({ level: 'INFO', service: 'report-recovery', message: 'Summary published', function_request_id: 'req-1', workload: 'shop' });
  });

  it('uses METRIC_NAMESPACE when set', async () => {
    process.env.METRIC_NAMESPACE = 'Acme/DR';
    await handler(input);
    expect(cloudwatchMock.commandCalls(PutMetricDataCommand)[0].args[0].input.Namespace).toBe('Acme/DR');
  });

  it('fails clearly, logged, without any AWS call when TOPIC_ARN is not set', async () => {
    delete process.env.TOPIC_ARN;
    await expect(handler(input)).rejects.toThrow('environment variable TOPIC_ARN is not set');
    expectNoAwsCall();
    expect(logLines()).toEqual([expect.objectContaining({ level: 'ERROR', service: 'report-recovery', message: 'Recovery report failed' })]);
  });

  it('rethrows an invalid input, naming the field, after logging it as an error', async () => {
    await expect(handler({ ...input, startedAt: 'now' })).rejects.toThrow('Invalid input: "startedAt" must be an ISO 8601 timestamp');
    expectErrorLogged(logLines(), { service: 'report-recovery', message: 'Recovery report failed' }, { name: 'InvalidInputError' });
  });
});
