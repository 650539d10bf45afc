import { Testing } from 'cdktf';
import { allStates, findState, stateMachineLevels, transitions, type ChoiceRule, type MapState, type ParallelState, type State, type StateMachineDefinition, type TaskState } from '../../../modules/recovery/asl';
import { BRANCH_FAILED, RECOVERY_STEPS } from '../../../modules/recovery/definition';
import { estateFor, exampleInput, FIXTURES, readJson } from '../../helpers/synth';
import { terraformCloudInput, TFC_WORKSPACE_ID } from '../../helpers/terraform-cloud';
import { FSX_DIRECTORY_ID, FSX_SVM_ID, fsxInput } from '../../helpers/fsx';
import { expectEveryTaskRetriesAndCatches, expectValidAsl } from '../../helpers/state-machine-checks';
import * as path from 'path';

function synthesizedDefinition(input: unknown): StateMachineDefinition {
  const out = JSON.parse(Testing.synth(estateFor(input).dr));
  // The recovery machine (the example also has the failback machine).
  const machine = (Object.values(out.resource.aws_sfn_state_machine) as { name: string; definition: string }[]).find((m) => m.name === 'acme-recovery')!;
  return JSON.parse(machine.definition);
}

/** Strongly connected components of one state machine level (Map processors are separate machines). */
function cycles(states: Record<string, State>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let i = 0;
  const visit = (v: string) => {
    index.set(v, i);
    low.set(v, i++);
    stack.push(v);
    onStack.add(v);
    for (const w of transitions(states[v]).filter((n) => n in states)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || transitions(states[v]).includes(v)) out.push(scc);
    }
  };
  for (const name of Object.keys(states)) if (!index.has(name)) visit(name);
  return out;
}

function boundedExits(rule: ChoiceRule): boolean {
  return rule.NumericGreaterThanEquals !== undefined && /(Attempts|Rounds)\.value$/.test(rule.Variable ?? '') || (rule.And ?? []).some(boundedExits);
}

/** Each state machine of the definition (top level, Map processors, Parallel branches): a separate graph. */
const levels = stateMachineLevels;

