import * as fs from 'fs';
import * as path from 'path';
import { ADMINISTRATOR_ACCESS, allowPolicy, buildPolicyModel, type PolicyModel, type SimulationRequest } from '../../simulation/policy-model';
import { exampleInput, resourcesOf, stackDirs, synthEstate } from '../helpers/synth';
import { DR, DR_VAULT, ORG, OUTSIDER, REC, role, SHOP, VAULT, type Row } from '../../simulation/access-rows/principals';

/**
 * Restore testing's roles, as synthesized for the example with an air-gapped vault: the role AWS
 * Backup restores with (beside AWS's managed restore policies, which are not simulated) and the
 * validation function's role. Each can do its job and nothing on vaults, recovery points or accounts
 * outside the estate. Rows that rely on a guard re-run without it to prove they can fail.
 */
const TESTING = role(DR, 'acme-dr-restore-testing');
const VALIDATE = role(DR, 'acme-validate-restore');
const AIR_GAPPED_VAULT = `arn:aws:backup:${REC}:${VAULT}:backup-vault:acme-air-gapped`;
const rp = (account: string) => `arn:aws:backup:${REC}:${account}:recovery-point:5f6c1a2b-7d3e-4f80-9a1b-2c3d4e5f6a7b`;
/** Stands for the restore vault key's ARN in rows written before the model is built. */
const RESTORE_KEY = 'RESTORE_VAULT_KEY';
/** A principal's identity policy allowing every backup action: what a future AWS managed policy could grant. */
const BROAD_BACKUP = allowPolicy('BroadBackup', 'backup:*');

let model: PolicyModel;
/** The synthesized DR stack's restore testing plans and selections. */
let plans: Record<string, any>[];
let selections: Record<string, any>[];
let restoreKey: string;
/** Id of the restore testing role's inline policy in the model. */
let TESTING_POLICY: string;

