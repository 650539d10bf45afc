import { allStates, stateMachineLevels, transitions, type MapState, type PassState, type StateMachineDefinition, type TaskState } from '../../../modules/recovery/asl';
import { FAILBACK_STEPS, failbackDefinition } from '../../../modules/failback/definition';
import { estateFor } from '../../helpers/synth';
import { failbackInput, noFailbackInput } from '../../helpers/failback';
import { expectEveryTaskRetriesAndCatches, expectValidAsl } from '../../helpers/state-machine-checks';

/** The failback definition as synthesized into the DR stack of `input`. */
function synthesizedDefinition(input: unknown): StateMachineDefinition {
  const dr = estateFor(input).dr;
  if (!dr.failback) throw new Error('no failback machine');
  return dr.failback.stateMachine.definition;
}

const task = (def: StateMachineDefinition, name: string) => allStates(def).find(([n]) => n === name)![1] as TaskState;

describe('failback definition', () => {
  const def = synthesizedDefinition(failbackInput());

  it('is absent without any workload failback, and refuses to build with no workload', () => {
    expect(estateFor(noFailbackInput()).dr.failback).toBeUndefined();
    expect(() => failbackDefinition({ workloads: [], onCallTopicArn: 'x', restoreVault: { name: 'v', arn: 'a' }, backupRoleArn: 'r', finalBackupRetentionDays: 1, dr: { accountId: '222222222222', region: 'ap-northeast-1' }, cleanupFunctionArn: 'f', workloadRegionCallFunctionArn: 'w' })).toThrow(/at least one workload/);
  });

  it('passes asl-validator', () => {
    expectValidAsl(def);
  });

  it('gives every Task a bounded, jittered Retry on throttling and a Catch', () => {
    expectEveryTaskRetriesAndCatches(def, 12, /Throttl|TooManyRequests/);
  });

  it('gives every Map a Catch, names every state once, and every transition reaches a state of its level', () => {
    const all = allStates(def);
    for (const [name, state] of all.filter(([, s]) => s.Type === 'Map')) expect({ name, catch: ((state as MapState).Catch ?? []).length > 0 }).toEqual({ name, catch: true });
    const names = all.map(([n]) => n);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const level of stateMachineLevels(def)) {
      for (const [name, state] of Object.entries(level)) for (const next of transitions(state)) expect({ name, next, exists: next in level }).toEqual({ name, next, exists: true });
    }
  });

  it('bounds every wait: each poll loop gives up after the job timeout, the approval after its timeout', () => {
    const waits = allStates(def).filter(([, s]) => s.Type === 'Wait');
    expect(waits.map(([n]) => n).sort()).toEqual(['BackupPollWait', 'ConnectRunbookPollWait', 'DnsSyncPollWait', 'FailbackCopyPollWait', 'FailbackRestorePollWait', 'FreezeRunbookPollWait', 'GraceWait', 'HealthPollWait', 'WorkloadMountTargetPollWait']);
    // 240 minutes (the default jobTimeoutMinutes) at 30 s a poll.
    for (const prefix of ['BackupPoll', 'FailbackCopyPoll', 'FailbackRestorePoll']) {
      const evaluate = allStates(def).find(([n]) => n === `${prefix}Evaluate`)![1];
      expect(JSON.stringify(evaluate)).toContain('"NumericGreaterThanEquals":480');
    }
    // Mount targets of a restored EFS file system: 15 minutes at 30 s a poll.
    expect(JSON.stringify(allStates(def).find(([n]) => n === 'WorkloadMountTargetPollEvaluate')![1])).toContain('"NumericGreaterThanEquals":30');
    expect(task(def, 'RequestApproval')).toMatchObject({ Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', TimeoutSeconds: 3600 });
    // Three days of work, the grace period (72 h by default) and the second approval.
    expect(def.TimeoutSeconds).toBe(3 * 24 * 3600 + 72 * 3600 + 3600);
  });

  it('runs the steps in order: approve → freeze → final backups → copy → restore → report', () => {
    expect(def.StartAt).toBe('HasWorkloadField');
    expect(def.States['Config-shop']).toMatchObject({ Next: 'HasResources' });
    expect(def.States.HasResources).toMatchObject({ Default: 'LocateDrResources', Choices: [{ Variable: '$.resourceArns[0]', IsPresent: true, Next: 'RequestApproval' }] });
    expect(def.States.CheckApprovalAnswer).toMatchObject({ Choices: [{ BooleanEquals: true, Next: 'HowToFreeze' }], Default: 'ApprovalRejected' });
    expect((def.States.FreezeScaleDown as MapState).Next).toBe('Frozen');
    expect(def.States.Frozen).toEqual({ Type: 'Pass', Parameters: { 'frozenAt.$': '$$.State.EnteredTime' }, ResultPath: '$.rpo', Next: 'FinalBackups' });
    expect((def.States.FinalBackups as MapState).Next).toBe('FinalBackupsDone');
    expect((def.States.FinalBackupsDone as PassState).Parameters).toEqual({ 'frozenAt.$': '$.rpo.frozenAt', 'backupsCompletedAt.$': '$$.State.EnteredTime' });
    expect((def.States.CopyToWorkload as MapState).Next).toBe('RestoreInWorkload');
    expect((def.States.RestoreInWorkload as MapState).Next).toBe('Reconnect');
    expect((def.States.Reconnect as MapState).Next).toBe('NeedsConnectRunbook');
  });

  it('routes every failure of a step to a report that names the step, then fails', () => {
    for (const step of FAILBACK_STEPS.filter((s) => s !== 'Report')) {
      const frozen = ['Freeze', 'FinalBackups', 'CopyToWorkload', 'RestoreInWorkload', 'Reconnect', 'SwitchBack', 'Verify'].includes(step);
      expect(def.States[`${step}Failed`]).toEqual({ Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: frozen ? 'UndoFreeze' : 'NothingToUndo' });
    }
    for (const [name, map] of [['FreezeScaleDown', 'Freeze'], ['FinalBackups', 'FinalBackups'], ['CopyToWorkload', 'CopyToWorkload'], ['RestoreInWorkload', 'RestoreInWorkload'], ['Reconnect', 'Reconnect']]) {
      expect({ name, catch: (def.States[name] as MapState).Catch }).toEqual({ name, catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `${map}Failed` }] });
    }
    expect(task(def, 'ReportFailbackFailure').Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportFailure', Next: 'FailbackFailed' }]);
    expect(def.States.FailbackFailed).toEqual({ Type: 'Fail', Error: 'FailbackFailed', CausePath: '$.failedStep' });
  });

  it('backs up into the DR restore vault and copies to the workload local vault with the DR failback backup role', () => {
    expect(task(def, 'StartFinalBackup')).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:backup:startBackupJob',
      Parameters: { BackupVaultName: 'acme-dr-restore', 'ResourceArn.$': '$.resourceArn', IamRoleArn: 'arn:aws:iam::222222222222:role/acme-dr-failback-backup', Lifecycle: { DeleteAfterDays: 35 } },
    });
    expect(task(def, 'StartFailbackCopy')).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:backup:startCopyJob',
      Parameters: { SourceBackupVaultName: 'acme-dr-restore', 'DestinationBackupVaultArn.$': '$.destinationVaultArn', IamRoleArn: 'arn:aws:iam::222222222222:role/acme-dr-failback-backup' },
    });
    expect(task(def, 'StartFailbackCopy').Credentials).toBeUndefined();
    const config = (def.States['Config-shop'] as PassState).Result as Record<string, unknown>;
    expect(config).toMatchObject({
      localVaultName: 'acme-shop-local',
      localVaultArn: 'arn:aws:backup:ap-northeast-2:333333333333:backup-vault:acme-shop-local',
      localRetentionDays: 120,
      failbackRoleArn: 'arn:aws:iam::333333333333:role/acme-shop-failback',
      backupRoleArn: 'arn:aws:iam::333333333333:role/acme-shop-backup',
      freeze: { kind: 'scaleDown', size: 0, autoScalingGroupNames: ['acme-shop-app'] },
      restoreOverrides: {
        EC2: { SubnetId: 'subnet-0123456789abcdef0', SecurityGroupIds: '["sg-0123456789abcdef0"]' },
        DynamoDB: { encryptionType: 'KMS', kmsMasterKeyArn: 'arn:aws:kms:ap-northeast-2:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      },
    });
  });

  it('restores in the workload account and region through the workload-region-call function only, and fails an unsupported type naming it', () => {
    const workloadCalls = {
      DescribeFailbackSubnet: 'ec2:DescribeSubnets',
      GetFailbackRestoreMetadata: 'backup:GetRecoveryPointRestoreMetadata',
      StartFailbackRestore: 'backup:StartRestoreJob',
      FailbackRestorePollCheck: 'backup:DescribeRestoreJob',
      // Step Verify: the health alarm of the workload region.
      HealthPollCheck: 'cloudwatch:DescribeAlarms',
    };
    const prefix: Record<string, string> = { ec2: 'Ec2', backup: 'Backup', cloudwatch: 'CloudWatch' };
    for (const [name, operation] of Object.entries(workloadCalls)) {
      expect({ name, task: task(def, name) }).toMatchObject({
        name,
        task: {
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName: 'arn:aws:lambda:ap-northeast-1:222222222222:function:acme-failback-workload-region-call',
            Payload: { operation, 'workload.$': '$.config.workload', 'roleArn.$': '$.config.failbackRoleArn', 'region.$': '$.config.region', 'executionName.$': '$$.Execution.Name' },
          },
        },
      });
      // Lambda's transient errors, and the service's and STS's throttling as the function names them.
      expect({ name, retry: task(def, name).Retry![0].ErrorEquals }).toEqual({ name, retry: expect.arrayContaining(['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Sts.Throttling', `${prefix[operation.split(':')[0]]}.ThrottlingException`]) });
    }
    expect((task(def, 'StartFailbackRestore').Parameters as any).Payload.parameters).toMatchObject({ 'Metadata.$': '$.restoreMetadata.value', 'IamRoleArn.$': '$.config.backupRoleArn' });
    expect(task(def, 'GetFailbackRestoreMetadata').ResultSelector).toEqual({ 'metadata.$': '$.Payload.RestoreMetadata' });
    expect((def.States['Config-shop'] as PassState).Result).toMatchObject({ workload: 'shop', region: 'ap-northeast-2' });
    // No SDK integration with Credentials is left: it would call the recovery region, not the workload's.
    expect(allStates(def).filter(([, s]) => s.Type === 'Task' && (s as TaskState).Credentials !== undefined).map(([n]) => n)).toEqual([]);
    // Every backed-up type has its overrides (driven per type in restore-overrides.test.ts).
    const types = allStates(def).find(([n]) => n === 'FailbackRestoreType')![1] as { Choices: { Next: string }[]; Default: string };
    expect(new Set(types.Choices.map((c) => c.Next))).toEqual(
      new Set(['PointAtWorkloadEBS', 'PointAtWorkloadEC2', 'FailbackRestoreMetadataIncomplete', 'FailbackNeedsDbSubnetGroup', 'PointAtWorkloadRDSInZone', 'PointAtWorkloadRDS', 'PointAtWorkloadAuroraInZones', 'PointAtWorkloadAurora', 'PointAtWorkloadDynamoDB', 'PointAtWorkloadEFS', 'FailbackNeedsS3Bucket', 'PointAtWorkloadS3', 'FailbackFsxType']),
    );
    expect(types.Default).toBe('UnsupportedFailbackType');
    expect(allStates(def).find(([n]) => n === 'UnsupportedFailbackType')![1]).toMatchObject({ Next: 'FailbackRestorePollItemFailed' });
  });

  it('freezes by runbook, or not at all, as configured', () => {
    const runbook = synthesizedDefinition(failbackInput({ freeze: { kind: 'runbook', documentName: 'shop-stop-writes' } }));
    expect((runbook.States['Config-shop'] as PassState).Result).toMatchObject({ freeze: { kind: 'runbook', documentName: 'shop-stop-writes' } });
    expect(task(runbook, 'FreezeRunbook')).toMatchObject({ Resource: 'arn:aws:states:::aws-sdk:ssm:startAutomationExecution', Catch: [{ Next: 'FreezeFailed' }] });
    const none = synthesizedDefinition(failbackInput({ freeze: { kind: 'none' } }));
    expect((none.States['Config-shop'] as PassState).Result).toMatchObject({ freeze: { kind: 'none' } });
    expect(none.States.HowToFreeze).toMatchObject({ Default: 'Frozen' });
  });
});
