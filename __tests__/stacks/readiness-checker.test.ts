import { Testing } from 'cdktf';
import { ENCRYPTED_BUCKET_KMS_ACTIONS, READER_REQUIRED_ACTIONS, REQUIRED_ACTIONS, parseReadinessInput } from '../../functions/check-readiness/logic';
import { readinessAlarmPeriodSeconds } from '../../modules/readiness-checker';
import { parseConfig } from '../../config/load';
import { EstateNames } from '../../config/naming';
import { estateFor, exampleInput, policyOf, type SynthesizedStack } from '../helpers/synth';
import { readinessFacts } from '../helpers/functions/readiness-input';

/**
 * The daily readiness check in the DR stack: its function (named so that the backup-vault account's
 * reader role trusts it), schedule, report bucket and per-workload alarms, derived from the config.
 */
const synthDr = (input: unknown = exampleInput()): SynthesizedStack => JSON.parse(Testing.synth(estateFor(input).dr));
const values = (stack: SynthesizedStack, type: string) => Object.values(stack.resource?.[type] ?? {}) as Record<string, any>[];
const keyed = (stack: SynthesizedStack, type: string, prefix: string) => Object.entries(stack.resource?.[type] ?? {}).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v as Record<string, any>);
const OWN = new Set(['WriteOwnLogs', 'Tracing', 'SendFailedEventsToOwnDlq', 'DecryptOwnEnvironment']);

function checkerPolicy(dr: SynthesizedStack) {
  const policy = values(dr, 'aws_iam_role_policy').find((p) => p.name === 'function' && String(p.role).includes('Readiness_Function'))!;
  return policyOf(policy);
}
const granted = (dr: SynthesizedStack) => [...new Set(checkerPolicy(dr).Statement.filter((s) => !OWN.has(s.Sid)).flatMap((s) => [s.Action].flat() as string[]))].sort();
const scheduleInput = (dr: SynthesizedStack) => JSON.parse(keyed(dr, 'aws_scheduler_schedule', 'Readiness')[0].target.input);

function withWorkloads(mutate: (input: Record<string, any>) => void): Record<string, any> {
  const input = exampleInput() as Record<string, any>;
  mutate(input);
  return input;
}

