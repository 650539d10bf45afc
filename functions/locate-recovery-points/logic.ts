import type { BackupClient } from '@aws-sdk/client-backup';
import { forEachCompletedRecoveryPoint } from '../vault-listing';
import type { STSClient } from '@aws-sdk/client-sts';
import { callRuntime, functionCalls, messageOf, type CallDeps, type CallRuntime, type ThrottleOptions, configuredRegion } from '../aws-call';
import { assumeRole, type AssumedCredentials, type CentralBackupClientFactory } from '../credentials';
import { listBackupTags } from '../recovery-point-tags';
import { parseLocateInput, type CentralVaultRef, type LocateInput, type VaultRef } from './input';

export { InvalidInputError, parseLocateInput } from './input';
export type { CentralVaultRef, LocateInput, VaultRef } from './input';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';

/**
 * Exactly the IAM actions {@link locateRecoveryPoints} calls with the function's own role (on the
 * restore vault, and on the air-gapped vault shared with the DR account). The two `backup:` actions
 * are called again, on the central vault, as the copy-starter role ({@link CENTRAL_REQUIRED_ACTIONS}).
 */
export const REQUIRED_ACTIONS = ['backup:ListRecoveryPointsByBackupVault', 'backup:ListTags', 'sts:AssumeRole'] as const;
/** The actions called as the copy-starter role in the backup-vault account. */
export const CENTRAL_REQUIRED_ACTIONS = ['backup:ListRecoveryPointsByBackupVault', 'backup:ListTags'] as const;

/** Tag of S3 recovery points naming their workload (the workload stacks' `recoveryPointTags`). */
export const DR_WORKLOAD_TAG = 'dr:workload';

/** S3 bucket ARNs carry no account: `arn:<partition>:s3:::<bucket>`. */
const S3_BUCKET_ARN = /^arn:[^:]+:s3:::[^/:]+$/;

/** The central vault is listed as the copy-starter role: its temporary credentials and a Backup client of them. */
export type { AssumedCredentials, CentralBackupClientFactory } from '../credentials';

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

/**
 * Where a point to restore is: `restoreVault`, the DR account's own vault (copied there earlier), or
 * `airGappedVault`, the logically air-gapped vault of the backup-vault account shared with the DR
 * account through AWS RAM, restored from in place (no copy).
 */
export type RecoveryPointSource = 'restoreVault' | 'airGappedVault';

export interface ReadyRecoveryPoint {
  readonly resourceArn: string;
  readonly resourceType: string;
  /** In the DR restore vault or the shared air-gapped vault ({@link source}): restore it as it is. */
  readonly recoveryPointArn: string;
  readonly source: RecoveryPointSource;
  /** The vault holding it, for GetRecoveryPointRestoreMetadata (`BackupVaultName`, `BackupVaultAccountId`). */
  readonly backupVaultName: string;
  readonly backupVaultAccountId: string;
  readonly creationDate: string;
  /** Older than the RPO, and no vault has anything newer. */
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
  /** Restore these as they are: from the DR restore vault, or in place from the shared air-gapped vault. */
  readonly ready: ReadyRecoveryPoint[];
  /** Copy these from the locked central vault into the DR restore vault first, then locate again. */
  readonly toCopy: RecoveryPointToCopy[];
  /** The oldest chosen recovery point (ready and toCopy): the workload's effective recovery point. */
  readonly oldestRecoveryPointTime: string;
}

/**
 * Every failure of this function (besides an invalid input) is a `LocateRecoveryPointsError`; an AWS
 * call failing other than by throttling, an `AwsCallError`. `call` runs one AWS call, retrying it
 * while throttled (AWS Backup's `LimitExceededException` too).
 */
export const { FunctionError: LocateRecoveryPointsError, AwsCallError, call } = functionCalls('LocateRecoveryPointsError', ['LimitExceededException']);

