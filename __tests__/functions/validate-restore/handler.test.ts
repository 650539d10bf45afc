import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import completedRecoveryRds from '../../fixtures/events/restore-completed-rds.json';
import testS3 from '../../fixtures/events/restore-test-completed-s3.json';
import { handlerUnderTest } from '../../helpers/functions/lambda-handler';
import { lambdaContext } from '../../helpers/functions/lambda-context';
import { expectErrorLogged } from '../../helpers/functions/error-log-line';
import { mockEach } from '../../helpers/functions/mock-each';

// aws-sdk-client-mock patches the clients' prototype, so the clients index.ts creates at module scope use it.
const [backupMock, ec2Mock, s3Mock, snsMock] = mockEach(BackupClient, EC2Client, S3Client, SNSClient);
const TOPIC_ARN = 'arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call';

const { handler, logLines } = handlerUnderTest(() => import('../../../functions/validate-restore/index'), [backupMock, ec2Mock, s3Mock, snsMock]);

// index.ts reads it per invocation, so it may be set after the module is loaded.
beforeAll(() => {
  process.env.TOPIC_ARN = TOPIC_ARN;
});

afterAll(() => {
  delete process.env.TOPIC_ARN;
});

describe('validate-restore handler', () => {
  it('ignores a restore that restore testing did not start, without calling AWS, logging structured JSON', async () => {
    await expect(handler(completedRecoveryRds)).resolves.toMatchObject({ outcome: 'ignored' });
    expect(backupMock.calls()).toHaveLength(0);
    expect(logLines()).toEqual([expect.objectContaining({ level: 'INFO', message: 'Event ignored', service: 'validate-restore', reason: expect.stringContaining('restoreTestingPlanArn is absent') })]);
  });

  it('rethrows a malformed event (for the dead-letter queue) after logging it as an error', async () => {
    await expect(handler({ source: 'aws.backup' })).rejects.toThrow('Malformed event: "detail" is missing');
    expect(backupMock.calls()).toHaveLength(0);
    expectErrorLogged(logLines(), { service: 'validate-restore', message: 'Restore test not validated', errorMessage: 'Malformed event: "detail" is missing' }, { name: 'MalformedEventError' });
  });

  it('wires the clients, TOPIC_ARN and the Lambda context into the logic: a failed validation is paged and reported', async () => {
    backupMock.on(DescribeRestoreJobCommand).resolves({ Status: 'COMPLETED', CreatedBy: { RestoreTestingPlanArn: testS3.detail.restoreTestingPlanArn } });
    backupMock.on(PutRestoreValidationResultCommand).resolves({});
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await expect(handler(testS3, lambdaContext('acme-validate-restore', 'req-1'))).resolves.toMatchObject({ outcome: 'validated', validationStatus: 'FAILED', notified: true });
    expect(snsMock.commandCalls(PublishCommand)[0].args[0].input).toMatchObject({ TopicArn: TOPIC_ARN });
    expect(backupMock.commandCalls(PutRestoreValidationResultCommand)[0].args[0].input).toMatchObject({ RestoreJobId: testS3.detail.restoreJobId, ValidationStatus: 'FAILED' });
    const lines = logLines();
    expect(lines.find((l) => l.message === 'Restore test failed its validation')).toMatchObject({ level: 'WARN', validationMessage: expect.stringContaining('is empty') });
    expect(lines.find((l) => l.message === 'Validation result reported')).toMatchObject({ level: 'INFO', function_request_id: 'req-1', validationStatus: 'FAILED', notified: true });
  });
});
