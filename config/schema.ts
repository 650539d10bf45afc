import { z } from 'zod';
import { AWS_REGIONS } from './regions';
import { scheduleExpressionProblem } from './schedule-expression';
import { formatMinutes, worstCaseIntervalMinutes } from './schedule-interval';
import { PRICE_KEYS } from '../cost/price-keys';
import { RESOURCE_TYPES, type ResourceType } from '../functions/resource-types';
import { directoryId, STORAGE_VIRTUAL_MACHINE_ID } from './id-patterns';
import { failback } from './failback-schema';

export { DIRECTORY_ID, STORAGE_VIRTUAL_MACHINE_ID } from './id-patterns';
export { DEFAULT_FAILBACK_GRACE_HOURS } from './failback-schema';

/**
 * The readiness alarm treats a missing run as not ready over the longest gap between runs plus an hour,
 * and a CloudWatch alarm spans at most 7 days: the checker must run at least every 6 days 23 hours.
 */
const MAX_READINESS_INTERVAL_MINUTES = 7 * 24 * 60 - 60;
function readinessScheduleProblem(value: string): string | undefined {
  const interval = worstCaseIntervalMinutes(value);
  return interval > MAX_READINESS_INTERVAL_MINUTES
    ? `leaves up to ${formatMinutes(interval)} between runs; the readiness alarm spans at most 7 days including one hour of grace, so run the checker at least every 6 days 23 hours (daily is the default)`
    : undefined;
}

/**
 * The estate configuration: one JSON file describing every account taking part in disaster recovery.
 *
 * This module checks the shape of each field. Rules that relate several fields (unique names, regions,
 * retention against the vault lock, derived name lengths) live in `semantic-checks.ts`, so that every
 * violation is reported in one run.
 */

const accountId = z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account ID such as "111111111111"' });
const roleArn = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/, {
    message: 'must be an IAM role ARN such as "arn:aws:iam::111111111111:role/terraform-dr"',
  });
const region = z.enum(AWS_REGIONS, { message: `must be an AWS Region name such as "ap-northeast-2" (one of: ${AWS_REGIONS.join(', ')})` });
const days = (what: string) => z.number({ message: `must be a number of days (${what})` }).int({ message: 'must be a whole number of days' }).min(1, { message: 'must be at least 1 day' });

/** AWS Backup resource types a workload's tag-based selection may cover: one declaration, shared with the functions. */
export { RESOURCE_TYPES, type ResourceType };
export const DEFAULT_RESOURCE_TYPES: ResourceType[] = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS'];

const backupRule = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,50}$/, { message: 'must be 1-50 letters, digits, "-", "_" or "." (AWS Backup rule name)' }),
  schedule: z.string().superRefine((value, ctx) => {
    const problem = scheduleExpressionProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  scheduleTimezone: z
    .string()
    .regex(/^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/, { message: 'must be an IANA time zone such as "Asia/Seoul"' })
    .optional()
    .describe('Time zone of the schedule. Default: UTC.'),
  retentionDays: days('how long the local recovery point is kept'),
  copyRetentionDays: days('how long the copy in the central vault is kept'),
  coldStorageAfterDays: days('move the local recovery point to cold storage').optional(),
  copyColdStorageAfterDays: days('move the central copy to cold storage').optional(),
  continuous: z.boolean().default(false).describe('Continuous backup (point-in-time recovery) for S3, RDS and Aurora.'),
  startWindowMinutes: z.number().int().min(60, { message: 'must be at least 60 minutes (AWS Backup minimum)' }).default(60),
  completionWindowMinutes: z.number().int().min(120, { message: 'must be at least 120 minutes' }).default(10080),
});

const ALARM_STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;

