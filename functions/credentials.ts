/**
 * Temporary credentials of a role in another account (the backup-vault account's roles that reach the
 * central vault), shared by the functions' logic (esbuild bundles it into each).
 */
import type { BackupClient } from '@aws-sdk/client-backup';
import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCall, CallRuntime } from './aws-call';

/** Temporary credentials of an assumed role, in the SDK's credential identity shape. */
export interface AssumedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** Builds the Backup client of the central vault from an assumed role's credentials. */
export type CentralBackupClientFactory = (credentials: AssumedCredentials, region: string) => BackupClient;

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  /** Lifetime of the session (900 s is the minimum STS accepts). */
  readonly durationSeconds: number;
  /** The function's error when STS answers without credentials. */
  readonly noCredentials: (message: string) => Error;
}

/** AssumeRole through the function's `call`; an answer without credentials is `noCredentials`. */
export async function assumeRole(rt: CallRuntime, call: AwsCall, sts: STSClient, request: AssumeRoleRequest): Promise<AssumedCredentials> {
  const { roleArn } = request;
  const out = await call(rt, `AssumeRole(${roleArn})`, () => sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: request.sessionName, DurationSeconds: request.durationSeconds })));
  return credentialsOf(out, () => request.noCredentials(`AssumeRole(${roleArn}) returned no credentials`));
}

/** The credentials of an AssumeRole answer; one without all three parts is `noCredentials()`. */
export function credentialsOf(out: AssumeRoleCommandOutput, noCredentials: () => Error): AssumedCredentials {
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw noCredentials();
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
}
