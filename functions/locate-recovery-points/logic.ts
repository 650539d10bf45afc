import { ListRecoveryPointsByBackupVaultCommand, type BackupClient, type ListRecoveryPointsByBackupVaultCommandInput } from '@aws-sdk/client-backup';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsCallErrorClass, awsCaller, callRuntime, isThrottling as isThrottlingCode, messageOf, THROTTLING_ERROR_CODES as COMMON_THROTTLING_ERROR_CODES, type CallDeps, type CallRuntime, type ThrottleOptions } from '../aws-call';
import { listBackupTags } from '../recovery-point-tags';
import { parseLocateInput, type LocateInput, type VaultRef } from './input';

export { InvalidInputError, parseLocateInput } from './input';
export type { CentralVaultRef, LocateInput, VaultRef } from './input';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';

/**
 * Exactly the IAM actions {@link locateRecoveryPoints} calls with the function's own role. The two
 * `backup:` actions are called again, on the central vault, as the copy-starter role
 * ({@link CENTRAL_REQUIRED_ACTIONS}).
 */
export const REQUIRED_ACTIONS = ['backup:ListRecoveryPointsByBackupVault', 'backup:ListTags', 'sts:AssumeRole'] as const;
/** The actions called as the copy-starter role in the backup-vault account. */
export const CENTRAL_REQUIRED_ACTIONS = ['backup:ListRecoveryPointsByBackupVault', 'backup:ListTags'] as const;

/** Tag of S3 recovery points naming their workload (the workload stacks' `recoveryPointTags`). */
export const DR_WORKLOAD_TAG = 'dr:workload';

/** Error codes of throttled requests, retried with exponential backoff and jitter. */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([...COMMON_THROTTLING_ERROR_CODES, 'LimitExceededException']);

/** S3 bucket ARNs carry no account: `arn:<partition>:s3:::<bucket>`. */
const S3_BUCKET_ARN = /^arn:[^:]+:s3:::[^/:]+$/;

/** Temporary credentials of the copy-starter role, in the SDK's credential identity shape. */
export interface AssumedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** Builds the Backup client of the central vault from the copy-starter role's credentials. */
export type CentralBackupClientFactory = (credentials: AssumedCredentials, region: string) => BackupClient;

export interface LocateOptions extends ThrottleOptions {
  /** Lifetime of the copy-starter session (900 s is the minimum STS accepts). */
  readonly sessionDurationSeconds: number;
  /** Pages of one listing; more is an error rather than a silently partial answer. */
  readonly maxPages: number;
}

export const DEFAULT_OPTIONS: LocateOptions = {
  maxThrottleAttempts: 6,
  baseBackoffMs: 250,
  maxBackoffMs: 8000,
  sessionDurationSeconds: 900,
  maxPages: 1000,
};

export interface LocateRecoveryPointsDeps extends CallDeps<LocateOptions> {
  /** Backup client of the DR account, in the restore vault's region. */
  readonly backup: BackupClient;
  /** STS client of the DR account, to assume the copy-starter role. */
  readonly sts: STSClient;
  readonly centralBackup: CentralBackupClientFactory;
  /** The point in time when the input has none. Default: the current time. */
  readonly now?: () => Date;
}

export interface ReadyRecoveryPoint {
  readonly resourceArn: string;
  readonly resourceType: string;
  /** In the DR restore vault. */
  readonly recoveryPointArn: string;
  readonly creationDate: string;
  /** Older than the RPO, and the central vault has nothing newer. */
  readonly stale: boolean;
}

export interface RecoveryPointToCopy {
  readonly resourceArn: string;
  readonly resourceType: string;
  /** In the central vault; copy it to the restore vault before restoring. */
  readonly centralRecoveryPointArn: string;
  readonly creationDate: string;
}

export interface LocateResult {
  readonly workload: string;
  readonly pointInTime: string;
  readonly ready: ReadyRecoveryPoint[];
  readonly toCopy: RecoveryPointToCopy[];
  /** The oldest chosen recovery point (ready and toCopy): the workload's effective recovery point. */
  readonly oldestRecoveryPointTime: string;
}

/** Every failure of this function (besides an invalid input) is one of these. */
export class LocateRecoveryPointsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocateRecoveryPointsError';
  }
}

/** An AWS call failed with something other than throttling; `code` is the AWS error code. */
export class AwsCallError extends awsCallErrorClass(LocateRecoveryPointsError) {}

/** Neither vault holds a usable recovery point of the workload: nothing can be restored. */
export class NoRecoveryPointsError extends LocateRecoveryPointsError {
  constructor(message: string) {
    super(message);
    this.name = 'NoRecoveryPoints';
  }
}