const metricAlarm = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, { message: 'must be 1-100 letters, digits, "-", "_" or "." (alarm name suffix)' }),
  namespace: z.string().regex(/^[^:].{0,254}$/, { message: 'must be a CloudWatch namespace such as "AWS/ApplicationELB"' }),
  metricName: z.string().min(1).max(255),
  dimensions: z.record(z.string().min(1).max(255), z.string().min(1).max(1024)).default({}),
  statistic: z
    .union([z.enum(ALARM_STATISTICS), z.string().regex(/^p\d{1,2}(\.\d{1,2})?$/)], { message: `must be one of ${ALARM_STATISTICS.join(', ')} or a percentile such as p99` })
    .default('Average'),
  periodSeconds: z
    .number()
    .int()
    .refine((v) => [10, 20, 30].includes(v) || (v >= 60 && v % 60 === 0), { message: 'must be 10, 20, 30 or a multiple of 60 seconds' })
    .default(300),
  evaluationPeriods: z.number().int().min(1).max(100).default(3),
  datapointsToAlarm: z.number().int().min(1).optional().describe('Default: evaluationPeriods.'),
  anomalyDetection: z
    .strictObject({
      bandWidth: z.number().positive({ message: 'must be a positive number of standard deviations' }).default(2),
      direction: z.enum(['above', 'below', 'both'], { message: 'must be "above", "below" or "both"' }).default('both'),
    })
    .optional()
    .describe('ANOMALY_DETECTION_BAND alarm. Exactly one of anomalyDetection and threshold.'),
  threshold: z
    .strictObject({
      value: z.number(),
      comparison: z.enum(['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'], {
        message: 'must be a CloudWatch comparison operator such as "GreaterThanThreshold"',
      }),
    })
    .optional()
    .describe('Static-threshold alarm. Exactly one of anomalyDetection and threshold.'),
  missingData: z
    .enum(['notBreaching', 'breaching', 'ignore', 'missing'], { message: 'must be notBreaching, breaching, ignore or missing' })
    .default('notBreaching')
    .describe('How missing data is treated. Default notBreaching: a metric that stops reporting does not page.'),
  triggersRecovery: z.boolean().default(false).describe('Also send the alarm to the recovery rule on the DR bus.'),
});

const serverRole = z.strictObject({
  role: z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, { message: 'must start with a lowercase letter and use only a-z, 0-9 and "-" (at most 24 characters); it is the dr:server tag value' }),
  amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, { message: 'must be an AMI ID in the recovery region such as "ami-0123456789abcdef0"' }),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: 'must be an EC2 instance type such as "m7g.large"' }),
  size: z.number().int().min(1).default(1).describe('Instances the recovery starts.'),
  maxSize: z.number().int().min(1).optional().describe('Auto Scaling group maximum. Default: size.'),
});

/** Terraform Cloud workspace IDs: `ws-` and 16 letters or digits. */
export const TERRAFORM_CLOUD_WORKSPACE_ID = /^ws-[A-Za-z0-9]{16}$/;


