import {
  GetRestoreTestingPlanCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  type BackupClient,
  type ListRecoveryPointsByBackupVaultCommandInput,
  type ListRestoreJobsCommandInput,
  type RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { DescribeImagesCommand, DescribeLaunchTemplatesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { DescribeAutoScalingGroupsCommand, type AutoScalingClient, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeExecutionCommand, DescribeStateMachineCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GetMetricDataCommand, PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  awsCallErrorClass,
  awsCaller,
  callRuntime,
  errorCode,
  isRecord,
  messageOf,
  THROTTLING_ERROR_CODES as COMMON_THROTTLING_ERROR_CODES,
  type CallDeps,
  type CallRuntime,
  type ThrottleOptions,
} from '../aws-call';
import { parseReadinessInput, type ReadinessInput, type VaultRef, type WorkloadFacts } from './input';

export { InvalidInputError, parseReadinessInput } from './input';
export type { CentralVaultRef, ReadinessInput, RestoreTestingRef, ServerRef, VaultRef, WorkloadFacts } from './input';
export type { Logger } from '../aws-call';

/** Exactly the IAM actions {@link checkReadiness} calls with the function's own role. */
export const REQUIRED_ACTIONS = [
  'autoscaling:DescribeAutoScalingGroups',
  'backup:GetRestoreTestingPlan',
  'backup:ListRecoveryPointsByBackupVault',
  'backup:ListRestoreJobs',
  'cloudwatch:GetMetricData',
  'cloudwatch:PutMetricData',
  'ec2:DescribeImages',
  'ec2:DescribeLaunchTemplates',
  's3:PutObject',
  'ssm:GetParameter',
  'states:DescribeExecution',
  'states:DescribeStateMachine',
  'states:ListExecutions',
  'sts:AssumeRole',
] as const;

/** The actions called as the backup-vault account's reader role, on the locked central vault. */
export const READER_REQUIRED_ACTIONS = ['backup:ListRecoveryPointsByBackupVault'] as const;

/**
 * Not called by the logic, but needed by its role: S3 encrypts the report with the bucket's default
 * KMS key on behalf of the writer.
 */
export const ENCRYPTED_BUCKET_KMS_ACTIONS = ['kms:GenerateDataKey'] as const;

/** The checks, in report order. */
export const CHECKS = ['RecoveryPoints', 'GoldenAmis', 'LaunchTemplates', 'ServerGroups', 'StateMachine', 'DrillRto', 'RestoreTest'] as const;
export type CheckName = (typeof CHECKS)[number];

/** Metric of every check (dimensions `Workload`, `Check`) and of each workload overall (dimension `Workload`): 1 ready, 0 not. */
export const METRIC_READY = 'Ready';
/** report-recovery's RTO metric (functions/report-recovery: dimensions `Workload`, `Mode`). */
export const RECOVERY_TIME_METRIC = 'RecoveryTimeSeconds';
export const DRILL_MODE = 'drill';

export const REPORT_PREFIX = 'reports/';
export const LATEST_REPORT_KEY = `${REPORT_PREFIX}latest.json`;
/** `reports/<yyyy-mm-dd>/readiness.json` (UTC date of the run). */
export function dailyReportKey(now: Date): string {
  return `${REPORT_PREFIX}${now.toISOString().slice(0, 10)}/readiness.json`;
}

/** Error codes of throttled requests, retried with exponential backoff and jitter. */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([...COMMON_THROTTLING_ERROR_CODES, 'LimitExceededException', 'ThrottledException', 'SlowDown']);

/** Temporary credentials of the reader role, in the SDK's credential identity shape. */
export interface AssumedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** Builds the Backup client of the central vault from the reader role's credentials. */
export type CentralBackupClientFactory = (credentials: AssumedCredentials, region: string) => BackupClient;

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

export interface WorkloadReadiness {
  readonly workload: string;
  readonly ready: boolean;
  /** The checks that apply to the workload (no server checks without servers, no restore test without restoreTesting). */
  readonly checks: CheckResult[];
}

/** The JSON report written to the report bucket. */
export interface ReadinessReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly estate: string;
  readonly region: string;
  readonly ready: boolean;
  readonly summary: { readonly workloads: number; readonly readyWorkloads: number; readonly failedChecks: number };
  /** Every check that is not ready, with its fix: what to read first. */
  readonly failedChecks: { readonly workload: string; readonly check: CheckName; readonly reason: string; readonly fix: string }[];
  readonly workloads: WorkloadReadiness[];
}

/** The function's output. */
export interface ReadinessResult {
  readonly ready: boolean;
  readonly generatedAt: string;
  readonly reportBucket: string;
  readonly reportKeys: string[];
  readonly metricsPublished: number;
  readonly notReady: { readonly workload: string; readonly check: CheckName; readonly reason: string }[];
}

/** Every failure of this function (besides an invalid input) is one of these. */
export class ReadinessError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadinessError';
  }
}

/** An AWS call failed with something other than throttling; `code` is the AWS error code. */
export class AwsCallError extends awsCallErrorClass(ReadinessError) {}

type Runtime = CallRuntime<ReadinessOptions>;

