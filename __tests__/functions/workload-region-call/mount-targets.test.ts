/**
 * workload-region-call's EFS operations (failback step Reconnect, functions/workload-region-call/mount-targets.ts):
 * a mount target of a restored file system of the workload's account and region, in a configured failback
 * subnet with the configured security groups only; an existing one in that zone is reused. Every refusal
 * happens before any role is assumed.
 */
import { CreateMountTargetCommand, DescribeMountTargetsCommand, EFSClient, IncorrectFileSystemLifeCycleState, MountTargetConflict } from '@aws-sdk/client-efs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { callInWorkloadRegion } from '../../../functions/workload-region-call/logic';
import { callOf, CREDENTIALS, quietWorld, rejection, SHOP_REGION, SHOP_ROLE, targetsJson } from './fixture';
import { expectRefusedBeforeAssuming } from '../../helpers/functions/workload-refusal';
import { mockEach } from '../../helpers/functions/mock-each';

const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
const GROUPS = ['sg-0123456789abcdef0'];
const TARGETS = targetsJson({ subnetIds: SUBNETS, securityGroupIds: GROUPS });
const FS_ID = 'fs-0123456789abcdef0';
const FS_ARN = `arn:aws:elasticfilesystem:${SHOP_REGION}:333333333333:file-system/${FS_ID}`;

const [stsMock, efsMock] = mockEach(STSClient, EFSClient);

const world = (targets = TARGETS) => quietWorld(targets);

const call = (operation: string, parameters: Record<string, unknown>) => callOf(operation, parameters);
const create = (parameters: Record<string, unknown> = {}) => call('elasticfilesystem:CreateMountTarget', { FileSystemArn: FS_ARN, SubnetId: SUBNETS[0], SecurityGroups: GROUPS, ...parameters });


beforeEach(() => {
  for (const m of [stsMock, efsMock]) m.reset();
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
});

