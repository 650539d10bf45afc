/**
 * workload-region-call's reconnect operations (failback step Reconnect): the attach-restored-volume logic
 * in the workload's account and region, exactly once per volume even when the Task is retried, and the
 * workload's connect runbook only. Every refusal happens before any role is assumed.
 */
import { BackupClient, ListTagsCommand } from '@aws-sdk/client-backup';
import { AttachVolumeCommand, DescribeInstancesCommand, DescribeVolumesCommand, EC2Client, type Volume } from '@aws-sdk/client-ec2';
import { GetAutomationExecutionCommand, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { callInWorkloadRegion } from '../../../functions/workload-region-call/logic';
import { callOf, CREDENTIALS, recordingClients, rejection, SHOP_REGION, SHOP_ROLE, targetsJson } from './fixture';
import { expectRefusedBeforeAssuming } from '../../helpers/functions/workload-refusal';
import { mockEach } from '../../helpers/functions/mock-each';

const DOCUMENT = 'acme-shop-connect-servers';
const TARGETS = targetsJson({ connectDocumentName: DOCUMENT });
const VOLUME_ID = 'vol-0123456789abcdef0';
const VOLUME_ARN = `arn:aws:ec2:${SHOP_REGION}:333333333333:volume/${VOLUME_ID}`;
const INSTANCE_ID = 'i-0123456789abcdef0';
const EXECUTION_ID = '12345678-1234-1234-1234-123456789012';

const [stsMock, ec2Mock, backupMock, ssmMock] = mockEach(STSClient, EC2Client, BackupClient, SSMClient);

function world() {
  const { built, clients } = recordingClients();
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  return { built, deps: { sts: new STSClient({ region: 'ap-northeast-1' }), clients, targetsJson: TARGETS, logger, sleep: async () => undefined } };
}

const call = callOf;


/** A restored volume in the workload region, tagged as the failback restore copies them; attached once AttachVolume was called. */
function volumeWorld() {
  let attached = false;
  const volume = (): Volume => ({
    VolumeId: VOLUME_ID,
    State: attached ? 'in-use' : 'available',
    AvailabilityZone: 'ap-northeast-2a',
    Tags: [
      { Key: 'dr:workload', Value: 'shop' },
      { Key: 'dr:server', Value: 'app' },
      { Key: 'dr:device', Value: '/dev/sdf' },
    ],
    Attachments: attached ? [{ InstanceId: INSTANCE_ID, State: 'attached', Device: '/dev/sdf', VolumeId: VOLUME_ID }] : [],
  });
  ec2Mock.on(DescribeVolumesCommand).callsFake(() => ({ Volumes: [volume()] }));
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE_ID, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root' } }] }] }] });
  ec2Mock.on(AttachVolumeCommand).callsFake(() => {
    attached = true;
    return { State: 'attaching' };
  });
}

beforeEach(() => {
  for (const m of [stsMock, ec2Mock, backupMock, ssmMock]) m.reset();
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
});

describe('workload-region-call: ec2:AttachRestoredVolume', () => {
  it('attaches the restored volume to the restored instance by its tags, as the failback role, in the workload region', async () => {
    volumeWorld();
    const w = world();
    const out = await callInWorkloadRegion(call('ec2:AttachRestoredVolume', { VolumeArn: VOLUME_ARN, RestoreJobId: 'restore-1' }), w.deps);
    expect(out).toEqual({ outcome: 'attached', volumeId: VOLUME_ID, instanceId: INSTANCE_ID, device: '/dev/sdf', availabilityZone: 'ap-northeast-2a' });
    expect(ec2Mock.commandCalls(AttachVolumeCommand).map((c) => c.args[0].input)).toEqual([{ Device: '/dev/sdf', InstanceId: INSTANCE_ID, VolumeId: VOLUME_ID }]);
    // The instance is found by the volume's dr:server tag in its zone (the attach-restored-volume logic).
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0].args[0].input.Filters).toEqual(expect.arrayContaining([{ Name: 'tag:dr:server', Values: ['app'] }, { Name: 'availability-zone', Values: ['ap-northeast-2a'] }]));
    expect(stsMock.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(SHOP_ROLE);
    expect(new Set(w.built.map((b) => `${b.service}@${b.region}:${b.credentials.accessKeyId}`))).toEqual(new Set([`ec2@${SHOP_REGION}:ASIAEXAMPLE`, `backup@${SHOP_REGION}:ASIAEXAMPLE`]));
    // Tags on the volume: the recovery point is never read.
    expect(backupMock.commandCalls(ListTagsCommand)).toHaveLength(0);
  });

  it('attaches every volume exactly once when the Task is retried', async () => {
    volumeWorld();
    const w = world();
    const input = call('ec2:AttachRestoredVolume', { VolumeArn: VOLUME_ARN });
    expect((await callInWorkloadRegion(input, w.deps)).outcome).toBe('attached');
    expect((await callInWorkloadRegion(input, w.deps)).outcome).toBe('already-attached');
    expect((await callInWorkloadRegion(input, w.deps)).outcome).toBe('already-attached');
    expect(ec2Mock.commandCalls(AttachVolumeCommand)).toHaveLength(1);
  });

  it('fails, named for the ASL, when the attach logic cannot attach (no instance) or AWS refuses', async () => {
    volumeWorld();
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const noInstance = await rejection(callInWorkloadRegion(call('ec2:AttachRestoredVolume', { VolumeArn: VOLUME_ARN }), world().deps));
    expect(noInstance.name).toBe('Ec2.AttachRestoredVolumeError');
    expect(noInstance.message).toMatch(/no running instance with dr:server=app in ap-northeast-2a/);
    expect(ec2Mock.commandCalls(AttachVolumeCommand)).toHaveLength(0);

    volumeWorld();
    ec2Mock.on(AttachVolumeCommand).rejects(Object.assign(new Error('not authorized to perform: ec2:AttachVolume'), { name: 'UnauthorizedOperation' }));
    const denied = await rejection(callInWorkloadRegion(call('ec2:AttachRestoredVolume', { VolumeArn: VOLUME_ARN }), world().deps));
    expect(denied.name).toBe('Ec2.UnauthorizedOperation');
  });

  it.each([
    ['a volume of another account', { VolumeArn: `arn:aws:ec2:${SHOP_REGION}:444444444444:volume/${VOLUME_ID}` }, /not in workload shop's account 333333333333 and region ap-northeast-2/],
    ['a volume of another region', { VolumeArn: `arn:aws:ec2:us-east-1:333333333333:volume/${VOLUME_ID}` }, /not in workload shop's account/],
    ['something that is no volume', { VolumeArn: 'arn:aws:ec2:ap-northeast-2:333333333333:instance/i-0123456789abcdef0' }, /VolumeArn must be an EBS volume ARN/],
    ['an instance to choose', { VolumeArn: VOLUME_ARN, InstanceId: 'i-0fffffffffffffff0' }, /takes VolumeArn and RestoreJobId only, not InstanceId/],
  ])('refuses %s before assuming anything', async (_what, parameters, message) => {
    const w = world();
    await expectRefusedBeforeAssuming(callInWorkloadRegion(call('ec2:AttachRestoredVolume', parameters), w.deps), message, stsMock);
    expect(w.built).toEqual([]);
  });
});

describe('workload-region-call: the connect runbook', () => {
  const start = { DocumentName: DOCUMENT, Parameters: { Workload: ['shop'], StartCommand: ['systemctl start dr-app.target'], MountRoot: ['/mnt/dr'] } };

  it('starts the configured document in the workload region and tracks it', async () => {
    ssmMock.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: EXECUTION_ID });
    ssmMock.on(GetAutomationExecutionCommand).resolves({ AutomationExecution: { AutomationExecutionId: EXECUTION_ID, DocumentName: DOCUMENT, AutomationExecutionStatus: 'Success' } });
    const w = world();
    expect(await callInWorkloadRegion(call('ssm:StartAutomationExecution', start), w.deps)).toEqual({ AutomationExecutionId: EXECUTION_ID });
    expect(ssmMock.commandCalls(StartAutomationExecutionCommand)[0].args[0].input).toEqual(start);
    const status = await callInWorkloadRegion(call('ssm:GetAutomationExecution', { AutomationExecutionId: EXECUTION_ID }), w.deps);
    expect(status).toEqual({ AutomationExecution: { AutomationExecutionId: EXECUTION_ID, DocumentName: DOCUMENT, AutomationExecutionStatus: 'Success' } });
    expect(w.built.map((b) => [b.service, b.region])).toEqual([['ssm', SHOP_REGION], ['ssm', SHOP_REGION]]);
  });

  it.each([
    ['another document', 'ssm:StartAutomationExecution', { ...start, DocumentName: 'AWS-RunShellScript' }, {}, /document "AWS-RunShellScript" is not the connect runbook configured for workload shop \(acme-shop-connect-servers\)/],
    ['a role of its own for the runbook', 'ssm:StartAutomationExecution', { ...start, Parameters: { ...start.Parameters, AutomationAssumeRole: ['arn:aws:iam::333333333333:role/admin'] } }, {}, /AutomationAssumeRole is the document's own/],
    ['other StartAutomationExecution fields', 'ssm:StartAutomationExecution', { ...start, TargetLocations: [{ Accounts: ['444444444444'] }] }, {}, /takes DocumentName and Parameters only, not TargetLocations/],
    ['a workload without a connect runbook', 'ssm:StartAutomationExecution', start, { workload: 'blog', roleArn: 'arn:aws:iam::444444444444:role/acme-blog-failback', region: 'ap-northeast-3' }, /workload blog has no connect runbook configured/],
    ['an execution ID that is none', 'ssm:GetAutomationExecution', { AutomationExecutionId: '../x' }, {}, /AutomationExecutionId must be an automation execution ID/],
    ['SendCommand', 'ssm:SendCommand', { DocumentName: 'AWS-RunShellScript' }, {}, /operation ssm:SendCommand is not allowed/],
  ])('refuses %s before assuming anything', async (_what, operation, parameters, extra, message) => {
    const w = world();
    await expectRefusedBeforeAssuming(callInWorkloadRegion(call(operation, parameters, extra), w.deps), message, stsMock);
    expect(ssmMock.calls()).toHaveLength(0);
  });

  it('refuses to hand over an execution of another document (GetAutomationExecution cannot be scoped to the document)', async () => {
    ssmMock.on(GetAutomationExecutionCommand).resolves({ AutomationExecution: { AutomationExecutionId: EXECUTION_ID, DocumentName: 'acme-other-runbook', AutomationExecutionStatus: 'Success' } });
    const error = await rejection(callInWorkloadRegion(call('ssm:GetAutomationExecution', { AutomationExecutionId: EXECUTION_ID }), world().deps));
    expect(error.name).toBe('WorkloadRegionCall.Refused');
    expect(error.message).toMatch(/document "acme-other-runbook", not workload shop's connect runbook acme-shop-connect-servers/);
  });

  it('names SSM errors for the ASL (Ssm.<code>)', async () => {
    ssmMock.on(StartAutomationExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect((await rejection(callInWorkloadRegion(call('ssm:StartAutomationExecution', start), world().deps))).name).toBe('Ssm.ThrottlingException');
  });
});