beforeAll(() => {
  const input = exampleInput() as Record<string, any>;
  input.centralVault = { kind: 'airGapped' };
  const outdir = synthEstate(input);
  model = buildPolicyModel(outdir, { organizationId: ORG });
  const stacks = stackDirs(outdir).map((dir) => fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  plans = stacks.flatMap((stack) => resourcesOf(stack, 'aws_backup_restore_testing_plan')) as Record<string, any>[];
  selections = stacks.flatMap((stack) => resourcesOf(stack, 'aws_backup_restore_testing_selection')) as Record<string, any>[];
  restoreKey = model.vaultKeyArn(DR_VAULT);
  TESTING_POLICY = model.identityPoliciesOf(TESTING).map((p) => p.id).find((id) => id.includes('RestoreTesting_RolePolicy'))!;
});

describe('the restore testing role (AWS Backup restores with it)', () => {
  const rows: Row[] = [
    { description: 'AWS Backup assumes it for the DR account', request: { principalArn: 'backup.amazonaws.com', action: 'sts:AssumeRole', resourceArn: TESTING, sourceAccount: DR }, expected: 'Allowed' },
    { description: 'AWS Backup cannot assume it for another account', request: { principalArn: 'backup.amazonaws.com', action: 'sts:AssumeRole', resourceArn: TESTING, sourceAccount: OUTSIDER }, expected: 'Denied' },
    { description: 'another service (EC2) cannot assume it', request: { principalArn: 'ec2.amazonaws.com', action: 'sts:AssumeRole', resourceArn: TESTING, sourceAccount: DR }, expected: 'Denied' },
    { description: 'the DR account admin cannot assume it', request: { principalArn: role(DR, 'admin'), identityPolicies: [ADMINISTRATOR_ACCESS], action: 'sts:AssumeRole', resourceArn: TESTING }, expected: 'Denied' },
    {
      description: 'it decrypts with the restore vault key through AWS Backup',
      request: { principalArn: TESTING, action: 'kms:Decrypt', resourceArn: RESTORE_KEY, viaService: `backup.${REC}.amazonaws.com` },
      expected: 'Allowed',
    },
    {
      description: 'it grants the restore vault key to an AWS resource through EBS',
      request: { principalArn: TESTING, action: 'kms:CreateGrant', resourceArn: RESTORE_KEY, viaService: `ec2.${REC}.amazonaws.com`, grantIsForAwsResource: true },
      expected: 'Allowed',
    },
    { description: 'it cannot use the restore vault key directly', request: { principalArn: TESTING, action: 'kms:Decrypt', resourceArn: RESTORE_KEY }, expected: 'Denied' },
    {
      description: 'it cannot grant the restore vault key to a principal',
      request: { principalArn: TESTING, action: 'kms:CreateGrant', resourceArn: RESTORE_KEY, viaService: `ec2.${REC}.amazonaws.com`, grantIsForAwsResource: false },
      expected: 'Denied',
    },
    {
      description: 'it cannot decrypt with the central vault key of the backup-vault account',
      request: { principalArn: TESTING, action: 'kms:Decrypt', resourceArn: `arn:aws:kms:${REC}:${VAULT}:key/00000000-0000-0000-0000-000000000000`, viaService: `backup.${REC}.amazonaws.com`, allowUnknownResource: true },
      expected: 'Denied',
    },
  ];

  it.each(rows.map((r) => [r.description, r] as const))('%s', async (_d, row) => {
    const request = { ...row.request, resourceArn: row.request.resourceArn === RESTORE_KEY ? restoreKey : row.request.resourceArn };
    expect((await model.simulate(request)).decision).toBe(row.expected);
  });

  it('fails without its key statement: the key policy alone does not let it decrypt', async () => {
    const without = model.withoutStatements(TESTING_POLICY, 'UseRestoreVaultKeyThroughAwsServices');
    expect((await without.simulate({ principalArn: TESTING, action: 'kms:Decrypt', resourceArn: restoreKey, viaService: `backup.${REC}.amazonaws.com` })).decision).toBe('Denied');
  });

  it.each([
    ['delete a DR recovery point', 'backup:DeleteRecoveryPoint', rp(DR), DR_VAULT],
    ['shorten a DR recovery point lifecycle', 'backup:UpdateRecoveryPointLifecycle', rp(DR), DR_VAULT],
    ['delete the DR restore vault', 'backup:DeleteBackupVault', DR_VAULT, undefined],
    ['replace the DR restore vault policy', 'backup:PutBackupVaultAccessPolicy', DR_VAULT, undefined],
    ['delete the air-gapped vault', 'backup:DeleteBackupVault', AIR_GAPPED_VAULT, undefined],
    ['delete an air-gapped recovery point', 'backup:DeleteRecoveryPoint', rp(VAULT), AIR_GAPPED_VAULT],
  ])('cannot %s, whatever else it is granted (its own explicit deny, besides the vault policy)', async (_d, action, resourceArn, policyResourceArn) => {
    const request: SimulationRequest = { principalArn: TESTING, identityPolicies: [BROAD_BACKUP], action, resourceArn, ...(policyResourceArn ? { policyResourceArn } : {}), allowUnknownResource: true };
    const outcome = await model.simulate(request);
    expect(outcome.result).toBe('ExplicitlyDenied');
    expect(outcome.decisive).toEqual(expect.arrayContaining([expect.objectContaining({ policyId: TESTING_POLICY, statement: 'DenyWeakeningVaultsAndRecoveryPoints' })]));
    const unguarded = await model.withoutStatements(TESTING_POLICY, 'DenyWeakeningVaultsAndRecoveryPoints').simulate(request);
    expect(unguarded.decisive.filter((d) => d.policyId === TESTING_POLICY)).toEqual([]);
  });

  it.each([
    ['a recovery point of the workload account', rp(SHOP), `arn:aws:backup:${REC}:${SHOP}:backup-vault:acme-shop-local`],
    ['a recovery point of an account outside the estate', rp(OUTSIDER), `arn:aws:backup:${REC}:${OUTSIDER}:backup-vault:theirs`],
    ['an RDS snapshot of the workload account', `arn:aws:rds:${REC}:${SHOP}:snapshot:awsbackup:job-1`, `arn:aws:backup:${REC}:${SHOP}:backup-vault:acme-shop-local`],
  ])('can never be used to restore %s, whatever else it is granted', async (_d, resourceArn, policyResourceArn) => {
    const request: SimulationRequest = { principalArn: TESTING, identityPolicies: [BROAD_BACKUP], action: 'backup:StartRestoreJob', resourceArn, policyResourceArn, allowUnknownResource: true };
    const outcome = await model.simulate(request);
    expect(outcome.result).toBe('ExplicitlyDenied');
    expect(outcome.decisive).toEqual([expect.objectContaining({ policyId: TESTING_POLICY, statement: 'DenyRestoresOutsideEstateVaults' })]);
    const unguarded = await model.withoutStatements(TESTING_POLICY, 'DenyRestoresOutsideEstateVaults').simulate(request);
    expect(unguarded.result).not.toBe('ExplicitlyDenied');
  });

  it.each([
    ['the DR restore vault', rp(DR), DR_VAULT],
    ['the shared air-gapped vault', rp(VAULT), AIR_GAPPED_VAULT],
  ])('is not fenced out of %s, the vaults restore tests read', async (_d, resourceArn, policyResourceArn) => {
    const outcome = await model.simulate({ principalArn: TESTING, identityPolicies: [BROAD_BACKUP], action: 'backup:StartRestoreJob', resourceArn, policyResourceArn, resourceAccount: policyResourceArn.split(':')[4], allowUnknownResource: true });
    expect(outcome.result).not.toBe('ExplicitlyDenied');
  });

  it('may restore from exactly the vaults the plans include, which alone scope the wildcard selections (no tag condition)', async () => {
    expect(selections.length).toBeGreaterThan(0);
    for (const s of selections) {
      expect(s.protected_resource_arns).toEqual(['*']);
      expect(s.protected_resource_conditions).toBeUndefined();
    }
    const included = [...new Set(plans.flatMap((p) => p.recovery_point_selection[0].include_vaults as string[]))].sort();
    expect(included).toEqual([AIR_GAPPED_VAULT, DR_VAULT].sort());
    for (const vault of included) {
      const account = vault.split(':')[4];
      const outcome = await model.simulate({ principalArn: TESTING, identityPolicies: [BROAD_BACKUP], action: 'backup:StartRestoreJob', resourceArn: rp(account), policyResourceArn: vault, resourceAccount: account, allowUnknownResource: true });
      expect(outcome.result).not.toBe('ExplicitlyDenied');
    }
  });

  it('has only AWS\'s restore policies as managed policies (not simulated), as the DR restore role', async () => {
    const outcome = await model.simulate({ principalArn: TESTING, action: 'kms:Decrypt', resourceArn: restoreKey, viaService: `backup.${REC}.amazonaws.com` });
    expect(outcome.unmodelledManagedPolicyArns.sort()).toEqual(['arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore', 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']);
  });
});

describe('the validation function role', () => {
  const inRegion = { 'aws:RequestedRegion': REC };
  const rows: Row[] = [
    { description: 'reports a validation result in the DR region', request: { principalArn: VALIDATE, action: 'backup:PutRestoreValidationResult', resourceArn: '*', resourceAccount: DR, context: inRegion }, expected: 'Allowed' },
    { description: 'describes a restore job in the DR region', request: { principalArn: VALIDATE, action: 'backup:DescribeRestoreJob', resourceArn: '*', resourceAccount: DR, context: inRegion }, expected: 'Allowed' },
    {
      description: 'cannot report a validation result in another region',
      request: { principalArn: VALIDATE, action: 'backup:PutRestoreValidationResult', resourceArn: '*', resourceAccount: DR, context: { 'aws:RequestedRegion': 'us-east-1' } },
      expected: 'Denied',
    },
    { description: 'describes a restored test DB instance', request: { principalArn: VALIDATE, action: 'rds:DescribeDBInstances', resourceArn: `arn:aws:rds:${REC}:${DR}:db:awsbackup-restore-test-4f5e6d7c8b9a` }, expected: 'Allowed' },
    { description: 'cannot describe another DB instance', request: { principalArn: VALIDATE, action: 'rds:DescribeDBInstances', resourceArn: `arn:aws:rds:${REC}:${DR}:db:production` }, expected: 'Denied' },
    { description: 'describes a restored test table', request: { principalArn: VALIDATE, action: 'dynamodb:DescribeTable', resourceArn: `arn:aws:dynamodb:${REC}:${DR}:table/awsbackup-restore-test-6b7c8d9e0f1a` }, expected: 'Allowed' },
    { description: 'cannot describe another table', request: { principalArn: VALIDATE, action: 'dynamodb:DescribeTable', resourceArn: `arn:aws:dynamodb:${REC}:${DR}:table/orders` }, expected: 'Denied' },
    { description: 'lists a restored test bucket', request: { principalArn: VALIDATE, action: 's3:ListBucket', resourceArn: 'arn:aws:s3:::awsbackup-restore-test-7c8d9e0f1a2b', resourceAccount: DR }, expected: 'Allowed' },
    { description: 'cannot list the recovery bucket', request: { principalArn: VALIDATE, action: 's3:ListBucket', resourceArn: `arn:aws:s3:::acme-dr-recovery-${DR}-${REC}`, resourceAccount: DR }, expected: 'Denied' },
    { description: 'cannot read objects of a restored test bucket', request: { principalArn: VALIDATE, action: 's3:GetObject', resourceArn: 'arn:aws:s3:::awsbackup-restore-test-7c8d9e0f1a2b/orders.csv', resourceAccount: DR }, expected: 'Denied' },
    { description: 'reads the tags of a DR recovery point', request: { principalArn: VALIDATE, action: 'backup:ListTags', resourceArn: rp(DR), policyResourceArn: DR_VAULT }, expected: 'Allowed' },
    { description: 'publishes to the on-call topic', request: { principalArn: VALIDATE, action: 'sns:Publish', resourceArn: `arn:aws:sns:${REC}:${DR}:acme-dr-on-call` }, expected: 'Allowed' },
    { description: 'cannot publish to another topic', request: { principalArn: VALIDATE, action: 'sns:Publish', resourceArn: `arn:aws:sns:${REC}:${DR}:other`, allowUnknownResource: true }, expected: 'Denied' },
    { description: 'cannot start a restore', request: { principalArn: VALIDATE, action: 'backup:StartRestoreJob', resourceArn: rp(DR), policyResourceArn: DR_VAULT }, expected: 'Denied' },
    { description: 'cannot delete a recovery point', request: { principalArn: VALIDATE, action: 'backup:DeleteRecoveryPoint', resourceArn: rp(DR), policyResourceArn: DR_VAULT }, expected: 'Denied' },
    { description: 'cannot delete the DR restore vault', request: { principalArn: VALIDATE, action: 'backup:DeleteBackupVault', resourceArn: DR_VAULT }, expected: 'Denied' },
    { description: 'cannot delete a restored test table', request: { principalArn: VALIDATE, action: 'dynamodb:DeleteTable', resourceArn: `arn:aws:dynamodb:${REC}:${DR}:table/awsbackup-restore-test-6b7c8d9e0f1a` }, expected: 'Denied' },
    {
      description: 'Lambda assumes it only for the validation function',
      request: { principalArn: 'lambda.amazonaws.com', action: 'sts:AssumeRole', resourceArn: VALIDATE, sourceAccount: DR, sourceArn: `arn:aws:lambda:${REC}:${DR}:function:other` },
      expected: 'Denied',
    },
    {
      description: 'Lambda assumes it for the validation function',
      request: { principalArn: 'lambda.amazonaws.com', action: 'sts:AssumeRole', resourceArn: VALIDATE, sourceAccount: DR, sourceArn: `arn:aws:lambda:${REC}:${DR}:function:acme-validate-restore` },
      expected: 'Allowed',
    },
  ];

  it.each(rows.map((r) => [r.description, r] as const))('%s', async (_d, row) => {
    expect((await model.simulate(row.request)).decision).toBe(row.expected);
  });

  it('rows that allow fail without the deciding statement', async () => {
    const validatePolicy = model.identityPoliciesOf(VALIDATE)[0].id;
    for (const [sid, row] of [
      ['ReadRestoreJobsAndReportValidation', rows[0]],
      ['DescribeRestoredDatabases', rows[3]],
      ['DescribeRestoredTables', rows[5]],
      ['ListRestoredBuckets', rows[7]],
    ] as const) {
      expect((await model.withoutStatements(validatePolicy, sid).simulate(row.request)).decision).toBe('Denied');
    }
  });
});
