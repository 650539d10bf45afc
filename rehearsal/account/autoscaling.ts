/**
 * Auto Scaling in the model: the server groups of the estate, which launch (pending → running → online
 * in SSM) or terminate instances until they reach their desired capacity.
 */
import { terminate } from './ec2';
import { ModelError } from './services';
import type { AccountState, Group, Handler, Instance } from './state';

/** Auto Scaling's API in the model, keyed `autoscaling:<action>`. */
export function autoScalingHandlers(model: AccountState): Record<string, Handler> {
  const h: Record<string, Handler> = {};
  h['autoscaling:updateAutoScalingGroup'] = (input) => {
    const group = model.groups.get(input.AutoScalingGroupName);
    if (!group) throw new ModelError('autoscaling', 'ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${input.AutoScalingGroupName} not found`);
    const min = input.MinSize ?? group.min;
    const max = input.MaxSize ?? group.max;
    const desired = input.DesiredCapacity ?? Math.max(group.desired, min);
    for (const [k, v] of [['MinSize', min], ['MaxSize', max], ['DesiredCapacity', desired]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new ModelError('autoscaling', 'ValidationError', `${k} must be a non-negative integer, got ${JSON.stringify(v)}`);
    }
    if (min > max || desired < min || desired > max) throw new ModelError('autoscaling', 'ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
    group.min = min;
    group.max = max;
    if (desired !== group.desired) model.note('scaling', `${group.spec.name}: desired ${group.desired} → ${desired}`);
    group.desired = desired;
    reconcile(model, group);
    return {};
  };
  h['autoscaling:describeAutoScalingGroups'] = (input) => {
    const names: string[] = input.AutoScalingGroupNames ?? [...model.groups.keys()];
    return {
      AutoScalingGroups: names.filter((n) => model.groups.has(n)).map((n) => {
        const g = model.groups.get(n) as Group;
        return {
          AutoScalingGroupName: n,
          MinSize: g.min,
          MaxSize: g.max,
          DesiredCapacity: g.desired,
          Instances: model.instancesOf(n).filter((i) => i.state !== 'terminated').map((i) => ({ InstanceId: i.id, AvailabilityZone: i.az, LifecycleState: i.state === 'running' ? 'InService' : i.state === 'pending' ? 'Pending' : 'Terminating' })),
        };
      }),
    };
  };
  return h;
}

/** Launches or terminates instances of `group` until as many are pending or running as it desires. */
export function reconcile(model: AccountState, group: Group): void {
  const live = () => group.instances.filter((id) => ['pending', 'running'].includes((model.instances.get(id) as Instance).state));
  while (live().length < group.desired) launch(model, group);
  while (live().length > group.desired) terminate(model, live()[live().length - 1], `scale-in of ${group.spec.name}`);
}

function launch(model: AccountState, group: Group): void {
  const zones = group.spec.availabilityZones;
  const counts = zones.map((z) => group.instances.filter((id) => {
    const i = model.instances.get(id) as Instance;
    return i.az === z && ['pending', 'running'].includes(i.state);
  }).length);
  const az = zones[counts.indexOf(Math.min(...counts))];
  const id = `i-0${model.hexId('i', 16)}`;
  const rootVolume = `vol-0${model.hexId('vol', 16)}`;
  const instance: Instance = {
    id,
    az,
    subnetId: model.estate.subnets.find((s) => s.availabilityZone === az)?.id ?? 'subnet-unknown',
    group: group.spec.name,
    tags: { ...group.spec.tags, 'aws:autoscaling:groupName': group.spec.name },
    launchTime: model.clock.now(),
    state: 'pending',
    ssmOnline: false,
    ssmRegistered: false,
    devices: new Map([['/dev/xvda', rootVolume]]),
  };
  model.instances.set(id, instance);
  group.instances.push(id);
  model.note('instance', `${group.spec.name}: instance ${id} launching in ${az}`);
  model.clock.after(model.jitter(model.timings.instanceLaunchSeconds * 1000), () => {
    if (instance.state !== 'pending') return;
    instance.state = 'running';
    model.note('instance', `${id} running`);
    model.clock.after(model.jitter(model.timings.ssmRegistrationSeconds * 1000), () => {
      if (instance.state !== 'running') return;
      instance.ssmOnline = true;
      instance.ssmRegistered = true;
      model.note('instance', `${id} online in SSM`);
    });
  });
}
