import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { handlerUnderTest } from '../../helpers/functions/lambda-handler';
import { lambdaContext } from '../../helpers/functions/lambda-context';
import { WORKLOAD_ACCOUNT } from '../../helpers/functions/estate-ids';
import { mockEach } from '../../helpers/functions/mock-each';

// aws-sdk-client-mock patches the clients' prototype, so the clients index.ts creates (at module
// scope, and the central one per invocation) use it.
const [backupMock, stsMock] = mockEach(BackupClient, STSClient);

const ROLE_ARN = 'arn:aws:iam::111111111111:role/acme-central-copy-starter';
const EBS_ARN = 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-0aaaaaaaaaaaaaaa1';
const RDS_ARN = 'arn:aws:rds:ap-northeast-2:333333333333:db:shop-db';
const INPUT = {
  workload: 'shop',
  sourceAccountId: WORKLOAD_ACCOUNT,
  pointInTime: '2026-11-20T00:00:00Z',
  rpoMinutes: 1440,
  resourceTypes: ['EBS', 'RDS'],
  restoreVault: { name: 'acme-dr-restore', accountId: '222222222222', region: 'ap-northeast-1' },
  centralVault: { name: 'acme-central', accountId: '111111111111', region: 'ap-northeast-1', copyStarterRoleArn: ROLE_ARN },
};

const { handler, logLines, expectRefusedBeforeAws } = handlerUnderTest(() => import('../../../functions/locate-recovery-points/index'), [backupMock, stsMock]);

describe('locate-recovery-points handler', () => {
  it('rethrows an invalid input (for the failure branch) after logging it, without any AWS call', async () => {
    await expectRefusedBeforeAws({ ...INPUT, rpoMinutes: 'a day' }, 'Invalid input: rpoMinutes must be a number, got string', { service: 'locate-recovery-points', message: 'Recovery points not located' }, { name: 'InvalidInputError' });
  });

  it('wires the DR clients, the Lambda context, and a central client with the assumed credentials in the central region', async () => {
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIACENTRAL', SecretAccessKey: 'central-secret', SessionToken: 'central-token', Expiration: new Date('2026-11-20T01:00:00Z') },
    });
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'acme-dr-restore' })
      .resolves({
        RecoveryPoints: [
          { ResourceArn: EBS_ARN, ResourceType: 'EBS', Status: 'COMPLETED', RecoveryPointArn: 'arn:aws:ec2:ap-northeast-1::snapshot/snap-0dr0000000000001', CreationDate: new Date('2026-11-19T18:00:00Z') },
        ],
      })
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'acme-central' })
      .resolves({
        RecoveryPoints: [
          { ResourceArn: RDS_ARN, ResourceType: 'RDS', Status: 'COMPLETED', RecoveryPointArn: 'arn:aws:rds:ap-northeast-1:111111111111:snapshot:awsbackup:job-1', CreationDate: new Date('2026-11-19T12:00:00Z') },
        ],
      });
    await expect(handler(INPUT, lambdaContext('locate-recovery-points', 'req-7', 'acme-locate-recovery-points'))).resolves.toEqual({
      workload: 'shop',
      pointInTime: '2026-11-20T00:00:00.000Z',
      ready: [{ resourceArn: EBS_ARN, resourceType: 'EBS', source: 'restoreVault', backupVaultName: 'acme-dr-restore', backupVaultAccountId: '222222222222', recoveryPointArn: 'arn:aws:ec2:ap-northeast-1::snapshot/snap-0dr0000000000001', creationDate: '2026-11-19T18:00:00.000Z', stale: false }],
      toCopy: [{ resourceArn: RDS_ARN, resourceType: 'RDS', centralRecoveryPointArn: 'arn:aws:rds:ap-northeast-1:111111111111:snapshot:awsbackup:job-1', creationDate: '2026-11-19T12:00:00.000Z' }],
      oldestRecoveryPointTime: '2026-11-19T12:00:00.000Z',
    });

    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleArn: ROLE_ARN, RoleSessionName: 'locate-shop', DurationSeconds: 900 }]);
    const [drCall, centralCall] = backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand);
    expect(drCall.args[0].input.BackupVaultName).toBe('acme-dr-restore');
    expect(centralCall.args[0].input.BackupVaultName).toBe('acme-central');
    const drClient = drCall.thisValue as BackupClient;
    const centralClient = centralCall.thisValue as BackupClient;
    expect(centralClient).not.toBe(drClient);
    await expect(centralClient.config.credentials()).resolves.toMatchObject({ accessKeyId: 'ASIACENTRAL', secretAccessKey: 'central-secret', sessionToken: 'central-token' });
    await expect(centralClient.config.region()).resolves.toBe('ap-northeast-1');
    expect(logLines().at(-1)).toMatchObject({ level: 'INFO', service: 'locate-recovery-points', message: 'Recovery points located', function_request_id: 'req-7', ready: 1, toCopy: 1 });
  });
});
