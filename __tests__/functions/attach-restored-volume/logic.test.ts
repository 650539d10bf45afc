import {
  AttachVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type InstanceBlockDeviceMapping,
  type Instance,
  type Volume,
  type VolumeAttachment,
} from '@aws-sdk/client-ec2';
import { BackupClient, ListTagsCommand } from '@aws-sdk/client-backup';
import completedRds from '../../fixtures/events/restore-completed-rds.json';
import created from '../../fixtures/events/restore-created.json';
import failedEc2 from '../../fixtures/events/restore-failed-ec2.json';
import {
  AttachRestoredVolumeError,
  DR_DEVICE_TAG,
  DR_SERVER_TAG,
  MalformedEventError,
  REQUIRED_ACTIONS,
  attachRestoredVolume,
  backoffDelay,
  type AttachOptions,
} from '../../../functions/attach-restored-volume/logic';
import { DR_REGION as REGION } from '../../helpers/functions/estate-ids';
import { recordLogsAndSleeps } from '../../helpers/functions/recorded-logs';
import { throttledFirst } from '../../helpers/functions/throttled-first';
import { expectLoggedRejection } from '../../helpers/functions/logged-rejection';
import { RECOVERY_POINT_ARN, completedEbs } from '../../helpers/functions/ebs-restore-event';
import { mockEach } from '../../helpers/functions/mock-each';

const AZ = 'ap-northeast-1a';
const VOLUME_ID = 'vol-0123456789abcdef0';
const BACKUP_RECOVERY_POINT_ARN = `arn:aws:backup:${REGION}:222222222222:recovery-point:6f7fc1f8-2f2e-40ac-943b-8f8efa9ba99d`;
const INSTANCE_ID = 'i-0aaaaaaaaaaaaaaa1';
const OTHER_INSTANCE_ID = 'i-0bbbbbbbbbbbbbbb2';
const DEVICE = '/dev/sdf';
const SERVER = 'app';

const [ec2Mock, backupMock] = mockEach(EC2Client, BackupClient);
const ec2 = new EC2Client({ region: REGION });
const backup = new BackupClient({ region: REGION });

const DR_TAGS = [
  { Key: DR_SERVER_TAG, Value: SERVER },
  { Key: DR_DEVICE_TAG, Value: DEVICE },
  { Key: 'backup-plan', Value: 'shop' },
];

function volume(overrides: Partial<Volume> = {}): Volume {
  return { VolumeId: VOLUME_ID, State: 'available', AvailabilityZone: AZ, Size: 8, VolumeType: 'gp3', Attachments: [], Tags: DR_TAGS, ...overrides };
}

function attachment(instanceId: string, state: VolumeAttachment['State'], device = DEVICE): VolumeAttachment {
  return { VolumeId: VOLUME_ID, InstanceId: instanceId, State: state, Device: device, DeleteOnTermination: false };
}

function attachedVolume(state: VolumeAttachment['State'] = 'attached', instanceId = INSTANCE_ID): Volume {
  return volume({ State: 'in-use', Attachments: [attachment(instanceId, state)] });
}

function instance(instanceId = INSTANCE_ID, extraMappings: InstanceBlockDeviceMapping[] = []): Instance {
  return {
    InstanceId: instanceId,
    State: { Name: 'running', Code: 16 },
    Placement: { AvailabilityZone: AZ },
    Tags: [{ Key: DR_SERVER_TAG, Value: SERVER }],
    RootDeviceName: '/dev/xvda',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-0root0000000000001', Status: 'attached' } }, ...extraMappings],
  };
}

const EXPECTED_FILTERS = [
  { Name: 'tag:dr:server', Values: [SERVER] },
  { Name: 'availability-zone', Values: [AZ] },
  { Name: 'instance-state-name', Values: ['running'] },
];