describe('the readiness checker in the DR stack (example)', () => {
  const dr = synthDr();

  it('is a bundled function whose role is exactly the role the backup-vault reader role trusts', () => {
    const names = new EstateNames(parseConfig(exampleInput()));
    const fn = values(dr, 'aws_lambda_function').find((f) => f.function_name === names.readinessCheckerRoleName)!;
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', timeout: 900, handler: 'index.handler', tracing_config: { mode: 'Active' } });
    const role = keyed(dr, 'aws_iam_role', 'Readiness_Function_Role')[0];
    expect(role.name).toBe('acme-recovery-readiness-checker');
    expect(names.readinessCheckerRoleArn).toBe('arn:aws:iam::222222222222:role/acme-recovery-readiness-checker');
  });

  it('is granted exactly the actions its logic calls (plus the report encryption), each as narrowly as AWS allows', () => {
    expect(granted(dr)).toEqual([...REQUIRED_ACTIONS, ...ENCRYPTED_BUCKET_KMS_ACTIONS].sort());
    const s = Object.fromEntries(checkerPolicy(dr).Statement.map((st) => [st.Sid, st]));
    expect(s.AssumeCentralVaultReader.Resource).toBe('arn:aws:iam::111111111111:role/acme-central-vault-reader');
    // The example's centralVault.kind is both: the shared air-gapped vault is listed directly.
    expect(s.ListDrAndSharedVaults.Resource).toEqual(['arn:aws:backup:ap-northeast-1:222222222222:backup-vault:acme-dr-restore', 'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-air-gapped']);
    expect(s.ReadGoldenAmiParameters.Resource).toEqual(['arn:aws:ssm:ap-northeast-1:222222222222:parameter/acme/dr/ami/shop/app']);
    expect(s.ReadRecoveryStateMachine.Resource).toBe('arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-recovery');
    expect(s.ReadRecoveryExecutions.Resource).toBe('arn:aws:states:ap-northeast-1:222222222222:execution:acme-recovery:*');
    expect(s.ReadRestoreTestingPlans.Resource).toEqual(['arn:aws:backup:ap-northeast-1:222222222222:restore-testing-plan:acme_shop_restore_test-*']);
    expect(s.PublishReadinessMetrics).toMatchObject({ Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'DisasterRecovery/Readiness' } } });
    expect(s.WriteReports.Resource).toBe('arn:aws:s3:::acme-dr-readiness-222222222222-ap-northeast-1/reports/*');
    expect(s.EncryptReportsThroughS3.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' } });
    // "*" only where AWS offers no resource-level permission.
    const wildcard = checkerPolicy(dr).Statement.filter((st) => !OWN.has(st.Sid) && [st.Resource].flat().includes('*')).flatMap((st) => [st.Action].flat()).sort();
    expect(wildcard).toEqual(['autoscaling:DescribeAutoScalingGroups', 'backup:ListRestoreJobs', 'cloudwatch:GetMetricData', 'cloudwatch:PutMetricData', 'ec2:DescribeImages', 'ec2:DescribeLaunchTemplates']);
    // The reader role of the backup-vault stack grants what the checker calls as it.
    expect(READER_REQUIRED_ACTIONS).toEqual(['backup:ListRecoveryPointsByBackupVault']);
  });

  it('runs on readiness.schedule, passing the estate\'s facts, which the function accepts', () => {
    const [schedule] = keyed(dr, 'aws_scheduler_schedule', 'Readiness');
    expect(schedule).toMatchObject({
      name: 'acme-readiness',
      schedule_expression: 'cron(0 6 * * ? *)',
      schedule_expression_timezone: 'UTC',
      flexible_time_window: { mode: 'OFF' },
      target: { arn: expect.stringMatching(/aws_lambda_function\.Readiness_Function/), retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 3 }, dead_letter_config: { arn: expect.stringMatching(/aws_sqs_queue\.Readiness_Function_DeadLetters/) } },
    });
    const input = parseReadinessInput(scheduleInput(dr));
    expect(input).toEqual({
      ...readinessFacts(),
      airGappedVault: { name: 'acme-air-gapped', accountId: '111111111111' },
      workloads: [
        {
          name: 'shop',
          accountId: '333333333333',
          rpoMinutes: 1440,
          rtoMinutes: 240,
          resourceTypes: ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS'],
          servers: [{ role: 'app', amiParameterName: '/acme/dr/ami/shop/app', launchTemplateName: 'acme-shop-app', autoScalingGroupName: 'acme-shop-app' }],
          // Weekly test: 7 days + 1 h start window + 4 h validation + 1 day of slack.
          restoreTesting: { planName: 'acme_shop_restore_test', windowHours: 168 + 1 + 4 + 24 },
        },
      ],
    });
    // The names it checks are the names the stack gives the resources.
    expect(values(dr, 'aws_ssm_parameter').map((p) => p.name)).toContain(input.workloads[0].servers[0].amiParameterName);
    expect(values(dr, 'aws_launch_template').map((t) => t.name)).toContain(input.workloads[0].servers[0].launchTemplateName);
    expect(values(dr, 'aws_autoscaling_group').map((g) => g.name)).toContain(input.workloads[0].servers[0].autoScalingGroupName);
    expect(values(dr, 'aws_sfn_state_machine').map((m) => m.name)).toContain('acme-recovery');
    expect(values(dr, 'aws_backup_restore_testing_plan').map((p) => p.name)).toContain(input.workloads[0].restoreTesting!.planName);
  });

  it('is started by a role that EventBridge Scheduler assumes for this schedule only, and that can invoke only the checker', () => {
    const role = keyed(dr, 'aws_iam_role', 'Readiness_SchedulerRole')[0];
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:scheduler:ap-northeast-1:222222222222:schedule/default/acme-readiness' } },
    });
    const policy = policyOf(keyed(dr, 'aws_iam_role_policy', 'Readiness_SchedulerPolicy')[0]);
    expect(policy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ['lambda:InvokeFunction', 'arn:aws:lambda:ap-northeast-1:222222222222:function:acme-recovery-readiness-checker'],
      ['sqs:SendMessage', 'arn:aws:sqs:ap-northeast-1:222222222222:acme-recovery-readiness-checker-dlq'],
    ]);
  });

  it('writes to a private, versioned, KMS-encrypted, TLS-only bucket whose reports expire after readiness.reportRetentionDays', () => {
    const [bucket] = keyed(dr, 'aws_s3_bucket', 'Readiness');
    expect(bucket).toEqual({ bucket: 'acme-dr-readiness-222222222222-ap-northeast-1', force_destroy: false });
    expect(keyed(dr, 'aws_s3_bucket_versioning', 'Readiness')[0].versioning_configuration).toEqual({ status: 'Enabled' });
    expect(keyed(dr, 'aws_s3_bucket_public_access_block', 'Readiness')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(keyed(dr, 'aws_s3_bucket_ownership_controls', 'Readiness')[0].rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(keyed(dr, 'aws_s3_bucket_server_side_encryption_configuration', 'Readiness')[0].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.FunctionsKey/) }, bucket_key_enabled: true },
    ]);
    const [lifecycle] = keyed(dr, 'aws_s3_bucket_lifecycle_configuration', 'Readiness');
    expect(lifecycle.rule[0]).toMatchObject({ status: 'Enabled', filter: [{ prefix: 'reports/' }], expiration: [{ days: 400 }], noncurrent_version_expiration: [{ noncurrent_days: 400 }] });
    expect(JSON.parse(keyed(dr, 'aws_s3_bucket_policy', 'Readiness')[0].policy).Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::acme-dr-readiness-222222222222-ap-northeast-1', 'arn:aws:s3:::acme-dr-readiness-222222222222-ap-northeast-1/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    const other = synthDr(withWorkloads((i) => (i.readiness = { reportRetentionDays: 90 })));
    expect(keyed(other, 'aws_s3_bucket_lifecycle_configuration', 'Readiness')[0].rule[0]).toMatchObject({ expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
  });

  it('pages on-call per workload when Ready < 1, and when the checker stops reporting (missing data breaches)', () => {
    const alarms = keyed(dr, 'aws_cloudwatch_metric_alarm', 'Readiness_NotReady');
    expect(alarms).toEqual([
      expect.objectContaining({
        alarm_name: 'acme-readiness-shop',
        namespace: 'DisasterRecovery/Readiness',
        metric_name: 'Ready',
        dimensions: { Workload: 'shop' },
        statistic: 'Minimum',
        // A daily schedule: the longest gap between runs (24 h) plus an hour of grace.
        period: 25 * 3600,
        evaluation_periods: 1,
        threshold: 1,
        comparison_operator: 'LessThanThreshold',
        treat_missing_data: 'breaching',
        alarm_actions: [expect.stringMatching(/aws_sns_topic\.EventBus_OnCall_Topic/)],
      }),
    ]);
    // The on-call topic accepts alarms named <name>-*.
    expect(alarms[0].alarm_name.startsWith('acme-')).toBe(true);
  });
});