const workloadRecovery = z.strictObject({
  approval: z
    .strictObject({
      required: z.boolean().default(true).describe('Wait for on-call approval before an automatic (event-triggered) recovery. A manual start never waits.'),
      timeoutMinutes: z.number().int().min(5).max(10080).default(60),
    })
    .prefault({}),
  restoreConcurrency: z.number().int().min(1).max(40).default(5).describe('Restore (and copy) jobs at a time, to respect AWS Backup quotas.'),
  jobTimeoutMinutes: z.number().int().min(10).max(2880).default(240).describe('Per restore or copy job.'),
  startCommand: z.string().min(1).max(1000).default('systemctl start dr-app.target').describe('Run on every recovered server by the connect runbook; must be idempotent.'),
  mountRoot: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, { message: 'must be an absolute path such as "/mnt/dr"' }).default('/mnt/dr'),
  healthAlarmName: z.string().min(1).max(255).optional().describe('CloudWatch alarm (DR account) that is OK when the recovered workload is healthy.'),
  failover: z
    .strictObject({
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, { message: 'must be a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"' }),
      recordName: z.string().min(1).max(255),
      recordType: z.enum(['CNAME', 'A', 'AAAA'], { message: 'must be CNAME, A or AAAA' }).default('CNAME'),
      value: z.string().min(1).max(255).describe('The recovery endpoint.'),
      ttl: z.number().int().min(0).max(86400).default(60),
    })
    .optional()
    .describe('Route 53 record switched to the recovery endpoint in failover mode.'),
  drillSchedule: z
    .string()
    .regex(/^(cron|rate|at)\(.+\)$/, { message: 'must be an EventBridge Scheduler expression such as "cron(0 3 ? * SUN#1 *)"' })
    .optional()
    .describe('Recovery drill schedule (EventBridge Scheduler), e.g. monthly.'),
  infrastructure: z
    .discriminatedUnion(
      'kind',
      [
        z.strictObject({ kind: z.literal('autoScaling') }).describe('Scale each server role\'s Auto Scaling group to its size and wait until the instances are online in SSM.'),
        z
          .strictObject({
            kind: z.literal('terraformCloud'),
            workspaceId: z.string().regex(TERRAFORM_CLOUD_WORKSPACE_ID, {
              message: 'must be a Terraform Cloud workspace ID: "ws-" and 16 letters or digits, such as "ws-3oKnEEBcNjpFSNbF" (workspace Settings → General → ID), not the workspace name',
            }),
            pollSeconds: z.number().int().min(5, { message: 'must be at least 5 seconds' }).max(600, { message: 'must be at most 600 seconds' }).default(30).describe('Seconds between two reads of the run.'),
            timeoutMinutes: z.number().int().min(5, { message: 'must be at least 5 minutes' }).max(1440, { message: 'must be at most 1440 minutes (24 hours)' }).default(60).describe('How long the run may take until applied.'),
          })
          .describe('Queue an auto-applied run in a Terraform Cloud workspace (through an EventBridge connection) and wait until it is applied. Needs the top-level terraformCloud.'),
      ],
      { error: 'must be "autoScaling" or "terraformCloud" (in "kind")' },
    )
    .default({ kind: 'autoScaling' })
    .describe('How BuildInfrastructure builds the servers. Default: autoScaling.'),
  fsx: z
    .strictObject({
      windowsDirectoryId: directoryId().describe(
          'AWS Managed Microsoft AD in the DR account and recovery region (reachable from the landing zone VPC) that restored FSx for Windows File Server file systems join. ' +
            'Required when the backups include a Windows file system: AWS Backup cannot restore one without a directory, and the source account\'s directory is not usable here.',
        ),
      ontapStorageVirtualMachineId: z
        .string()
        .regex(STORAGE_VIRTUAL_MACHINE_ID, { message: 'must be an FSx for NetApp ONTAP storage virtual machine ID: "svm-" and 17 hexadecimal digits, such as "svm-0123456789abcdef0"' })
        .optional()
        .describe(
          'Storage virtual machine of an FSx for NetApp ONTAP file system in the DR account (in the landing zone VPC, with the landing zone\'s file-system security group) into which AWS Backup restores ONTAP volumes. ' +
            'Required when the backups include ONTAP volumes: AWS Backup restores a volume into an existing SVM, never a new file system.',
        ),
    })
    .optional()
    .describe('What restores of Amazon FSx need in the DR account (backup.resourceTypes includes FSx). The restore fails clearly, naming the field, when a file system needs one that is not set.'),
});

/** Resource types AWS Backup restore testing can restore (a subset of the selection's types). */
export const RESTORE_TESTING_RESOURCE_TYPES = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx'] as const;
export const DEFAULT_RESTORE_TESTING_RESOURCE_TYPES = ['EBS', 'RDS', 'DynamoDB', 'S3'] as const;