/** Runs one AWS call, retrying it while throttled; any other error becomes an {@link AwsCallError}. */
const call = awsCaller({ AwsCallError, GiveUpError: ReadinessError, throttlingCodes: THROTTLING_ERROR_CODES });

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

const MINUTE = 60_000;

/** The account field of an ARN (`arn:partition:service:region:account:...`); empty for S3 buckets. */
function accountOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

/** `42 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatAge(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 1440) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const hours = Math.floor((m % 1440) / 60);
  return `${Math.floor(m / 1440)} d${hours ? ` ${hours} h` : ''}`;
}

/** `a, b, c and 2 more`. */
function listed(items: string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Runs `fn` once, on first use; later calls share its promise (and its failure). */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|NotAuthorized|AuthorizationError/i;

/** What to do about a check that failed with an error rather than a finding. */
function fixForError(error: unknown): string {
  const code = error instanceof AwsCallError ? error.code : errorCode(error);
  if (ACCESS_DENIED.test(code)) {
    return "The checker's role (or the backup-vault account's reader role) was denied the call named in the reason: compare the role policies in the dr and backup-vault stacks with the call, apply the stack that is behind, then invoke the checker again.";
  }
  if (THROTTLING_ERROR_CODES.has(code) || /was throttled/.test(messageOf(error))) {
    return 'AWS throttled the call on every attempt: this check is unknown, not failed. Invoke the checker again later (it also runs on its schedule).';
  }
  return 'The check could not run: fix the cause named in the reason (or apply the dr stack if a resource is missing), then invoke the checker again.';
}

/** Runs one check; any error makes it not ready, with the error as the reason, and never stops the other checks. */
async function runCheck(rt: Runtime, workload: string, check: CheckName, fn: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await fn();
  } catch (error) {
    rt.logger.warn('Readiness check could not run', { ...rt.context, workload, check, errorMessage: messageOf(error) });
    return { check, ready: false, reason: `could not be checked: ${messageOf(error)}`, fix: fixForError(error) };
  }
}

// ---------------------------------------------------------------------------------------------------
// Recovery points (estate-wide listings, shared by every workload)
// ---------------------------------------------------------------------------------------------------

type VaultPlace = 'restore' | 'central' | 'airGapped';

const VAULT_LABEL: Record<VaultPlace, string> = { restore: 'DR restore vault', central: 'central vault', airGapped: 'air-gapped vault' };

interface NewestPoint {
  readonly resourceType: string;
  readonly recoveryPointArn: string;
  readonly created: Date;
}

/** Per account (from the resource ARN), per resource ARN, the newest completed recovery point of a vault. */
interface VaultListing {
  readonly vault: VaultRef;
  readonly byAccount: Map<string, Map<string, NewestPoint>>;
  readonly listed: number;
}

async function listVault(rt: Runtime, client: BackupClient, vault: VaultRef, place: VaultPlace, createdAfter: Date, sharedFrom?: string): Promise<VaultListing> {
  const byAccount = new Map<string, Map<string, NewestPoint>>();
  let listed = 0;
  let nextToken: string | undefined;
  let pages = 0;
  const operation = `ListRecoveryPointsByBackupVault(${vault.name} in ${vault.accountId})`;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`${operation} returned more than ${rt.options.maxPages} pages; giving up`);
    const request: ListRecoveryPointsByBackupVaultCommandInput = {
      BackupVaultName: vault.name,
      // A vault shared with this account through AWS RAM is named with its owner's account.
      ...(sharedFrom ? { BackupVaultAccountId: sharedFrom } : {}),
      ByCreatedAfter: createdAfter,
      MaxResults: 1000,
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const out = await call(rt, operation, () => client.send(new ListRecoveryPointsByBackupVaultCommand(request)));
    for (const point of out.RecoveryPoints ?? []) {
      listed++;
      const { ResourceArn: resourceArn, ResourceType: resourceType, RecoveryPointArn: recoveryPointArn, CreationDate: created } = point;
      if (point.Status !== 'COMPLETED' || !resourceArn || !resourceType || !recoveryPointArn || !(created instanceof Date)) continue;
      // S3 bucket ARNs name no account: a copy is then attributed by the vault it was copied from (the
      // workload's local vault, in the workload account). Points without either are not a workload's.
      const account = accountOf(resourceArn) || (point.SourceBackupVaultArn ? accountOf(point.SourceBackupVaultArn) : undefined);
      if (!account) continue;
      const resources = byAccount.get(account) ?? new Map<string, NewestPoint>();
      byAccount.set(account, resources);
      const current = resources.get(resourceArn);
      if (!current || created.getTime() > current.created.getTime()) resources.set(resourceArn, { resourceType, recoveryPointArn, created });
    }
    nextToken = out.NextToken;
  } while (nextToken);
  rt.logger.info(`Listed the ${VAULT_LABEL[place]}`, { ...rt.context, vault: vault.name, vaultAccountId: vault.accountId, listed, pages });
  return { vault, byAccount, listed };
}