/** No vault holds a usable recovery point of the workload: nothing can be restored. */
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
async function newestPerResource(
  rt: Runtime,
  client: BackupClient,
  vault: VaultRef,
  role: string,
  input: LocateInput,
  pointInTime: Date,
  options: { readonly sharedFrom?: string } = {},
): Promise<Map<string, Candidate>> {
  const types = new Set(input.resourceTypes);
  const byAccount = new Map<string, Candidate>();
  const buckets = new Map<string, Candidate>();
  const operation = `ListRecoveryPointsByBackupVault(${vault.name} in ${vault.accountId}, ${vault.region})`;
  const listing = { operation, vaultName: vault.name, sharedFrom: options.sharedFrom, createdBefore: pointInTime, maxPages: rt.options.maxPages, tooManyPages: (m: string) => new LocateRecoveryPointsError(m) };
  const { listed, pages } = await forEachCompletedRecoveryPoint(rt, call, client, listing, ({ resourceArn, resourceType, recoveryPointArn, created }) => {
    if (!types.has(resourceType) || created.getTime() > pointInTime.getTime()) return;
    const candidate: Candidate = { resourceArn, resourceType, recoveryPointArn, creationDate: created };
    const group = S3_BUCKET_ARN.test(resourceArn) ? buckets : accountOf(resourceArn) === input.sourceAccountId ? byAccount : undefined;
    if (!group) return; // another workload's resource
    const current = group.get(resourceArn);
    if (!current || newer(candidate, current)) group.set(resourceArn, candidate);
  });

  for (const [arn, candidate] of [...buckets].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const tags = await listBackupTags(rt, call, client, candidate.recoveryPointArn, { maxPages: rt.options.maxPages, tooManyPages: (message) => new LocateRecoveryPointsError(message) });
    if (tags[DR_WORKLOAD_TAG] === input.workload) byAccount.set(arn, candidate);
  }
  rt.logger.info(`Recovery points of the ${role} vault`, { ...rt.context, vault: vault.name, vaultAccountId: vault.accountId, listed, pages, resources: byAccount.size });
  return byAccount;
}

function assumeCopyStarter(rt: Runtime, sts: STSClient, centralVault: CentralVaultRef, workload: string): Promise<AssumedCredentials> {
  const roleArn = centralVault.copyStarterRoleArn;
  return assumeRole(rt, call, sts, { roleArn, sessionName: `locate-${workload}`, durationSeconds: rt.options.sessionDurationSeconds, noCredentials: (message) => new LocateRecoveryPointsError(message) });
}

const byResourceArn = <T extends { resourceArn: string }>(a: T, b: T) => (a.resourceArn < b.resourceArn ? -1 : a.resourceArn > b.resourceArn ? 1 : 0);

/** The vaults locate looks in, in order of preference: DR restore vault, shared air-gapped vault (both restored as they are), central vault (copied first). */
type Place = 'restore' | 'airGapped' | 'central';

/** Of the candidates (in order of preference), the newest; on equal creation dates the earlier one wins. */
function newest(candidates: [Place, Candidate][]): [Place, Candidate] | undefined {
  let best: [Place, Candidate] | undefined;
  for (const entry of candidates) if (!best || entry[1].creationDate.getTime() > best[1].creationDate.getTime()) best = entry;
  return best;
}

