import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { BundledFunction, type BundledFunctionProps } from './bundled-function';
import { amiParameterName } from './recovery-landing-zone';
import { restoreTestingPlanArnPrefix } from './restore-testing';
import { policyDocument, renderPolicy, serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from './policy-document';
import type { ReadinessInput } from '../functions/check-readiness/input';
import type { EstateConfig } from '../config/schema';
import type { EstateNames } from '../config/naming';
import { dnsSuffixOf, partitionOf } from '../config/regions';
import { formatMinutes, worstCaseIntervalMinutes } from '../config/schedule-interval';

/**
 * The facts the checker's schedule passes as input: the type of what the function's schema
 * (functions/check-readiness/input.ts) parses, so that the stack and the function share one contract.
 */
export type ReadinessFacts = ReadinessInput;

export interface ReadinessCheckerProps {
  readonly config: EstateConfig;
  readonly names: EstateNames;
  /** The recovery state machine the checker describes. */
  readonly stateMachineArn: string;
  /** Namespace of report-recovery's `RecoveryTimeSeconds`. */
  readonly recoveryMetricNamespace: string;
  /** Absolute path of functions/check-readiness/index.ts. */
  readonly entry: string;
  /** The DR functions' settings (account, region, key, logs, architecture, ...); the key also encrypts the reports. */
  readonly functionDefaults: Omit<BundledFunctionProps, 'functionName' | 'entry' | 'description' | 'policyStatements'>;
  /** The on-call topic: the readiness alarms (and the function's own) notify it. */
  readonly alarmActions: string[];
}

/** A drill at least monthly (first Sunday to first Sunday is up to 35 days), plus slack. */
export const DRILL_LOOKBACK_DAYS = 40;
/** Recovery points are listed back this far at least (and at least twice the largest RPO). */
export const MIN_RECOVERY_POINT_LOOKBACK_DAYS = 35;
/** Schedule retry window and the function's own retries: a late run still counts. */
const ALARM_GRACE_HOURS = 1;
const MAX_ALARM_SECONDS = 7 * 24 * 3600;
/** Restores take time after the scheduled start; a day of slack before a missing test counts. */
const RESTORE_TEST_SLACK_HOURS = 24;
/** EventBridge Scheduler invokes Lambda asynchronously: the payload must fit Lambda's 256 KB (with headroom). */
const MAX_INPUT_BYTES = 200_000;

/** The alarm's period: the longest gap between two runs of `schedule`, plus grace, in whole hours. */
export function readinessAlarmPeriodSeconds(schedule: string): number {
  const interval = worstCaseIntervalMinutes(schedule);
  const seconds = (Math.ceil(interval / 60) + ALARM_GRACE_HOURS) * 3600;
  if (!Number.isFinite(seconds) || seconds > MAX_ALARM_SECONDS) {
    throw new Error(
      `readiness.schedule "${schedule}" leaves up to ${formatMinutes(interval)} between runs: a readiness alarm (where a missing run is not ready) spans that gap plus ${ALARM_GRACE_HOURS} hour, and CloudWatch allows at most 7 days; run the checker more often than weekly`,
    );
  }
  return seconds;
}

/** The facts of the estate, derived from the configuration exactly as the DR stack names its resources. */
export function readinessFacts(config: EstateConfig, names: EstateNames, stateMachineArn: string, recoveryMetricNamespace: string): ReadinessFacts {
  const { backupVault, dr } = config.accounts;
  const kind = config.centralVault.kind;
  const maxRpoDays = Math.max(...config.workloads.map((w) => w.targets.rpoMinutes)) / 1440;
  return {
    estate: config.name,
    region: config.regions.recovery,
    reportBucket: names.readinessReportBucketName,
    metricNamespace: names.readinessMetricNamespace,
    recoveryMetricNamespace,
    restoreVault: { name: names.drRestoreVaultName, accountId: dr.id },
    ...(kind !== 'airGapped' ? { centralVault: { name: names.centralVaultName, accountId: backupVault.id, readerRoleArn: names.centralVaultReaderRoleArn } } : {}),
    ...(kind !== 'locked' ? { airGappedVault: { name: names.airGappedVaultName, accountId: backupVault.id } } : {}),
    stateMachineArn,
    recoveryPointLookbackDays: Math.max(MIN_RECOVERY_POINT_LOOKBACK_DAYS, Math.ceil(2 * maxRpoDays)),
    drillLookbackDays: DRILL_LOOKBACK_DAYS,
    workloads: config.workloads.map((w) => ({
      name: w.name,
      accountId: w.accountId,
      rpoMinutes: w.targets.rpoMinutes,
      rtoMinutes: w.targets.rtoMinutes,
      resourceTypes: [...w.backup.resourceTypes],
      // Named as the landing zone names them (modules/recovery-landing-zone.ts).
      servers: w.servers.map((s) => ({
        role: s.role,
        amiParameterName: amiParameterName(config.name, w.name, s.role),
        launchTemplateName: `${config.name}-${w.name}-${s.role}`,
        autoScalingGroupName: `${config.name}-${w.name}-${s.role}`,
      })),
      ...(w.restoreTesting
        ? {
            restoreTesting: {
              planName: names.restoreTestingPlanName(w.name),
              windowHours: Math.ceil(worstCaseIntervalMinutes(w.restoreTesting.schedule) / 60) + w.restoreTesting.startWindowHours + w.restoreTesting.validationWindowHours + RESTORE_TEST_SLACK_HOURS,
            },
          }
        : {}),
    })),
  };
}

/**
 * The daily DR readiness check (DR account, recovery region): the check-readiness function, run by
 * an EventBridge Scheduler schedule with the estate's facts as input; the versioned, KMS-encrypted
 * report bucket it writes to; and per workload an alarm on its `Ready` metric that also fires when
 * the checker stops reporting (missing data is breaching: a checker that does not run proves nothing).
 *
 * The function's role is named `names.readinessCheckerRoleName`, the exact ARN the backup-vault
 * account's reader role trusts.
 */
export class ReadinessChecker extends Construct {
  readonly function: BundledFunction;
  readonly bucket: S3Bucket;
  readonly bucketPolicy: PolicyDocument;
  readonly facts: ReadinessFacts;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly schedule: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: ReadinessCheckerProps) {
    super(scope, id);
    const { config, names, functionDefaults } = props;
    const { accountId, region, kmsKeyArn } = functionDefaults;
    const p = partitionOf(region);
    const bucketName = names.readinessReportBucketName;
    const bucketArn = `arn:${p}:s3:::${bucketName}`;
    this.facts = readinessFacts(config, names, props.stateMachineArn, props.recoveryMetricNamespace);
    const input = JSON.stringify(this.facts);
    if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) {
      throw new Error(`${this.node.path}: the readiness checker's input is ${Buffer.byteLength(input, 'utf8')} bytes for ${config.workloads.length} workloads, over ${MAX_INPUT_BYTES}: split the estate`);
    }
    const alarmPeriod = readinessAlarmPeriodSeconds(config.readiness.schedule);

    // ---- the report bucket ------------------------------------------------------------------------
    this.bucket = new S3Bucket(this, 'ReportBucket', { bucket: bucketName, forceDestroy: false });
    new S3BucketOwnershipControls(this, 'ReportBucketOwnership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPublicAccessBlock(this, 'ReportBucketPublicAccess', { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const versioning = new S3BucketVersioningA(this, 'ReportBucketVersioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'ReportBucketEncryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }],
    });
    const days = config.readiness.reportRetentionDays;
    new S3BucketLifecycleConfiguration(this, 'ReportBucketLifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-reports',
          status: 'Enabled',
          filter: [{ prefix: 'reports/' }],
          expiration: [{ days }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        { id: 'remove-expired-delete-markers', status: 'Enabled', filter: [{ prefix: 'reports/' }], expiration: [{ expiredObjectDeleteMarker: true }] },
      ],
      // Lifecycle rules on a versioned bucket need versioning configured first.
      dependsOn: [versioning],
    });
    this.bucketPolicy = policyDocument({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    new S3BucketPolicy(this, 'ReportBucketPolicy', { bucket: this.bucket.id, policy: renderPolicy(this.bucketPolicy) });

    // ---- the function -----------------------------------------------------------------------------
    const kind = config.centralVault.kind;
    const restoreTested = config.workloads.filter((w) => w.restoreTesting);
    const servers = this.facts.workloads.flatMap((w) => w.servers);
    const stateMachineName = props.stateMachineArn.split(':').pop()!;
    const statements: PolicyStatement[] = [
      ...(this.facts.centralVault ? [{ Sid: 'AssumeCentralVaultReader', Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: names.centralVaultReaderRoleArn }] : []),
      {
        Sid: 'ListDrAndSharedVaults',
        Effect: 'Allow',
        Action: 'backup:ListRecoveryPointsByBackupVault',
        Resource: [names.drRestoreVaultArn, ...(kind !== 'locked' ? [names.airGappedVaultArn] : [])],
      },
      ...(restoreTested.length > 0
        ? [
            {
              Sid: 'ReadRestoreTestingPlans',
              Effect: 'Allow' as const,
              Action: 'backup:GetRestoreTestingPlan',
              Resource: restoreTested.map((w) => `${restoreTestingPlanArnPrefix(region, accountId, names.restoreTestingPlanName(w.name))}*`).sort(),
            },
            // ListRestoreJobs supports no resource-level permissions.
            { Sid: 'ListRestoreTestJobs', Effect: 'Allow' as const, Action: 'backup:ListRestoreJobs', Resource: '*' },
          ]
        : []),
      ...(servers.length > 0
        ? [
            {
              Sid: 'ReadGoldenAmiParameters',
              Effect: 'Allow' as const,
              Action: 'ssm:GetParameter',
              Resource: servers.map((s) => `arn:${p}:ssm:${region}:${accountId}:parameter/${s.amiParameterName.replace(/^\//, '')}`).sort(),
            },
            // Describe* calls support no resource-level permissions.
            { Sid: 'DescribeImagesTemplatesGroups', Effect: 'Allow' as const, Action: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeImages', 'ec2:DescribeLaunchTemplates'], Resource: '*' },
            // A scaled-up group is expected while a recovery of its workload runs: read running executions' input.
            { Sid: 'ReadRecoveryExecutions', Effect: 'Allow' as const, Action: 'states:DescribeExecution', Resource: `arn:${p}:states:${region}:${accountId}:execution:${stateMachineName}:*` },
          ]
        : []),
      { Sid: 'ReadRecoveryStateMachine', Effect: 'Allow', Action: ['states:DescribeStateMachine', 'states:ListExecutions'], Resource: props.stateMachineArn },
      // GetMetricData supports no resource-level permissions.
      { Sid: 'ReadDrillRecoveryTimes', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
      {
        Sid: 'PublishReadinessMetrics',
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': names.readinessMetricNamespace } },
      },
      { Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: `${bucketArn}/reports/*` },
      {
        // S3 encrypts each report with the bucket's default key on the writer's behalf.
        Sid: 'EncryptReportsThroughS3',
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: kmsKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.${dnsSuffixOf(region)}` } },
      },
    ];
    this.function = new BundledFunction(this, 'Function', {
      ...functionDefaults,
      // The function's role takes its name: exactly the ARN the backup-vault account's reader role trusts.
      functionName: names.readinessCheckerRoleName,
      entry: props.entry,
      description: 'Checks daily that every workload could be recovered now within its targets',
      // Lists whole vaults and describes every workload's resources: bounded, but not quick for 200 workloads.
      timeout: 900,
      memorySize: 512,
      policyStatements: statements,
      alarmActions: props.alarmActions,
    });

    // ---- the daily schedule ---------------------------------------------------------------------
    const scheduleName = `${config.name}-readiness`;
    const schedulerRole = new IamRole(this, 'SchedulerRole', {
      name: `${config.name}-readiness-scheduler`,
      description: 'EventBridge Scheduler runs the DR readiness checker',
      assumeRolePolicy: renderPolicy(serviceTrustPolicy('scheduler.amazonaws.com', accountId, `arn:${p}:scheduler:${region}:${accountId}:schedule/default/${scheduleName}`)),
    });
    new IamRolePolicy(this, 'SchedulerPolicy', {
      role: schedulerRole.name,
      name: 'invoke-readiness-checker',
      policy: renderPolicy(
        policyDocument(
          { Sid: 'InvokeReadinessChecker', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: this.function.functionArn },
          { Sid: 'UndeliveredToDlq', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.function.dlq.queueArn },
        ),
      ),
    });
    this.schedule = new SchedulerSchedule(this, 'Schedule', {
      name: scheduleName,
      description: 'DR readiness check of every workload',
      scheduleExpression: config.readiness.schedule,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.function.function.arn,
        roleArn: schedulerRole.arn,
        input,
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
        deadLetterConfig: { arn: this.function.dlq.queue.arn },
      },
    });

    // ---- one alarm per workload -----------------------------------------------------------------
    const periodText = formatMinutes(alarmPeriod / 60);
    for (const w of [...config.workloads].sort((a, b) => a.name.localeCompare(b.name))) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `NotReady-${w.name}`, {
          alarmName: `${config.name}-readiness-${w.name}`,
          alarmDescription:
            `DR readiness of ${w.name}: a check was not ready, or the checker did not report, within ${periodText}. ` +
            `Read s3://${bucketName}/reports/latest.json (failedChecks: each failed check and its fix).`,
          namespace: names.readinessMetricNamespace,
          metricName: 'Ready',
          dimensions: { Workload: w.name },
          // Any run in the window that was not ready keeps the alarm until that run leaves the window.
          statistic: 'Minimum',
          period: alarmPeriod,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'LessThanThreshold',
          // A checker that stopped running is itself not ready.
          treatMissingData: 'breaching',
          alarmActions: props.alarmActions,
          okActions: props.alarmActions,
        }),
      );
    }
  }
}