function throttle(name = 'RequestLimitExceeded'): Error {
  return Object.assign(new Error('Request limit exceeded.'), { name, $fault: 'client', $metadata: { httpStatusCode: 503 } });
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const { logs, sleeps, logger, sleep } = recordLogsAndSleeps();

function harness(options: Partial<AttachOptions> = {}, random = () => 0.5) {
  return { ec2, backup, logger, sleep, random, options };
}

const run = (event: unknown, options: Partial<AttachOptions> = {}, random?: () => number) => attachRestoredVolume(event, harness(options, random));

function attachInputs() {
  return ec2Mock.commandCalls(AttachVolumeCommand).map((c) => c.args[0].input);
}

function expectNoAwsCall() {
  expect(ec2Mock.calls()).toHaveLength(0);
  expect(backupMock.calls()).toHaveLength(0);
}

/** The volume is never attached: no AttachVolume call, and the error is logged. */
async function expectFailure(promise: Promise<unknown>, message: string | RegExp) {
  await expect(promise).rejects.toThrow(message);
  expect(attachInputs()).toEqual([]);
  expect(logs.error).toHaveLength(1);
  expect(logs.error[0]).toMatchObject({ message: 'Restored volume not attached', errorMessage: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) });
}

beforeEach(() => {
  ec2Mock.reset();
  backupMock.reset();
});

describe('constants', () => {
  it('exports the tag contract and exactly the IAM actions the logic calls', () => {
    expect(DR_SERVER_TAG).toBe('dr:server');
    expect(DR_DEVICE_TAG).toBe('dr:device');
    expect(REQUIRED_ACTIONS).toEqual(['ec2:DescribeVolumes', 'ec2:DescribeInstances', 'ec2:AttachVolume', 'ec2:DescribeSnapshots', 'backup:ListTags']);
  });
});

describe('happy path', () => {
  it('attaches the restored volume to the running instance with the same dr:server in its AZ, then waits for "attached"', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume()] }).resolvesOnce({ Volumes: [attachedVolume('attaching')] }).resolves({ Volumes: [attachedVolume()] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).resolves({ State: 'attaching', VolumeId: VOLUME_ID, InstanceId: INSTANCE_ID, Device: DEVICE });

    await expect(run(completedEbs())).resolves.toEqual({ outcome: 'attached', volumeId: VOLUME_ID, instanceId: INSTANCE_ID, device: DEVICE, availabilityZone: AZ });

    expect(attachInputs()).toEqual([{ Device: DEVICE, InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID }]);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([{ Filters: EXPECTED_FILTERS }]);
    expect(ec2Mock.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input)).toEqual([
      { VolumeIds: [VOLUME_ID] },
      { VolumeIds: [VOLUME_ID] },
      { VolumeIds: [VOLUME_ID] },
    ]);
    expect(ec2Mock.calls()).toHaveLength(5);
    expect(backupMock.calls()).toHaveLength(0); // tags came from the volume
    expect(sleeps).toEqual([3000, 3000]);
    expect(logs.error).toEqual([]);
    expect(logs.warn).toEqual([]);
    expect(logs.info.at(-1)).toEqual({ message: 'Volume attached', outcome: 'attached', volumeId: VOLUME_ID, instanceId: INSTANCE_ID, device: DEVICE, availabilityZone: AZ });
  });

  it('reads the missing tags from the recovery point snapshot (ec2:DescribeSnapshots) when the volume lacks them', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume({ Tags: [{ Key: DR_SERVER_TAG, Value: SERVER }] })] }).resolves({ Volumes: [attachedVolume()] });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-0f1e2d3c4b5a69788', Tags: [{ Key: DR_SERVER_TAG, Value: 'ignored-because-the-volume-has-it' }, { Key: DR_DEVICE_TAG, Value: DEVICE }] }] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).resolves({ State: 'attaching' });

    await expect(run(completedEbs())).resolves.toMatchObject({ outcome: 'attached', device: DEVICE, instanceId: INSTANCE_ID });
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input)).toEqual([{ SnapshotIds: ['snap-0f1e2d3c4b5a69788'] }]);
    expect(backupMock.calls()).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual({ Filters: EXPECTED_FILTERS });
    expect(attachInputs()).toEqual([{ Device: DEVICE, InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID }]);
  });

  it('reads both tags of an AWS Backup recovery point across ListTags pages when the volume has none', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume({ Tags: undefined })] }).resolves({ Volumes: [attachedVolume()] });
    backupMock.on(ListTagsCommand).resolvesOnce({ Tags: { [DR_SERVER_TAG]: SERVER }, NextToken: 'page-2' }).resolves({ Tags: { [DR_DEVICE_TAG]: DEVICE } });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).resolves({});

    await expect(run(completedEbs({ recoveryPointArn: BACKUP_RECOVERY_POINT_ARN }))).resolves.toMatchObject({ outcome: 'attached' });
    expect(backupMock.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArn: BACKUP_RECOVERY_POINT_ARN },
      { ResourceArn: BACKUP_RECOVERY_POINT_ARN, NextToken: 'page-2' },
    ]);
  });

  it('follows DescribeInstances pagination', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume()] }).resolves({ Volumes: [attachedVolume()] });
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [], NextToken: 'page-2' })
      .resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).resolves({});

    await expect(run(completedEbs())).resolves.toMatchObject({ outcome: 'attached', instanceId: INSTANCE_ID });
    expect(ec2Mock.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([{ Filters: EXPECTED_FILTERS }, { Filters: EXPECTED_FILTERS, NextToken: 'page-2' }]);
  });
});