async function assumeReader(rt: Runtime, sts: STSClient, roleArn: string): Promise<AssumedCredentials> {
  const out = await call(rt, `AssumeRole(${roleArn})`, () =>
    sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'readiness-checker', DurationSeconds: rt.options.sessionDurationSeconds })),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new ReadinessError(`AssumeRole(${roleArn}) returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
}

interface Shared {
  readonly vaults: { readonly place: VaultPlace; readonly vault: VaultRef; readonly listing: () => Promise<VaultListing> }[];
  readonly stateMachine: () => Promise<CheckResult>;
  readonly runningRecoveries: () => Promise<RunningRecoveries>;
}

function sharedLookups(rt: Runtime, clients: ReadinessClients, input: ReadinessInput, now: Date): Shared {
  const createdAfter = new Date(now.getTime() - input.recoveryPointLookbackDays * 1440 * MINUTE);
  const vaults: Shared['vaults'] = [{ place: 'restore', vault: input.restoreVault, listing: once(() => listVault(rt, clients.backup, input.restoreVault, 'restore', createdAfter)) }];
  const { centralVault, airGappedVault } = input;
  if (centralVault) {
    vaults.push({
      place: 'central',
      vault: centralVault,
      listing: once(async () => {
        const credentials = await assumeReader(rt, clients.sts, centralVault.readerRoleArn);
        return listVault(rt, clients.centralBackup(credentials, input.region), centralVault, 'central', createdAfter);
      }),
    });
  }
  if (airGappedVault) {
    // Shared with the DR account through AWS RAM: listed with the function's own client.
    vaults.push({ place: 'airGapped', vault: airGappedVault, listing: once(() => listVault(rt, clients.backup, airGappedVault, 'airGapped', createdAfter, airGappedVault.accountId)) });
  }
  return {
    vaults,
    stateMachine: once(() => describeStateMachine(rt, clients.sfn, input.stateMachineArn)),
    runningRecoveries: once(() => listRunningRecoveries(rt, clients.sfn, input)),
  };
}

async function checkRecoveryPoints(rt: Runtime, shared: Shared, input: ReadinessInput, w: WorkloadFacts, now: Date): Promise<CheckResult> {
  const types = new Set(w.resourceTypes);
  const errors: string[] = [];
  let firstError: unknown;
  const perResource = new Map<string, { resourceType: string; newest?: { place: VaultPlace; point: NewestPoint }; perVault: Partial<Record<VaultPlace, string>> }>();
  const searched: string[] = [];
  for (const { place, vault, listing } of shared.vaults) {
    searched.push(`${VAULT_LABEL[place]} ${vault.name}`);
    let result: VaultListing;
    try {
      result = await listing();
    } catch (error) {
      errors.push(`the ${VAULT_LABEL[place]} ${vault.name} could not be listed: ${messageOf(error)}`);
      firstError ??= error;
      continue;
    }
    for (const [resourceArn, point] of result.byAccount.get(w.accountId) ?? []) {
      if (!types.has(point.resourceType)) continue;
      const entry = perResource.get(resourceArn) ?? { resourceType: point.resourceType, perVault: {} };
      entry.perVault[place] = point.created.toISOString();
      if (!entry.newest || point.created.getTime() > entry.newest.point.created.getTime()) entry.newest = { place, point };
      perResource.set(resourceArn, entry);
    }
  }

  const resources = [...perResource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([resourceArn, e]) => {
      const ageMinutes = Math.round((now.getTime() - e.newest!.point.created.getTime()) / MINUTE);
      return {
        resourceArn,
        resourceType: e.resourceType,
        newestRecoveryPointArn: e.newest!.point.recoveryPointArn,
        newestIn: e.newest!.place,
        newestCreated: e.newest!.point.created.toISOString(),
        ageMinutes,
        withinRpo: ageMinutes <= w.rpoMinutes,
        perVault: e.perVault,
      };
    });
  const stale = resources.filter((r) => !r.withinRpo);
  const details = { rpoMinutes: w.rpoMinutes, lookbackDays: input.recoveryPointLookbackDays, vaults: searched, resources, ...(errors.length > 0 ? { errors } : {}) };
  const where = `account ${w.accountId}, region ${input.region}`;
  const jobsFix =
    `Find why backups or copies stopped: failed backup and copy jobs reach the DR bus (and on-call); list them with ` +
    `\`aws backup list-backup-jobs --by-state FAILED\` and \`aws backup list-copy-jobs --by-state FAILED\` in account ${w.accountId}, in the workload region; ` +
    `check that each resource still carries the selection tag, then wait for the next backup and copy (or start one on demand).`;
  const problems: string[] = [];
  if (resources.length === 0 && errors.length === 0) {
    return {
      check: 'RecoveryPoints',
      ready: false,
      reason: `no completed recovery point of the workload (${where}; ${w.resourceTypes.join(', ')}) created in the last ${input.recoveryPointLookbackDays} days in the ${listed(searched, 3)}`,
      fix: jobsFix,
      details,
    };
  }
  if (stale.length > 0) {
    problems.push(
      `${stale.length} of ${resources.length} protected resources have no recovery point within the RPO of ${formatAge(w.rpoMinutes)}: ` +
        listed(stale.map((r) => `${r.resourceArn} (newest ${formatAge(r.ageMinutes)} old, in the ${VAULT_LABEL[r.newestIn]})`), rt.options.maxListedInReason),
    );
  }
  problems.push(...errors);
  if (problems.length > 0) return { check: 'RecoveryPoints', ready: false, reason: problems.join('; '), fix: [...(stale.length > 0 ? [jobsFix] : []), ...(errors.length > 0 ? [fixForError(firstError)] : [])].join(' '), details };
  const oldest = Math.max(...resources.map((r) => r.ageMinutes));
  return {
    check: 'RecoveryPoints',
    ready: true,
    reason: `all ${resources.length} protected resources have a recovery point within the RPO of ${formatAge(w.rpoMinutes)} (the oldest of them is ${formatAge(oldest)} old)`,
    details,
  };
}