/** A completed recovery point of the workload, at or before the point in time. */
interface Candidate {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly recoveryPointArn: string;
  readonly creationDate: Date;
}

type Runtime = CallRuntime<LocateOptions>;

export function isThrottling(error: unknown): boolean {
  return isThrottlingCode(error, THROTTLING_ERROR_CODES);
}

/** Runs one AWS call, retrying it while throttled; any other error becomes an {@link AwsCallError}. */
const call = awsCaller({ AwsCallError, GiveUpError: LocateRecoveryPointsError, throttlingCodes: THROTTLING_ERROR_CODES });

/** The account field of an ARN (`arn:partition:service:region:account:...`), or undefined. */
function accountOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

function newer(a: Candidate, b: Candidate): boolean {
  const diff = a.creationDate.getTime() - b.creationDate.getTime();
  return diff > 0 || (diff === 0 && a.recoveryPointArn > b.recoveryPointArn);
}

/**
 * Per protected resource of the workload, the newest COMPLETED recovery point of the vault created
 * at or before the point in time. A resource belongs to the workload when its ARN names the
 * workload's account; an S3 bucket (whose ARN names none) when its newest such recovery point is
 * tagged `dr:workload=<workload>`.
 */
async function newestPerResource(rt: Runtime, client: BackupClient, vault: VaultRef, role: string, input: LocateInput, pointInTime: Date): Promise<Map<string, Candidate>> {
  const types = new Set(input.resourceTypes);
  const byAccount = new Map<string, Candidate>();
  const buckets = new Map<string, Candidate>();
  let listed = 0;
  let nextToken: string | undefined;
  let pages = 0;
  const operation = `ListRecoveryPointsByBackupVault(${vault.name} in ${vault.accountId}, ${vault.region})`;
  do {
    if (++pages > rt.options.maxPages) throw new LocateRecoveryPointsError(`${operation} returned more than ${rt.options.maxPages} pages; giving up`);
    const request: ListRecoveryPointsByBackupVaultCommandInput = {
      BackupVaultName: vault.name,
      ByCreatedBefore: pointInTime,
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const out = await call(rt, operation, () => client.send(new ListRecoveryPointsByBackupVaultCommand(request)));
    for (const point of out.RecoveryPoints ?? []) {
      listed++;
      const { ResourceArn: resourceArn, ResourceType: resourceType, RecoveryPointArn: recoveryPointArn, CreationDate: created } = point;
      if (point.Status !== 'COMPLETED' || !resourceArn || !resourceType || !recoveryPointArn || !(created instanceof Date)) continue;
      if (!types.has(resourceType) || created.getTime() > pointInTime.getTime()) continue;
      const candidate: Candidate = { resourceArn, resourceType, recoveryPointArn, creationDate: created };
      const group = S3_BUCKET_ARN.test(resourceArn) ? buckets : accountOf(resourceArn) === input.sourceAccountId ? byAccount : undefined;
      if (!group) continue; // another workload's resource
      const current = group.get(resourceArn);
      if (!current || newer(candidate, current)) group.set(resourceArn, candidate);
    }
    nextToken = out.NextToken;
  } while (nextToken);

  for (const [arn, candidate] of [...buckets].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const tags = await listBackupTags(rt, call, client, candidate.recoveryPointArn, { maxPages: rt.options.maxPages, tooManyPages: (message) => new LocateRecoveryPointsError(message) });
    if (tags[DR_WORKLOAD_TAG] === input.workload) byAccount.set(arn, candidate);
  }
  rt.logger.info(`Recovery points of the ${role} vault`, { ...rt.context, vault: vault.name, vaultAccountId: vault.accountId, listed, pages, resources: byAccount.size });
  return byAccount;
}

async function assumeCopyStarter(rt: Runtime, sts: STSClient, input: LocateInput): Promise<AssumedCredentials> {
  const roleArn = input.centralVault.copyStarterRoleArn;
  const out = await call(rt, `AssumeRole(${roleArn})`, () =>
    sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `locate-${input.workload}`, DurationSeconds: rt.options.sessionDurationSeconds })),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new LocateRecoveryPointsError(`AssumeRole(${roleArn}) returned no credentials`);
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
}

async function regionOf(client: BackupClient): Promise<string | undefined> {
  try {
    const region: unknown = client.config.region;
    const value: unknown = typeof region === 'function' ? await (region as () => Promise<unknown>)() : region;
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  } catch {
    return undefined; // no region configured: the first call will say so
  }
}

const byResourceArn = <T extends { resourceArn: string }>(a: T, b: T) => (a.resourceArn < b.resourceArn ? -1 : a.resourceArn > b.resourceArn ? 1 : 0);