describe('idempotency', () => {
  it('a duplicate delivery returns already-attached and makes no AttachVolume call', async () => {
    let attachedTo: string | undefined;
    ec2Mock.on(DescribeVolumesCommand).callsFake(() => ({ Volumes: [attachedTo ? attachedVolume('attached', attachedTo) : volume()] }));
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).callsFake((input: { InstanceId: string }) => {
      attachedTo = input.InstanceId;
      return { State: 'attaching' };
    });
    const event = completedEbs();

    await expect(run(event)).resolves.toMatchObject({ outcome: 'attached' });
    expect(ec2Mock.commandCalls(AttachVolumeCommand)).toHaveLength(1);

    await expect(run(event)).resolves.toEqual({ outcome: 'already-attached', volumeId: VOLUME_ID, instanceId: INSTANCE_ID, device: DEVICE, availabilityZone: AZ });
    expect(attachInputs()).toEqual([{ Device: DEVICE, InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID }]); // still only the first
    expect(logs.error).toEqual([]);
  });

  it('an attachment still "attaching" to the instance counts as already attached', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [attachedVolume('attaching')] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(INSTANCE_ID, [{ DeviceName: DEVICE, Ebs: { VolumeId: VOLUME_ID } }])] }] });

    await expect(run(completedEbs())).resolves.toMatchObject({ outcome: 'already-attached', instanceId: INSTANCE_ID });
    expect(attachInputs()).toEqual([]);
    expect(sleeps).toEqual([]);
  });

  it('fails, naming both instances, when the volume is attached to another instance', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [attachedVolume('attached', OTHER_INSTANCE_ID)] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });

    await expectFailure(
      run(completedEbs()),
      `volume ${VOLUME_ID} is attached to instance ${OTHER_INSTANCE_ID} (attached), not to instance ${INSTANCE_ID}, the running instance with dr:server=app in ${AZ}; not attaching`,
    );
  });

  it('AttachVolume race: VolumeInUse, then the re-described volume is attached to the instance: already-attached', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume()] }).resolves({ Volumes: [attachedVolume('attached')] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).rejects(awsError('VolumeInUse', `${VOLUME_ID} is already attached to an instance`));

    await expect(run(completedEbs())).resolves.toEqual({ outcome: 'already-attached', volumeId: VOLUME_ID, instanceId: INSTANCE_ID, device: DEVICE, availabilityZone: AZ });
    expect(attachInputs()).toEqual([{ Device: DEVICE, InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID }]);
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)).toHaveLength(2);
    expect(sleeps).toEqual([]);
    expect(logs.warn).toEqual([expect.objectContaining({ message: expect.stringContaining('AttachVolume failed with VolumeInUse') })]);
  });

  it('AttachVolume race: IncorrectState while the volume went to another instance: error', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume()] }).resolves({ Volumes: [attachedVolume('attached', OTHER_INSTANCE_ID)] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).rejects(awsError('IncorrectState', `vol is 'in-use'`));

    await expect(run(completedEbs())).rejects.toThrow(
      `AttachVolume(${VOLUME_ID} to ${INSTANCE_ID} at ${DEVICE}) failed with IncorrectState and the volume is not attached to ${INSTANCE_ID} (volume state "in-use", attachments: ${OTHER_INSTANCE_ID} (attached))`,
    );
    expect(ec2Mock.commandCalls(AttachVolumeCommand)).toHaveLength(1);
    expect(logs.error).toHaveLength(1);
  });
});

