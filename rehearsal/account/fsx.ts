/**
 * FSx in the model: the Lustre and Windows File Server file systems and the ONTAP volumes AWS Backup
 * restored (what FSx takes in a restore is `fsx-model.ts`), described and deleted.
 */
import { createHash } from 'crypto';
import type { FsxResource } from '../fsx-model';
import type { FsxType } from './config';
import { ModelError } from './services';
import type { AccountState, Handler, RestoreJob } from './state';

/** FSx's API in the model, keyed `fsx:<action>`. */
export function fsxHandlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  const fsxOf = (id: string, kind: 'file system' | 'volume') => {
    const r = model.fsx.get(id);
    if (!r || (kind === 'volume') !== (r.type === 'ONTAP')) throw new ModelError('fsx', kind === 'volume' ? 'VolumeNotFound' : 'FileSystemNotFound', `${kind} ${id} not found`);
    return r;
  };
  h['fsx:describeFileSystems'] = (input) => ({
    FileSystems: ((input.FileSystemIds ?? []) as string[]).map((id) => fsxOf(id, 'file system')).map((r) => ({
      FileSystemId: r.id,
      FileSystemType: r.type,
      Lifecycle: r.lifecycle,
      DNSName: r.dnsName,
      SubnetIds: [...r.subnetIds],
      ...(r.type === 'LUSTRE' ? { LustreConfiguration: { MountName: r.mountName, DeploymentType: 'PERSISTENT_2' } } : {}),
      ...(r.type === 'WINDOWS' ? { WindowsConfiguration: { ActiveDirectoryId: e.fsx?.windowsDirectoryId } } : {}),
    })),
  });
  h['fsx:describeVolumes'] = (input) => ({
    Volumes: ((input.VolumeIds ?? []) as string[]).map((id) => fsxOf(id, 'volume')).map((r) => ({ VolumeId: r.id, VolumeType: 'ONTAP', Lifecycle: 'CREATED', OntapConfiguration: { StorageVirtualMachineId: e.fsx?.ontapStorageVirtualMachineId, JunctionPath: r.junctionPath } })),
  });
  const deleteFsx = (id: string, kind: 'file system' | 'volume') => {
    const r = fsxOf(id, kind);
    if (r.lifecycle === 'DELETING') return { Lifecycle: 'DELETING' };
    r.lifecycle = 'DELETING';
    model.deletions.push({ at: clock.now(), kind: `fsx-${kind.replace(' ', '-')}`, id });
    model.note('deletion', `FSx ${kind} ${id} deleting`);
    clock.after(10 * 60_000, () => model.fsx.delete(id));
    return { Lifecycle: 'DELETING' };
  };
  h['fsx:deleteFileSystem'] = (input) => {
    const r = fsxOf(String(input.FileSystemId), 'file system');
    // WindowsConfiguration / LustreConfiguration apply to their type only (API reference).
    if ((input.WindowsConfiguration && r.type !== 'WINDOWS') || (input.LustreConfiguration && r.type !== 'LUSTRE')) throw new ModelError('fsx', 'BadRequest', `the configuration does not match file system ${r.id} of type ${r.type}`);
    return { FileSystemId: r.id, ...deleteFsx(r.id, 'file system') };
  };
  h['fsx:deleteVolume'] = (input) => ({ VolumeId: input.VolumeId, ...deleteFsx(String(input.VolumeId), 'volume') });
  h['fsx:describeStorageVirtualMachines'] = (input) => ({
    StorageVirtualMachines: ((input.StorageVirtualMachineIds ?? []) as string[])
      .filter((id) => id === e.fsx?.ontapStorageVirtualMachineId)
      .map((id) => ({ StorageVirtualMachineId: id, FileSystemId: ontapFileSystemOf(id), Lifecycle: 'CREATED', Endpoints: { Nfs: { DNSName: `${id}.${ontapFileSystemOf(id)}.fsx.${e.region}.amazonaws.com` } } })),
  });
  return h;
}

/** The FSx file system (Lustre, Windows File Server) or ONTAP volume a restore job creates; returns its ARN. */
export function createFsx(model: AccountState, job: RestoreJob): string {
  const e = model.estate;
  const m = job.metadata;
  const list = (v: string | undefined) => (v ? (JSON.parse(v) as string[]) : []);
  if (m.OntapConfiguration) {
    const config = JSON.parse(m.OntapConfiguration) as Record<string, string>;
    const id = `fsvol-0${model.hexId('fsvol', 16)}`;
    const svm = config.storageVirtualMachineId ?? config.StorageVirtualMachineId;
    model.fsx.set(id, { id, type: 'ONTAP', restoreJobId: job.id, tags: { 'aws:backup:source-resource': job.point.resourceArn.split('/').pop() as string }, dnsName: `${svm}.${ontapFileSystemOf(svm)}.fsx.${e.region}.amazonaws.com`, junctionPath: config.junctionPath ?? config.JunctionPath, subnetIds: [], securityGroupIds: [], lifecycle: 'AVAILABLE' });
    return `arn:aws:fsx:${e.region}:${e.drAccountId}:volume/${ontapFileSystemOf(svm)}/${id}`;
  }
  const id = `fs-0${model.hexId('fsx', 16)}`;
  const type: FsxType = m.FileSystemType === 'WINDOWS' ? 'WINDOWS' : 'LUSTRE';
  const dnsName = type === 'WINDOWS' ? `amznfsx${id.slice(-8)}.corp.example.com` : `${id}.fsx.${e.region}.amazonaws.com`;
  const resource: FsxResource = { id, type, restoreJobId: job.id, tags: { 'aws:backup:source-resource': job.point.resourceArn.split('/').pop() as string }, dnsName, ...(type === 'LUSTRE' ? { mountName: id.slice(-8) } : {}), subnetIds: list(m.SubnetIds), securityGroupIds: list(m.SecurityGroupIds), lifecycle: 'CREATING' };
  model.fsx.set(id, resource);
  model.clock.after(5 * 60_000, () => {
    resource.lifecycle = 'AVAILABLE';
    model.note('fsx', `${type} file system ${id} AVAILABLE`);
  });
  return `arn:aws:fsx:${e.region}:${e.drAccountId}:file-system/${id}`;
}

/** The ONTAP file system of the configured SVM (created in the landing zone beforehand). */
export function ontapFileSystemOf(svm: string): string {
  return `fs-0${createHash('sha256').update(svm).digest('hex').slice(0, 16)}`;
}