describe.each([
  ['the example', () => exampleInput()],
  ['three workloads', () => readJson(path.join(FIXTURES, 'three-workloads.json'))],
  ['a workload built by Terraform Enterprise', () => terraformCloudInput({ pollSeconds: 20, timeoutMinutes: 45 }, 'tfe.example.com')],
  ['a workload backing up FSx', () => fsxInput({ windowsDirectoryId: FSX_DIRECTORY_ID, ontapStorageVirtualMachineId: FSX_SVM_ID })],
])('recovery state machine of %s', (_name, input) => {
  const def = synthesizedDefinition(input());

  it('passes asl-validator', () => {
    expectValidAsl(def);
  });

  it('gives every Task a Retry on throttling and transient errors and a Catch', () => {
    // (HTTP Tasks: the API's 429 Too Many Requests.)
    expectEveryTaskRetriesAndCatches(def, 11, /Throttl|TooManyRequests|StatusCode\.429$/);
  });

  it('gives every Map and Parallel a Catch, and names every state once across processors and branches', () => {
    const all = allStates(def);
    for (const [name, state] of all.filter(([, s]) => s.Type === 'Map' || s.Type === 'Parallel')) {
      expect({ name, catch: ((state as { Catch?: unknown[] }).Catch ?? []).length > 0 }).toEqual({ name, catch: true });
    }
    const names = all.map(([n]) => n);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('cannot loop forever: every cycle has an exit bounded by a counter', () => {
    const found = levels(def).flatMap((states) => cycles(states).map((scc) => ({ scc, states })));
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const { scc, states } of found) {
      const exits = scc.filter((n) => {
        const s = states[n];
        return s.Type === 'Choice' && s.Choices.some((c) => boundedExits(c) && c.Next !== undefined && !scc.includes(c.Next));
      });
      expect({ scc: scc.sort(), bounded: exits.length > 0 }).toEqual({ scc: scc.sort(), bounded: true });
    }
  });

  it('routes every failure of a top-level step to a report that names the step', () => {
    for (const step of RECOVERY_STEPS) {
      expect(def.States[`${step}Failed`]).toEqual({ Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: 'ReportFailure' });
    }
    expect(def.States.RecoveryFailed).toMatchObject({ Type: 'Fail', Error: 'RecoveryFailed' });
  });

  it('never cleans up in failover mode', () => {
    const cleanupTargets = Object.entries(def.States).filter(([, s]) => transitions(s).some((n) => n === 'CleanupDrill' || n === 'CleanupFailedDrill'));
    for (const [name, state] of cleanupTargets) {
      expect(state.Type).toBe('Choice');
      const rules = state.Type === 'Choice' ? state.Choices.filter((c) => c.Next === 'CleanupDrill' || c.Next === 'CleanupFailedDrill') : [];
      for (const rule of rules) expect({ name, guard: JSON.stringify(rule) }).toEqual({ name, guard: expect.stringContaining('"StringEquals":"drill"') });
    }
  });
});

describe('recovery inputs', () => {
  const def = synthesizedDefinition(exampleInput());

  it('resolves the workload by name or by the incident account, testing each field for presence first', () => {
    expect(def.StartAt).toBe('HasWorkloadField');
    expect(def.States.HasWorkloadField).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.workload', IsPresent: true, Next: 'ResolveWorkload' }], Default: 'HasIncidentAccount' });
    expect(def.States.HasIncidentAccount).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.incident.account', IsPresent: true, Next: 'ResolveWorkloadByIncident' }], Default: 'UnknownWorkload' });
    expect((def.States.ResolveWorkload as { Choices: ChoiceRule[] }).Choices).toEqual([{ Variable: '$.workload', StringEquals: 'shop', Next: 'Config-shop' }]);
    expect((def.States.ResolveWorkloadByIncident as { Choices: ChoiceRule[] }).Choices).toEqual([{ Variable: '$.incident.account', StringEquals: '333333333333', Next: 'Config-shop' }]);
  });

  it('never reads a field it has not tested for presence where the input may lack it (mode, approval answer)', () => {
    expect(def.States.HasMode).toMatchObject({ Choices: [{ Variable: '$.mode', IsPresent: true, Next: 'CheckMode' }], Default: 'InvalidMode' });
    expect(def.States.CheckApproval).toMatchObject({ Choices: [{ Variable: '$.approval.approved', IsPresent: true }], Default: 'ApprovalRejected' });
  });

  it('restores in parallel, bounded by the configured concurrency, with idempotent restore jobs that keep the dr:* tags', () => {
    const restore = def.States.RestoreData;
    expect(restore).toMatchObject({ Type: 'Map', MaxConcurrency: 5, ItemsPath: '$.located.Payload.ready' });
    const start = restore.Type === 'Map' ? restore.ItemProcessor.States.StartRestoreJob : undefined;
    expect(start).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:backup:startRestoreJob',
      Parameters: { CopySourceTagsToRestoredResource: true, IamRoleArn: 'arn:aws:iam::222222222222:role/acme-dr-restore', 'IdempotencyToken.$': expect.stringContaining('$.executionName') },
    });
    expect(restore).toMatchObject({ ItemSelector: { 'executionName.$': '$$.Execution.Name' } });
  });

  it('copies from the central vault with the copy-starter role of the backup-vault account', () => {
    const copy = findState(def, 'CopyToRestoreVault') as State;
    const start = copy.Type === 'Map' ? copy.ItemProcessor.States.StartCopyJob : undefined;
    expect(start).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:backup:startCopyJob',
      Credentials: { RoleArn: 'arn:aws:iam::111111111111:role/acme-central-copy-starter' },
      Parameters: {
        SourceBackupVaultName: 'acme-central',
        DestinationBackupVaultArn: 'arn:aws:backup:ap-northeast-1:222222222222:backup-vault:acme-dr-restore',
        IamRoleArn: 'arn:aws:iam::111111111111:role/acme-central-copy-service',
        Lifecycle: { DeleteAfterDays: 35 },
      },
    });
  });

  it('asks for approval through SNS with a task token and a timeout, skipped for manual starts and scheduled drills', () => {
    expect(def.States.RequestApproval).toMatchObject({ Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', TimeoutSeconds: 3600 });
    expect(JSON.stringify(def.States.RequestApproval)).toContain('$$.Task.Token');
    expect((def.States.NeedsApproval as { Choices: ChoiceRule[] }).Choices.map((c) => c.StringEquals ?? c.BooleanEquals ?? c.IsPresent)).toEqual([false, 'manual', 'schedule', false]);
  });
});