// ---------------------------------------------------------------------------------------------------
// Servers: golden AMIs, launch templates, Auto Scaling groups
// ---------------------------------------------------------------------------------------------------

async function checkGoldenAmis(rt: Runtime, clients: ReadinessClients, input: ReadinessInput, w: WorkloadFacts): Promise<CheckResult> {
  const problems: string[] = [];
  const servers: Record<string, unknown>[] = [];
  for (const server of w.servers) {
    const name = server.amiParameterName;
    try {
      let amiId: string | undefined;
      try {
        const out = await call(rt, `GetParameter(${name})`, () => clients.ssm.send(new GetParameterCommand({ Name: name })));
        amiId = out.Parameter?.Value;
      } catch (error) {
        if (error instanceof AwsCallError && error.code === 'ParameterNotFound') {
          problems.push(`${server.role}: the AMI parameter ${name} does not exist`);
          servers.push({ role: server.role, parameter: name, problem: 'parameter missing' });
          continue;
        }
        throw error;
      }
      if (!amiId || !/^ami-[0-9a-f]{8,17}$/.test(amiId)) {
        problems.push(`${server.role}: the AMI parameter ${name} holds ${JSON.stringify(amiId ?? '')}, not an AMI ID`);
        servers.push({ role: server.role, parameter: name, value: amiId ?? null, problem: 'not an AMI ID' });
        continue;
      }
      let state: string | undefined;
      try {
        const out = await call(rt, `DescribeImages(${amiId})`, () => clients.ec2.send(new DescribeImagesCommand({ ImageIds: [amiId] })));
        state = out.Images?.find((i) => i.ImageId === amiId)?.State;
      } catch (error) {
        if (!(error instanceof AwsCallError && /^InvalidAMIID\./.test(error.code))) throw error;
      }
      servers.push({ role: server.role, parameter: name, amiId, state: state ?? null });
      if (!state) problems.push(`${server.role}: AMI ${amiId} (from ${name}) does not exist in ${input.region}`);
      else if (state !== 'available') problems.push(`${server.role}: AMI ${amiId} (from ${name}) is ${state}, not available`);
    } catch (error) {
      problems.push(`${server.role}: could not be checked: ${messageOf(error)}`);
      servers.push({ role: server.role, parameter: name, error: messageOf(error) });
    }
  }
  if (problems.length === 0) {
    return { check: 'GoldenAmis', ready: true, reason: `the golden AMI of each of the ${w.servers.length} server roles is available in ${input.region}`, details: { servers } };
  }
  return {
    check: 'GoldenAmis',
    ready: false,
    reason: listed(problems, rt.options.maxListedInReason),
    fix:
      `Copy each server role's golden AMI into ${input.region} (\`aws ec2 copy-image --source-region <primary> --region ${input.region} ...\` or an Image Builder distribution), ` +
      `put its ID in workloads[].servers[].amiId and apply the dr stack, which writes the AMI parameter; an AMI must not be deregistered while its parameter names it.`,
    details: { servers },
  };
}

