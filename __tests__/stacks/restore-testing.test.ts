import * as path from 'path';
import { Testing } from 'cdktf';
import { ENCRYPTED_TOPIC_KMS_ACTIONS, requiredActionsFor } from '../../functions/validate-restore/logic';
import { Construct } from 'constructs';
import { RestoreTesting, restoreMetadataOverrides } from '../../modules/restore-testing';
import { matchesEventPattern } from '../../simulation/event-pattern';
import { estateFor, exampleInput, FIXTURES, policyOf, readJson, type SynthesizedStack } from '../helpers/synth';
import { expectRuleInvokesFunction } from '../helpers/rule-invoked-function';

/**
 * AWS Backup restore testing in the DR stack, as synthesized: plans, selections, the role AWS Backup
 * restores with, the validation function and its trigger, and failed restore tests reaching on-call.
 */
const event = (name: string) => readJson<Record<string, any>>(path.join(FIXTURES, 'events', `${name}.json`));
const synthDr = (input: unknown = exampleInput()): SynthesizedStack => JSON.parse(Testing.synth(estateFor(input).dr));
const values = (stack: SynthesizedStack, type: string) => Object.values(stack.resource?.[type] ?? {}) as Record<string, any>[];
const ruleNamed = (stack: SynthesizedStack, name: string) => values(stack, 'aws_cloudwatch_event_rule').find((r) => r.name === name)!;

const DR_VAULT = 'arn:aws:backup:ap-northeast-1:222222222222:backup-vault:acme-dr-restore';
const AIR_GAPPED_VAULT = 'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-air-gapped';
const PLAN_PREFIX = 'arn:aws:backup:ap-northeast-1:222222222222:restore-testing-plan:acme_shop_restore_test-';

function withKind(kind: 'locked' | 'airGapped' | 'both'): Record<string, any> {
  const input = exampleInput() as Record<string, any>;
  input.centralVault = { kind };
  return input;
}

const COMPLETED_TESTS = ['restore-test-completed-ebs', 'restore-test-completed-rds', 'restore-test-completed-aurora', 'restore-test-completed-dynamodb', 'restore-test-completed-s3', 'restore-test-completed-efs'];
const RECOVERY_RESTORES = ['restore-completed-ebs', 'restore-completed-rds', 'restore-failed-ec2', 'restore-created'];