describe('copies from the central vault beside the infrastructure', () => {
  const def = synthesizedDefinition(exampleInput());
  const parallel = def.States.CopyAndBuild as ParallelState;
  const [copy, build] = parallel.Branches;

  it('locates, then copies and builds as the two branches of one Parallel state, then restores', () => {
    expect(def.States.LocateData).toMatchObject({ Type: 'Task', Next: 'NothingRestoredYet' });
    expect(def.States.NothingRestoredYet).toEqual({ Type: 'Pass', Result: [], ResultPath: '$.restores', Next: 'CopyAndBuild' });
    expect(parallel).toMatchObject({ Type: 'Parallel', Next: 'RestoreData', ResultPath: '$.located', ResultSelector: { 'Payload.$': '$[0].Payload' } });
    expect(parallel.Branches).toHaveLength(2);
    expect(copy.StartAt).toBe('NeedsCopy');
    expect(Object.keys(copy.States)).toEqual(expect.arrayContaining(['NeedsCopy', 'CopyToRestoreVault', 'CountCopyRound', 'LocateCopied', 'CopiesLanded']));
    expect(copy.States.CopiesLanded).toEqual({ Type: 'Pass', Parameters: { 'Payload.$': '$.located.Payload' }, End: true });
    expect(build.StartAt).toBe('BuildInfrastructure');
    expect(build.States.BuildInfrastructure).toMatchObject({ Type: 'Map', ItemsPath: '$.config.servers', Next: 'InfrastructureReady' });
    // Neither step is reachable at top level any more: nothing waits for the copies before building.
    for (const name of ['NeedsCopy', 'CopyToRestoreVault', 'BuildInfrastructure']) expect(def.States[name]).toBeUndefined();
    expect(Object.values(def.States).flatMap(transitions)).not.toContain('BuildInfrastructure');
  });

  it('copies in bounded rounds inside its branch: locate again after each round, give up after two', () => {
    expect(copy.States.LocateCopied).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke', Next: 'NeedsCopy', ResultPath: '$.located' });
    const payload = (s: State) => (s as TaskState).Parameters?.Payload;
    expect(payload(copy.States.LocateCopied)).toEqual(payload(def.States.LocateData));
    expect((copy.States.NeedsCopy as { Choices: ChoiceRule[] }).Choices[0]).toMatchObject({ Next: 'CopyDidNotLand', And: expect.arrayContaining([{ Variable: '$.copyRounds.value', NumericGreaterThanEquals: 2 }]) });
  });

  it('ends a failed branch with Recovery.StepFailed carrying the step, and reports it as that step', () => {
    expect(BRANCH_FAILED).toBe('Recovery.StepFailed');
    const catchOf = (s: State) => (s as { Catch?: { Next: string }[] }).Catch?.map((c) => c.Next);
    expect(catchOf(copy.States.CopyToRestoreVault)).toEqual(['CopyToRestoreVaultBranchFailed']);
    expect(catchOf(copy.States.LocateCopied)).toEqual(['LocateDataBranchFailed']);
    expect(catchOf(build.States.BuildInfrastructure)).toEqual(['BuildInfrastructureBranchFailed']);
    expect(copy.States.CopyDidNotLand).toMatchObject({ ResultPath: '$.failure', Next: 'CopyToRestoreVaultBranchFailed' });
    expect(build.States.BuildInfrastructureBranchFailed).toEqual({ Type: 'Pass', Parameters: { failedStep: 'BuildInfrastructure', 'failure.$': '$.failure' }, ResultPath: '$.branchFailure', Next: 'BuildBranchSerializeFailure' });
    expect(build.States.BuildBranchFail).toEqual({ Type: 'Fail', Error: 'Recovery.StepFailed', CausePath: '$.branchFailure.cause' });
    expect(parallel.Catch).toEqual([
      { ErrorEquals: ['Recovery.StepFailed'], ResultPath: '$.branchFailure', Next: 'ReadBranchFailure' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'BuildInfrastructureFailed' },
    ]);
    expect((def.States.RouteBranchFailure as { Choices: ChoiceRule[] }).Choices.map((c) => [c.StringEquals, c.Next])).toEqual([
      ['LocateData', 'LocateDataFailed'],
      ['CopyToRestoreVault', 'CopyToRestoreVaultFailed'],
    ]);
    expect(def.States.RouteBranchFailure).toMatchObject({ Default: 'BuildInfrastructureFailed' });
  });

  it('cleans up a failed drill once the servers may have been scaled up (CopyAndBuild onwards), not before', () => {
    const cleanup = (def.States.FailedDrillNeedsCleanup as { Choices: ChoiceRule[] }).Choices[0];
    expect(JSON.stringify(cleanup)).toContain('"Variable":"$.restores","IsPresent":true');
    // $.restores exists from just before CopyAndBuild, not at Approve or LocateData.
    const setters = allStates(def).filter(([, s]) => (s as { ResultPath?: string }).ResultPath === '$.restores').map(([n]) => n);
    expect(setters.sort()).toEqual(['NothingRestoredYet', 'RestoreData']);
  });
});

