import { BackupClient, GetRecoveryPointRestoreMetadataCommand } from '@aws-sdk/client-backup';
import { DescribeInstancesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { handlerUnderTest } from '../../helpers/functions/lambda-handler';
import { lambdaContext } from '../../helpers/functions/lambda-context';
import { mockEach } from '../../helpers/functions/mock-each';

// aws-sdk-client-mock patches the clients' prototype, so the clients index.ts creates at module scope use it.
const [backupMock, ec2Mock] = mockEach(BackupClient, EC2Client);

const SNAPSHOT_RP = 'arn:aws:ec2:ap-northeast-1::snapshot/snap-0f1e2d3c4b5a69788';
const INPUT = {
  workload: 'shop',
  executionName: 'shop-failover-2026-11-20T03-00-00Z',
  recoveryPointArn: SNAPSHOT_RP,
  resourceType: 'EBS',
  resourceArn: 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-0fedcba9876543210',
  restoreVaultName: 'acme-dr-restore',
  target: { availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], subnetIds: [], securityGroupIds: [], nameSuffix: 'dr' },
};

const { handler, logLines, expectRefusedBeforeAws } = handlerUnderTest(() => import('../../../functions/prepare-restore/index'), [backupMock, ec2Mock]);

describe('prepare-restore handler', () => {
  it('rethrows an unsupported resource type (for the failure branch) after logging it, without any AWS call', async () => {
    await expectRefusedBeforeAws({ ...INPUT, resourceType: 'Neptune' }, 'Invalid input: resourceType "Neptune" is not supported', { service: 'prepare-restore', message: 'Restore not prepared' }, { name: 'InvalidInputError' });
  });

  it('wires the Backup and EC2 clients (region from AWS_REGION) and the Lambda context into the logic', async () => {
    backupMock.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { availabilityZone: 'ap-northeast-2c', encrypted: 'true', volumeSize: '100' }, ResourceType: 'EBS' });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'dr:server', Value: 'app' }] }] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1', Placement: { AvailabilityZone: 'ap-northeast-1c' } }] }] });
    await expect(handler(INPUT, lambdaContext('prepare-restore', 'req-9', 'acme-prepare-restore'))).resolves.toEqual({
      resourceType: 'EBS',
      metadata: { availabilityZone: 'ap-northeast-1c', encrypted: 'true', volumeSize: '100' },
      warnings: [],
    });
    const [metadataCall] = backupMock.commandCalls(GetRecoveryPointRestoreMetadataCommand);
    expect(metadataCall.args[0].input).toEqual({ BackupVaultName: 'acme-dr-restore', RecoveryPointArn: SNAPSHOT_RP });
    await expect((metadataCall.thisValue as BackupClient).config.region()).resolves.toBe('ap-northeast-1');
    await expect((ec2Mock.commandCalls(DescribeInstancesCommand)[0].thisValue as EC2Client).config.region()).resolves.toBe('ap-northeast-1');
    expect(logLines().at(-1)).toMatchObject({ level: 'INFO', service: 'prepare-restore', message: 'Restore prepared', function_request_id: 'req-9', resourceType: 'EBS' });
  });
});