describe('restore testing plan and selections (example: shop, EBS RDS DynamoDB S3)', () => {
  const dr = synthDr(withKind('airGapped'));

  it('has one plan per restore-tested workload, picking the newest snapshot of the DR restore vault and the shared air-gapped vault', () => {
    const plans = values(dr, 'aws_backup_restore_testing_plan');
    expect(plans).toEqual([
      {
        name: 'acme_shop_restore_test',
        schedule_expression: 'cron(0 5 ? * SUN *)',
        schedule_expression_timezone: 'Etc/UTC',
        start_window_hours: 1,
        recovery_point_selection: [{ algorithm: 'LATEST_WITHIN_WINDOW', include_vaults: [DR_VAULT, AIR_GAPPED_VAULT], recovery_point_types: ['SNAPSHOT'], selection_window_days: 7 }],
      },
    ]);
    expect(plans[0].name).toMatch(/^[A-Za-z0-9_]{1,50}$/);
  });

  it.each([
    ['locked', [DR_VAULT]],
    ['airGapped', [DR_VAULT, AIR_GAPPED_VAULT]],
    ['both', [DR_VAULT, AIR_GAPPED_VAULT]],
  ] as const)('includes the air-gapped vault only when centralVault.kind has one (%s)', (kind, vaults) => {
    const [plan] = values(synthDr(withKind(kind)), 'aws_backup_restore_testing_plan');
    expect(plan.recovery_point_selection[0].include_vaults).toEqual(vaults);
  });

  it('has one selection per resource type: every recovery point of the type in the plan\'s vaults, restored into the landing zone where they need a network', () => {
    const selections = values(dr, 'aws_backup_restore_testing_selection');
    const byType = Object.fromEntries(selections.map((s) => [s.protected_resource_type, s]));
    expect(Object.keys(byType).sort()).toEqual(['DynamoDB', 'EBS', 'RDS', 'S3']);
    for (const s of selections) {
      expect(s).toMatchObject({
        restore_testing_plan_name: expect.stringMatching(/^\$\{aws_backup_restore_testing_plan\.RestoreTesting_Plan-shop_[0-9A-F]+\.name\}$/),
        iam_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.RestoreTesting_Role_[0-9A-F]+\.arn\}$/),
        protected_resource_arns: ['*'],
        validation_window_hours: 4,
      });
      expect(s.name).toBe(`shop_${String(s.protected_resource_type).toLowerCase()}`);
      // The documented form for recovery points of other accounts: the wildcard alone, scoped by the
      // plan's include_vaults; no tag condition (see RESTORE_TESTING_SELECTION_ARNS).
      expect(s).not.toHaveProperty('protected_resource_conditions');
    }
    expect(byType.EBS.restore_metadata_overrides).toEqual({ availabilityZone: 'ap-northeast-1a' });
    expect(byType.RDS.restore_metadata_overrides).toEqual({
      dbSubnetGroupName: 'acme-dr-landing-zone',
      vpcSecurityGroupIds: expect.stringMatching(/^\["\$\{aws_security_group\.LandingZone_ServerSecurityGroup_[0-9A-F]+\.id\}"\]$/),
    });
    expect(JSON.parse(byType.RDS.restore_metadata_overrides.vpcSecurityGroupIds)).toHaveLength(1);
    expect(byType.DynamoDB.restore_metadata_overrides).toBeUndefined();
    expect(byType.S3.restore_metadata_overrides).toBeUndefined();
  });

  it('restores Aurora, EC2 and FSx into the landing zone too (JSON-array strings for lists)', () => {
    const target = { availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'], dbSubnetGroupName: 'acme-dr-landing-zone' };
    expect(restoreMetadataOverrides('Aurora', target)).toEqual({ dbSubnetGroupName: 'acme-dr-landing-zone', vpcSecurityGroupIds: '["sg-1"]', availabilityZones: '["ap-northeast-1a","ap-northeast-1c"]' });
    expect(restoreMetadataOverrides('EC2', target)).toEqual({ subnetId: 'subnet-1', securityGroupIds: '["sg-1"]' });
    expect(restoreMetadataOverrides('FSx', target)).toEqual({ subnetIds: '["subnet-1"]', securityGroupIds: '["sg-1"]' });
    expect(restoreMetadataOverrides('EFS', target)).toBeUndefined();
    expect(restoreMetadataOverrides('RDS', undefined)).toBeUndefined();
  });

  it('sets no overrides without a landing zone (no workload lists servers): AWS Backup\'s defaults apply', () => {
    const input = withKind('locked');
    delete input.workloads[0].servers;
    delete input.workloads[0].failback; // its freeze scales the workload's server groups down
    const selections = values(synthDr(input), 'aws_backup_restore_testing_selection');
    expect(selections).toHaveLength(4);
    for (const s of selections) expect(s.restore_metadata_overrides).toBeUndefined();
  });

  it('creates nothing of restore testing when no workload has restoreTesting', () => {
    const input = exampleInput() as Record<string, any>;
    delete input.workloads[0].restoreTesting;
    const stack = synthDr(input);
    expect(values(stack, 'aws_backup_restore_testing_plan')).toEqual([]);
    expect(values(stack, 'aws_backup_restore_testing_selection')).toEqual([]);
    expect(values(stack, 'aws_lambda_function').map((f) => f.function_name)).not.toContain('acme-validate-restore');
    expect(values(stack, 'aws_iam_role').map((r) => r.name)).not.toContain('acme-dr-restore-testing');
    expect(values(stack, 'aws_cloudwatch_event_rule').map((r) => r.name).filter((n) => /restore-test/.test(n))).toEqual([]);
  });

  it('gives each of several workloads its own plan; the rules match each plan\'s restore tests and no one else\'s', () => {
    const input = exampleInput() as Record<string, any>;
    input.workloads.push({
      ...structuredClone(input.workloads[0]),
      name: 'shop-eu',
      accountId: '444444444444',
      roleArn: 'arn:aws:iam::444444444444:role/terraform-dr',
      backup: { ...structuredClone(input.workloads[0].backup), selectionTag: { key: 'backup-plan', value: 'shop-eu' } },
      restoreTesting: { schedule: 'cron(0 6 ? * SAT *)', resourceTypes: ['S3'] },
      servers: [],
      failback: undefined, // the example's failback names shop's own key
    });
    const stack = synthDr(input);
    expect(values(stack, 'aws_backup_restore_testing_plan').map((p) => [p.name, p.schedule_expression]).sort()).toEqual([
      ['acme_shop_eu_restore_test', 'cron(0 6 ? * SAT *)'],
      ['acme_shop_restore_test', 'cron(0 5 ? * SUN *)'],
    ]);
    const euSelections = values(stack, 'aws_backup_restore_testing_selection').filter((s) => s.name.startsWith('shop_eu_'));
    // Not scoped to the workload (AWS documents no way to): the same vaults and the wildcard as shop's.
    expect(euSelections.map((s) => [s.name, s.protected_resource_arns, s.protected_resource_conditions, s.validation_window_hours])).toEqual([['shop_eu_s3', ['*'], undefined, 4]]);
    const plans = values(stack, 'aws_backup_restore_testing_plan');
    expect(new Set(plans.map((p) => JSON.stringify(p.recovery_point_selection[0].include_vaults))).size).toBe(1);
    const completed = ruleNamed(stack, 'acme-restore-test-completed');
    const eu = event('restore-test-completed-s3');
    eu.detail.restoreTestingPlanArn = 'arn:aws:backup:ap-northeast-1:222222222222:restore-testing-plan:acme_shop_eu_restore_test-0f1e2d3c';
    expect(matchesEventPattern(completed.event_pattern, eu)).toBe(true);
    expect(matchesEventPattern(completed.event_pattern, event('restore-test-completed-s3'))).toBe(true);
    const stranger = event('restore-test-completed-s3');
    stranger.detail.restoreTestingPlanArn = 'arn:aws:backup:ap-northeast-1:222222222222:restore-testing-plan:someone_elses_plan-0f1e2d3c';
    expect(matchesEventPattern(completed.event_pattern, stranger)).toBe(false);
  });
});