describe('mount targets for restored EFS file systems', () => {
  const def = synthesizedDefinition(exampleInput());
  const map = def.States.CreateMountTargets as MapState;

  it('runs after the volumes are attached and before the connect runbook, over every restore', () => {
    expect((def.States.ConnectServers as MapState).Next).toBe('CreateMountTargets');
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.restores',
      ItemSelector: { 'restore.$': '$$.Map.Item.Value', 'subnetIds.$': '$.config.target.subnetIds', 'securityGroupIds.$': '$.config.target.securityGroupIds' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ConnectServersFailed' }],
      Next: 'RunConnectRunbook',
    });
    expect(map.ItemProcessor.States.IsFileSystem).toMatchObject({ Default: 'NoFileSystem' });
    expect(JSON.stringify(map.ItemProcessor.States.IsFileSystem)).toContain('"StringEquals":"EFS"');
  });

  it('creates one per landing-zone subnet with the servers\' security group, a conflict (already there) counting as done', () => {
    const perSubnet = map.ItemProcessor.States.MountTargetPerSubnet as MapState;
    expect(perSubnet).toMatchObject({ ItemsPath: '$.subnetIds', ItemSelector: { 'subnetId.$': '$$.Map.Item.Value', 'securityGroupIds.$': '$.securityGroupIds', 'fileSystemId.$': '$.fileSystem.id' } });
    const create = perSubnet.ItemProcessor.States.CreateMountTarget as TaskState;
    expect(create).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:efs:createMountTarget',
      Parameters: { 'FileSystemId.$': '$.fileSystemId', 'SubnetId.$': '$.subnetId', 'SecurityGroups.$': '$.securityGroupIds' },
    });
    expect(create.Catch?.[0]).toEqual({ ErrorEquals: ['Efs.MountTargetConflictException'], ResultPath: null, Next: 'MountTargetExists' });
    expect(perSubnet.ItemProcessor.States.MountTargetExists).toEqual({ Type: 'Succeed' });
    // The file system ID from the restore job's created resource ARN.
    expect(map.ItemProcessor.States.FileSystemId).toMatchObject({ Parameters: { 'id.$': "States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), 1)" } });
  });

  it('waits until every mount target is available, bounded, failing on a mount target in error', () => {
    const states = map.ItemProcessor.States;
    expect(states.MountTargetPollCheck).toMatchObject({ Resource: 'arn:aws:states:::aws-sdk:efs:describeMountTargets', Parameters: { 'FileSystemId.$': '$.fileSystem.id' } });
    const evaluate = states.MountTargetPollEvaluate as { Choices: ChoiceRule[] };
    expect(evaluate.Choices[0]).toEqual({ Variable: '$.mountTargets.available', NumericGreaterThanEqualsPath: '$.fileSystem.subnets', Next: 'MountTargetsReady' });
    expect(evaluate.Choices[1]).toMatchObject({ Variable: '$.mountTargets.failed', NumericGreaterThan: 0, Next: 'MountTargetPollFailed' });
    expect(evaluate.Choices[2]).toMatchObject({ Variable: '$.mountTargetsAttempts.value', NumericGreaterThanEquals: 30, Next: 'MountTargetPollTimedOut' });
  });

  it('is left out when no workload restores EFS', () => {
    const input = exampleInput() as { workloads: { backup: Record<string, unknown> }[] };
    input.workloads[0].backup.resourceTypes = ['EBS', 'RDS', 'DynamoDB', 'S3'];
    const without = synthesizedDefinition(input);
    expect(allStates(without).map(([n]) => n)).not.toContain('CreateMountTargets');
    expect((without.States.ConnectServers as MapState).Next).toBe('RunConnectRunbook');
  });
});

