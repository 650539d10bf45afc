/** What prepare-restore's steps share: the options and clients, the function's errors, the throttled AWS call and the draft of the metadata. */
import type { BackupClient } from '@aws-sdk/client-backup';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { awsCallErrorClass, awsCaller, isThrottling as isThrottlingCode, THROTTLING_ERROR_CODES as COMMON_THROTTLING_ERROR_CODES, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import type { PrepareRestoreInput } from './input';
import { namedError } from '../errors';

/** Error codes of throttled requests, retried with exponential backoff and jitter. */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([...COMMON_THROTTLING_ERROR_CODES, 'LimitExceededException']);

export interface PrepareRestoreOptions extends ThrottleOptions {
  /** Pages of one listing; more is an error. */
  readonly maxPages: number;
}

export const DEFAULT_OPTIONS: PrepareRestoreOptions = { maxThrottleAttempts: 6, baseBackoffMs: 250, maxBackoffMs: 8000, maxPages: 100 };

/** The clients the handler hands in and the steps call through. */
export interface PrepareRestoreClients {
  /** Backup client of the DR account (restore vault). */
  readonly backup: BackupClient;
  /** EC2 client of the DR account, for EBS recovery points and recovery instances. */
  readonly ec2: EC2Client;
}

export interface PrepareRestoreDeps extends CallDeps<PrepareRestoreOptions>, PrepareRestoreClients {}

/** Every failure of this function (besides an invalid input) is one of these. */
export class PrepareRestoreError extends namedError('PrepareRestoreError') {}

/** An AWS call failed with something other than throttling; `code` is the AWS error code. */
export class AwsCallError extends awsCallErrorClass(PrepareRestoreError) {}

export interface Runtime extends CallRuntime<PrepareRestoreOptions>, PrepareRestoreClients {}

export function isThrottling(error: unknown): boolean {
  return isThrottlingCode(error, THROTTLING_ERROR_CODES);
}

/** Runs one AWS call, retrying it while throttled; any other error becomes an {@link AwsCallError}. */
export const call = awsCaller({ AwsCallError, GiveUpError: PrepareRestoreError, throttlingCodes: THROTTLING_ERROR_CODES });

/** The restore metadata being prepared for the input's recovery point; `hash` makes its new names unique (`nameHash`). */
export interface Draft {
  readonly input: PrepareRestoreInput;
  readonly metadata: Record<string, string>;
  readonly warnings: string[];
  readonly hash: string;
}
