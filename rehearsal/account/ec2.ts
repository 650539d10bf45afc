/**
 * EC2 in the model: volumes (restored by AWS Backup), instances (launched by the Auto Scaling groups
 * or restored), attachments, and what terminating an instance does to its volumes.
 */
import { createHash } from 'crypto';
import { accountOfPrincipal, ModelError, roleNameOf, tagList } from './services';
import type { AccountState, Attachment, Handler, Instance, Volume } from './state';

/** EC2's API in the model, keyed `ec2:<action>`. */
export function ec2Handlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['ec2:describeVolumes'] = (input) => {
    const ids: string[] | undefined = input.VolumeIds;
    const volumes = ids ? ids.map((id) => findVolume(model, id)) : [...model.volumes.values()].filter((v) => v.state !== 'deleted');
    return { Volumes: volumes.map((v) => volumeShape(v)) };
  };
  h['ec2:describeInstances'] = (input) => {
    const ids: string[] | undefined = input.InstanceIds;
    let instances = [...model.instances.values()];
    if (ids) instances = ids.map((id) => findInstance(model, id));
    instances = instances.filter((i) => matchesEc2Filters(i, input.Filters));
    return { Reservations: instances.map((i) => ({ ReservationId: `r-0${createHash('sha256').update(i.id).digest('hex').slice(0, 16)}`, OwnerId: e.drAccountId, Instances: [instanceShape(model, i)] })) };
  };
  // The landing zone's subnets (the workload's `failback.subnetIds` in a workload account), in one VPC.
  h['ec2:describeSubnets'] = (input) => {
    const ids: string[] | undefined = input.SubnetIds;
    const subnets = ids ? ids.map((id) => {
      const s = e.subnets.find((sn) => sn.id === id);
      if (!s) throw new ModelError('ec2', 'InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
      return s;
    }) : [...e.subnets];
    const vpcId = `vpc-0${createHash('sha256').update(`${e.drAccountId}:${e.region}`).digest('hex').slice(0, 16)}`;
    return { Subnets: subnets.map((s) => ({ SubnetId: s.id, AvailabilityZone: s.availabilityZone, VpcId: vpcId, OwnerId: e.drAccountId, State: 'available' })) };
  };
  h['ec2:describeSnapshots'] = (input, principal) => {
    const account = accountOfPrincipal(principal);
    const snapshots = (input.SnapshotIds ?? []).map((id: string) => {
      const p = [...model.recoveryPoints.values()].find((rp) => rp.arn.endsWith(`snapshot/${id}`) && rp.accountId === account);
      if (!p) throw new ModelError('ec2', 'InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
      return { SnapshotId: id, OwnerId: p.accountId, StartTime: new Date(p.creationDate), State: 'completed', VolumeSize: 100, Encrypted: true, Tags: tagList(p.tags) };
    });
    return { Snapshots: snapshots };
  };
  h['ec2:attachVolume'] = (input, principal) => {
    const volume = findVolume(model, input.VolumeId);
    const instance = findInstance(model, input.InstanceId);
    const device = String(input.Device ?? '');
    if (volume.state === 'in-use') throw new ModelError('ec2', 'VolumeInUse', `${volume.id} is already attached to an instance`);
    if (volume.state !== 'available') throw new ModelError('ec2', 'IncorrectState', `Volume '${volume.id}' is in the '${volume.state}' state.`);
    if (instance.state !== 'running') throw new ModelError('ec2', 'IncorrectState', `Instance '${instance.id}' is not 'running'.`);
    if (volume.az !== instance.az) throw new ModelError('ec2', 'InvalidVolume.ZoneMismatch', `The volume '${volume.id}' is not in the same availability zone as instance '${instance.id}'`);
    if (!/^\/dev\/(sd[b-z]|xvd[b-z])$/.test(device)) throw new ModelError('ec2', 'InvalidParameterValue', `Value (${device}) for parameter device is invalid.`);
    if (instance.devices.has(device)) throw new ModelError('ec2', 'InvalidParameterValue', `Attachment point ${device} is already in use`);
    const now = clock.now();
    volume.state = 'in-use';
    const attachment: Attachment = { instanceId: instance.id, device, attachTime: now, state: 'attaching' };
    volume.attachments.push(attachment);
    instance.devices.set(device, volume.id);
    model.attaches.push({ at: now, principal, volumeId: volume.id, instanceId: instance.id, device });
    model.note('attach', `AttachVolume ${volume.id} → ${instance.id} ${device} (by ${roleNameOf(principal)})`);
    clock.after(model.timings.attachSeconds * 1000, () => {
      if (attachment.state === 'attaching') attachment.state = 'attached';
    });
    return { AttachTime: new Date(now), Device: device, InstanceId: instance.id, State: 'attaching', VolumeId: volume.id };
  };
  h['ec2:detachVolume'] = (input) => {
    const volume = findVolume(model, input.VolumeId);
    const attachment = volume.attachments.find((a) => a.state !== 'detached' && (!input.InstanceId || a.instanceId === input.InstanceId));
    if (!attachment) throw new ModelError('ec2', 'IncorrectState', `Volume '${volume.id}' is in the '${volume.state}' state.`);
    if (attachment.state === 'detaching') throw new ModelError('ec2', 'IncorrectState', `Volume '${volume.id}' is already detaching.`);
    attachment.state = 'detaching';
    clock.after(10_000, () => {
      attachment.state = 'detached';
      volume.attachments = volume.attachments.filter((a) => a !== attachment);
      model.instances.get(attachment.instanceId)?.devices.delete(attachment.device);
      if (volume.state === 'in-use' && volume.attachments.length === 0) volume.state = 'available';
    });
    return { VolumeId: volume.id, InstanceId: attachment.instanceId, Device: attachment.device, State: 'detaching' };
  };
  h['ec2:deleteVolume'] = (input) => {
    const volume = findVolume(model, input.VolumeId);
    if (volume.state === 'deleting') return {};
    if (volume.state !== 'available') throw new ModelError('ec2', 'VolumeInUse', `Volume ${volume.id} is currently attached to ${volume.attachments.map((a) => a.instanceId).join(', ')}`);
    volume.state = 'deleting';
    model.deletions.push({ at: clock.now(), kind: 'volume', id: volume.id });
    model.note('deletion', `volume ${volume.id} deleting`);
    clock.after(10_000, () => {
      volume.state = 'deleted';
    });
    return {};
  };
  h['ec2:terminateInstances'] = (input) => {
    const out = (input.InstanceIds ?? []).map((id: string) => {
      const instance = findInstance(model, id);
      const previous = instance.state;
      terminate(model, id, 'TerminateInstances');
      return { InstanceId: id, PreviousState: { Name: previous }, CurrentState: { Name: instance.state } };
    });
    return { TerminatingInstances: out };
  };
  return h;
}

/** Terminates an instance: shutting-down, then terminated a minute later, its volumes detached. */
export function terminate(model: AccountState, id: string, why: string): void {
  const instance = model.instances.get(id);
  if (!instance || instance.state === 'terminated' || instance.state === 'shutting-down') return;
  instance.state = 'shutting-down';
  instance.ssmOnline = false;
  model.deletions.push({ at: model.clock.now(), kind: 'instance', id });
  model.note('deletion', `instance ${id} terminating (${why})`);
  model.clock.after(60_000, () => {
    instance.state = 'terminated';
    for (const [device, volumeId] of instance.devices) {
      const volume = model.volumes.get(volumeId);
      if (!volume) continue;
      const attachment = volume.attachments.find((a) => a.instanceId === id && a.state !== 'detached');
      if (attachment) attachment.state = 'detached';
      volume.attachments = volume.attachments.filter((a) => a.state !== 'detached');
      if (volume.state === 'in-use' && volume.attachments.length === 0) volume.state = 'available';
      instance.devices.delete(device);
    }
  });
}

function findVolume(model: AccountState, id: unknown): Volume {
  const v = typeof id === 'string' ? model.volumes.get(id) : undefined;
  if (!v || v.state === 'deleted') throw new ModelError('ec2', 'InvalidVolume.NotFound', `The volume '${String(id)}' does not exist.`);
  return v;
}

function findInstance(model: AccountState, id: unknown): Instance {
  const i = typeof id === 'string' ? model.instances.get(id) : undefined;
  if (!i || i.state === 'terminated') throw new ModelError('ec2', 'InvalidInstanceID.NotFound', `The instance ID '${String(id)}' does not exist`);
  return i;
}

function volumeShape(v: Volume) {
  return {
    VolumeId: v.id,
    AvailabilityZone: v.az,
    Size: v.sizeGiB,
    SnapshotId: v.snapshotId,
    CreateTime: new Date(v.createTime),
    Encrypted: true,
    VolumeType: 'gp3',
    State: v.state,
    Tags: tagList(v.tags),
    Attachments: v.attachments.map((a) => ({ VolumeId: v.id, InstanceId: a.instanceId, Device: a.device, State: a.state, AttachTime: new Date(a.attachTime), DeleteOnTermination: false })),
  };
}

function instanceShape(model: AccountState, i: Instance) {
  return {
    InstanceId: i.id,
    InstanceType: 'm7g.large',
    LaunchTime: new Date(i.launchTime),
    Placement: { AvailabilityZone: i.az },
    SubnetId: i.subnetId,
    State: { Name: i.state, Code: { pending: 0, running: 16, 'shutting-down': 32, terminated: 48 }[i.state] },
    Tags: tagList(i.tags),
    BlockDeviceMappings: [...i.devices].map(([DeviceName, VolumeId]) => ({ DeviceName, Ebs: { VolumeId, Status: model.volumes.get(VolumeId)?.attachments.find((a) => a.instanceId === i.id)?.state ?? 'attached', DeleteOnTermination: DeviceName === '/dev/xvda' } })),
  };
}

function matchesEc2Filters(i: Instance, filters: { Name?: string; Values?: string[] }[] | undefined): boolean {
  for (const f of filters ?? []) {
    const values = f.Values ?? [];
    const name = f.Name ?? '';
    let actual: string | undefined;
    if (name.startsWith('tag:')) actual = i.tags[name.slice(4)];
    else if (name === 'availability-zone') actual = i.az;
    else if (name === 'instance-state-name') actual = i.state;
    else if (name === 'instance-id') actual = i.id;
    else if (name === 'tag-key') actual = values.find((v) => v in i.tags);
    else throw new ModelError('ec2', 'InvalidParameterValue', `The filter '${name}' is invalid`);
    if (actual === undefined || !values.includes(actual)) return false;
  }
  return true;
}