describe('restored FSx file systems described for the connect runbook', () => {
  const def = synthesizedDefinition(fsxInput({ windowsDirectoryId: FSX_DIRECTORY_ID, ontapStorageVirtualMachineId: FSX_SVM_ID }));
  const map = def.States.DescribeRestoredFileSystems as MapState;
  const states = map.ItemProcessor.States;
  const task = (name: string) => states[name] as TaskState;

  it('runs after the EFS mount targets and before the runbook, over every restore, reporting a failure as ConnectServers', () => {
    expect((def.States.ConnectServers as MapState).Next).toBe('CreateMountTargets');
    expect((def.States.CreateMountTargets as MapState).Next).toBe('DescribeRestoredFileSystems');
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.restores',
      ItemSelector: { 'restore.$': '$$.Map.Item.Value' },
      ResultSelector: { 'entries.$': '$[*].entry' },
      ResultPath: '$.fileSystems',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ConnectServersFailed' }],
      Next: 'RunConnectRunbook',
    });
    // Without EFS, straight from ConnectServers.
    const withoutEfs = synthesizedDefinition(fsxInput(undefined, ['EBS', 'RDS', 'DynamoDB', 'S3', 'FSx']));
    expect((withoutEfs.States.ConnectServers as MapState).Next).toBe('DescribeRestoredFileSystems');
    expect(withoutEfs.States.CreateMountTargets).toBeUndefined();
  });

  it('tells FSx file systems from ONTAP volumes by the created resource ARN; any other restore ends with no entry', () => {
    expect(map.ItemProcessor.StartAt).toBe('IsFsxRestore');
    const choices = (states.IsFsxRestore as { Choices: ChoiceRule[] }).Choices;
    expect(choices.map((c) => [c.And?.[1].StringMatches, c.Next])).toEqual([
      ['*:volume/*', 'FsxVolumeId'],
      ['*:file-system/*', 'FsxFileSystemId'],
    ]);
    for (const c of choices) expect(c.And?.[0]).toEqual({ Variable: '$.restore.resourceType', StringEquals: 'FSx' });
    expect(states.IsFsxRestore).toMatchObject({ Default: 'NotFsx' });
    expect(states.NotFsx).toEqual({ Type: 'Pass', Result: {}, End: true });
    expect(states.FsxFileSystemId).toMatchObject({ Parameters: { 'id.$': "States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), 1)" } });
    expect(states.FsxVolumeId).toMatchObject({ Parameters: { 'id.$': "States.ArrayGetItem(States.StringSplit($.restore.createdResourceArn, '/'), 2)" } });
  });

  it('calls fsx:DescribeFileSystems, DescribeVolumes and DescribeStorageVirtualMachines with the IDs, each retried on throttling and caught', () => {
    expect(task('FsxFileSystemPollCheck')).toMatchObject({ Resource: 'arn:aws:states:::aws-sdk:fsx:describeFileSystems', Parameters: { 'FileSystemIds.$': 'States.Array($.fsx.id)' }, ResultPath: '$.fsxFileSystem' });
    expect(task('FsxVolumePollCheck')).toMatchObject({ Resource: 'arn:aws:states:::aws-sdk:fsx:describeVolumes', Parameters: { 'VolumeIds.$': 'States.Array($.fsx.id)' }, ResultPath: '$.fsxVolume' });
    expect(task('FsxStorageVirtualMachine')).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:fsx:describeStorageVirtualMachines',
      Parameters: { 'StorageVirtualMachineIds.$': 'States.Array($.fsxVolume.volume.OntapConfiguration.StorageVirtualMachineId)' },
      ResultSelector: { 'nfsDnsName.$': '$.StorageVirtualMachines[0].Endpoints.Nfs.DNSName' },
    });
    for (const name of ['FsxFileSystemPollCheck', 'FsxVolumePollCheck', 'FsxStorageVirtualMachine']) {
      expect({ name, retry: task(name).Retry }).toEqual({ name, retry: [expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Fsx.ThrottlingException', 'Fsx.TooManyRequestsException']), JitterStrategy: 'FULL', MaxAttempts: 10 })] });
      expect({ name, catch: task(name).Catch }).toEqual({ name, catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'FsxItemFailed' }] });
    }
    expect(states.FsxItemFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('waits, bounded, until the file system or volume can be mounted, failing on FAILED or MISCONFIGURED', () => {
    const fs = (states.FsxFileSystemPollEvaluate as { Choices: ChoiceRule[] }).Choices;
    expect(fs[0].Or?.map((c) => c.StringEquals)).toEqual(['AVAILABLE', 'UPDATING']);
    expect(fs[0].Next).toBe('FsxFileSystemType');
    expect(fs[1].Or?.map((c) => c.StringEquals)).toEqual(['FAILED', 'MISCONFIGURED', 'MISCONFIGURED_UNAVAILABLE']);
    expect(fs[2]).toEqual({ Variable: '$.fsxFileSystemAttempts.value', NumericGreaterThanEquals: 120, Next: 'FsxFileSystemPollTimedOut' });
    const volume = (states.FsxVolumePollEvaluate as { Choices: ChoiceRule[] }).Choices;
    expect(volume[0].Or?.map((c) => c.StringEquals)).toEqual(['CREATED', 'AVAILABLE']);
    expect(volume[1].Or?.map((c) => c.StringEquals)).toEqual(['FAILED', 'MISCONFIGURED']);
    expect(states.FsxFileSystemPollFailed).toEqual({ Type: 'Fail', Error: 'FsxFileSystemFailed', CausePath: '$.fsxFileSystem.statusMessage' });
  });

  it('ends each FSx item with "<TYPE>|<id>|<DNS name>|<path>"; OpenZFS with none', () => {
    expect((states.FsxFileSystemType as { Choices: ChoiceRule[]; Default: string }).Choices.map((c) => [c.StringEquals, c.Next])).toEqual([
      ['LUSTRE', 'FsxLustreEntry'],
      ['WINDOWS', 'FsxWindowsEntry'],
    ]);
    expect(states.FsxFileSystemType).toMatchObject({ Default: 'NotFsx' });
    expect(states.FsxLustreEntry).toEqual({
      Type: 'Pass',
      Parameters: { 'entry.$': "States.Format('LUSTRE|{}|{}|{}', $.fsx.id, $.fsxFileSystem.fileSystem.DNSName, $.fsxFileSystem.fileSystem.LustreConfiguration.MountName)" },
      End: true,
    });
    expect(states.FsxWindowsEntry).toMatchObject({ Parameters: { 'entry.$': "States.Format('WINDOWS|{}|{}|-', $.fsx.id, $.fsxFileSystem.fileSystem.DNSName)" } });
    expect(states.FsxOntapEntry).toMatchObject({ Parameters: { 'entry.$': "States.Format('ONTAP|{}|{}|{}', $.fsx.id, $.svm.nfsDnsName, $.fsxVolume.volume.OntapConfiguration.JunctionPath)" } });
  });

  it('passes the entries to the runbook, and the directory, SVM and file-system security group to prepare-restore', () => {
    expect((def.States.RunConnectRunbook as TaskState).Parameters).toMatchObject({ Parameters: { 'FsxFileSystems.$': 'States.Array(States.JsonToString($.fileSystems.entries))' } });
    const target = (def.States['Config-shop'] as { Result: { target: Record<string, unknown> } }).Result.target;
    expect(target).toMatchObject({
      windowsDirectoryId: FSX_DIRECTORY_ID,
      ontapStorageVirtualMachineId: FSX_SVM_ID,
      fileSystemSecurityGroupIds: [expect.stringMatching(/^\$\{aws_security_group\.LandingZone_FileSystemSecurityGroup_[A-Z0-9]+\.id\}$/)],
    });
    expect((def.States.RestoreData as MapState).ItemSelector).toMatchObject({ 'target.$': '$.config.target' });
  });

  it('is left out, with nothing else changed, when no workload backs up FSx', () => {
    const plain = synthesizedDefinition(exampleInput());
    const json = JSON.stringify(plain);
    expect(json).not.toMatch(/fsx|Fsx|FSx|fileSystems|windowsDirectoryId|fileSystemSecurityGroupIds/);
    expect((plain.States.CreateMountTargets as MapState).Next).toBe('RunConnectRunbook');
    expect(Object.keys((plain.States.RunConnectRunbook as TaskState).Parameters?.Parameters as object)).toEqual(['Workload.$', 'StartCommand.$', 'MountRoot.$', 'FileSystemArns.$']);
    // A workload config without recovery.fsx adds nothing to its target either.
    const noConfig = synthesizedDefinition(fsxInput());
    expect(Object.keys((noConfig.States['Config-shop'] as { Result: { target: object } }).Result.target)).not.toContain('windowsDirectoryId');
  });
});