const restoreTesting = z.strictObject({
  schedule: z
    .string()
    .superRefine((value, ctx) => {
      const problem = scheduleExpressionProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('cron(0 5 ? * SUN *)')
    .describe('When AWS Backup restore testing restores the newest recovery points (cron, UTC). Default: Sundays 05:00.'),
  validationWindowHours: z
    .number()
    .int()
    .min(1, { message: 'must be at least 1 hour' })
    .max(168, { message: 'must be at most 168 hours (7 days)' })
    .default(4)
    .describe('How long a restored resource is kept for validation before AWS Backup deletes it.'),
  startWindowHours: z.number().int().min(1).max(168).default(1).describe('Hours after the scheduled time within which the test must start.'),
  selectionWindowDays: z.number().int().min(1).max(365).default(7).describe('Only recovery points created within this many days are picked.'),
  resourceTypes: z
    .array(z.enum(RESTORE_TESTING_RESOURCE_TYPES, { message: `must be one of ${RESTORE_TESTING_RESOURCE_TYPES.join(', ')}` }))
    .min(1, { message: 'must list at least one resource type' })
    .default([...DEFAULT_RESTORE_TESTING_RESOURCE_TYPES])
    .describe(`Resource types restored by the test; each must be in backup.resourceTypes. Default: ${DEFAULT_RESTORE_TESTING_RESOURCE_TYPES.join(', ')}.`),
});

/** Defaults of a workload's usage estimate (cost model only), per protected resource type. */
export const DEFAULT_ESTIMATE = { gib: 100, dailyChangePercent: 2 } as const;

const usageEstimate = z.strictObject({
  gib: z
    .number({ message: 'must be a number of GiB' })
    .positive({ message: 'must be more than 0 GiB' })
    .default(DEFAULT_ESTIMATE.gib)
    .describe(`Protected data of this type, in GiB (the size of one full backup). Default: ${DEFAULT_ESTIMATE.gib}.`),
  dailyChangePercent: z
    .number({ message: 'must be a percentage' })
    .min(0, { message: 'must be at least 0 %' })
    .max(100, { message: 'must be at most 100 %' })
    .default(DEFAULT_ESTIMATE.dailyChangePercent)
    .describe(`Percent of the data written anew each day (what an incremental backup stores). Default: ${DEFAULT_ESTIMATE.dailyChangePercent}.`),
});

const workload = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'must start with a lowercase letter and use only a-z, 0-9 and "-" (at most 32 characters)' }),
  accountId,
  roleArn,
  region: region.optional().describe('Region of the workload. Default: regions.primary.'),
  backup: z.strictObject({
    selectionTag: z.strictObject({
      key: z.string().regex(/^[\w.:/=+@ -]{1,128}$/, { message: 'must be a valid tag key (1-128 characters)' }),
      value: z.string().regex(/^[\w.:/=+@ -]{0,256}$/, { message: 'must be a valid tag value (at most 256 characters)' }),
    }),
    resourceTypes: z
      .array(z.enum(RESOURCE_TYPES, { message: `must be one of ${RESOURCE_TYPES.join(', ')}` }))
      .min(1, { message: 'must list at least one resource type' })
      .default(DEFAULT_RESOURCE_TYPES)
      .describe(`Resource types the tag-based selection covers. Default: ${DEFAULT_RESOURCE_TYPES.join(', ')}.`),
    rules: z.array(backupRule).min(1, { message: 'must contain at least one backup rule' }),
  }),
  guardrails: z
    .strictObject({
      awsConfigRules: z.boolean().default(false).describe('AWS Config managed rules (needs a Config recorder in the account).'),
      auditFramework: z.boolean().default(false).describe('AWS Backup Audit Manager framework (needs a Config recorder).'),
    })
    .default({ awsConfigRules: false, auditFramework: false }),
  alarms: z.array(metricAlarm).default([]).describe('CloudWatch alarms forwarded to the DR event bus when they fire.'),
  targets: z
    .strictObject({
      rtoMinutes: z.number().int().min(1).default(240).describe('Recovery time objective: incident to healthy in the recovery region. Default: 240 (4 hours).'),
      rpoMinutes: z
        .number()
        .int()
        .min(1)
        .default(1440)
        .describe('Recovery point objective. Default: 1440 (24 hours). Must be at least the worst-case interval of the most frequent backup rule, unless that rule is continuous.'),
    })
    .prefault({})
    .describe('Recovery time and point objectives.'),
  recovery: workloadRecovery.prefault({}).describe('How the recovery state machine recovers this workload.'),
  restoreTesting: restoreTesting
    .optional()
    .describe('AWS Backup restore testing in the DR account: scheduled restores of this workload\'s newest recovery points, validated by the restore validation function.'),
  estimate: z
    .partialRecord(z.enum(RESOURCE_TYPES, { message: `must be one of ${RESOURCE_TYPES.join(', ')}` }), usageEstimate)
    .optional()
    .describe(
      `Usage for the cost model (npm run cost, docs/cost.md) per resource type of backup.resourceTypes, e.g. { "EBS": { "gib": 500, "dailyChangePercent": 3 } }. ` +
        `A protected type without an entry counts as ${DEFAULT_ESTIMATE.gib} GiB changing ${DEFAULT_ESTIMATE.dailyChangePercent} % a day. Changes no resource.`,
    ),
  servers: z
    .array(serverRole)
    .default([])
    .describe('Server roles rebuilt in the recovery region: golden AMI, launch template, Auto Scaling group at zero until recovery.'),
  failback: failback
    .optional()
    .describe('Failback from the DR account to this workload\'s account and region (docs/failback.md). Default: none (no failback role, no failback state machine).'),
});

