/** EFS in the model: the file systems AWS Backup restored and their mount targets, created on simulated time. */
import { ModelError } from './services';
import type { AccountState, Handler, MountTarget } from './state';

/** EFS's API in the model, keyed `efs:<action>`. */
export function efsHandlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  const fileSystem = (id: unknown) => {
    const fs = typeof id === 'string' ? model.fileSystems.get(id) : undefined;
    if (!fs) throw new ModelError('efs', 'FileSystemNotFound', `File system '${String(id)}' does not exist.`);
    return fs;
  };
  h['efs:describeFileSystems'] = (input) => {
    const fs = fileSystem(input.FileSystemId);
    return { FileSystems: [{ FileSystemId: fs.id, LifeCycleState: fs.lifeCycleState, Encrypted: true, NumberOfMountTargets: fs.mountTargets.length, SizeInBytes: { Value: 6144 } }] };
  };
  h['efs:describeMountTargets'] = (input) => {
    const fs = fileSystem(input.FileSystemId);
    return {
      MountTargets: fs.mountTargets.map((m) => ({ MountTargetId: m.id, FileSystemId: fs.id, AvailabilityZoneName: m.az, LifeCycleState: m.state, ...(m.subnetId ? { SubnetId: m.subnetId } : {}), OwnerId: e.drAccountId })),
    };
  };
  h['efs:createMountTarget'] = (input) => {
    // EFS creates the mount target's network interface with the caller's permissions (API reference).
    const fs = fileSystem(input.FileSystemId);
    if (fs.lifeCycleState !== 'available') throw new ModelError('efs', 'IncorrectFileSystemLifeCycleState', `File system '${fs.id}' is in the '${fs.lifeCycleState}' state.`);
    const subnet = e.subnets.find((sn) => sn.id === input.SubnetId);
    if (!subnet) throw new ModelError('efs', 'SubnetNotFound', `The subnet ID '${String(input.SubnetId)}' does not exist`);
    const groups: string[] = input.SecurityGroups ?? [];
    const unknown = groups.filter((g) => !e.securityGroupIds.includes(g));
    if (unknown.length > 0) throw new ModelError('efs', 'SecurityGroupNotFound', `The security group(s) ${unknown.join(', ')} do not exist in the subnet's VPC`);
    if (groups.length === 0) model.deviation('efs-default-security-group', `mount target of ${fs.id} without SecurityGroups: it gets the VPC's default security group, which the landing zone empties (no NFS from the servers)`);
    if (fs.mountTargets.some((m) => m.az === subnet.availabilityZone && m.state !== 'deleting')) {
      throw new ModelError('efs', 'MountTargetConflict', `File system '${fs.id}' already has a mount target in ${subnet.availabilityZone}.`);
    }
    const target: MountTarget = { id: `fsmt-0${model.hexId('fsmt', 16)}`, az: subnet.availabilityZone, subnetId: subnet.id, securityGroups: [...groups], state: 'creating' };
    fs.mountTargets.push(target);
    model.note('efs', `mount target ${target.id} of ${fs.id} creating in ${target.az}`);
    clock.after(model.jitter(model.timings.mountTargetSeconds * 1000), () => {
      if (target.state !== 'creating') return;
      target.state = 'available';
      target.availableAt = clock.now();
      model.note('efs', `mount target ${target.id} of ${fs.id} available`);
    });
    return {
      MountTargetId: target.id,
      FileSystemId: fs.id,
      SubnetId: subnet.id,
      AvailabilityZoneName: target.az,
      LifeCycleState: target.state,
      OwnerId: e.drAccountId,
      NetworkInterfaceId: `eni-0${model.hexId('eni', 16)}`,
    };
  };
  h['efs:deleteMountTarget'] = (input) => {
    for (const fs of model.fileSystems.values()) {
      const m = fs.mountTargets.find((t) => t.id === input.MountTargetId);
      if (m) {
        m.state = 'deleting';
        clock.after(30_000, () => {
          fs.mountTargets = fs.mountTargets.filter((t) => t !== m);
        });
        return {};
      }
    }
    throw new ModelError('efs', 'MountTargetNotFound', `Mount target '${input.MountTargetId}' does not exist.`);
  };
  h['efs:deleteFileSystem'] = (input) => {
    const fs = fileSystem(input.FileSystemId);
    if (fs.mountTargets.length > 0) throw new ModelError('efs', 'FileSystemInUse', `File system '${fs.id}' has mount targets.`);
    fs.lifeCycleState = 'deleting';
    model.deletions.push({ at: clock.now(), kind: 'file-system', id: fs.id });
    model.note('deletion', `file system ${fs.id} deleting`);
    clock.after(30_000, () => model.fileSystems.delete(fs.id));
    return {};
  };
  return h;
}
