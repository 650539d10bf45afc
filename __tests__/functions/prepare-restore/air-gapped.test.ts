import { BackupClient, GetRecoveryPointRestoreMetadataCommand, ListTagsCommand } from '@aws-sdk/client-backup';
import { DescribeInstancesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { InvalidInputError, prepareRestore, type Logger } from '../../../functions/prepare-restore/logic';
import { mockEach } from '../../helpers/functions/mock-each';

/**
 * A recovery point of the logically air-gapped vault shared with the DR account through AWS RAM is
 * restored in place: its restore metadata is read from that vault, naming the owner account
 * (`BackupVaultAccountId`), and an EBS point's `dr:server` comes from AWS Backup's ListTags (every
 * point in such a vault has an AWS Backup recovery-point ARN, never a snapshot ARN).
 */

const REGION = 'ap-northeast-1';
const OWNER = '111111111111';
const AG_POINT = `arn:aws:backup:${REGION}:${OWNER}:recovery-point:9a8b7c6d-1111-2222-3333-444455556666`;
const VOLUME_ARN = 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-0fedcba9876543210';
const TARGET = { availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], subnetIds: ['subnet-0aaaaaaaaaaaaaaa1'], securityGroupIds: ['sg-0aaaaaaaaaaaaaaa1'], nameSuffix: 'dr' };

const [backupMock, ec2Mock] = mockEach(BackupClient, EC2Client);
const backup = new BackupClient({ region: REGION });
const ec2 = new EC2Client({ region: REGION });
const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const run = (event: unknown) => prepareRestore(event, { backup, ec2, logger, sleep: async () => undefined, random: () => 0.5 });

const event = (overrides: Record<string, unknown> = {}) => ({
  workload: 'shop',
  executionName: 'shop-drill-1',
  recoveryPointArn: AG_POINT,
  resourceType: 'EBS',
  resourceArn: VOLUME_ARN,
  restoreVaultName: 'acme-air-gapped',
  backupVaultAccountId: OWNER,
  target: TARGET,
  ...overrides,
});

beforeEach(() => {
  backupMock.reset();
  ec2Mock.reset();
  backupMock.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { availabilityZone: 'ap-northeast-2a', volumeSize: '100', encrypted: 'true' }, ResourceType: 'EBS' });
  backupMock.on(ListTagsCommand).resolves({ Tags: { 'dr:server': 'app' } });
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1', Placement: { AvailabilityZone: 'ap-northeast-1a' } }] }] });
});

describe('a recovery point of the shared air-gapped vault', () => {
  it('reads its restore metadata from that vault, naming the owner account, and its dr:server with ListTags', async () => {
    await expect(run(event())).resolves.toEqual({ resourceType: 'EBS', metadata: { availabilityZone: 'ap-northeast-1a', encrypted: 'true', volumeSize: '100' }, warnings: [] });
    expect(backupMock.commandCalls(GetRecoveryPointRestoreMetadataCommand).map((c) => c.args[0].input)).toEqual([
      { BackupVaultName: 'acme-air-gapped', RecoveryPointArn: AG_POINT, BackupVaultAccountId: OWNER },
    ]);
    expect(backupMock.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([{ ResourceArn: AG_POINT }]);
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
  });

  it('a point of the DR restore vault (no backupVaultAccountId) is read as before', async () => {
    await run(event({ restoreVaultName: 'acme-dr-restore', backupVaultAccountId: undefined }));
    expect(backupMock.commandCalls(GetRecoveryPointRestoreMetadataCommand).map((c) => c.args[0].input)).toEqual([{ BackupVaultName: 'acme-dr-restore', RecoveryPointArn: AG_POINT }]);
  });

  it('refuses an owner account that is not one, without any AWS call', async () => {
    await expect(run(event({ backupVaultAccountId: '1111' }))).rejects.toThrow(InvalidInputError);
    await expect(run(event({ backupVaultAccountId: '1111' }))).rejects.toThrow('Invalid input: backupVaultAccountId must be a 12-digit AWS account ID, got "1111"');
    expect(backupMock.calls()).toHaveLength(0);
  });
});
