/** What prepare-restore's steps share: the options and clients, the function's errors, the throttled AWS call and the draft of the metadata. */
import type { BackupClient } from '@aws-sdk/client-backup';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { functionCalls, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import type { PrepareRestoreInput } from './input';

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

export interface Runtime extends CallRuntime<PrepareRestoreOptions>, PrepareRestoreClients {}

/**
 * Every failure of this function (besides an invalid input) is a `PrepareRestoreError`; an AWS call
 * failing other than by throttling, an `AwsCallError`. `call` runs one AWS call, retrying it while
 * throttled (AWS Backup's `LimitExceededException` too).
 */
export const { FunctionError: PrepareRestoreError, AwsCallError, call } = functionCalls('PrepareRestoreError', ['LimitExceededException']);

/** The restore metadata being prepared for the input's recovery point; `hash` makes its new names unique (`nameHash`). */
export interface Draft {
  readonly input: PrepareRestoreInput;
  readonly metadata: Record<string, string>;
  readonly warnings: string[];
  readonly hash: string;
}
