import {
  attachRestoredVolumeStatements,
  cleanupDrillStatements,
  locateRecoveryPointsStatements,
  prepareRestoreStatements,
  reportRecoveryStatements,
  type RecoveryFunctionScope,
} from '../../../modules/recovery/function-policies';
import type { PolicyStatement } from '../../../modules/policy-document';

const DR = '222222222222';
const VAULT_ACCOUNT = '333333333333';
const scope: RecoveryFunctionScope = { region: 'ap-northeast-1', accountId: DR };
const shared: RecoveryFunctionScope = { ...scope, airGappedVault: { arn: `arn:aws:backup:ap-northeast-1:${VAULT_ACCOUNT}:backup-vault:acme-air-gapped`, accountId: VAULT_ACCOUNT } };
const sids = (statements: PolicyStatement[]) => statements.map((s) => s.Sid);
const resourcesOf = (statements: PolicyStatement[]): string[] => statements.flatMap((s) => [s.Resource ?? []].flat());

describe('recovery function policies', () => {
  it('name the shared air-gapped vault and its points only when the backup-vault account shares one', () => {
    for (const build of [attachRestoredVolumeStatements, prepareRestoreStatements, (s: RecoveryFunctionScope) => locateRecoveryPointsStatements(s)]) {
      expect(resourcesOf(build(scope)).some((r) => r.includes(VAULT_ACCOUNT))).toBe(false);
      expect(resourcesOf(build(shared))).toContain(`arn:aws:backup:ap-northeast-1:${VAULT_ACCOUNT}:recovery-point:*`);
    }
    expect(resourcesOf(locateRecoveryPointsStatements(shared))).toContain(shared.airGappedVault?.arn);
    // prepare-restore reads points only, never lists the vault.
    expect(resourcesOf(prepareRestoreStatements(shared))).not.toContain(shared.airGappedVault?.arn);
  });

  it('let locate assume the copy-starter role only where there is a locked central vault to copy from', () => {
    const role = `arn:aws:iam::${VAULT_ACCOUNT}:role/acme-recovery-copy-starter`;
    expect(sids(locateRecoveryPointsStatements(scope))).not.toContain('AssumeCentralCopyStarter');
    expect(locateRecoveryPointsStatements(scope, role).find((s) => s.Sid === 'AssumeCentralCopyStarter')).toMatchObject({ Action: 'sts:AssumeRole', Resource: role });
  });

  it('attach only to instances tagged dr:server', () => {
    expect(attachRestoredVolumeStatements(scope).find((s) => s.Sid === 'AttachToRecoveryInstancesOnly')).toMatchObject({
      Resource: `arn:aws:ec2:ap-northeast-1:${DR}:instance/*`,
      Condition: { Null: { 'aws:ResourceTag/dr:server': 'false' } },
    });
  });

  it('scope report-recovery to its metric namespace', () => {
    expect(reportRecoveryStatements('Acme/DR')).toEqual([expect.objectContaining({ Action: 'cloudwatch:PutMetricData', Condition: { StringEquals: { 'cloudwatch:namespace': 'Acme/DR' } } })]);
  });

  it('let cleanup-drill scale only the named groups, and terminate restored instances only where EC2 is backed up', () => {
    const none = cleanupDrillStatements({ ...scope, autoScalingGroupArns: [], restoresEc2: false });
    expect(sids(none)).not.toContain('ScaleServersToZero');
    expect(sids(none)).not.toContain('TerminateRestoredInstances');
    const group = `arn:aws:autoscaling:ap-northeast-1:${DR}:autoScalingGroup:*:autoScalingGroupName/acme-shop-app`;
    const all = cleanupDrillStatements({ ...scope, autoScalingGroupArns: [group], restoresEc2: true });
    expect(all.find((s) => s.Sid === 'ScaleServersToZero')).toMatchObject({ Resource: [group] });
    expect(all.find((s) => s.Sid === 'TerminateRestoredInstances')?.Condition).toEqual({ Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false', 'aws:ResourceTag/dr:workload': 'false' } });
    // Nothing of another account.
    expect(resourcesOf(all).filter((r) => r !== '*' && !r.includes(`:${DR}:`))).toEqual([]);
  });
});