describe('workload-region-call: elasticfilesystem:CreateMountTarget', () => {
  it('creates the mount target of the file system (by its ID) in the failback subnet with the failback security groups, as the failback role in the workload region', async () => {
    efsMock.on(CreateMountTargetCommand).resolves({ MountTargetId: 'fsmt-01', FileSystemId: FS_ID, SubnetId: SUBNETS[0], AvailabilityZoneName: 'ap-northeast-2a', LifeCycleState: 'creating' });
    const w = world();
    const out = await callInWorkloadRegion(create(), w.deps);
    expect(out).toEqual({ outcome: 'created', FileSystemId: FS_ID, SubnetId: SUBNETS[0], MountTargetId: 'fsmt-01', AvailabilityZoneName: 'ap-northeast-2a', LifeCycleState: 'creating' });
    expect(efsMock.commandCalls(CreateMountTargetCommand).map((c) => c.args[0].input)).toEqual([{ FileSystemId: FS_ID, SubnetId: SUBNETS[0], SecurityGroups: GROUPS }]);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(SHOP_ROLE);
    expect(w.built.map((b) => [b.service, b.region, b.credentials.accessKeyId])).toEqual([['efs', SHOP_REGION, 'ASIAEXAMPLE']]);
  });

  it('reuses the mount target the zone has already (a retried Task, two failback subnets in one zone)', async () => {
    efsMock.on(CreateMountTargetCommand).rejects(new MountTargetConflict({ message: 'already has a mount target in ap-northeast-2a', $metadata: {}, ErrorCode: 'MountTargetConflict' }));
    efsMock.on(DescribeMountTargetsCommand).resolves({ MountTargets: [{ MountTargetId: 'fsmt-01', FileSystemId: FS_ID, SubnetId: SUBNETS[0], AvailabilityZoneName: 'ap-northeast-2a', LifeCycleState: 'available', OwnerId: '333333333333' }] });
    const out = await callInWorkloadRegion(create({ SubnetId: SUBNETS[1] }), world().deps);
    expect(out).toEqual({ outcome: 'exists', FileSystemId: FS_ID, SubnetId: SUBNETS[1], MountTargetId: 'fsmt-01', AvailabilityZoneName: 'ap-northeast-2a', LifeCycleState: 'available' });
    expect(efsMock.commandCalls(DescribeMountTargetsCommand).map((c) => c.args[0].input)).toEqual([{ FileSystemId: FS_ID }]);
  });

  it('a conflict with a mount target outside the failback subnets (another VPC or subnet) stays an error, named for the ASL', async () => {
    efsMock.on(CreateMountTargetCommand).rejects(new MountTargetConflict({ message: 'mount targets in another VPC', $metadata: {}, ErrorCode: 'MountTargetConflict' }));
    efsMock.on(DescribeMountTargetsCommand).resolves({ MountTargets: [{ MountTargetId: 'fsmt-09', FileSystemId: FS_ID, SubnetId: 'subnet-0ffffffffffffffff', LifeCycleState: 'available', OwnerId: '333333333333' }] });
    expect((await rejection(callInWorkloadRegion(create(), world().deps))).name).toBe('Efs.MountTargetConflict');
  });

  it('names EFS errors for the ASL (the state machine retries a file system still settling)', async () => {
    efsMock.on(CreateMountTargetCommand).rejects(new IncorrectFileSystemLifeCycleState({ message: 'creating', $metadata: {}, ErrorCode: 'IncorrectFileSystemLifeCycleState' }));
    expect((await rejection(callInWorkloadRegion(create(), world().deps))).name).toBe('Efs.IncorrectFileSystemLifeCycleState');
  });

  it.each([
    ['a file system of another account', { FileSystemArn: `arn:aws:elasticfilesystem:${SHOP_REGION}:222222222222:file-system/${FS_ID}` }, /not in workload shop's account 333333333333 and region ap-northeast-2/],
    ['a file system of another region', { FileSystemArn: `arn:aws:elasticfilesystem:ap-northeast-1:333333333333:file-system/${FS_ID}` }, /not in workload shop's account/],
    ['a file system ID instead of its ARN', { FileSystemArn: FS_ID }, /must be an EFS file system ARN/],
    ['a subnet that is not a failback subnet', { SubnetId: 'subnet-0ffffffffffffffff' }, /is not one of workload shop's failback subnets/],
    ['a security group that is not a failback security group', { SecurityGroups: [...GROUPS, 'sg-0ffffffffffffffff'] }, /"sg-0ffffffffffffffff"\] are not workload shop's failback security groups/],
    ['no security groups (the VPC default group)', { SecurityGroups: [] }, /SecurityGroups must list the failback security groups/],
    ['another parameter (an IP address of the caller\'s choosing)', { IpAddress: '10.0.0.9' }, /takes FileSystemArn, SubnetId and SecurityGroups only, not IpAddress/],
  ])('refuses %s before assuming any role', async (_what, parameters, message) => {
    const w = world();
    await expectRefusedBeforeAssuming(callInWorkloadRegion(create(parameters), w.deps), message, stsMock);
    expect(w.built).toEqual([]);
  });

  it('refuses every subnet when the workload has no failback subnets configured', async () => {
    const error = await rejection(callInWorkloadRegion(create(), world(targetsJson()).deps));
    expect(error).toMatchObject({ name: 'WorkloadRegionCall.Refused', message: expect.stringMatching(/none configured/) });
  });
});

describe('workload-region-call: elasticfilesystem:DescribeMountTargets', () => {
  it('describes the mount targets of a file system of the workload account and region', async () => {
    efsMock.on(DescribeMountTargetsCommand).resolves({ $metadata: {}, MountTargets: [{ MountTargetId: 'fsmt-01', FileSystemId: FS_ID, SubnetId: SUBNETS[0], LifeCycleState: 'available', OwnerId: '333333333333' }] });
    const out = await callInWorkloadRegion(call('elasticfilesystem:DescribeMountTargets', { FileSystemArn: FS_ARN }), world().deps);
    expect(out).toEqual({ MountTargets: [{ MountTargetId: 'fsmt-01', FileSystemId: FS_ID, SubnetId: SUBNETS[0], LifeCycleState: 'available', OwnerId: '333333333333' }] });
    expect(efsMock.commandCalls(DescribeMountTargetsCommand).map((c) => c.args[0].input)).toEqual([{ FileSystemId: FS_ID }]);
  });

  it.each([
    ['a file system of another account', { FileSystemArn: `arn:aws:elasticfilesystem:${SHOP_REGION}:222222222222:file-system/${FS_ID}` }],
    ['another parameter', { FileSystemArn: FS_ARN, MountTargetId: 'fsmt-01' }],
  ])('refuses %s before assuming any role', async (_what, parameters) => {
    const error = await rejection(callInWorkloadRegion(call('elasticfilesystem:DescribeMountTargets', parameters), world().deps));
    expect(error.name).toBe('WorkloadRegionCall.Refused');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});
