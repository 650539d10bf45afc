/**
 * What every readiness check shares: the options, the clients, a check's result, the function's
 * errors, the throttled AWS call and the wording helpers of reasons.
 */
import type { BackupClient } from '@aws-sdk/client-backup';
import type { STSClient } from '@aws-sdk/client-sts';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import { errorCode, functionCalls, messageOf, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import type { CentralBackupClientFactory } from '../credentials';

/** The checks, in report order. */
export const CHECKS = ['RecoveryPoints', 'GoldenAmis', 'LaunchTemplates', 'ServerGroups', 'StateMachine', 'DrillRto', 'RestoreTest'] as const;
export type CheckName = (typeof CHECKS)[number];

/** report-recovery's RTO metric (functions/report-recovery: dimensions `Workload`, `Mode`). */
export const RECOVERY_TIME_METRIC = 'RecoveryTimeSeconds';
export const DRILL_MODE = 'drill';

export interface ReadinessOptions extends ThrottleOptions {
  /** Lifetime of the reader role's session (900 s is the minimum STS accepts). */
  readonly sessionDurationSeconds: number;
  /** Pages of one listing; more is an error rather than a silently partial answer. */
  readonly maxPages: number;
  /** Workloads checked at a time. */
  readonly concurrency: number;
  /** Metrics per PutMetricData call (AWS accepts up to 1000). */
  readonly metricsPerCall: number;
  /** Stale resources, missing parts, ... named in a reason before "and N more" (the report's details list all). */
  readonly maxListedInReason: number;
}

export const DEFAULT_OPTIONS: ReadinessOptions = {
  maxThrottleAttempts: 6,
  baseBackoffMs: 250,
  maxBackoffMs: 8000,
  sessionDurationSeconds: 900,
  maxPages: 1000,
  concurrency: 4,
  metricsPerCall: 500,
  maxListedInReason: 5,
};

/** The AWS SDK v3 clients of the DR account, in the recovery region, and how to reach the central vault. */
export interface ReadinessClients extends CallDeps<ReadinessOptions> {
  readonly backup: BackupClient;
  readonly sts: STSClient;
  readonly centralBackup: CentralBackupClientFactory;
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
  readonly autoscaling: AutoScalingClient;
  readonly sfn: SFNClient;
  readonly cloudwatch: CloudWatchClient;
  readonly s3: S3Client;
}

export interface CheckResult {
  readonly check: CheckName;
  readonly ready: boolean;
  /** What was found: why it is ready, or why not. */
  readonly reason: string;
  /** What to do; present when not ready. */
  readonly fix?: string;
  readonly details?: Record<string, unknown>;
}

/**
 * Every failure of this function (besides an invalid input) is a `ReadinessError`; an AWS call failing
 * other than by throttling, an `AwsCallError`. `call` runs one AWS call, retrying it while throttled
 * (by any `THROTTLING_ERROR_CODES`, AWS Backup's, SSM's and S3's included).
 */
export const {
  FunctionError: ReadinessError,
  AwsCallError,
  call,
  throttlingCodes: THROTTLING_ERROR_CODES,
} = functionCalls('ReadinessError', ['LimitExceededException', 'ThrottledException', 'SlowDown']);

export type Runtime = CallRuntime<ReadinessOptions>;

export const MINUTE = 60_000;

/** `42 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatAge(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 1440) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const hours = Math.floor((m % 1440) / 60);
  return `${Math.floor(m / 1440)} d${hours ? ` ${hours} h` : ''}`;
}

/** `a, b, c and 2 more`. */
export function listed(items: string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Runs `fn` once, on first use; later calls share its promise (and its failure). */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}

const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|NotAuthorized|AuthorizationError/i;

/** What to do about a check that failed with an error rather than a finding. */
export function fixForError(error: unknown): string {
  const code = error instanceof AwsCallError ? error.code : errorCode(error);
  if (ACCESS_DENIED.test(code)) {
    return "The checker's role (or the backup-vault account's reader role) was denied the call named in the reason: compare the role policies in the dr and backup-vault stacks with the call, apply the stack that is behind, then invoke the checker again.";
  }
  if (THROTTLING_ERROR_CODES.has(code) || /was throttled/.test(messageOf(error))) {
    return 'AWS throttled the call on every attempt: this check is unknown, not failed. Invoke the checker again later (it also runs on its schedule).';
  }
  return 'The check could not run: fix the cause named in the reason (or apply the dr stack if a resource is missing), then invoke the checker again.';
}
