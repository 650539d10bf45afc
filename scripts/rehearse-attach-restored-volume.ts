/**
 * Rehearses attach-restored-volume locally on an EventBridge event, against an in-memory EC2 (no AWS
 * account, no credentials): a restored volume tagged dr:server/dr:device and one running recovery
 * instance in the same Availability Zone. The event is delivered twice, as EventBridge may do.
 *
 *   npm run rehearse:attach                       # the documented COMPLETED EBS restore event
 *   npm run rehearse:attach -- path/to/event.json # your own event
 */
import * as fs from 'fs';
import * as path from 'path';
import { mockClient } from 'aws-sdk-client-mock';
import { AttachVolumeCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client, type Volume } from '@aws-sdk/client-ec2';
import { BackupClient, ListTagsCommand } from '@aws-sdk/client-backup';
import { attachRestoredVolume } from '../functions/attach-restored-volume/logic';

const eventFile = process.argv[2] ?? path.join(__dirname, '..', '__tests__', 'fixtures', 'events', 'restore-completed-ebs.json');
const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'));
const volumeId = /volume\/(vol-[0-9a-f]+)/.exec(String(event?.detail?.createdResourceArn))?.[1] ?? 'vol-0123456789abcdef0';
const region = String(event?.region ?? 'ap-northeast-1');
const az = `${region}a`;
const instanceId = 'i-0rehearsal00000001';

// The in-memory estate: the volume becomes attached once AttachVolume was called.
let attached = false;
const volume = (): Volume => ({
  VolumeId: volumeId,
  AvailabilityZone: az,
  State: attached ? 'in-use' : 'available',
  Tags: [{ Key: 'dr:server', Value: 'app' }, { Key: 'dr:device', Value: '/dev/sdf' }],
  Attachments: attached ? [{ InstanceId: instanceId, VolumeId: volumeId, Device: '/dev/sdf', State: 'attached' }] : [],
});
const ec2 = new EC2Client({ region });
const backup = new BackupClient({ region });
const ec2Mock = mockClient(ec2);
const backupMock = mockClient(backup);
ec2Mock.on(DescribeVolumesCommand).callsFake(() => ({ Volumes: [volume()] }));
ec2Mock.on(DescribeInstancesCommand).resolves({
  Reservations: [{ Instances: [{ InstanceId: instanceId, Placement: { AvailabilityZone: az }, State: { Name: 'running' }, Tags: [{ Key: 'dr:server', Value: 'app' }], BlockDeviceMappings: [] }] }],
});
ec2Mock.on(AttachVolumeCommand).callsFake(() => {
  attached = true;
  return { State: 'attaching' };
});
ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
backupMock.on(ListTagsCommand).resolves({ Tags: {} });

const logger = {
  info: (message: string, ...attrs: Record<string, unknown>[]) => console.log(JSON.stringify({ level: 'INFO', message, ...Object.assign({}, ...attrs) })),
  warn: (message: string, ...attrs: Record<string, unknown>[]) => console.log(JSON.stringify({ level: 'WARN', message, ...Object.assign({}, ...attrs) })),
  error: (message: string, ...attrs: Record<string, unknown>[]) => console.log(JSON.stringify({ level: 'ERROR', message, ...Object.assign({}, ...attrs) })),
};

async function main(): Promise<void> {
  for (const delivery of ['first delivery', 'duplicate delivery']) {
    console.log(`--- ${delivery} of ${path.basename(eventFile)}`);
    const outcome = await attachRestoredVolume(event, { ec2, backup, logger, sleep: async () => undefined });
    console.log(`outcome: ${JSON.stringify(outcome)}`);
  }
  const calls = ec2Mock.calls().map((c) => `${c.args[0].constructor.name} ${JSON.stringify(c.args[0].input)}`);
  console.log(`--- EC2 calls (${calls.length}):\n${calls.join('\n')}`);
}

main().catch((e) => {
  console.error(`rehearsal failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
