/** What cleanup-drill's deletions share: the options and clients, the function's errors and the throttled AWS call that tells a resource already gone. */
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EFSClient } from '@aws-sdk/client-efs';
import type { RDSClient } from '@aws-sdk/client-rds';
import { functionCalls, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';

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

export interface Runtime extends CallRuntime<CleanupOptions>, CleanupClients {}

/**
 * Every failure of this function (besides an invalid or refused input) is a `CleanupDrillError`; an
 * AWS call failing other than by throttling, an `AwsCallError`. `call` runs one AWS call, retrying it
 * while throttled (EC2, RDS, DynamoDB, EFS and Auto Scaling codes); `ctx` goes into its log lines.
 */
export const { FunctionError: CleanupDrillError, AwsCallError, call } = functionCalls('CleanupDrillError', [
  'TooManyRequests',
  // DynamoDB: too many concurrent control-plane operations.
  'LimitExceededException',
  // Auto Scaling: a pending update to the same group.
  'ResourceContentionFault',
]);

/** Log attributes of one resource (resources are cleaned up concurrently). */
export type Ctx = Record<string, unknown>;

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