describe('instance and device checks', () => {
  beforeEach(() => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume()] });
  });

  it('fails when no running instance has the dr:server tag in the AZ', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await expectFailure(run(completedEbs()), `no running instance with dr:server=app in ${AZ}`);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual({ Filters: EXPECTED_FILTERS });
  });

  it('fails listing the instance IDs when several are candidates (across pages)', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance(OTHER_INSTANCE_ID)] }], NextToken: 'next' })
      .resolves({ Reservations: [{ Instances: [instance(INSTANCE_ID)] }] });
    await expectFailure(run(completedEbs()), `2 running instances with dr:server=app in ${AZ}: ${INSTANCE_ID}, ${OTHER_INSTANCE_ID}; expected exactly one, not attaching`);
  });

  it('fails naming the device, the instance and the other volume when the device name is taken', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [instance(INSTANCE_ID, [{ DeviceName: DEVICE, Ebs: { VolumeId: 'vol-0ccccccccccccccc3', Status: 'attached' } }])] }],
    });
    await expectFailure(run(completedEbs()), `device ${DEVICE} on instance ${INSTANCE_ID} is already used by vol-0ccccccccccccccc3; not attaching volume ${VOLUME_ID}`);
  });
});

describe('volume state', () => {
  it.each(['error', 'deleting', 'deleted'] as const)('fails without any further call when the volume is "%s"', async (state) => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ State: state })] });
    await expectFailure(run(completedEbs()), `volume ${VOLUME_ID} is in state "${state}"; it must be "available" to be attached`);
    expect(ec2Mock.calls()).toHaveLength(1);
    expect(backupMock.calls()).toHaveLength(0);
  });

  it('waits while the volume is "creating", then attaches', async () => {
    ec2Mock
      .on(DescribeVolumesCommand)
      .resolvesOnce({ Volumes: [volume({ State: 'creating' })] })
      .resolvesOnce({ Volumes: [volume({ State: 'creating' })] })
      .resolvesOnce({ Volumes: [volume()] })
      .resolves({ Volumes: [attachedVolume()] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).resolves({});

    await expect(run(completedEbs())).resolves.toMatchObject({ outcome: 'attached' });
    expect(sleeps).toEqual([3000, 3000, 3000]); // two while creating, one before the attachment check
    expect(attachInputs()).toEqual([{ Device: DEVICE, InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID }]);
    expect(logs.warn.map((l) => l.message)).toEqual(['Volume still creating; waiting', 'Volume still creating; waiting']);
  });

  it('gives up, bounded, when the volume stays "creating"', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ State: 'creating' })] });
    await expectFailure(run(completedEbs(), { maxAvailableChecks: 4, pollIntervalMs: 1000 }), `volume ${VOLUME_ID} is still in state "creating" after 4 checks 1000 ms apart; not attaching`);
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)).toHaveLength(5);
    expect(sleeps).toEqual([1000, 1000, 1000, 1000]);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });

  it('fails when the volume is not found', async () => {
    ec2Mock.on(DescribeVolumesCommand).rejects(awsError('InvalidVolume.NotFound', `The volume '${VOLUME_ID}' does not exist.`));
    await expectFailure(run(completedEbs()), `DescribeVolumes(${VOLUME_ID}) failed: InvalidVolume.NotFound: The volume '${VOLUME_ID}' does not exist.`);
    expect(ec2Mock.calls()).toHaveLength(1); // not retried
    expect(sleeps).toEqual([]);
  });

  it('times out, naming the volume and the instance, when the attachment never completes', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolvesOnce({ Volumes: [volume()] }).resolves({ Volumes: [attachedVolume('attaching')] });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).resolves({ State: 'attaching' });

    const promise = run(completedEbs());
    await expect(promise).rejects.toThrow(AttachRestoredVolumeError);
    await expect(promise).rejects.toThrow(
      `timed out waiting for volume ${VOLUME_ID} to be attached to instance ${INSTANCE_ID} at ${DEVICE} (20 checks 3000 ms apart; last seen: attachment state "attaching")`,
    );
    expect(sleeps).toEqual(Array(20).fill(3000));
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)).toHaveLength(21);
    expect(ec2Mock.commandCalls(AttachVolumeCommand)).toHaveLength(1);
    expect(logs.error).toHaveLength(1);
  });
});