describe('the readiness checker follows the configuration', () => {
  it('with centralVault.kind airGapped: lists the shared air-gapped vault, assumes no role', () => {
    const dr = synthDr(withWorkloads((i) => (i.centralVault = { kind: 'airGapped' })));
    const s = Object.fromEntries(checkerPolicy(dr).Statement.map((st) => [st.Sid, st]));
    expect(s.AssumeCentralVaultReader).toBeUndefined();
    expect(s.ListDrAndSharedVaults.Resource).toEqual(['arn:aws:backup:ap-northeast-1:222222222222:backup-vault:acme-dr-restore', 'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-air-gapped']);
    const input = parseReadinessInput(scheduleInput(dr));
    expect(input.centralVault).toBeUndefined();
    expect(input.airGappedVault).toEqual({ name: 'acme-air-gapped', accountId: '111111111111' });
  });

  it('with centralVault.kind both: the reader role for the locked vault, its own client for the air-gapped one', () => {
    const input = parseReadinessInput(scheduleInput(synthDr(withWorkloads((i) => (i.centralVault = { kind: 'both' })))));
    expect(input.centralVault?.name).toBe('acme-central');
    expect(input.airGappedVault?.name).toBe('acme-air-gapped');
  });

  it('without servers or restore testing: no AMI, server group or restore test permissions, and no such checks', () => {
    const dr = synthDr(
      withWorkloads((i) => {
        delete i.workloads[0].servers;
        delete i.workloads[0].restoreTesting;
        delete i.workloads[0].failback; // its freeze scales the workload's server groups down
      }),
    );
    expect(granted(dr)).toEqual(['backup:ListRecoveryPointsByBackupVault', 'cloudwatch:GetMetricData', 'cloudwatch:PutMetricData', 'kms:GenerateDataKey', 's3:PutObject', 'states:DescribeStateMachine', 'states:ListExecutions', 'sts:AssumeRole']);
    const input = parseReadinessInput(scheduleInput(dr));
    expect(input.workloads[0].servers).toEqual([]);
    expect(input.workloads[0].restoreTesting).toBeUndefined();
  });

  it('looks for recovery points at least twice the largest RPO back', () => {
    const input = parseReadinessInput(scheduleInput(synthDr(withWorkloads((i) => (i.workloads[0].targets = { rpoMinutes: 30 * 1440 })))));
    expect(input.recoveryPointLookbackDays).toBe(60);
    expect(input.workloads[0].rpoMinutes).toBe(30 * 1440);
  });

  it('sizes the alarm window from readiness.schedule, and refuses a schedule that runs only weekly or rarer', () => {
    expect(readinessAlarmPeriodSeconds('rate(12 hours)')).toBe(13 * 3600);
    expect(readinessAlarmPeriodSeconds('cron(0 6 ? * MON-FRI *)')).toBe((72 + 1) * 3600);
    const dr = synthDr(withWorkloads((i) => (i.readiness = { schedule: 'rate(6 hours)' })));
    expect(keyed(dr, 'aws_scheduler_schedule', 'Readiness')[0].schedule_expression).toBe('rate(6 hours)');
    expect(keyed(dr, 'aws_cloudwatch_metric_alarm', 'Readiness_NotReady')[0].period).toBe(7 * 3600);
    expect(() => readinessAlarmPeriodSeconds('cron(0 6 ? * SUN *)')).toThrow('readiness.schedule "cron(0 6 ? * SUN *)" leaves up to 7 days between runs: a readiness alarm (where a missing run is not ready) spans that gap plus 1 hour, and CloudWatch allows at most 7 days; run the checker more often than weekly');
    expect(() => synthDr(withWorkloads((i) => (i.readiness = { schedule: 'cron(0 6 1 * ? *)' })))).toThrow(/readiness\.schedule: leaves up to 31 days between runs[\s\S]*at least every 6 days 23 hours/);
  });

  it('has one alarm per workload (three-workload estate)', () => {
    const input = withWorkloads((i) => {
      const shop = i.workloads[0];
      i.workloads.push({ ...structuredClone(shop), name: 'billing', accountId: '444444444444', roleArn: 'arn:aws:iam::444444444444:role/terraform-dr', servers: [], restoreTesting: undefined, failback: undefined });
    });
    delete input.workloads[1].restoreTesting;
    const dr = synthDr(input);
    expect(keyed(dr, 'aws_cloudwatch_metric_alarm', 'Readiness_NotReady').map((a) => a.alarm_name)).toEqual(['acme-readiness-billing', 'acme-readiness-shop']);
    expect(parseReadinessInput(scheduleInput(dr)).workloads.map((w) => w.name)).toEqual(['shop', 'billing']);
  });
});