async function checkLaunchTemplates(rt: Runtime, clients: ReadinessClients, w: WorkloadFacts): Promise<CheckResult> {
  const wanted = [...new Set(w.servers.map((s) => s.launchTemplateName))].sort();
  const found = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`DescribeLaunchTemplates returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `DescribeLaunchTemplates(${wanted.join(', ')})`, () =>
      clients.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: wanted }], ...(nextToken ? { NextToken: nextToken } : {}) })),
    );
    for (const t of out.LaunchTemplates ?? []) if (t.LaunchTemplateName) found.add(t.LaunchTemplateName);
    nextToken = out.NextToken;
  } while (nextToken);
  const missing = wanted.filter((n) => !found.has(n));
  if (missing.length === 0) return { check: 'LaunchTemplates', ready: true, reason: `all ${wanted.length} launch templates exist`, details: { launchTemplates: wanted } };
  return {
    check: 'LaunchTemplates',
    ready: false,
    reason: `launch templates missing: ${listed(missing, rt.options.maxListedInReason)}`,
    fix: 'Apply the dr stack: its landing zone creates one launch template per server role (someone deleted it, or the stack was never applied).',
    details: { launchTemplates: wanted, missing },
  };
}

interface RunningRecoveries {
  /** Workloads with a RUNNING execution of the recovery state machine. */
  readonly workloads: Set<string>;
  /** RUNNING executions whose input names no workload (and no workload account): they may be recovering any workload. */
  readonly unattributed: string[];
}

async function listRunningRecoveries(rt: Runtime, sfn: SFNClient, input: ReadinessInput): Promise<RunningRecoveries> {
  const executions: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`ListExecutions returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `ListExecutions(${input.stateMachineArn}, RUNNING)`, () =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn: input.stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, ...(nextToken ? { nextToken } : {}) })),
    );
    for (const e of out.executions ?? []) if (e.executionArn) executions.push(e.executionArn);
    nextToken = out.nextToken;
  } while (nextToken);
  const byAccount = new Map(input.workloads.map((w) => [w.accountId, w.name]));
  const workloads = new Set<string>();
  const unattributed: string[] = [];
  for (const executionArn of executions) {
    const out = await call(rt, `DescribeExecution(${executionArn})`, () => sfn.send(new DescribeExecutionCommand({ executionArn })));
    let parsed: unknown;
    try {
      parsed = JSON.parse(out.input ?? 'null');
    } catch {
      parsed = undefined;
    }
    const workload = isRecord(parsed) && typeof parsed.workload === 'string' ? parsed.workload : undefined;
    // Event-triggered runs may name the workload only through the incident's account.
    const incidentAccount = isRecord(parsed) && isRecord(parsed.incident) && typeof parsed.incident.account === 'string' ? byAccount.get(parsed.incident.account) : undefined;
    const name = workload ?? incidentAccount;
    if (name) workloads.add(name);
    else unattributed.push(executionArn);
  }
  return { workloads, unattributed };
}

/**
 * Every group exists at desired capacity 0, or, while a recovery of the workload is running (an
 * execution of the recovery state machine that names it, or names no workload), at any capacity:
 * recovery scales the groups up, and cleanup-drill scales them back to 0.
 */
async function checkServerGroups(rt: Runtime, clients: ReadinessClients, shared: Shared, input: ReadinessInput, w: WorkloadFacts): Promise<CheckResult> {
  const wanted = [...new Set(w.servers.map((s) => s.autoScalingGroupName))].sort();
  const groups = new Map<string, AutoScalingGroup>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`DescribeAutoScalingGroups returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `DescribeAutoScalingGroups(${wanted.join(', ')})`, () =>
      clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: wanted, ...(nextToken ? { NextToken: nextToken } : {}) })),
    );
    for (const g of out.AutoScalingGroups ?? []) if (g.AutoScalingGroupName) groups.set(g.AutoScalingGroupName, g);
    nextToken = out.NextToken;
  } while (nextToken);
  const missing = wanted.filter((n) => !groups.has(n));
  const scaled = wanted.filter((n) => (groups.get(n)?.DesiredCapacity ?? 0) > 0);
  const details: Record<string, unknown> = {
    groups: wanted.map((n) => ({ name: n, exists: groups.has(n), desiredCapacity: groups.get(n)?.DesiredCapacity ?? null })),
  };
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`Auto Scaling groups missing: ${listed(missing, rt.options.maxListedInReason)}`);
  let recovering: string | undefined;
  if (scaled.length > 0) {
    const running = await shared.runningRecoveries();
    details.runningRecoveries = { workloads: [...running.workloads].sort(), unattributed: running.unattributed };
    if (running.workloads.has(w.name)) recovering = `a recovery of ${w.name} is running`;
    else if (running.unattributed.length > 0) recovering = `a recovery execution naming no workload is running (${running.unattributed[0]})`;
    if (!recovering) {
      problems.push(
        `${listed(scaled.map((n) => `${n} (desired capacity ${groups.get(n)?.DesiredCapacity})`), rt.options.maxListedInReason)} above 0 with no recovery of the workload running`,
      );
    }
  }
  if (problems.length === 0) {
    const reason = recovering
      ? `all ${wanted.length} Auto Scaling groups exist; ${listed(scaled, rt.options.maxListedInReason)} scaled up while ${recovering}`
      : `all ${wanted.length} Auto Scaling groups exist at desired capacity 0`;
    return { check: 'ServerGroups', ready: true, reason, details };
  }
  const fixes: string[] = [];
  if (missing.length > 0) fixes.push('Apply the dr stack: its landing zone creates one Auto Scaling group per server role.');
  if (scaled.length > 0 && !recovering) {
    fixes.push(
      `If the workload is not failed over to ${input.region} (after a failover the groups stay up until you fail back), scale each group back: ` +
        `\`aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --min-size 0 --desired-capacity 0\` ` +
        '(a drill that failed before its cleanup leaves them up; its restored resources may need cleaning too).',
    );
  }
  return { check: 'ServerGroups', ready: false, reason: problems.join('; '), fix: fixes.join(' '), details };
}

// ---------------------------------------------------------------------------------------------------
// State machine, drill RTO, restore tests
// ---------------------------------------------------------------------------------------------------