async function locate(rt: Runtime, deps: LocateRecoveryPointsDeps, input: LocateInput, pointInTime: Date): Promise<LocateResult> {
  const { restoreVault, centralVault, airGappedVault } = input;
  const clientRegion = await configuredRegion(deps.backup);
  if (clientRegion !== undefined && clientRegion !== restoreVault.region) {
    throw new LocateRecoveryPointsError(`restore vault ${restoreVault.name} is in ${restoreVault.region} but this function works in ${clientRegion}`);
  }

  const inDr = await newestPerResource(rt, deps.backup, restoreVault, 'restore', input, pointInTime);
  // The air-gapped vault is shared with the DR account: listed (and later restored from) with the
  // function's own client, naming the vault's owner.
  const inAirGapped = airGappedVault ? await newestPerResource(rt, deps.backup, airGappedVault, 'air-gapped', input, pointInTime, { sharedFrom: airGappedVault.accountId }) : new Map<string, Candidate>();
  let inCentral = new Map<string, Candidate>();
  if (centralVault) {
    const credentials = await assumeCopyStarter(rt, deps.sts, centralVault, input.workload);
    const central = deps.centralBackup(credentials, centralVault.region);
    inCentral = await newestPerResource(rt, central, centralVault, 'central', input, pointInTime);
  }

  const rpoFloor = pointInTime.getTime() - input.rpoMinutes * 60_000;
  const ready: ReadyRecoveryPoint[] = [];
  const toCopy: RecoveryPointToCopy[] = [];
  const readyFrom = (place: 'restore' | 'airGapped', c: Candidate, stale: boolean): ReadyRecoveryPoint => {
    const vault = place === 'restore' ? restoreVault : (airGappedVault as VaultRef);
    return {
      resourceArn: c.resourceArn,
      resourceType: c.resourceType,
      recoveryPointArn: c.recoveryPointArn,
      source: place === 'restore' ? 'restoreVault' : 'airGappedVault',
      backupVaultName: vault.name,
      backupVaultAccountId: vault.accountId,
      creationDate: c.creationDate.toISOString(),
      stale,
    };
  };
  for (const resourceArn of new Set([...inDr.keys(), ...inAirGapped.keys(), ...inCentral.keys()])) {
    // In order of preference: no copy (DR restore vault, then the shared air-gapped vault), then a copy.
    const found: [Place, Candidate][] = [];
    for (const [place, points] of [['restore', inDr], ['airGapped', inAirGapped], ['central', inCentral]] as const) {
      const candidate = points.get(resourceArn);
      if (candidate) found.push([place, candidate]);
    }
    // The first place with a point within the RPO; failing that, the newest point anywhere.
    const fresh = found.find(([, c]) => c.creationDate.getTime() >= rpoFloor);
    const [place, chosen] = (fresh ?? newest(found)) as [Place, Candidate];
    if (place === 'central') {
      toCopy.push({ resourceArn, resourceType: chosen.resourceType, centralRecoveryPointArn: chosen.recoveryPointArn, creationDate: chosen.creationDate.toISOString() });
      continue;
    }
    if (!fresh) {
      rt.logger.warn('Newest recovery point is older than the RPO and no vault has one newer', {
        ...rt.context,
        resourceArn,
        recoveryPointArn: chosen.recoveryPointArn,
        source: place === 'restore' ? 'restoreVault' : 'airGappedVault',
        creationDate: chosen.creationDate.toISOString(),
      });
    }
    ready.push(readyFrom(place, chosen, !fresh));
  }

  if (ready.length === 0 && toCopy.length === 0) {
    const vaults = [
      `restore vault ${restoreVault.name} (${restoreVault.accountId}, ${restoreVault.region})`,
      ...(airGappedVault ? [`air-gapped vault ${airGappedVault.name} (${airGappedVault.accountId}, ${airGappedVault.region})`] : []),
      ...(centralVault ? [`central vault ${centralVault.name} (${centralVault.accountId}, ${centralVault.region})`] : []),
    ];
    throw new NoRecoveryPointsError(
      `no completed recovery point of workload "${input.workload}" (account ${input.sourceAccountId}; types ${input.resourceTypes.join(', ')}) ` +
        `created at or before ${pointInTime.toISOString()} in ${vaults.slice(0, -1).join(', ')}${vaults.length > 1 ? ' or ' : ''}${vaults.at(-1)}`,
    );
  }
  ready.sort(byResourceArn);
  toCopy.sort(byResourceArn);
  const oldest = Math.min(...[...ready, ...toCopy].map((p) => Date.parse(p.creationDate)));
  return { workload: input.workload, pointInTime: pointInTime.toISOString(), ready, toCopy, oldestRecoveryPointTime: new Date(oldest).toISOString() };
}

/**
 * Finds, per protected resource of one workload, the recovery point to restore: the newest completed
 * one created at or before the point in time, taken from the first vault, in this order, whose newest
 * point is within the RPO: the DR restore vault (`ready`), the logically air-gapped vault shared with
 * the DR account (`ready`, source `airGappedVault`: restored in place, no copy), the locked central
 * vault, listed as the copy-starter role (`toCopy`: copied into the DR restore vault first). When no
 * vault has a point within the RPO, the newest point of any vault (equal dates in the same order).
 * Throws {@link InvalidInputError} for an invalid input, {@link NoRecoveryPointsError} when no vault
 * holds anything of the workload, after logging.
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
