import { rehearseReadiness } from '../../rehearsal/readiness';
import { rehearseRestoreTest } from '../../rehearsal/restore-test';
import { exampleDrills } from '../helpers/example-drill';
import { dropStatement, editStatement, mutatedSynthDir } from '../helpers/synth-mutations';
import { roleTrust, rolePolicy } from '../helpers/policy-mutation-targets';

/**
 * The daily readiness checker after a drill, on the rehearsal's model: its real logic, as its own
 * role, reading the locked central vault through the backup-vault account's reader role, every call
 * authorized against the synthesized policies (trust, cross-account vault listing, the report
 * bucket's KMS key).
 */
const { synthDir, drill } = exampleDrills(4);
const READER = 'arn:aws:iam::111111111111:role/acme-central-vault-reader';
const CHECKER = 'arn:aws:iam::222222222222:role/acme-recovery-readiness-checker';

describe('the readiness checker, rehearsed after a drill', () => {
  it('reads every vault (the central one through the reader role), writes its report, and every call is allowed', async () => {
    const rehearsal = await drill(synthDir);
    expect(rehearsal.recovered).toBe(true);
    const { result, report, evaluations } = await rehearseReadiness(rehearsal);
    expect(evaluations.filter((e) => !e.allowed)).toEqual([]);
    expect(evaluations).toContainEqual(expect.objectContaining({ principal: CHECKER, allowed: true, request: expect.objectContaining({ action: 'sts:AssumeRole', resource: READER }) }));
    expect(evaluations).toContainEqual(expect.objectContaining({ principal: READER, allowed: true, request: expect.objectContaining({ action: 'backup:ListRecoveryPointsByBackupVault', resource: 'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-central' }) }));
    // The report bucket's default encryption: S3 asks KMS for a data key with the writer's credentials.
    expect(evaluations).toContainEqual(expect.objectContaining({ principal: CHECKER, allowed: true, request: expect.objectContaining({ action: 'kms:GenerateDataKey', onBehalfOf: 's3:PutObject' }) }));
    expect(result.reportKeys).toEqual([expect.stringMatching(/^reports\/\d{4}-\d{2}-\d{2}\/readiness\.json$/), 'reports/latest.json']);
    const checks = Object.fromEntries(report.workloads[0].checks.map((c) => [c.check, c.ready]));
    expect(checks).toEqual({ RecoveryPoints: true, GoldenAmis: true, LaunchTemplates: true, ServerGroups: true, StateMachine: true, DrillRto: true, RestoreTest: false });
  });

  it('after a restore test validated by validate-restore, the RestoreTest check is ready too', async () => {
    const rehearsal = await drill(synthDir);
    expect(await rehearseRestoreTest(rehearsal, 'EBS')).toMatchObject({ validationStatus: 'SUCCESSFUL' });
    const { report } = await rehearseReadiness(rehearsal);
    expect(report.workloads[0].checks.find((c) => c.check === 'RestoreTest')).toMatchObject({ ready: true, reason: expect.stringContaining('passed validation') });
  });

  it('a reader role that trusts another role: the checker is denied sts:AssumeRole and says the central vault is unreadable', async () => {
    const dir = mutatedSynthDir(synthDir, {
      stack: 'backup-vault',
      ...roleTrust('CentralVaultReaderRole', editStatement('DrReadinessCheckerOnly', (s) => ({ ...s, Condition: { ...s.Condition, ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/someone-else' } } }))),
    });
    const { report, evaluations } = await rehearseReadiness(await drill(dir));
    const denied = evaluations.filter((e) => !e.allowed);
    expect(denied).toEqual([expect.objectContaining({ principal: CHECKER, request: expect.objectContaining({ action: 'sts:AssumeRole', resource: READER }), denial: expect.stringMatching(/trust policy \S+CentralVaultReaderRole\S+ does not allow the principal/) })]);
    expect(report.workloads[0].checks.find((c) => c.check === 'RecoveryPoints')).toMatchObject({ ready: false, reason: expect.stringContaining('AccessDenied') });
  });

  it('without kms:GenerateDataKey on the report key the report cannot be written, and the run fails naming the denied call', async () => {
    const dir = mutatedSynthDir(synthDir, { stack: 'dr', ...rolePolicy('Readiness_Function_Policy', dropStatement('EncryptReportsThroughS3')) });
    await expect(rehearseReadiness(await drill(dir))).rejects.toThrow(/report not written: .*AccessDenied step=function:acme-recovery-readiness-checker principal=\S+acme-recovery-readiness-checker action=kms:GenerateDataKey .*onBehalfOf=s3:PutObject/);
  });
});