async function describeStateMachine(rt: Runtime, sfn: SFNClient, stateMachineArn: string): Promise<CheckResult> {
  const applyFix = 'Apply the dr stack: it creates the recovery state machine.';
  let status: string | undefined;
  try {
    const out = await call(rt, `DescribeStateMachine(${stateMachineArn})`, () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn })));
    status = out.status ?? 'ACTIVE';
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'StateMachineDoesNotExist') {
      return { check: 'StateMachine', ready: false, reason: `the recovery state machine ${stateMachineArn} does not exist`, fix: applyFix };
    }
    throw error;
  }
  if (status !== 'ACTIVE') return { check: 'StateMachine', ready: false, reason: `the recovery state machine ${stateMachineArn} is ${status}`, fix: applyFix, details: { status } };
  return { check: 'StateMachine', ready: true, reason: `the recovery state machine ${stateMachineArn} is ACTIVE`, details: { status } };
}

async function checkDrillRto(rt: Runtime, clients: ReadinessClients, input: ReadinessInput, w: WorkloadFacts, now: Date): Promise<CheckResult> {
  const hour = 3_600_000;
  // Hour-aligned: CloudWatch keeps data older than 15 days at 5-minute, older than 63 days at 1-hour resolution.
  const start = new Date(Math.floor((now.getTime() - input.drillLookbackDays * 24 * hour) / hour) * hour);
  const points: { timestamp: Date; value: number }[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`GetMetricData returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `GetMetricData(${input.recoveryMetricNamespace}/${RECOVERY_TIME_METRIC}, Workload=${w.name}, Mode=${DRILL_MODE})`, () =>
      clients.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: now,
          ScanBy: 'TimestampDescending',
          MetricDataQueries: [
            {
              Id: 'rto',
              ReturnData: true,
              MetricStat: {
                Metric: {
                  Namespace: input.recoveryMetricNamespace,
                  MetricName: RECOVERY_TIME_METRIC,
                  Dimensions: [
                    { Name: 'Workload', Value: w.name },
                    { Name: 'Mode', Value: DRILL_MODE },
                  ],
                },
                Period: 3600,
                Stat: 'Maximum',
              },
            },
          ],
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    for (const result of out.MetricDataResults ?? []) {
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      timestamps.forEach((t, i) => {
        if (t instanceof Date && typeof values[i] === 'number') points.push({ timestamp: t, value: values[i] });
      });
    }
    nextToken = out.NextToken;
  } while (nextToken);
  const drillFix =
    `Run a drill: \`aws stepfunctions start-execution --state-machine-arn ${input.stateMachineArn} --input '{"workload":"${w.name}","mode":"drill"}'\`, ` +
    'or set workloads[].recovery.drillSchedule (monthly at least); a drill that fails publishes no RTO: read its report on the on-call topic.';
  if (points.length === 0) {
    return {
      check: 'DrillRto',
      ready: false,
      reason: `no drill measured: no ${RECOVERY_TIME_METRIC} (Mode ${DRILL_MODE}) of ${w.name} in the last ${input.drillLookbackDays} days`,
      fix: drillFix,
      details: { rtoMinutes: w.rtoMinutes, lookbackDays: input.drillLookbackDays },
    };
  }
  const last = points.reduce((a, b) => (b.timestamp.getTime() > a.timestamp.getTime() ? b : a));
  const minutes = last.value / 60;
  const details = { rtoMinutes: w.rtoMinutes, lastDrill: last.timestamp.toISOString(), measuredSeconds: last.value };
  if (minutes <= w.rtoMinutes) {
    return { check: 'DrillRto', ready: true, reason: `the last drill (${last.timestamp.toISOString()}) recovered in ${formatAge(minutes)}, within the RTO of ${formatAge(w.rtoMinutes)}`, details };
  }
  return {
    check: 'DrillRto',
    ready: false,
    reason: `the last drill (${last.timestamp.toISOString()}) took ${formatAge(minutes)}, over the RTO of ${formatAge(w.rtoMinutes)}`,
    fix:
      "Read the drill's timeline (its report on the on-call topic, or the execution history) for the slowest step: copies from the central vault " +
      '(an air-gapped vault restores in place), restoreConcurrency, instance start-up; fix it and drill again, or agree a realistic targets.rtoMinutes.',
    details,
  };
}

const FINISHED_RESTORE = new Set(['COMPLETED', 'ABORTED', 'FAILED']);

async function checkRestoreTest(rt: Runtime, clients: ReadinessClients, w: WorkloadFacts, now: Date): Promise<CheckResult> {
  const testing = w.restoreTesting!;
  const plan = await call(rt, `GetRestoreTestingPlan(${testing.planName})`, () => clients.backup.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: testing.planName })));
  const planArn = plan.RestoreTestingPlan?.RestoreTestingPlanArn;
  if (!planArn) throw new ReadinessError(`GetRestoreTestingPlan(${testing.planName}) returned no plan ARN`);
  const since = new Date(now.getTime() - testing.windowHours * 60 * MINUTE);
  const jobs: RestoreJobsListMember[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`ListRestoreJobs returned more than ${rt.options.maxPages} pages; giving up`);
    const request: ListRestoreJobsCommandInput = { ByRestoreTestingPlanArn: planArn, ByCreatedAfter: since, MaxResults: 1000, ...(nextToken ? { NextToken: nextToken } : {}) };
    const out = await call(rt, `ListRestoreJobs(${testing.planName})`, () => clients.backup.send(new ListRestoreJobsCommand(request)));
    jobs.push(...(out.RestoreJobs ?? []));
    nextToken = out.NextToken;
  } while (nextToken);

  // A job still running, or completed but still being validated, has no verdict yet: the resource's
  // previous test (the window reaches back past the previous scheduled run) decides.
  const hasVerdict = (j: RestoreJobsListMember) => FINISHED_RESTORE.has(j.Status ?? '') && !(j.Status === 'COMPLETED' && j.ValidationStatus === 'VALIDATING');
  const newestPerResource = new Map<string, RestoreJobsListMember>();
  for (const job of jobs.filter(hasVerdict)) {
    const key = job.SourceResourceArn ?? job.RecoveryPointArn ?? job.RestoreJobId ?? '';
    const current = newestPerResource.get(key);
    if (!current || (job.CreationDate?.getTime() ?? 0) > (current.CreationDate?.getTime() ?? 0)) newestPerResource.set(key, job);
  }
  const pending = jobs.filter((j) => !hasVerdict(j)).length;
  const verdicts = [...newestPerResource.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const passed = (j: RestoreJobsListMember) => j.Status === 'COMPLETED' && (j.ValidationStatus === undefined || j.ValidationStatus === 'SUCCESSFUL');
  const details = {
    restoreTestingPlanArn: planArn,
    windowHours: testing.windowHours,
    jobsInWindow: jobs.length,
    pending,
    resources: verdicts.map(([resource, j]) => ({
      resource,
      restoreJobId: j.RestoreJobId ?? null,
      created: j.CreationDate?.toISOString() ?? null,
      status: j.Status ?? null,
      validationStatus: j.ValidationStatus ?? null,
      message: j.ValidationStatusMessage ?? j.StatusMessage ?? null,
    })),
  };
  const listJobs = `\`aws backup list-restore-jobs --by-restore-testing-plan-arn ${planArn}\``;
  if (verdicts.length === 0) {
    return {
      check: 'RestoreTest',
      ready: false,
      reason: `no restore test of plan ${testing.planName} finished in the last ${formatAge(testing.windowHours * 60)}${pending > 0 ? ` (${pending} still running or validating)` : ''}`,
      fix:
        `Check the restore testing plan ${testing.planName} and its selections in the AWS Backup console (${listJobs}): each selection takes every recovery point ` +
        'of its resource type (ProtectedResourceArns ["*"], no tag condition) in the vaults the plan includes, so no job usually means no snapshot of the tested types reached ' +
        'those vaults within selectionWindowDays: check what they hold (`aws backup list-recovery-points-by-backup-vault --backup-vault-name <vault>`) and the copy jobs into them.',
      details,
    };
  }
  const failed = verdicts.filter(([, j]) => !passed(j));
  if (failed.length === 0) {
    return { check: 'RestoreTest', ready: true, reason: `the last restore test of each of ${verdicts.length} resources completed${pending > 0 ? ` (${pending} newer still running or validating)` : ''} and passed validation`, details };
  }
  const describe = ([resource, j]: [string, RestoreJobsListMember]) =>
    `${resource}: ${j.Status ?? 'unknown status'}${j.ValidationStatus ? `, validation ${j.ValidationStatus}` : ''}${j.ValidationStatusMessage || j.StatusMessage ? ` (${j.ValidationStatusMessage ?? j.StatusMessage})` : ''}`;
  return {
    check: 'RestoreTest',
    ready: false,
    reason: `${failed.length} of ${verdicts.length} resources failed their last restore test: ${listed(failed.map(describe), rt.options.maxListedInReason)}`,
    fix:
      `Read each failed job's status and validation messages (${listJobs}; the validate-restore function's logs say what it checked), fix the backup or the restore settings, and let the next test run. ` +
      "The resource may be another workload's (its ARN names its account): the plan's selections take every recovery point of their types in the estate's shared vaults.",
    details,
  };
}