describe('tags', () => {
  it('fails naming the tag missing on both the volume and the recovery point', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ Tags: [{ Key: DR_SERVER_TAG, Value: SERVER }] })] });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ Tags: [{ Key: 'backup-plan', Value: 'shop' }] }] });
    await expectFailure(run(completedEbs()), `tag(s) dr:device missing on volume ${VOLUME_ID} and on its recovery point ${RECOVERY_POINT_ARN}`);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });

  it('treats blank tag values as missing', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ Tags: [{ Key: DR_SERVER_TAG, Value: ' ' }, { Key: DR_DEVICE_TAG, Value: '' }] })] });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    await expectFailure(run(completedEbs()), `tag(s) dr:server, dr:device missing on volume ${VOLUME_ID} and on its recovery point ${RECOVERY_POINT_ARN}`);
  });

  it('fails without ListTags when the event has no recoveryPointArn', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ Tags: [] })] });
    await expectFailure(run(completedEbs({ recoveryPointArn: undefined })), `volume ${VOLUME_ID} lacks tag(s) dr:server, dr:device and the event has no detail.recoveryPointArn to read them from`);
    expect(backupMock.calls()).toHaveLength(0);
  });

  it('fails clearly when ListTags fails', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume({ Tags: [] })] });
    backupMock.on(ListTagsCommand).rejects(awsError('InvalidParameterValueException', 'Resource type not supported'));
    await expectFailure(run(completedEbs({ recoveryPointArn: BACKUP_RECOVERY_POINT_ARN })), `ListTags(${BACKUP_RECOVERY_POINT_ARN}) failed: InvalidParameterValueException: Resource type not supported`);
  });
});