async function locate(rt: Runtime, deps: LocateRecoveryPointsDeps, input: LocateInput, pointInTime: Date): Promise<LocateResult> {
  const { restoreVault, centralVault } = input;
  const clientRegion = await regionOf(deps.backup);
  if (clientRegion !== undefined && clientRegion !== restoreVault.region) {
    throw new LocateRecoveryPointsError(`restore vault ${restoreVault.name} is in ${restoreVault.region} but this function works in ${clientRegion}`);
  }

  const inDr = await newestPerResource(rt, deps.backup, restoreVault, 'restore', input, pointInTime);
  const credentials = await assumeCopyStarter(rt, deps.sts, input);
  const central = deps.centralBackup(credentials, centralVault.region);
  const inCentral = await newestPerResource(rt, central, centralVault, 'central', input, pointInTime);

  const rpoFloor = pointInTime.getTime() - input.rpoMinutes * 60_000;
  const ready: ReadyRecoveryPoint[] = [];
  const toCopy: RecoveryPointToCopy[] = [];
  for (const resourceArn of new Set([...inDr.keys(), ...inCentral.keys()])) {
    const dr = inDr.get(resourceArn);
    const c = inCentral.get(resourceArn);
    if (dr && dr.creationDate.getTime() >= rpoFloor) {
      ready.push({ resourceArn, resourceType: dr.resourceType, recoveryPointArn: dr.recoveryPointArn, creationDate: dr.creationDate.toISOString(), stale: false });
    } else if (c && (!dr || c.creationDate.getTime() > dr.creationDate.getTime())) {
      toCopy.push({ resourceArn, resourceType: c.resourceType, centralRecoveryPointArn: c.recoveryPointArn, creationDate: c.creationDate.toISOString() });
    } else if (dr) {
      rt.logger.warn('Newest recovery point is older than the RPO and the central vault has none newer', {
        ...rt.context,
        resourceArn,
        recoveryPointArn: dr.recoveryPointArn,
        creationDate: dr.creationDate.toISOString(),
      });
      ready.push({ resourceArn, resourceType: dr.resourceType, recoveryPointArn: dr.recoveryPointArn, creationDate: dr.creationDate.toISOString(), stale: true });
    }
  }

  if (ready.length === 0 && toCopy.length === 0) {
    throw new NoRecoveryPointsError(
      `no completed recovery point of workload "${input.workload}" (account ${input.sourceAccountId}; types ${input.resourceTypes.join(', ')}) ` +
        `created at or before ${pointInTime.toISOString()} in restore vault ${restoreVault.name} (${restoreVault.accountId}, ${restoreVault.region}) ` +
        `or central vault ${centralVault.name} (${centralVault.accountId}, ${centralVault.region})`,
    );
  }
  ready.sort(byResourceArn);
  toCopy.sort(byResourceArn);
  const oldest = Math.min(...[...ready, ...toCopy].map((p) => Date.parse(p.creationDate)));
  return { workload: input.workload, pointInTime: pointInTime.toISOString(), ready, toCopy, oldestRecoveryPointTime: new Date(oldest).toISOString() };
}

/**
 * Finds, per protected resource of one workload, the newest completed recovery point created at or
 * before the point in time in the DR restore vault; where that copy is missing or older than the
 * RPO, a newer one in the central vault (listed as the copy-starter role) that must be copied first.
 * Throws {@link InvalidInputError} for an invalid input, {@link NoRecoveryPointsError} when neither
 * vault holds anything of the workload, after logging.
 */
export async function locateRecoveryPoints(event: unknown, deps: LocateRecoveryPointsDeps): Promise<LocateResult> {
  const rt: Runtime = callRuntime(deps, DEFAULT_OPTIONS);
  try {
    const input = parseLocateInput(event);
    const pointInTime = input.pointInTime ?? (deps.now ?? (() => new Date()))();
    Object.assign(rt.context, { workload: input.workload, pointInTime: pointInTime.toISOString() });
    rt.logger.info('Locating recovery points', { ...rt.context, rpoMinutes: input.rpoMinutes, resourceTypes: input.resourceTypes });
    const result = await locate(rt, deps, input, pointInTime);
    rt.logger.info('Recovery points located', {
      ...rt.context,
      ready: result.ready.length,
      stale: result.ready.filter((p) => p.stale).length,
      toCopy: result.toCopy.length,
      oldestRecoveryPointTime: result.oldestRecoveryPointTime,
    });
    return result;
  } catch (error) {
    rt.logger.error('Recovery points not located', { ...rt.context, errorMessage: messageOf(error), error });
    throw error;
  }
}
