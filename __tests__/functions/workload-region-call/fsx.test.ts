/**
 * workload-region-call's FSx operations (failback step Reconnect, functions/workload-region-call/fsx.ts):
 * a restored FSx file system, ONTAP volume or SVM of the workload's account and region only, described
 * by its ID as the failback role in the workload region. Every input refusal happens before any role is assumed.
 */
import { DescribeFileSystemsCommand, DescribeStorageVirtualMachinesCommand, DescribeVolumesCommand, FileSystemNotFound, FSxClient } from '@aws-sdk/client-fsx';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ALLOWED_OPERATIONS, callInWorkloadRegion } from '../../../functions/workload-region-call/logic';
import { callOf, CREDENTIALS, quietWorld, rejection, SHOP_REGION, SHOP_ROLE } from './fixture';
import { expectRefusedBeforeAssuming } from '../../helpers/functions/workload-refusal';
import { mockEach } from '../../helpers/functions/mock-each';

const FS_ID = 'fs-0123456789abcdef0';
const VOLUME_ID = 'fsvol-0123456789abcdef0';
const SVM_ID = 'svm-0123456789abcdef0';
const FS_ARN = `arn:aws:fsx:${SHOP_REGION}:333333333333:file-system/${FS_ID}`;
const VOLUME_ARN = `arn:aws:fsx:${SHOP_REGION}:333333333333:volume/${FS_ID}/${VOLUME_ID}`;
const SVM_ARN = `arn:aws:fsx:${SHOP_REGION}:333333333333:storage-virtual-machine/${FS_ID}/${SVM_ID}`;

const [stsMock, fsxMock] = mockEach(STSClient, FSxClient);

const world = () => quietWorld();

const call = (operation: string, parameters: Record<string, unknown>) => callOf(operation, parameters);


beforeEach(() => {
  for (const m of [stsMock, fsxMock]) m.reset();
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
});