describe('throttling', () => {
  it('retries throttled calls with growing, jittered backoff, then succeeds', async () => {
    throttledFirst(ec2Mock.on(DescribeVolumesCommand), throttle(), throttle(), throttle())
      .resolvesOnce({ Volumes: [volume({ Tags: [] })] })
      .resolves({ Volumes: [attachedVolume()] });
    ec2Mock.on(DescribeSnapshotsCommand).rejectsOnce(throttle('ThrottlingException')).resolves({ Snapshots: [{ Tags: [{ Key: DR_SERVER_TAG, Value: SERVER }, { Key: DR_DEVICE_TAG, Value: DEVICE }] }] });
    ec2Mock.on(DescribeInstancesCommand).rejectsOnce(throttle('Throttling')).resolves({ Reservations: [{ Instances: [instance()] }] });
    ec2Mock.on(AttachVolumeCommand).rejectsOnce(throttle('TooManyRequestsException')).resolves({ State: 'attaching' });

    await expect(run(completedEbs())).resolves.toMatchObject({ outcome: 'attached' });
    // random() = 0.5: 3/4 of 250, 500, 1000 ms for DescribeVolumes, then the first retry of each other call, then the attach poll.
    expect(sleeps).toEqual([188, 375, 750, 188, 188, 188, 3000]);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]);
    expect(sleeps[2]).toBeGreaterThan(sleeps[1]);
    expect(attachInputs()).toEqual([
      { Device: DEVICE, InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID },
      { Device: DEVICE, InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID },
    ]);
    expect(logs.warn.map((l) => [l.operation, l.errorCode, l.attempt])).toEqual([
      [`DescribeVolumes(${VOLUME_ID})`, 'RequestLimitExceeded', 1],
      [`DescribeVolumes(${VOLUME_ID})`, 'RequestLimitExceeded', 2],
      [`DescribeVolumes(${VOLUME_ID})`, 'RequestLimitExceeded', 3],
      ['DescribeSnapshots(snap-0f1e2d3c4b5a69788)', 'ThrottlingException', 1],
      [`DescribeInstances(dr:server=app, ${AZ})`, 'Throttling', 1],
      [`AttachVolume(${VOLUME_ID} to ${INSTANCE_ID} at ${DEVICE})`, 'TooManyRequestsException', 1],
    ]);
    expect(logs.error).toEqual([]);
  });

  it('gives up after a bounded number of attempts with a clear error, never attaching', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume()] });
    ec2Mock.on(DescribeInstancesCommand).rejects(throttle('RequestLimitExceeded'));

    await expectFailure(run(completedEbs()), `DescribeInstances(dr:server=app, ${AZ}) was throttled (RequestLimitExceeded) on all 6 attempts; giving up`);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(6);
    expect(sleeps).toEqual([188, 375, 750, 1500, 3000]);
  });

  it('jitter stays within [half, full] of the capped exponential delay', () => {
    const options = { baseBackoffMs: 100, maxBackoffMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0, options))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0.999999, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('jittered delays differ with the random source', async () => {
    ec2Mock.on(DescribeVolumesCommand).rejects(throttle());
    await expect(run(completedEbs(), { maxThrottleAttempts: 3 }, () => 0)).rejects.toThrow('was throttled (RequestLimitExceeded) on all 3 attempts');
    expect(sleeps).toEqual([125, 250]);
  });
});

describe('events that are not acted on', () => {
  it.each([
    ['the documented CREATED event (state, no status)', created],
    ['the documented COMPLETED RDS event', completedRds],
    ['the documented FAILED EC2 event', failedEc2],
    ['a FAILED EBS event', completedEbs({ status: 'FAILED', createdResourceArn: undefined })],
    ['an ABORTED EBS event', completedEbs({ status: 'ABORTED' })],
  ])('ignores %s without any AWS call', async (_name, event) => {
    await expect(run(event)).resolves.toEqual({ outcome: 'ignored', reason: expect.any(String) });
    expectNoAwsCall();
    expect(logs.info).toEqual([{ message: 'Event ignored', reason: expect.any(String) }]);
    expect(logs.error).toEqual([]);
  });

  it.each([
    ['no detail', { source: 'aws.backup', 'detail-type': 'Restore Job State Change' }, '"detail" is missing'],
    ['not an object', 'not-an-event', 'expected an EventBridge event object, got string'],
    ['a non-string createdResourceArn', completedEbs({ createdResourceArn: ['arn'] }), 'detail.createdResourceArn must be a string, got array'],
    ['no createdResourceArn', completedEbs({ createdResourceArn: undefined }), 'detail.createdResourceArn is missing'],
    ['a createdResourceArn that is not a volume', completedEbs({ createdResourceArn: 'arn:aws:ec2:ap-northeast-1::image/ami-12b3456dfb7f8cf90' }), 'is not an EBS volume ARN'],
  ])('throws a logged MalformedEventError for %s, without any AWS call', async (_name, event, message) => {
    await expectLoggedRejection(run(event), MalformedEventError, message, logs.error, 'Restored volume not attached');
    expectNoAwsCall();
  });

  it('refuses a volume of another region than its EC2 client, without any AWS call', async () => {
    const arn = `arn:aws:ec2:us-east-1:222222222222:volume/${VOLUME_ID}`;
    await expect(run(completedEbs({ createdResourceArn: arn }))).rejects.toThrow(`volume ${VOLUME_ID} is in us-east-1 but this function works in ${REGION}; not attaching`);
    expectNoAwsCall();
  });
});