const vaultLock = z.strictObject({
  mode: z.enum(['governance', 'compliance'], { message: 'must be "governance" (removable) or "compliance" (irreversible after changeableForDays)' }),
  minRetentionDays: days('shortest retention the vault accepts'),
  maxRetentionDays: days('longest retention the vault accepts'),
  changeableForDays: z.number().int().min(3, { message: 'must be at least 3 (the 72-hour cooling-off period AWS requires)' }).optional(),
});

const healthCodes = z.record(
  z.string().regex(/^[A-Z0-9_]{2,64}$/, { message: 'must be an AWS Health service code such as "S3" or "EC2"' }),
  z.array(z.string().regex(/^AWS_[A-Z0-9_]+$/, { message: 'must be an AWS Health event type code such as "AWS_S3_OPERATIONAL_ISSUE"' })).min(1, { message: 'must list at least one event type code' }),
);

/** AWS Health issues forwarded (and treated as recovery-worthy) by default, per service. */
export const DEFAULT_HEALTH_EVENT_CODES: Record<string, string[]> = {
  S3: ['AWS_S3_INCREASED_GET_API_ERROR_RATES', 'AWS_S3_INCREASED_PUT_API_ERROR_RATES', 'AWS_S3_OPERATIONAL_ISSUE'],
  EC2: ['AWS_EC2_OPERATIONAL_ISSUE'],
  EBS: ['AWS_EBS_OPERATIONAL_ISSUE'],
  RDS: ['AWS_RDS_OPERATIONAL_ISSUE'],
};

const detection = z.strictObject({
  eventBusName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/, { message: 'must be 1-200 letters, digits, ".", "_" or "-"' })
    .refine((v) => v !== 'default', { message: 'must not be "default": the DR bus is a custom bus with its own policy' })
    .default('dr-events'),
  archiveRetentionDays: z.number().int().min(1, { message: 'must be at least 1 day' }).default(30).describe('How long the DR bus archive keeps events for replay.'),
  health: z
    .strictObject({
      services: healthCodes.default(DEFAULT_HEALTH_EVENT_CODES).describe('Regional AWS Health issue codes per service, matched in each workload region.'),
      globalServices: healthCodes
        .default({})
        .describe('Health issue codes of global services (e.g. IAM, CLOUDFRONT, ROUTE53), matched by an extra rule in us-east-1, where AWS delivers them.'),
    })
    .default({ services: DEFAULT_HEALTH_EVENT_CODES, globalServices: {} }),
  delivery: z
    .strictObject({
      maximumEventAgeSeconds: z.number().int().min(60).max(86400).default(3600),
      maximumRetryAttempts: z.number().int().min(0).max(185).default(24),
    })
    .default({ maximumEventAgeSeconds: 3600, maximumRetryAttempts: 24 })
    .describe('Retry policy of every forwarding target; after it, events go to the dead-letter queue.'),
  onCall: z
    .strictObject({
      emailAddresses: z.array(z.email({ message: 'must be an e-mail address' })).default([]),
    })
    .default({ emailAddresses: [] })
    .describe('Subscriptions of the DR on-call topic.'),
});

export type DetectionConfig = z.output<typeof detection>;

