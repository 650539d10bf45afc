/**
 * The EFS operations of workload-region-call (failback step Reconnect, modules/failback/steps/reconnect.ts),
 * so that a restored EFS file system can be mounted by the connect runbook in the workload's region:
 *
 *  - `elasticfilesystem:CreateMountTarget` with `{ FileSystemArn, SubnetId, SecurityGroups }`: a mount
 *    target of that file system in one of the workload's `failback.subnetIds`, with some of its
 *    `failback.securityGroupIds` (both as configured in `WORKLOAD_TARGETS`: any other subnet or group is
 *    refused). The file system is named by its ARN, so that one of another account or region is refused
 *    before any role is assumed; the API is called with its ID. EFS allows one mount target per
 *    Availability Zone (API_CreateMountTarget: https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html):
 *    when the zone has one already (`MountTargetConflict`, a retried Task, or two failback subnets in one
 *    zone) and the file system has a mount target in a configured subnet, that one is reused
 *    (`outcome: "exists"`); otherwise the conflict is the error.
 *  - `elasticfilesystem:DescribeMountTargets` with `{ FileSystemArn }`: the file system's mount targets
 *    (API_DescribeMountTargets: https://docs.aws.amazon.com/efs/latest/ug/API_DescribeMountTargets.html),
 *    polled by the state machine until they are `available`.
 */
import { CreateMountTargetCommand, DescribeMountTargetsCommand, type EFSClient } from '@aws-sdk/client-efs';
import { errorCode } from '../aws-call';
import type { WorkloadTarget } from './input';

/** `arn:<partition>:elasticfilesystem:<region>:<account>:file-system/fs-...` */
const FILE_SYSTEM_ARN = /^arn:aws[a-z-]*:elasticfilesystem:([a-z0-9-]+):(\d{12}):file-system\/(fs-[0-9a-f]{8,40})$/;

const accountOfRole = (roleArn: string) => roleArn.split(':')[4];
const keysOf = (parameters: Record<string, unknown>) => Object.keys(parameters).sort();

/** Why `FileSystemArn` is not a file system of the target's account and region, or undefined. */
function refuseFileSystem(target: WorkloadTarget, arn: unknown): string | undefined {
  const match = typeof arn === 'string' ? FILE_SYSTEM_ARN.exec(arn) : null;
  if (!match) return `FileSystemArn must be an EFS file system ARN, got ${JSON.stringify(arn)}`;
  if (match[1] !== target.region || match[2] !== accountOfRole(target.roleArn)) {
    return `file system ${arn} is not in workload ${target.workload}'s account ${accountOfRole(target.roleArn)} and region ${target.region}`;
  }
  return undefined;
}

const fileSystemIdOf = (arn: string) => FILE_SYSTEM_ARN.exec(arn)![3];

/** Why `elasticfilesystem:CreateMountTarget` with `parameters` is refused for `target`, or undefined. */
export function refuseCreateMountTarget(target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  const extra = keysOf(parameters).filter((k) => !['FileSystemArn', 'SubnetId', 'SecurityGroups'].includes(k));
  if (extra.length > 0) return `elasticfilesystem:CreateMountTarget takes FileSystemArn, SubnetId and SecurityGroups only, not ${extra.join(', ')}`;
  const fileSystem = refuseFileSystem(target, parameters.FileSystemArn);
  if (fileSystem) return fileSystem;
  const subnets = target.subnetIds ?? [];
  if (typeof parameters.SubnetId !== 'string' || !subnets.includes(parameters.SubnetId)) {
    return `subnet ${JSON.stringify(parameters.SubnetId)} is not one of workload ${target.workload}'s failback subnets (${subnets.join(', ') || 'none configured'})`;
  }
  const groups = parameters.SecurityGroups;
  const allowed = target.securityGroupIds ?? [];
  // Without SecurityGroups EFS gives the VPC's default security group: never.
  if (!Array.isArray(groups) || groups.length === 0) return 'SecurityGroups must list the failback security groups';
  const other = groups.filter((g) => typeof g !== 'string' || !allowed.includes(g));
  if (other.length > 0) return `security groups ${JSON.stringify(other)} are not workload ${target.workload}'s failback security groups (${allowed.join(', ') || 'none configured'})`;
  return undefined;
}

/** Creates the mount target; an existing one in a configured subnet (the zone's) is reused. */
export async function createMountTarget(efs: EFSClient, target: WorkloadTarget, parameters: Record<string, unknown>): Promise<object> {
  const fileSystemId = fileSystemIdOf(parameters.FileSystemArn as string);
  const subnetId = parameters.SubnetId as string;
  try {
    const out = await efs.send(new CreateMountTargetCommand({ FileSystemId: fileSystemId, SubnetId: subnetId, SecurityGroups: parameters.SecurityGroups as string[] }));
    return { outcome: 'created', FileSystemId: fileSystemId, SubnetId: subnetId, MountTargetId: out.MountTargetId, AvailabilityZoneName: out.AvailabilityZoneName, LifeCycleState: out.LifeCycleState };
  } catch (error) {
    if (errorCode(error) !== 'MountTargetConflict') throw error;
    const existing = (await efs.send(new DescribeMountTargetsCommand({ FileSystemId: fileSystemId }))).MountTargets ?? [];
    const reused = existing.find((m) => m.SubnetId !== undefined && (target.subnetIds ?? []).includes(m.SubnetId) && m.LifeCycleState !== 'deleting' && m.LifeCycleState !== 'deleted');
    if (!reused) throw error;
    return { outcome: 'exists', FileSystemId: fileSystemId, SubnetId: subnetId, MountTargetId: reused.MountTargetId, AvailabilityZoneName: reused.AvailabilityZoneName, LifeCycleState: reused.LifeCycleState };
  }
}

/** Why `elasticfilesystem:DescribeMountTargets` with `parameters` is refused for `target`, or undefined. */
export function refuseDescribeMountTargets(target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  const extra = keysOf(parameters).filter((k) => k !== 'FileSystemArn');
  if (extra.length > 0) return `elasticfilesystem:DescribeMountTargets takes FileSystemArn only, not ${extra.join(', ')}`;
  return refuseFileSystem(target, parameters.FileSystemArn);
}

export function describeMountTargets(efs: EFSClient, parameters: Record<string, unknown>): Promise<object> {
  return efs.send(new DescribeMountTargetsCommand({ FileSystemId: fileSystemIdOf(parameters.FileSystemArn as string) }));
}
