import { rehearseRestoreTest } from '../../rehearsal/restore-test';
import { exampleDrills } from '../helpers/example-drill';
import { dropStatement, mutatedSynthDir } from '../helpers/synth-mutations';
import { roleTrust, rolePolicy, trustServiceOfAnotherAccount } from '../helpers/policy-mutation-targets';

/**
 * A restore test after a drill: AWS Backup restore testing restores a recovery point of the DR vault
 * with the synthesized restore testing role (its trust and the keys it uses are evaluated), and
 * validate-restore's real logic validates what was restored and reports the result to AWS Backup.
 */
const { synthDir, drill } = exampleDrills(5);
const TESTING_ROLE = 'arn:aws:iam::222222222222:role/acme-dr-restore-testing';
const VALIDATE = 'arn:aws:iam::222222222222:role/acme-validate-restore';

describe('restore tests with validate-restore, rehearsed', () => {
  it.each(['EBS', 'RDS', 'DynamoDB'] as const)('%s: restored with the restore testing role, validated SUCCESSFUL, every call allowed', async (type) => {
    const test = await rehearseRestoreTest(await drill(synthDir), type);
    expect(test.outcome).toMatchObject({ outcome: 'validated', resourceType: type, validationStatus: 'SUCCESSFUL' });
    expect(test.validationStatus).toBe('SUCCESSFUL');
    expect(test.evaluations.filter((e) => !e.allowed)).toEqual([]);
    expect(test.evaluations).toContainEqual(expect.objectContaining({ principal: 'backup.amazonaws.com', request: expect.objectContaining({ action: 'sts:AssumeRole', resource: TESTING_ROLE, sourceAccount: '222222222222' }) }));
    // The recovery point in the DR vault is encrypted with the vault's key; restore testing uses it with the role.
    expect(test.evaluations).toContainEqual(expect.objectContaining({ principal: TESTING_ROLE, allowed: true, request: expect.objectContaining({ action: 'kms:CreateGrant', resource: expect.stringContaining(':key/RestoreVaultKey') }) }));
    expect(test.evaluations).toContainEqual(expect.objectContaining({ principal: VALIDATE, allowed: true, request: expect.objectContaining({ action: 'backup:PutRestoreValidationResult' }) }));
  });

  it('a restore testing role trusting AWS Backup of another account cannot be assumed: the test never starts', async () => {
    const dir = mutatedSynthDir(synthDir, { stack: 'dr', ...roleTrust('RestoreTesting_Role', trustServiceOfAnotherAccount) });
    await expect(rehearseRestoreTest(await drill(dir), 'EBS')).rejects.toThrow(/AccessDenied step=restore-test:\S+ principal=backup\.amazonaws\.com action=sts:AssumeRole resource=arn:aws:iam::222222222222:role\/acme-dr-restore-testing onBehalfOf=restore testing \(EBS\): trust policy \S+RestoreTesting_Role\S+ does not allow the principal/);
  });

  it('validate-restore without its restore job permissions fails naming the denied call, and nothing is reported to AWS Backup', async () => {
    const dir = mutatedSynthDir(synthDir, { stack: 'dr', ...rolePolicy('RestoreTesting_ValidateRestore_Policy', dropStatement('ReadRestoreJobsAndReportValidation')) });
    const test = await rehearseRestoreTest(await drill(dir), 'EBS');
    expect(JSON.stringify(test.outcome)).toMatch(/AccessDenied step=function:acme-validate-restore principal=\S+acme-validate-restore action=backup:DescribeRestoreJob resource=\*: no identity-based policy allows the action/);
    expect(test.validationStatus).toBeUndefined();
  });
});