describe('workload-region-call: FSx operations', () => {
  it('allows exactly the three FSx Describe calls', () => {
    expect(ALLOWED_OPERATIONS.filter((o) => o.startsWith('fsx:'))).toEqual(['fsx:DescribeFileSystems', 'fsx:DescribeVolumes', 'fsx:DescribeStorageVirtualMachines']);
  });

  it('describes one file system (by its ID) as the failback role in the workload region', async () => {
    fsxMock.on(DescribeFileSystemsCommand).resolves({ FileSystems: [{ FileSystemId: FS_ID, FileSystemType: 'LUSTRE', Lifecycle: 'AVAILABLE', DNSName: 'fs.example' }] });
    const w = world();
    const out = await callInWorkloadRegion(call('fsx:DescribeFileSystems', { FileSystemArn: FS_ARN }), w.deps);
    expect(out).toEqual({ FileSystems: [{ FileSystemId: FS_ID, FileSystemType: 'LUSTRE', Lifecycle: 'AVAILABLE', DNSName: 'fs.example' }] });
    expect(fsxMock.commandCalls(DescribeFileSystemsCommand).map((c) => c.args[0].input)).toEqual([{ FileSystemIds: [FS_ID] }]);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(SHOP_ROLE);
    expect(w.built.map((b) => [b.service, b.region, b.credentials.accessKeyId])).toEqual([['fsx', SHOP_REGION, 'ASIAEXAMPLE']]);
  });

  it('describes one ONTAP volume by its ID, and an SVM of the workload account and region', async () => {
    fsxMock.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: VOLUME_ID, Lifecycle: 'CREATED', OntapConfiguration: { StorageVirtualMachineId: SVM_ID, JunctionPath: '/data' } }] });
    fsxMock.on(DescribeStorageVirtualMachinesCommand).resolves({ StorageVirtualMachines: [{ StorageVirtualMachineId: SVM_ID, ResourceARN: SVM_ARN, Endpoints: { Nfs: { DNSName: 'svm.example' } } }] });
    const volume = await callInWorkloadRegion(call('fsx:DescribeVolumes', { VolumeArn: VOLUME_ARN }), world().deps);
    expect(volume).toMatchObject({ Volumes: [{ VolumeId: VOLUME_ID, Lifecycle: 'CREATED' }] });
    expect(fsxMock.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input)).toEqual([{ VolumeIds: [VOLUME_ID] }]);
    const svm = await callInWorkloadRegion(call('fsx:DescribeStorageVirtualMachines', { StorageVirtualMachineId: SVM_ID }), world().deps);
    expect(svm).toMatchObject({ StorageVirtualMachines: [{ Endpoints: { Nfs: { DNSName: 'svm.example' } } }] });
    expect(fsxMock.commandCalls(DescribeStorageVirtualMachinesCommand).map((c) => c.args[0].input)).toEqual([{ StorageVirtualMachineIds: [SVM_ID] }]);
  });

  it('refuses an answer naming an SVM of another account or region', async () => {
    fsxMock.on(DescribeStorageVirtualMachinesCommand).resolves({ StorageVirtualMachines: [{ StorageVirtualMachineId: SVM_ID, ResourceARN: SVM_ARN.replace('333333333333', '222222222222') }] });
    const error = await rejection(callInWorkloadRegion(call('fsx:DescribeStorageVirtualMachines', { StorageVirtualMachineId: SVM_ID }), world().deps));
    expect(error).toMatchObject({ name: 'WorkloadRegionCall.Refused', message: expect.stringMatching(/not in workload shop's account 333333333333 and region ap-northeast-2/) });
  });

  it('names FSx errors for the ASL', async () => {
    fsxMock.on(DescribeFileSystemsCommand).rejects(new FileSystemNotFound({ message: 'no such file system', $metadata: {} }));
    expect((await rejection(callInWorkloadRegion(call('fsx:DescribeFileSystems', { FileSystemArn: FS_ARN }), world().deps))).name).toBe('Fsx.FileSystemNotFound');
  });

  it.each([
    ['a file system of another account', 'fsx:DescribeFileSystems', { FileSystemArn: FS_ARN.replace('333333333333', '222222222222') }, /not in workload shop's account 333333333333 and region ap-northeast-2/],
    ['a file system of another region', 'fsx:DescribeFileSystems', { FileSystemArn: FS_ARN.replace(SHOP_REGION, 'ap-northeast-1') }, /not in workload shop's account/],
    ['a file system ID instead of its ARN', 'fsx:DescribeFileSystems', { FileSystemArn: FS_ID }, /must be an FSx file system ARN/],
    ['an EFS file system', 'fsx:DescribeFileSystems', { FileSystemArn: `arn:aws:elasticfilesystem:${SHOP_REGION}:333333333333:file-system/${FS_ID}` }, /must be an FSx file system ARN/],
    ['a list of file systems of the caller\'s choosing', 'fsx:DescribeFileSystems', { FileSystemArn: FS_ARN, FileSystemIds: [FS_ID] }, /takes FileSystemArn only, not FileSystemIds/],
    ['a volume of another account', 'fsx:DescribeVolumes', { VolumeArn: VOLUME_ARN.replace('333333333333', '222222222222') }, /not in workload shop's account/],
    ['a volume of another region', 'fsx:DescribeVolumes', { VolumeArn: VOLUME_ARN.replace(SHOP_REGION, 'ap-northeast-1') }, /not in workload shop's account/],
    ['a file system ARN as a volume', 'fsx:DescribeVolumes', { VolumeArn: FS_ARN }, /must be an FSx volume ARN/],
    ['filters instead of an SVM ID', 'fsx:DescribeStorageVirtualMachines', { Filters: [{ Name: 'file-system-id', Values: [FS_ID] }] }, /takes StorageVirtualMachineId only, not Filters/],
    ['an SVM ID that is not one', 'fsx:DescribeStorageVirtualMachines', { StorageVirtualMachineId: FS_ID }, /must be an FSx SVM ID/],
  ])('refuses %s before assuming any role', async (_what, operation, parameters, message) => {
    const w = world();
    await expectRefusedBeforeAssuming(callInWorkloadRegion(call(operation, parameters), w.deps), message, stsMock);
    expect(w.built).toEqual([]);
  });

  it('refuses any other FSx operation by name', async () => {
    const error = await rejection(callInWorkloadRegion(call('fsx:DeleteFileSystem', { FileSystemArn: FS_ARN }), world().deps));
    expect(error).toMatchObject({ name: 'WorkloadRegionCall.Refused', message: expect.stringMatching(/operation fsx:DeleteFileSystem is not allowed/) });
  });
});