describe('Terraform Cloud for BuildInfrastructure (recovery.infrastructure terraformCloud)', () => {
  const def = synthesizedDefinition(terraformCloudInput({ pollSeconds: 20, timeoutMinutes: 45 }, 'tfe.example.com'));
  const build = (def.States.CopyAndBuild as ParallelState).Branches[1];
  const states = build.States;

  it('chooses per workload: Terraform Cloud for its workloads, the Auto Scaling groups for the others', () => {
    expect(build.StartAt).toBe('HowToBuild');
    expect(states.HowToBuild).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.config.infrastructure.kind', StringEquals: 'terraformCloud', Next: 'TerraformRunCreate' }], Default: 'BuildInfrastructure' });
    expect((def.States['Config-shop'] as { Result: Record<string, unknown> }).Result.infrastructure).toEqual({ kind: 'terraformCloud', workspaceId: TFC_WORKSPACE_ID, maxPolls: 135 });
    expect(states.BuildInfrastructure).toMatchObject({ Type: 'Map', Next: 'InfrastructureReady' });
  });

  it('queues an auto-applied run in the workspace through the HTTP Task and the connection', () => {
    expect(states.TerraformRunCreate).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::http:invoke',
      Parameters: {
        ApiEndpoint: 'https://tfe.example.com/api/v2/runs',
        Method: 'POST',
        Authentication: { ConnectionArn: expect.stringMatching(/^\$\{aws_cloudwatch_event_connection\.[A-Za-z0-9_]+\.arn\}$/) },
        Headers: { 'Content-Type': 'application/vnd.api+json' },
        RequestBody: {
          data: {
            type: 'runs',
            attributes: { 'auto-apply': true, 'message.$': expect.stringContaining('$$.Execution.Name') },
            relationships: { workspace: { data: { type: 'workspaces', 'id.$': '$.config.infrastructure.workspaceId' } } },
          },
        },
      },
      ResultSelector: { 'body.$': '$.ResponseBody' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'BuildInfrastructureBranchFailed' }],
    });
    // The token is the connection's: never a header of the definition.
    expect(JSON.stringify(def)).not.toMatch(/"Authorization"/);
    expect((states.TerraformRunCreate as TaskState).Retry?.[0].ErrorEquals).toEqual(expect.arrayContaining(['States.Http.StatusCode.429', 'States.Http.StatusCode.503']));
  });

  it('reads the run until applied, failing on errored, canceled, discarded, force_canceled or policy_soft_failed, bounded by timeoutMinutes', () => {
    expect(states.TerraformRunPollCheck).toMatchObject({ Parameters: { 'ApiEndpoint.$': "States.Format('https://tfe.example.com/api/v2/runs/{}', $.terraformRun.id)", Method: 'GET' } });
    expect(states.TerraformRunPollRead).toMatchObject({ Parameters: { 'status.$': '$.terraformRunStatus.body.data.attributes.status' } });
    const [done, failed, ownBound, machineBound] = (states.TerraformRunPollEvaluate as { Choices: ChoiceRule[] }).Choices;
    expect(done.Or?.map((c) => c.StringEquals)).toEqual(['applied', 'planned_and_finished']);
    expect(done.Next).toBe('InfrastructureReady');
    expect(failed.Or?.map((c) => c.StringEquals)).toEqual(['errored', 'canceled', 'discarded', 'force_canceled', 'policy_soft_failed']);
    expect(failed.Next).toBe('TerraformRunFailed');
    // 45 minutes at 20 s.
    expect(ownBound).toEqual({ Variable: '$.terraformRunAttempts.value', NumericGreaterThanEqualsPath: '$.config.infrastructure.maxPolls', Next: 'TerraformRunTimedOut' });
    expect(machineBound).toEqual({ Variable: '$.terraformRunAttempts.value', NumericGreaterThanEquals: 135, Next: 'TerraformRunTimedOut' });
    expect(states.TerraformRunPollWait).toEqual({ Type: 'Wait', Seconds: 20, Next: 'TerraformRunPollCount' });
    for (const end of ['TerraformRunFailed', 'TerraformRunTimedOut']) {
      expect(states[end]).toMatchObject({ Type: 'Pass', ResultPath: '$.failure', Next: 'BuildInfrastructureBranchFailed', Parameters: { Error: end, 'Cause.$': expect.stringContaining('$.terraformRun.id') } });
    }
  });

  it('parses the application/vnd.api+json body whether Step Functions passes it parsed or as a string', () => {
    expect(states.TerraformRunPollParsed).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.terraformRunStatus.body', IsString: true, Next: 'TerraformRunPollParse' }], Default: 'TerraformRunPollRead' });
    expect(states.TerraformRunPollParse).toMatchObject({ Parameters: { 'body.$': 'States.StringToJson($.terraformRunStatus.body)' }, Next: 'TerraformRunPollRead' });
    expect(states.TerraformRunCreatedParsed).toMatchObject({ Choices: [{ Variable: '$.terraformRun.body', IsString: true, Next: 'TerraformRunCreatedParse' }], Default: 'TerraformRunQueued' });
  });

  it('leaves an autoScaling-only estate as it was: no HTTP Task, no infrastructure field', () => {
    const plain = synthesizedDefinition(exampleInput());
    const json = JSON.stringify(plain);
    expect(json).not.toContain('http:invoke');
    expect(json).not.toContain('"infrastructure"');
    expect((plain.States.CopyAndBuild as ParallelState).Branches[1].StartAt).toBe('BuildInfrastructure');
  });
});
