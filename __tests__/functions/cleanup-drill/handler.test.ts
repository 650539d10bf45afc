import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteVolumeCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { DeleteDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { handlerUnderTest } from '../../helpers/functions/lambda-handler';
import { lambdaContext } from '../../helpers/functions/lambda-context';
import { DR_ACCOUNT, DR_REGION } from '../../helpers/functions/estate-ids';
import { mockEach } from '../../helpers/functions/mock-each';

// aws-sdk-client-mock patches the clients' prototype, so the clients index.ts creates at module scope use it.
const mocks = mockEach(EC2Client, RDSClient, DynamoDBClient, EFSClient, AutoScalingClient);
const [ec2Mock, rdsMock, dynamodbMock, efsMock, autoScalingMock] = mocks;

const VOLUME_ARN = 'arn:aws:ec2:ap-northeast-1:222222222222:volume/vol-0123456789abcdef0';
const DB_ARN = 'arn:aws:rds:ap-northeast-1:222222222222:db:shop-db-drill';
const TABLE_ARN = 'arn:aws:dynamodb:ap-northeast-1:222222222222:table/shop-orders-drill';
const input = {
  mode: 'drill',
  executionName: 'shop-drill-2026-11-20',
  accountId: DR_ACCOUNT,
  region: DR_REGION,
  restores: [
    { resourceType: 'EBS', createdResourceArn: VOLUME_ARN },
    { resourceType: 'RDS', createdResourceArn: DB_ARN },
    { resourceType: 'DynamoDB', createdResourceArn: TABLE_ARN },
  ],
  autoScalingGroups: ['acme-shop-app'],
};

const { handler, logLines, expectNoAwsCall, expectRefusedBeforeAws } = handlerUnderTest(() => import('../../../functions/cleanup-drill/index'), mocks);

describe('cleanup-drill handler', () => {
  it('wires the five clients (region from AWS_REGION) and the Lambda context into the logic', async () => {
    autoScalingMock.on(UpdateAutoScalingGroupCommand).resolves({});
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-0123456789abcdef0', State: 'available', Attachments: [] }] });
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
    dynamodbMock.on(DeleteTableCommand).resolves({});
    await expect(handler(input, lambdaContext('cleanup-drill', 'req-1'))).resolves.toEqual({ deleted: [TABLE_ARN, VOLUME_ARN, DB_ARN].sort(), skipped: [], scaledToZero: ['acme-shop-app'] });
    expect(autoScalingMock.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(1);
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1);
    expect(dynamodbMock.commandCalls(DeleteTableCommand)).toHaveLength(1);
    expect(efsMock.calls()).toHaveLength(0);
    expect(logLines().at(-1)).toMatchObject({ level: 'INFO', service: 'cleanup-drill', message: 'Drill cleaned up', function_request_id: 'req-1', executionName: 'shop-drill-2026-11-20' });
  });

  it('refuses a failover, logged as an error, without any AWS call', async () => {
    await expectRefusedBeforeAws({ ...input, mode: 'failover' }, 'refusing to clean up after a failover', { service: 'cleanup-drill', message: 'Drill cleanup failed' }, { name: 'CleanupRefusedError' });
  });

  it('rethrows an invalid input, naming the field', async () => {
    await expect(handler({ ...input, accountId: 'me' })).rejects.toThrow('Invalid input: "accountId" must be a 12-digit AWS account ID, got "me"');
    expectNoAwsCall();
  });
});
