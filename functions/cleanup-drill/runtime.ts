/** What cleanup-drill's deletions share: the options and clients, the function's errors and the throttled AWS call that tells a resource already gone. */
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EFSClient } from '@aws-sdk/client-efs';
import type { RDSClient } from '@aws-sdk/client-rds';
import { awsCallErrorClass, awsCaller, isThrottling as isThrottlingCode, THROTTLING_ERROR_CODES as COMMON_THROTTLING_ERROR_CODES, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import { namedError } from '../errors';

/** Error codes of throttled requests (EC2, RDS, DynamoDB, EFS, Auto Scaling), retried with backoff and jitter. */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
  ...COMMON_THROTTLING_ERROR_CODES,
  'TooManyRequests',
  // DynamoDB: too many concurrent control-plane operations.
  'LimitExceededException',
  // Auto Scaling: a pending update to the same group.
  'ResourceContentionFault',
]);

export interface CleanupOptions extends ThrottleOptions {
  /** Delay between two checks while waiting for a volume to detach or mount targets to go. */
  readonly pollIntervalMs: number;
  /** DescribeVolumes while waiting for a volume to become `available`. */
  readonly maxDetachChecks: number;
  /** DescribeMountTargets while waiting for a file system's mount targets to be deleted. */
  readonly maxMountTargetChecks: number;
  /** Restored resources cleaned up at the same time. */
  readonly concurrency: number;
}

export const DEFAULT_OPTIONS: CleanupOptions = {
  maxThrottleAttempts: 6,
  baseBackoffMs: 250,
  maxBackoffMs: 8000,
  pollIntervalMs: 5000,
  maxDetachChecks: 36,
  maxMountTargetChecks: 36,
  concurrency: 4,
};

/** The clients the handler hands in and the deletions call through. */
export interface CleanupClients {
  readonly ec2: EC2Client;
  readonly rds: RDSClient;
  readonly dynamodb: DynamoDBClient;
  readonly efs: EFSClient;
  readonly autoScaling: AutoScalingClient;
}

export interface CleanupDrillDeps extends CallDeps<CleanupOptions>, CleanupClients {}

/** Every failure of this function (besides an invalid or refused input) is one of these. */
export class CleanupDrillError extends namedError('CleanupDrillError') {}

/** An AWS call failed with something other than throttling; `code` is the AWS error code. */
export class AwsCallError extends awsCallErrorClass(CleanupDrillError) {}

export interface Runtime extends CallRuntime<CleanupOptions>, CleanupClients {}

/** Log attributes of one resource (resources are cleaned up concurrently). */
export type Ctx = Record<string, unknown>;

export function isThrottling(error: unknown): boolean {
  return isThrottlingCode(error, THROTTLING_ERROR_CODES);
}

/** Runs one AWS call, retrying it while throttled; any other error becomes an {@link AwsCallError}. `ctx` goes into its log lines. */
export const call = awsCaller({ AwsCallError, GiveUpError: CleanupDrillError, throttlingCodes: THROTTLING_ERROR_CODES });

export const GONE = Symbol('gone');
export type Gone = typeof GONE;

/** {@link call}, but a "not found" error code (the resource is gone) returns {@link GONE}. */
export async function callUnlessGone<T>(rt: Runtime, ctx: Ctx, operation: string, notFound: ReadonlySet<string>, send: () => Promise<T>): Promise<T | Gone> {
  try {
    return await call(rt, operation, send, ctx);
  } catch (error) {
    if (error instanceof AwsCallError && notFound.has(error.code)) return GONE;
    throw error;
  }
}

/** `deleted`: deleted now; `gone`: already deleted or being deleted (a retry of the step). */
export type Deletion = 'deleted' | 'gone';