export const DEFAULT_INTERFACE_ENDPOINTS = ['backup', 'ec2', 'ec2messages', 'kms', 'logs', 'ssm', 'ssmmessages', 'sts'];

const recovery = z.strictObject({
  network: z
    .strictObject({
      vpcCidr: z
        .string()
        .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(1[6-9]|2[0-4])$/, { message: 'must be an IPv4 CIDR between /16 and /24 such as "10.80.0.0/16"' })
        .default('10.80.0.0/16'),
      availabilityZones: z
        .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { message: 'must be an Availability Zone name such as "ap-northeast-1a"' }))
        .default([])
        .describe('At least two, in the recovery region; required when any workload has servers.'),
      interfaceEndpoints: z
        .array(z.string().regex(/^[a-z0-9.-]+$/, { message: 'must be a service name such as "ssm"' }))
        .default(DEFAULT_INTERFACE_ENDPOINTS)
        .describe('Interface VPC endpoints (no internet egress). S3 always gets a gateway endpoint.'),
    })
    .prefault({}),
  functions: z
    .strictObject({
      logRetentionDays: z
        .union([z.literal(1), z.literal(3), z.literal(5), z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(120), z.literal(150), z.literal(180), z.literal(365), z.literal(400), z.literal(545), z.literal(731), z.literal(1096), z.literal(1827), z.literal(2192), z.literal(2557), z.literal(2922), z.literal(3288), z.literal(3653)], {
          message: 'must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days)',
        })
        .default(90),
      architecture: z.enum(['arm64', 'x86_64'], { message: 'must be "arm64" or "x86_64"' }).default('arm64'),
      reservedConcurrency: z.number().int().min(1).optional().describe('Per function. Default: unreserved.'),
      sourceMaps: z.boolean().default(false),
    })
    .prefault({}),
  stateMachine: z
    .strictObject({
      logLevel: z.enum(['ALL', 'ERROR', 'FATAL'], { message: 'must be ALL, ERROR or FATAL' }).default('ERROR'),
      pollSeconds: z.number().int().min(5).max(600).default(30),
      copyRetentionDays: z.number().int().min(1).default(35).describe('Lifecycle of recovery points copied into the DR restore vault during recovery.'),
    })
    .prefault({}),
});

export type RecoveryConfig = z.output<typeof recovery>;

export const CENTRAL_VAULT_KINDS = ['locked', 'airGapped', 'both'] as const;
export type CentralVaultKind = (typeof CENTRAL_VAULT_KINDS)[number];

export const DEFAULT_VAULT_LOCK = { mode: 'governance' as const, minRetentionDays: 7, maxRetentionDays: 3650 };

