import { BackupClient, GetRestoreTestingPlanCommand, ListRecoveryPointsByBackupVaultCommand, ListRestoreJobsCommand } from '@aws-sdk/client-backup';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { handlerUnderTest } from '../../helpers/functions/lambda-handler';
import { lambdaContext } from '../../helpers/functions/lambda-context';
import { readinessFacts } from '../../helpers/functions/readiness-input';
import { mockEach } from '../../helpers/functions/mock-each';

// aws-sdk-client-mock patches the clients' prototype, so the clients index.ts creates at module scope
// (and the central vault's client its factory creates with the reader role's credentials) use it.
const [backupMock, stsMock, sfnMock, cwMock, s3Mock] = mockEach(BackupClient, STSClient, SFNClient, CloudWatchClient, S3Client);
mockEach(SSMClient, EC2Client, AutoScalingClient);

const input = {
  ...readinessFacts(),
  workloads: [{ name: 'shop', accountId: '333333333333', rpoMinutes: 1440, rtoMinutes: 240, resourceTypes: ['EBS'], servers: [] }],
};

const { handler, logLines } = handlerUnderTest(() => import('../../../functions/check-readiness/index'), [backupMock, stsMock, sfnMock, cwMock, s3Mock]);

beforeEach(() => {
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() } });
  backupMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({
    RecoveryPoints: [{ ResourceArn: 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-1', ResourceType: 'EBS', RecoveryPointArn: 'arn:aws:ec2:ap-northeast-1::snapshot/snap-1', CreationDate: new Date(Date.now() - 3_600_000), Status: 'COMPLETED' }],
  });
  backupMock.on(GetRestoreTestingPlanCommand).rejects(new Error('not called without restoreTesting'));
  backupMock.on(ListRestoreJobsCommand).rejects(new Error('not called without restoreTesting'));
  sfnMock.on(DescribeStateMachineCommand).resolves({ status: 'ACTIVE' } as never);
  cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'rto', Timestamps: [new Date(Date.now() - 86_400_000)], Values: [1200] }] });
  cwMock.on(PutMetricDataCommand).resolves({});
  s3Mock.on(PutObjectCommand).resolves({});
});

describe('check-readiness handler', () => {
  it('checks the workload in the input, writes the report and logs with the Lambda context', async () => {
    const result = await handler(input, lambdaContext('acme-recovery-readiness-checker', 'req-1'));
    expect(result).toMatchObject({ ready: true, reportBucket: 'acme-dr-readiness-222222222222-ap-northeast-1', notReady: [] });
    expect(result.reportKeys).toEqual([expect.stringMatching(/^reports\/\d{4}-\d{2}-\d{2}\/readiness\.json$/), 'reports/latest.json']);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe('arn:aws:iam::111111111111:role/acme-central-vault-reader');
    expect(logLines().at(-1)).toMatchObject({ level: 'INFO', service: 'check-readiness', message: 'Readiness checked', function_request_id: 'req-1', estate: 'acme' });
  });

  it('returns a not-ready estate as a result, not an error', async () => {
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const result = await handler(input);
    expect(result.ready).toBe(false);
    expect(result.notReady).toEqual([{ workload: 'shop', check: 'DrillRto', reason: expect.stringContaining('no drill measured') }]);
  });

  it('rethrows an invalid input, naming the field, after logging it as an error', async () => {
    await expect(handler({ ...input, workloads: [] })).rejects.toThrow('Invalid input: workloads must list at least one workload');
    const [line] = logLines();
    expect(line).toMatchObject({ level: 'ERROR', service: 'check-readiness', message: 'Readiness check failed' });
    expect(s3Mock.calls()).toHaveLength(0);
  });
});