describe('restore testing selections never come back to a tag condition', () => {
  /** Every restore testing selection of the DR stack, as synthesized, for each kind of central vault. */
  const allSelections = (['locked', 'airGapped', 'both'] as const).flatMap((kind) => values(synthDr(withKind(kind)), 'aws_backup_restore_testing_selection'));

  it('selects by the wildcard ARN only, in every configuration (a tag condition would select nothing AWS documents for cross-account recovery points)', () => {
    expect(allSelections.length).toBeGreaterThan(0);
    for (const s of allSelections) {
      expect(s.protected_resource_arns).toEqual(['*']);
      expect(s.protected_resource_conditions).toBeUndefined();
      expect(JSON.stringify(s)).not.toMatch(/aws:ResourceTag|string_equals|string_not_equals/);
    }
  });

  it('scopes them by named vaults only: no plan includes a wildcard vault', () => {
    for (const kind of ['locked', 'airGapped', 'both'] as const) {
      for (const plan of values(synthDr(withKind(kind)), 'aws_backup_restore_testing_plan')) {
        const vaults: string[] = plan.recovery_point_selection[0].include_vaults;
        expect(vaults.length).toBeGreaterThan(0);
        for (const v of vaults) expect(v).toMatch(/^arn:aws:backup:ap-northeast-1:\d{12}:backup-vault:acme-(dr-restore|air-gapped)$/);
      }
    }
  });

  it('refuses wildcard vaults, which would let the wildcard selections reach any vault', () => {
    const input = withKind('locked');
    const stack = estateFor(input).dr;
    const props = (vaultArns: string[]) =>
      ({
        names: {} as never,
        namePrefix: 'acme',
        accountId: '222222222222',
        region: 'ap-northeast-1',
        workloads: [{ name: 'shop', schedule: 'cron(0 5 ? * SUN *)', startWindowHours: 1, selectionWindowDays: 7, validationWindowHours: 4, resourceTypes: ['EBS'] }],
        vaultArns,
        restoreVaultKeyArn: 'arn:aws:kms:ap-northeast-1:222222222222:key/k',
        eventBusArn: 'arn:aws:events:ap-northeast-1:222222222222:event-bus/dr-events',
        onCallTopicArn: 'arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call',
        delivery: { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 24 },
        validationFunction: {} as never,
      }) as ConstructorParameters<typeof RestoreTesting>[2];
    expect(() => new RestoreTesting(new Construct(stack, 'WildcardAll'), 'RT', props(['*']))).toThrow(/vaultArns must name vaults, not wildcards \(\*\)/);
    expect(() => new RestoreTesting(new Construct(stack, 'WildcardSome'), 'RT', props(['arn:aws:backup:ap-northeast-1:222222222222:backup-vault:acme-*']))).toThrow(/not wildcards/);
  });
});