// ---------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------

async function checkWorkload(rt: Runtime, clients: ReadinessClients, shared: Shared, input: ReadinessInput, w: WorkloadFacts, now: Date): Promise<WorkloadReadiness> {
  const checks: CheckResult[] = [];
  checks.push(await runCheck(rt, w.name, 'RecoveryPoints', () => checkRecoveryPoints(rt, shared, input, w, now)));
  if (w.servers.length > 0) {
    checks.push(await runCheck(rt, w.name, 'GoldenAmis', () => checkGoldenAmis(rt, clients, input, w)));
    checks.push(await runCheck(rt, w.name, 'LaunchTemplates', () => checkLaunchTemplates(rt, clients, w)));
    checks.push(await runCheck(rt, w.name, 'ServerGroups', () => checkServerGroups(rt, clients, shared, input, w)));
  }
  checks.push(await runCheck(rt, w.name, 'StateMachine', () => shared.stateMachine()));
  checks.push(await runCheck(rt, w.name, 'DrillRto', () => checkDrillRto(rt, clients, input, w, now)));
  if (w.restoreTesting) checks.push(await runCheck(rt, w.name, 'RestoreTest', () => checkRestoreTest(rt, clients, w, now)));
  const ready = checks.every((c) => c.ready);
  rt.logger.info(ready ? 'Workload ready' : 'Workload not ready', {
    ...rt.context,
    workload: w.name,
    ready,
    failedChecks: checks.filter((c) => !c.ready).map((c) => ({ check: c.check, reason: c.reason })),
  });
  return { workload: w.name, ready, checks };
}