export const estateConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, { message: 'must start with a lowercase letter and use only a-z, 0-9 and "-" (at most 20 characters)' }),
  organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, { message: 'must be an AWS Organizations ID such as "o-a1b2c3d4e5"' }),
  regions: z.strictObject({ primary: region, recovery: region }),
  accounts: z.strictObject({
    backupVault: z.strictObject({
      id: accountId,
      roleArn,
      primaryRegionCopy: z
        .boolean()
        .default(false)
        .describe('Also keep a central vault in each workload region and copy there (cross-account, same region).'),
    }),
    dr: z.strictObject({ id: accountId, roleArn }),
    management: z
      .strictObject({ id: accountId, roleArn })
      .optional()
      .describe('Organizations management account: adds the "organization" stack that enables cross-account backup.'),
  }),
  breakGlassRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, { message: 'must be an IAM role name (1-64 characters)' })
    .default('dr-break-glass')
    .describe('Role, in each account, that alone may delete recovery points or change vault policies and locks.'),
  workloads: z.array(workload).min(1, { message: 'must list at least one workload' }),
  vaultLock: vaultLock.default(DEFAULT_VAULT_LOCK),
  centralVault: z
    .strictObject({
      kind: z
        .enum(CENTRAL_VAULT_KINDS, { message: `must be one of ${CENTRAL_VAULT_KINDS.join(', ')}` })
        .default('locked')
        .describe('locked: CMK vault with Vault Lock; airGapped: logically air-gapped vault (AWS-owned key, compliance lock) shared with the DR account through AWS RAM; both: copy to each.'),
      shareWith: z
        .enum(['drAccount', 'organization'], { message: 'must be "drAccount" or "organization"' })
        .default('drAccount')
        .describe('Who the air-gapped vault is shared with through AWS RAM. Default: the DR account only.'),
    })
    .prefault({})
    .describe('Kind of central vault in the backup-vault account. Default: locked.'),
  readiness: z
    .strictObject({
      schedule: z
        .string()
        .superRefine((value, ctx) => {
          const problem = scheduleExpressionProblem(value) ?? readinessScheduleProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .default('cron(0 6 * * ? *)')
        .describe('When the readiness checker runs (EventBridge Scheduler, UTC). Default: daily 06:00.'),
      reportRetentionDays: z.number().int().min(30).max(3650).default(400).describe('Lifecycle of readiness reports in the report bucket.'),
      resilienceHubPolicies: z.boolean().default(false).describe('Emit an AWS Resilience Hub resiliency policy per workload from its targets (workload account).'),
    })
    .prefault({})
    .describe('The daily DR readiness check (DR account).'),
  recovery: recovery.prefault({}).describe('The DR account\'s recovery: landing zone network and functions.'),
  detection: detection.prefault({}).describe('Detection and event forwarding to the DR account. Default: every field\'s default.'),
  terraformCloud: z
    .strictObject({
      organization: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be a Terraform Cloud organization name' }),
      workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]{0,40}$/, { message: 'may use only letters, digits, "-" and "_"' }).default(''),
      project: z.string().min(1).max(40).optional(),
      hostname: z.string().regex(/^[a-z0-9.-]+$/, { message: 'must be a host name such as "app.terraform.io"' }).optional(),
      executionMode: z.enum(['remote', 'local', 'agent'], { message: 'must be remote, local or agent' }).default('remote').describe('Execution mode of every workspace (workspace manifest).'),
      tags: z.array(z.string().regex(/^[a-z0-9:_-]{1,255}$/, { message: 'must be a Terraform Cloud tag (lowercase letters, digits, ":", "_", "-")' })).default([]).describe('Extra tags of every workspace (workspace manifest).'),
    })
    .optional(),
  prices: z
    .strictObject({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date such as "2026-12-01"' }).optional().describe('When these prices were taken.'),
      source: z.string().min(1).optional().describe('Where these prices come from.'),
      regions: z
        .partialRecord(region, z.partialRecord(z.enum(PRICE_KEYS, { message: `must be a price key (${PRICE_KEYS.join(', ')})` }), z.number().min(0, { message: 'must be a price in USD of at least 0' })))
        .describe('USD per unit, per Region code and price key; laid over the prices shipped in cost/prices/.'),
    })
    .optional()
    .describe('Prices for the cost model (npm run cost, docs/cost.md) overriding the shipped table. Changes no resource.'),
  tags: z
    .record(z.string().regex(/^[\w.:/=+@ -]{1,128}$/), z.string().max(256))
    .default({})
    .describe('Extra default tags on every resource.'),
});

/** The configuration as written in the JSON file (optional fields may be absent). */
export type EstateConfigInput = z.input<typeof estateConfigSchema>;
/** The configuration after validation, with every default filled in. */
export type EstateConfig = z.output<typeof estateConfigSchema>;
export type WorkloadConfig = EstateConfig['workloads'][number];
export type BackupRuleConfig = WorkloadConfig['backup']['rules'][number];
export type VaultLockConfig = EstateConfig['vaultLock'];
export type MetricAlarmConfig = WorkloadConfig['alarms'][number];
export type ServerRoleConfig = WorkloadConfig['servers'][number];
export type FailbackConfig = NonNullable<WorkloadConfig['failback']>;
export type RestoreTestingConfig = NonNullable<WorkloadConfig['restoreTesting']>;
export type CentralVaultConfig = EstateConfig['centralVault'];
export type ReadinessConfig = EstateConfig['readiness'];
