import { AttachVolumeCommand, DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { BackupClient } from '@aws-sdk/client-backup';
import completedRds from '../../fixtures/events/restore-completed-rds.json';
import { handlerUnderTest } from '../../helpers/functions/lambda-handler';
import { lambdaContext } from '../../helpers/functions/lambda-context';
import { expectErrorLogged } from '../../helpers/functions/error-log-line';
import { mockEach } from '../../helpers/functions/mock-each';

// aws-sdk-client-mock patches the clients' prototype, so the clients index.ts creates at module scope use it.
const [ec2Mock, backupMock] = mockEach(EC2Client, BackupClient);

const VOLUME_ID = 'vol-0123456789abcdef0';
const INSTANCE_ID = 'i-0aaaaaaaaaaaaaaa1';
const completedEbs = {
  ...completedRds,
  detail: {
    ...completedRds.detail,
    resourceType: 'EBS',
    recoveryPointArn: 'arn:aws:ec2:ap-northeast-1::snapshot/snap-0f1e2d3c4b5a69788',
    createdResourceArn: `arn:aws:ec2:ap-northeast-1:222222222222:volume/${VOLUME_ID}`,
  },
};

const { handler, logLines, expectNoAwsCall } = handlerUnderTest(() => import('../../../functions/attach-restored-volume/index'), [ec2Mock, backupMock]);

describe('attach-restored-volume handler', () => {
  it('ignores a non-EBS restore without calling AWS, logging structured JSON', async () => {
    await expect(handler(completedRds)).resolves.toEqual({ outcome: 'ignored', reason: 'resourceType "RDS" is not EBS' });
    expectNoAwsCall();
    expect(logLines()).toEqual([expect.objectContaining({ level: 'INFO', message: 'Event ignored', service: 'attach-restored-volume', reason: 'resourceType "RDS" is not EBS' })]);
  });

  it('rethrows a malformed event (for the on-failure destination) after logging it as an error', async () => {
    await expect(handler({ source: 'aws.backup' })).rejects.toThrow('Malformed event: "detail" is missing');
    expect(ec2Mock.calls()).toHaveLength(0);
    expectErrorLogged(logLines(), { service: 'attach-restored-volume', message: 'Restored volume not attached', errorMessage: 'Malformed event: "detail" is missing' }, { name: 'MalformedEventError', message: 'Malformed event: "detail" is missing' });
  });

  it('wires the EC2 client (region from AWS_REGION) and the Lambda context into the logic', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({
      Volumes: [
        {
          VolumeId: VOLUME_ID,
          State: 'in-use',
          AvailabilityZone: 'ap-northeast-1a',
          Attachments: [{ VolumeId: VOLUME_ID, InstanceId: INSTANCE_ID, State: 'attached', Device: '/dev/sdf' }],
          Tags: [
            { Key: 'dr:server', Value: 'app' },
            { Key: 'dr:device', Value: '/dev/sdf' },
          ],
        },
      ],
    });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE_ID }] }] });
    await expect(handler(completedEbs, lambdaContext('attach-restored-volume', 'req-1'))).resolves.toEqual({
      outcome: 'already-attached',
      volumeId: VOLUME_ID,
      instanceId: INSTANCE_ID,
      device: '/dev/sdf',
      availabilityZone: 'ap-northeast-1a',
    });
    expect(ec2Mock.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input)).toEqual([{ VolumeIds: [VOLUME_ID] }]);
    expect(ec2Mock.commandCalls(AttachVolumeCommand)).toHaveLength(0);
    expect(backupMock.calls()).toHaveLength(0);
    expect(logLines().at(-1)).toMatchObject({ level: 'INFO', message: 'Volume already attached', function_request_id: 'req-1', instanceId: INSTANCE_ID });
  });
});