export function buildReport(input: ReadinessInput, workloads: WorkloadReadiness[], now: Date): ReadinessReport {
  const failedChecks = workloads.flatMap((w) =>
    w.checks.filter((c) => !c.ready).map((c) => ({ workload: w.workload, check: c.check, reason: c.reason, fix: c.fix ?? 'See the reason.' })),
  );
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    estate: input.estate,
    region: input.region,
    ready: workloads.every((w) => w.ready),
    summary: { workloads: workloads.length, readyWorkloads: workloads.filter((w) => w.ready).length, failedChecks: failedChecks.length },
    failedChecks,
    workloads,
  };
}

/** `Ready` per workload and check (dimensions `Workload`, `Check`) and per workload (dimension `Workload`). */
export function readinessMetrics(workloads: WorkloadReadiness[], now: Date): MetricDatum[] {
  return workloads.flatMap((w) => [
    ...w.checks.map((c) => ({
      MetricName: METRIC_READY,
      Dimensions: [
        { Name: 'Workload', Value: w.workload },
        { Name: 'Check', Value: c.check },
      ],
      Timestamp: now,
      Value: c.ready ? 1 : 0,
      Unit: 'Count' as const,
    })),
    { MetricName: METRIC_READY, Dimensions: [{ Name: 'Workload', Value: w.workload }], Timestamp: now, Value: w.ready ? 1 : 0, Unit: 'Count' as const },
  ]);
}

/**
 * Checks, per workload of the input, that a recovery could start now and meet its targets: recovery
 * points within the RPO, golden AMIs, launch templates and idle server groups, the recovery state
 * machine, the last drill's RTO, the last restore test. A check that fails with an AWS error is not
 * ready (the error is its reason) and never stops the others. Then publishes the `Ready` metrics and
 * writes the report (`reports/<date>/readiness.json` and `reports/latest.json`); both are attempted,
 * and a failure of either is thrown afterwards.
 */
export async function checkReadiness(rawInput: unknown, clients: ReadinessClients, now: Date): Promise<ReadinessResult> {
  const rt: Runtime = callRuntime(clients, DEFAULT_OPTIONS);
  try {
    const input = parseReadinessInput(rawInput);
    Object.assign(rt.context, { estate: input.estate, region: input.region });
    const shared = sharedLookups(rt, clients, input, now);
    const workloads = await mapLimit(input.workloads, rt.options.concurrency, (w) => checkWorkload(rt, clients, shared, input, w, now));
    const report = buildReport(input, workloads, now);

    const metrics = readinessMetrics(workloads, now);
    let metricsError: string | undefined;
    let published = 0;
    try {
      for (let i = 0; i < metrics.length; i += rt.options.metricsPerCall) {
        const batch = metrics.slice(i, i + rt.options.metricsPerCall);
        await call(rt, `PutMetricData(${input.metricNamespace})`, () => clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: input.metricNamespace, MetricData: batch })));
        published += batch.length;
      }
    } catch (error) {
      metricsError = messageOf(error);
      rt.logger.error('Readiness metrics not published; writing the report anyway', { ...rt.context, errorMessage: metricsError });
    }

    const keys = [dailyReportKey(now), LATEST_REPORT_KEY];
    const body = JSON.stringify(report, null, 2);
    let reportError: string | undefined;
    const written: string[] = [];
    for (const key of keys) {
      try {
        await call(rt, `PutObject(s3://${input.reportBucket}/${key})`, () =>
          clients.s3.send(new PutObjectCommand({ Bucket: input.reportBucket, Key: key, Body: body, ContentType: 'application/json' })),
        );
        written.push(key);
      } catch (error) {
        reportError = messageOf(error);
        break;
      }
    }

    const notReady = report.failedChecks.map(({ workload, check, reason }) => ({ workload, check, reason }));
    rt.logger.info('Readiness checked', { ...rt.context, ready: report.ready, summary: report.summary, reportBucket: input.reportBucket, reportKeys: written, metricsPublished: published });
    if (metricsError || reportError) {
      throw new ReadinessError(
        `readiness checked (${report.ready ? 'ready' : `${report.summary.failedChecks} checks not ready`}) but not fully reported: ` +
          [metricsError ? `metrics not published: ${metricsError}` : 'metrics published', reportError ? `report not written: ${reportError}` : 'report written'].join('; '),
      );
    }
    return { ready: report.ready, generatedAt: report.generatedAt, reportBucket: input.reportBucket, reportKeys: written, metricsPublished: published, notReady };
  } catch (error) {
    rt.logger.error('Readiness check failed', { ...rt.context, errorMessage: messageOf(error), error });
    throw error;
  }
}