describe('the role AWS Backup restores with', () => {
  const dr = synthDr(withKind('airGapped'));
  const role = values(dr, 'aws_iam_role').find((r) => r.name === 'acme-dr-restore-testing')!;
  const inline = policyOf(values(dr, 'aws_iam_role_policy').find((p) => p.name === 'restore-testing')!);

  it('is trusted by AWS Backup for the DR account only', () => {
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Sid: 'AllowServiceForThisAccountOnly', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } },
    ]);
  });

  it('has AWS\'s restore permissions, as the DR restore role', () => {
    const attached = values(dr, 'aws_iam_role_policy_attachment').filter((a) => String(a.role).includes('RestoreTesting_Role')).map((a) => a.policy_arn).sort();
    expect(attached).toEqual(['arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore', 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']);
  });

  it('may use the restore vault key through AWS services only, never weaken a vault, never restore outside the estate\'s vaults', () => {
    expect(inline.Statement.map((s) => s.Sid)).toEqual(['UseRestoreVaultKeyThroughAwsServices', 'GrantRestoreVaultKeyToAwsResources', 'DenyWeakeningVaultsAndRecoveryPoints', 'DenyRestoresOutsideEstateVaults']);
    const key = inline.Statement[0];
    expect(key.Resource).toMatch(/^\$\{aws_kms_key\.RestoreVaultKey_[0-9A-F]+\.arn\}$/);
    expect(key.Condition.StringEquals['kms:ViaService']).toContain('backup.ap-northeast-1.amazonaws.com');
    expect(inline.Statement[1].Condition.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
    expect(inline.Statement[2]).toMatchObject({ Effect: 'Deny', Resource: '*', Action: expect.arrayContaining(['backup:DeleteRecoveryPoint', 'backup:DeleteBackupVault', 'backup:UpdateRecoveryPointLifecycle']) });
    expect(inline.Statement[3]).toMatchObject({
      Effect: 'Deny',
      Action: 'backup:StartRestoreJob',
      NotResource: expect.arrayContaining(['arn:aws:backup:ap-northeast-1:222222222222:recovery-point:*', 'arn:aws:backup:ap-northeast-1:111111111111:recovery-point:*']),
    });
  });

  it('does not fence in the backup-vault account\'s recovery points without an air-gapped vault', () => {
    const locked = policyOf(values(synthDr(withKind('locked')), 'aws_iam_role_policy').find((p) => p.name === 'restore-testing')!);
    const notResource = locked.Statement.find((s) => s.Sid === 'DenyRestoresOutsideEstateVaults')!.NotResource as string[];
    expect(notResource.filter((r) => r.includes(':111111111111:'))).toEqual([]);
  });
});

describe('completed restore tests → validate-restore', () => {
  const dr = synthDr();
  const rule = ruleNamed(dr, 'acme-restore-test-completed');

  it('matches every completed restore test of the estate\'s plans, and no recovery restore, failed or created event', () => {
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Restore Job State Change'],
      detail: { restoreTestingPlanArn: [{ prefix: PLAN_PREFIX }], status: ['COMPLETED'] },
    });
    for (const name of COMPLETED_TESTS) expect(matchesEventPattern(rule.event_pattern, event(name))).toBe(true);
    for (const name of [...RECOVERY_RESTORES, 'restore-test-failed-rds']) expect(matchesEventPattern(rule.event_pattern, event(name))).toBe(false);
  });

  it('keeps restore tests away from attach-restored-volume, which still gets recovery restores', () => {
    const attach = ruleNamed(dr, 'acme-ebs-restore-completed');
    expect(matchesEventPattern(attach.event_pattern, event('restore-test-completed-ebs'))).toBe(false);
    expect(matchesEventPattern(attach.event_pattern, event('restore-completed-ebs'))).toBe(true);
  });

  it('invokes the function with retries and a DLQ, allowed only for that rule', () => {
    expectRuleInvokesFunction(dr, 'RestoreTesting_Completed', /aws_lambda_function\.RestoreTesting_ValidateRestore_Function/, 'acme-restore-test-completed');
  });

  it('runs the function on nodejs22.x with the on-call topic and a timeout that covers its bounded waits', () => {
    const fn = values(dr, 'aws_lambda_function').find((f) => f.function_name === 'acme-validate-restore')!;
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], timeout: 900, handler: 'index.handler', environment: { variables: { TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call' } } });
  });

  it('grants the function exactly the actions its logic calls for the tested types, each as narrow as IAM allows', () => {
    const policy = policyOf(values(dr, 'aws_iam_role_policy').find((p) => p.name === 'function' && String(p.role).includes('ValidateRestore'))!);
    const own = new Set(['WriteOwnLogs', 'Tracing', 'SendFailedEventsToOwnDlq', 'DecryptOwnEnvironment']);
    const granted = [...new Set(policy.Statement.filter((s) => !own.has(s.Sid)).flatMap((s) => [s.Action].flat()))].sort();
    expect(granted).toEqual([...requiredActionsFor(['EBS', 'RDS', 'DynamoDB', 'S3']), ...ENCRYPTED_TOPIC_KMS_ACTIONS].sort());
    expect(granted).not.toContain('elasticfilesystem:DescribeFileSystems');
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.ReadRestoreJobsAndReportValidation).toMatchObject({ Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-northeast-1' } } });
    expect(bySid.DescribeRestoredDatabases.Resource).toEqual(['arn:aws:rds:ap-northeast-1:222222222222:cluster:awsbackup-restore-test*', 'arn:aws:rds:ap-northeast-1:222222222222:db:awsbackup-restore-test*']);
    expect(bySid.DescribeRestoredTables.Resource).toBe('arn:aws:dynamodb:ap-northeast-1:222222222222:table/awsbackup-restore-test*');
    expect(bySid.ListRestoredBuckets.Resource).toBe('arn:aws:s3:::awsbackup-restore-test*');
    expect(bySid.PublishFailedValidations.Resource).toBe('arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call');
    for (const s of policy.Statement) expect([s.Action].flat().every((a: string) => !a.endsWith(':*'))).toBe(true);
  });
});

describe('failed restore tests → DR bus → on-call', () => {
  const dr = synthDr();
  const rule = ruleNamed(dr, 'acme-restore-test-failed');

  it('matches failed and aborted restore tests of the estate\'s plans only', () => {
    expect(matchesEventPattern(rule.event_pattern, event('restore-test-failed-rds'))).toBe(true);
    const aborted = event('restore-test-failed-rds');
    aborted.detail.status = 'ABORTED';
    expect(matchesEventPattern(rule.event_pattern, aborted)).toBe(true);
    for (const name of [...COMPLETED_TESTS, ...RECOVERY_RESTORES]) expect(matchesEventPattern(rule.event_pattern, event(name))).toBe(false);
  });

  it('forwards them to the DR bus with a role that may only put events there, with retries and a DLQ that pages', () => {
    const target = values(dr, 'aws_cloudwatch_event_target').find((t) => String(t.rule).includes('RestoreTesting_FailedRule'))!;
    expect(target).toMatchObject({ arn: 'arn:aws:events:ap-northeast-1:222222222222:event-bus/dr-events', retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 24 } });
    expect(target.role_arn).toMatch(/aws_iam_role\.RestoreTesting_FailedForwarder_Role/);
    const forwarder = values(dr, 'aws_iam_role').find((r) => r.name === 'acme-restore-test-forwarder')!;
    expect(JSON.parse(forwarder.assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '222222222222' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:222222222222:rule/acme-restore-test-failed*' },
    });
    const dlqAlarm = values(dr, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === 'acme-restore-test-failed-dlq-depth')!;
    // The on-call topic's policy lets the estate's alarms (acme-*) publish.
    expect(dlqAlarm.alarm_actions).toEqual(['arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call']);
  });

  it('reaches on-call once on the DR bus (the incident rule), and never starts a recovery', () => {
    const incident = ruleNamed(dr, 'acme-incidents-to-on-call');
    const recovery = ruleNamed(dr, 'acme-recovery-worthy');
    expect(matchesEventPattern(incident.event_pattern, event('restore-test-failed-rds'))).toBe(true);
    expect(matchesEventPattern(recovery.event_pattern, event('restore-test-failed-rds'))).toBe(false);
    const toOnCall = values(dr, 'aws_cloudwatch_event_target').find((t) => t.target_id === 'on-call')!;
    expect(toOnCall.arn).toMatch(/aws_sns_topic\.EventBus_OnCall_Topic/);
  });
});
