/**
 * A full recovery, rehearsed offline: the synthesized recovery state machine runs in
 * aws-local-stepfunctions against the in-memory DR account, on simulated time.
 *
 * - Every Task state is overridden by name (Map processors included):
 *   `aws-sdk:<service>:<action>` → `model.call(service, action, Parameters)` as the execution role,
 *   or as `Credentials.RoleArn` (the interpreter passes only the input, so it is read from the
 *   definition); `lambda:invoke` → the function's real logic; `sns:publish.waitForTaskToken` → a
 *   publish, then on-call's answer after a delay. Errors reach the interpreter named as Step
 *   Functions names them (`Backup.ThrottlingException`), so Retry and Catch match.
 * - Wait states and Retry pauses take 0 ms of real time and their configured time on the
 *   simulated clock (the Task after a Wait sleeps the Wait's Seconds when it polls again; a retried
 *   Task sleeps the backoff Step Functions would take, full jitter included).
 * - The EBS "Restore Job State Change" events the model emits are matched against the synthesized
 *   rule and delivered to attach-restored-volume (once, twice, or lost), concurrently with the
 *   state machine's own ConnectServers step.
 */
import type { EstateConfig } from '../config/schema';
import { matchesEventPattern } from '../simulation/event-pattern';
import type { CatchRule, RetryRule, State, TaskState } from '../modules/recovery/asl';
import { offset, seededRandom, VirtualClock } from './clock';
import { DEFAULT_TIMINGS, DrAccount, HttpTaskError, ModelError, shortArn, type BackupEvent, type ModelTimings, type ProtectedResource, type ResourceType } from './dr-account';
import { readRawConfig, synthesizeRecovery, type SynthesizedRecovery } from './estate';
import { FunctionError, FunctionRunner } from './functions';
import { AccessDeniedError, Authorizer } from './authorization';
import { bucketKeysOf, instanceProfileOf, topicKeysOf, vaultKeysOf } from './estate-keys';
import { serviceDeliveries } from './service-publishers';
import { ExecutionAbortedError, StateMachine } from './interpreter';

// ---------------------------------------------------------------------------------------------
// Options and result

export interface RehearsalOptions {
  /** Raw estate configuration; default: `DR_CONFIG` or config/example.json. */
  readonly config?: unknown;
  readonly configSource?: string;
  /** Default: the first workload. */
  readonly workload?: string;
  readonly mode?: 'failover' | 'drill';
  /** Default: manual (no approval). `event` starts as the DR bus rule does, with the incident's account. */
  readonly trigger?: 'manual' | 'event' | 'schedule';
  /** On-call's answer to the approval request (event-triggered runs). Default: approve. */
  readonly approve?: boolean;
  readonly approvalDelaySeconds?: number;
  /** Protected resources of the workload. Default: 6. */
  readonly resources?: number;
  /** Resource types of the mix. Default: EBS, RDS, DynamoDB, EFS (see README of the rehearsal: S3 cannot be restored yet). */
  readonly types?: readonly ResourceType[];
  /** Probability that any AWS call is throttled. */
  readonly throttle?: number;
  readonly seed?: number;
  /** Restore jobs that end FAILED. */
  readonly failRestores?: number;
  /** Restore-completed events never delivered. */
  readonly lostEvents?: number;
  /** Deliver every event twice (EventBridge delivers at least once). Default: true. */
  readonly duplicateEvents?: boolean;
  /** Seconds between an event and its duplicate; 0 delivers both at once (concurrent invocations). Default: random, 5-180. */
  readonly duplicateDelaySeconds?: number;
  /** Seconds from a restore's completion to the event's delivery. Default: random, 1-10. */
  readonly eventDelaySeconds?: number;
  /** The DR vault lacks recent points of some resources: copies from the central vault, taking long. */
  readonly slowCopy?: boolean;
  readonly restoreMinutes?: number;
  readonly copyMinutes?: number;
  /**
   * The Terraform Cloud run of a workload with `recovery.infrastructure` terraformCloud: what it ends
   * with (default applied), how long it plans and applies, and whether Step Functions hands the
   * `application/vnd.api+json` body over as a string (default) or parsed.
   */
  readonly terraformRun?: { readonly outcome?: 'applied' | 'errored'; readonly planSeconds?: number; readonly applySeconds?: number; readonly responseBody?: 'string' | 'json' };
  /** Deviations from AWS the model notices (see warnings) fail instead. */
  readonly strict?: boolean;
  /**
   * An already synthesized output directory (`cdktf.out` of a pull request) to rehearse, instead of
   * synthesizing the configuration; it must have been synthesized from that configuration.
   */
  readonly synthDir?: string;
  /** Called for every timeline entry as it happens. */
  readonly onTimeline?: (entry: TimelineEntry) => void;
}

export interface TimelineEntry {
  /** Seconds since the start of the execution (simulated). */
  readonly at: number;
  readonly step: string;
  readonly detail: string;
}

export interface RestoreOutcome {
  readonly restoreJobId: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly recoveryPointArn: string;
  readonly status: string;
  readonly createdResourceArn?: string;
  readonly startedAt: number;
  readonly endedAt?: number;
}

export interface VolumeOutcome {
  readonly volumeId: string;
  readonly server?: string;
  readonly device?: string;
  readonly attaches: number;
  readonly instanceId?: string;
  /** Attached once, to a recovery instance of its server role in its zone, at its device. */
  readonly ok: boolean;
  readonly problem?: string;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface RehearsalResult {
  readonly recovered: boolean;
  readonly checks: Check[];
  readonly execution: { readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT'; readonly error?: string; readonly cause?: string };
  readonly input: Record<string, unknown>;
  readonly workload: string;
  readonly mode: 'failover' | 'drill';
  readonly timeline: TimelineEntry[];
  /** Top-level states: first entry and last exit, seconds since the start. */
  readonly states: Record<string, { readonly enteredAt: number; readonly exitedAt?: number; readonly visits: number }>;
  readonly restorePhaseSeconds?: number;
  readonly restores: RestoreOutcome[];
  readonly failedRestores: RestoreOutcome[];
  readonly volumes: VolumeOutcome[];
  readonly events: { readonly emitted: number; readonly matched: number; readonly delivered: number; readonly lost: number; readonly outcomes: Record<string, number>; readonly errors: string[] };
  readonly report?: { readonly subject?: string; readonly message: string; readonly outcome: string; readonly failedStep?: string };
  readonly rtoSeconds?: number | null;
  readonly rpoSeconds?: number | null;
  readonly durationSeconds: number;
  readonly warnings: string[];
  readonly waitsApplied: Record<string, number>;
  readonly waitsObserved: Record<string, number>;
  readonly model: DrAccount;
  readonly runner: FunctionRunner;
  readonly synthesized: SynthesizedRecovery;
  readonly stats: { readonly calls: number; readonly throttled: number; readonly denied: number; readonly retries: number };
}

// ---------------------------------------------------------------------------------------------
// Error names as Step Functions reports them

/** Prefix of SDK-integration errors per model service (as in `transientErrors()` of modules/recovery/asl.ts). */
const SFN_ERROR_PREFIX: Record<string, string> = {
  backup: 'Backup',
  autoscaling: 'AutoScaling',
  ssm: 'Ssm',
  route53: 'Route53',
  cloudwatch: 'CloudWatch',
  sns: 'SNS',
  lambda: 'Lambda',
  ec2: 'Ec2',
  sts: 'Sts',
  efs: 'Efs',
  fsx: 'Fsx',
};

class StepFunctionsError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function sfnError(error: unknown): Error {
  // "ServiceName.ErrorName", with the Exception suffix even where the API's error name lacks it
  // (Step Functions developer guide, AWS SDK integrations): EFS's MountTargetConflict is caught as
  // Efs.MountTargetConflictException.
  if (error instanceof ModelError) return new StepFunctionsError(`${SFN_ERROR_PREFIX[error.service] ?? error.service}.${error.code.endsWith('Exception') ? error.code : `${error.code}Exception`}`, error.message);
  if (error instanceof FunctionError || error instanceof HttpTaskError) return error;
  return error instanceof Error ? error : new Error(String(error));
}

// ---------------------------------------------------------------------------------------------
// The definition, walked

interface TaskInfo {
  readonly name: string;
  readonly state: TaskState;
  /** Map state whose processor holds the task; undefined at top level. */
  readonly processor?: string;
  /** Parallel state whose branch holds the task (directly or in a Map processor of the branch). */
  readonly parallel?: string;
  /** Wait state whose Next (through Pass states) is this task. */
  readonly afterWait?: { readonly name: string; readonly seconds: number };
}

function walk(definition: { States: Record<string, State> }, processor: string | undefined, out: { tasks: Map<string, TaskInfo>; waits: string[]; retryStates: string[] }, parallel?: string): void {
  const states = definition.States;
  const waitBefore = new Map<string, { name: string; seconds: number }>();
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== 'Wait') continue;
    out.waits.push(name);
    let next = state.Next;
    const seen = new Set<string>();
    while (next && states[next]?.Type === 'Pass' && !seen.has(next)) {
      seen.add(next);
      next = (states[next] as { Next?: string }).Next;
    }
    if (!next || states[next]?.Type !== 'Task') throw new Error(`Wait state ${name} is not followed (through Pass states) by a Task: the rehearsal cannot place its time`);
    if (waitBefore.has(next)) throw new Error(`Task ${next} follows two Wait states`);
    if (state.Seconds === undefined) throw new Error(`Wait state ${name} has no Seconds`);
    waitBefore.set(next, { name, seconds: state.Seconds });
  }
  for (const [name, state] of Object.entries(states)) {
    if ('Retry' in state && state.Retry) out.retryStates.push(name);
    if (state.Type === 'Task') {
      if (out.tasks.has(name)) throw new Error(`two Task states are named ${name}: local handlers are keyed by state name`);
      out.tasks.set(name, { name, state, processor, parallel, afterWait: waitBefore.get(name) });
    }
    if (state.Type === 'Map') walk(state.ItemProcessor, name, out, parallel);
    // A branch is a state machine of its own: its states report as top-level ones (no Map index).
    if (state.Type === 'Parallel') for (const branch of state.Branches) walk(branch, processor, out, name);
  }
}

function matchingRetrier(retry: RetryRule[] | undefined, errorName: string): { rule: RetryRule; index: number } | undefined {
  for (const [index, rule] of (retry ?? []).entries()) {
    if (rule.ErrorEquals.includes(errorName) || rule.ErrorEquals.includes('States.ALL') || rule.ErrorEquals.includes('States.TaskFailed')) return { rule, index };
  }
  return undefined;
}

function catches(catchRules: CatchRule[] | undefined, errorName: string): boolean {
  return (catchRules ?? []).some((c) => c.ErrorEquals.includes(errorName) || c.ErrorEquals.includes('States.ALL') || c.ErrorEquals.includes('States.TaskFailed'));
}

// ---------------------------------------------------------------------------------------------
// The workload's protected resources

const DEFAULT_TYPES: ResourceType[] = ['EBS', 'RDS', 'DynamoDB', 'EFS'];

function hex(random: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function populate(model: DrAccount, config: EstateConfig, workloadName: string, count: number, types: readonly ResourceType[], slowCopy: boolean, random: () => number): ProtectedResource[] {
  const w = config.workloads.find((x) => x.name === workloadName) as EstateConfig['workloads'][number];
  const region = w.region ?? config.regions.primary;
  const account = w.accountId;
  const roles = w.servers.map((s) => s.role);
  const usable = types.filter((t) => w.backup.resourceTypes.includes(t) && (t !== 'EBS' || roles.length > 0));
  if (usable.length === 0) throw new Error(`workload ${workloadName} backs up none of the types ${types.join(', ')}${types.includes('EBS') && roles.length === 0 ? ' (EBS needs servers to attach to)' : ''}`);
  // EBS volumes are the most numerous: every other resource is one.
  const others = usable.filter((t) => t !== 'EBS');
  const pattern: ResourceType[] = usable.includes('EBS') ? (others.length ? others.flatMap((t) => ['EBS' as ResourceType, t]) : ['EBS']) : others;
  const devices = new Map<string, number>();
  const out: ProtectedResource[] = [];
  const { kind } = config.centralVault;
  for (let i = 0; i < count; i++) {
    const type = pattern[i % pattern.length];
    const n = out.filter((r) => r.resourceType === type).length + 1;
    let resource: ProtectedResource;
    switch (type) {
      case 'EBS': {
        const server = roles[(n - 1) % roles.length];
        const index = devices.get(server) ?? 0;
        devices.set(server, index + 1);
        if (index >= 42) throw new Error(`more than 42 EBS volumes for server role ${server}: no device names left`);
        const device = index < 21 ? `/dev/sd${String.fromCharCode(102 + index)}` : `/dev/xvd${String.fromCharCode(102 + index - 21)}`;
        const id = `vol-0${hex(random, 16)}`;
        resource = { resourceArn: `arn:aws:ec2:${region}:${account}:volume/${id}`, resourceType: 'EBS', label: `${id} (${server} ${device})`, server, device };
        break;
      }
      case 'RDS':
        resource = { resourceArn: `arn:aws:rds:${region}:${account}:db:${workloadName}-db-${n}`, resourceType: 'RDS', label: `db ${workloadName}-db-${n}` };
        break;
      case 'Aurora':
        resource = { resourceArn: `arn:aws:rds:${region}:${account}:cluster:${workloadName}-aurora-${n}`, resourceType: 'Aurora', label: `cluster ${workloadName}-aurora-${n}` };
        break;
      case 'DynamoDB':
        resource = { resourceArn: `arn:aws:dynamodb:${region}:${account}:table/${workloadName}-orders-${n}`, resourceType: 'DynamoDB', label: `table ${workloadName}-orders-${n}` };
        break;
      case 'EFS': {
        const id = `fs-0${hex(random, 16)}`;
        resource = { resourceArn: `arn:aws:elasticfilesystem:${region}:${account}:file-system/${id}`, resourceType: 'EFS', label: `file system ${id}` };
        break;
      }
      case 'S3':
        resource = { resourceArn: `arn:aws:s3:::${workloadName}-assets-${n}-${account}`, resourceType: 'S3', label: `bucket ${workloadName}-assets-${n}` };
        break;
      case 'EC2': {
        const id = `i-0${hex(random, 16)}`;
        resource = { resourceArn: `arn:aws:ec2:${region}:${account}:instance/${id}`, resourceType: 'EC2', label: `instance ${id}` };
        break;
      }
      case 'FSx': {
        // Windows File Server, Lustre, ONTAP volumes in turn.
        const fsxType = (['LUSTRE', 'WINDOWS', 'ONTAP'] as const)[(n - 1) % 3];
        const fs = `fs-0${hex(random, 16)}`;
        const arn = fsxType === 'ONTAP' ? `arn:aws:fsx:${region}:${account}:volume/${fs}/fsvol-0${hex(random, 16)}` : `arn:aws:fsx:${region}:${account}:file-system/${fs}`;
        resource = { resourceArn: arn, resourceType: 'FSx', label: `FSx ${fsxType.toLowerCase()} ${arn.split('/').pop()}`, fsxType };
        break;
      }
    }
    // Newest central point 2-22 h old, one per day before; the DR vault holds copies of the newest
    // two, except (slow copy) every third resource, whose newest DR copy is two days old or missing.
    // With an air-gapped vault (centralVault.kind airGapped, both) the workloads copy there too, and
    // nothing copies into the DR vault unless the recovery does (airGapped: it never needs to).
    const newest = 2 + 20 * random();
    const central = [newest, newest + 24, newest + 48];
    const stale = slowCopy && (count === 1 || i % 3 === 1);
    const dr = kind === 'airGapped' ? [] : stale ? (i % 6 === 1 ? [] : [newest + 48]) : [newest, newest + 24];
    model.addProtectedResource(resource, { centralAgesHours: kind === 'airGapped' ? [] : central, drAgesHours: dr, airGappedAgesHours: kind === 'locked' ? [] : central });
    out.push(resource);
  }
  // Recovery points of another workload share the vaults; LocateData must leave them alone.
  const foreign = `arn:aws:ec2:${region}:444444444444:volume/vol-0${hex(random, 16)}`;
  if (kind !== 'airGapped') model.addForeignRecoveryPoint('central', foreign, 'EBS', 3);
  if (kind !== 'locked') model.addForeignRecoveryPoint('airGapped', foreign, 'EBS', 3);
  model.addForeignRecoveryPoint('dr', foreign, 'EBS', 3);
  return out;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// ---------------------------------------------------------------------------------------------

/** Step of the README ("which step failed") a top-level state belongs to. */
export function stepOf(state: string): string {
  if (state === 'RequestApproval' || state === 'CheckApproval' || state === 'ApprovalRejected') return 'Approve';
  if (state === 'SwitchDns') return 'FailoverTraffic';
  if (state.startsWith('RunbookPoll') || state === 'RunConnectRunbook') return 'ConnectServers';
  if (state.startsWith('HealthPoll') || state === 'ReportSuccess') return 'Verify';
  if (state === 'CleanupFailedDrill') return 'CleanupDrill';
  if (state === 'ReportFailure') return 'Report';
  if (state === 'LocateCopied') return 'LocateData';
  if (state.startsWith('TerraformRun') || state === 'HowToBuild') return 'BuildInfrastructure';
  return state;
}

interface LooseEvent {
  type: string;
  index?: number;
  state?: { name: string; type: string; input?: any; output?: any };
  parentState?: { name: string };
  Error?: string;
  Cause?: unknown;
  retry?: { attempt: number };
}

/** Runs one rehearsal. Never throws for a failed recovery: see `recovered` and `checks`. */
export async function runRehearsal(options: RehearsalOptions = {}): Promise<RehearsalResult> {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const fromFile = options.config === undefined ? readRawConfig() : undefined;
  const synthesized = synthesizeRecovery(fromFile?.raw ?? options.config, options.configSource ?? fromFile?.source ?? '(inline)', { synthDir: options.synthDir });
  const { config, definition } = synthesized;
  const workload = config.workloads.find((w) => w.name === (options.workload ?? config.workloads[0].name));
  if (!workload) throw new Error(`no workload "${options.workload}" in the configuration (${config.workloads.map((w) => w.name).join(', ')})`);
  const mode = options.mode ?? 'failover';
  const trigger = options.trigger ?? 'manual';
  const region = config.regions.recovery;
  const dr = config.accounts.dr.id;

  const clock = new VirtualClock(Date.now());
  const timeline: TimelineEntry[] = [];
  let noted: DrAccount | undefined;
  let notesShown = 0;
  const push = (step: string, detail: string, atMs: number) => {
    const entry = { at: (atMs - clock.startMs) / 1000, step, detail };
    timeline.push(entry);
    options.onTimeline?.(entry);
  };
  /** Model notes go to the timeline as they happen, before what follows them. */
  const flushNotes = () => {
    for (; noted && notesShown < noted.notes.length; notesShown++) {
      const n = noted.notes[notesShown];
      push(`  ${n.kind}`, n.text, n.at);
    }
  };
  const emitTimeline = (step: string, detail: string) => {
    flushNotes();
    push(step, detail, clock.now());
  };

  // ---- the DR account -------------------------------------------------------------------------
  const names = {
    copyStarter: `arn:aws:iam::${config.accounts.backupVault.id}:role/${config.name}-central-copy-starter`,
    copyService: `arn:aws:iam::${config.accounts.backupVault.id}:role/${config.name}-central-copy-service`,
    restoreRole: `arn:aws:iam::${dr}:role/${config.name}-dr-restore`,
  };
  const reportFn = synthesized.functions[`${config.name}-recovery-report-recovery`];
  const model = new DrAccount({
    authorizer: new Authorizer(synthesized.policies),
    clock,
    random,
    throttle: options.throttle ?? 0,
    strict: options.strict,
    timings: {
      ...DEFAULT_TIMINGS,
      restoreMinutes: options.restoreMinutes,
      copyMinutes: options.copyMinutes ?? (options.slowCopy ? 150 : DEFAULT_TIMINGS.copyMinutes),
    } satisfies ModelTimings,
    estate: {
      name: config.name,
      workload: workload.name,
      region,
      workloadRegion: workload.region ?? config.regions.primary,
      drAccountId: dr,
      centralAccountId: config.accounts.backupVault.id,
      workloadAccountId: workload.accountId,
      restoreVaultName: `${config.name}-dr-restore`,
      centralVaultName: `${config.name}-central`,
      ...(config.centralVault.kind !== 'locked' ? { airGappedVaultName: `${config.name}-air-gapped` } : {}),
      copyStarterRoleArn: names.copyStarter,
      copyServiceRoleArn: names.copyService,
      restoreRoleArn: names.restoreRole,
      onCallTopicArn: reportFn?.environment.TOPIC_ARN ?? synthesized.onCallTopicArn,
      connectDocumentName: synthesized.connectDocumentName,
      connectRunbookRoleArn: synthesized.connectRunbookRoleArn,
      healthAlarmName: workload.recovery.healthAlarmName,
      hostedZoneId: workload.recovery.failover?.hostedZoneId,
      serverGroups: synthesized.serverGroups,
      subnets: synthesized.subnets,
      securityGroupIds: synthesized.securityGroupIds,
      ...(workload.recovery.fsx ? { fsx: workload.recovery.fsx } : {}),
      ...instanceProfileOf(synthesized),
      vaultKeys: vaultKeysOf(synthesized, config),
      topicKeys: topicKeysOf(synthesized),
      bucketKeys: bucketKeysOf(synthesized),
      allowedHttpEndpoints: synthesized.allowedHttpEndpoints,
    },
  });
  const infrastructure = workload.recovery.infrastructure;
  if (infrastructure.kind === 'terraformCloud') {
    const connection = synthesized.terraformCloudConnection;
    if (!connection) throw new Error(`workload ${workload.name} builds through Terraform Cloud but the DR stack has no EventBridge connection`);
    model.configureTerraformCloud({
      apiUrl: connection.apiUrl,
      connectionArn: connection.arn,
      connectionResourceArn: synthesized.policies.resources.find((r) => r.type === 'aws_cloudwatch_event_connection')?.arn ?? connection.arn,
      workspaceId: infrastructure.workspaceId,
      ...options.terraformRun,
      servers: workload.servers.map((sv) => ({ group: `${config.name}-${workload.name}-${sv.role}`, size: sv.size })),
    });
  }
  noted = model;
  // What services deliver for the estate (alarms and rules to the encrypted topic, forwarders to the DR
  // bus, dead-letter queues, encrypted log groups) is evaluated too: a denial is recorded and fails the
  // "every AWS call authorized" check.
  for (const publish of serviceDeliveries(synthesized.policies)) {
    await model.authorizer.authorize(`publish:${publish.source.replace(' ', ':')}`, publish.principal, publish.requests).catch(() => undefined);
  }
  const resources = populate(model, config, workload.name, options.resources ?? 6, options.types ?? DEFAULT_TYPES, options.slowCopy ?? false, random);
  const failing = shuffle(resources, random).slice(0, Math.min(options.failRestores ?? 0, resources.length));
  model.failRestoresOf(failing.map((r) => r.resourceArn));
  emitTimeline('Setup', `${resources.length} protected resources of ${workload.name}: ${Object.entries(resources.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.resourceType]: (acc[r.resourceType] ?? 0) + 1 }), {})).map(([t, n]) => `${n} ${t}`).join(', ')}`);
  if (failing.length > 0) emitTimeline('Setup', `restore jobs that will fail: ${failing.map((r) => r.label).join(', ')}`);

  // ---- the functions, the event path ------------------------------------------------------------
  const runner = new FunctionRunner(model, clock, random, synthesized.functions, config.name, region);
  const attachFn = synthesized.functions[`${config.name}-attach-restored-volume`];
  const events = { emitted: 0, matched: 0, delivered: 0, lost: 0, outcomes: {} as Record<string, number>, errors: [] as string[] };
  let pendingDeliveries = 0;
  let lostBudget = options.lostEvents ?? 0;
  const duplicate = options.duplicateEvents ?? true;
  const deliver = (event: BackupEvent, label: string, attempt: number) => {
    pendingDeliveries++;
    const detail = event.detail as Record<string, string>;
    runner
      .invoke(attachFn.arn, event)
      .then((out) => {
        const outcome = (out as { outcome?: string })?.outcome ?? 'unknown';
        events.outcomes[outcome] = (events.outcomes[outcome] ?? 0) + 1;
        emitTimeline('EventPath', `${label}: attach-restored-volume → ${outcome} (${shortArn(detail.createdResourceArn)})`);
      })
      .catch((error: FunctionError) => {
        // Asynchronous invocation: Lambda retries a failed event twice (1 min, then 2 min later), then the DLQ.
        events.errors.push(`${label} (attempt ${attempt}): ${error.errorMessage ?? String(error)}`);
        emitTimeline('EventPath', `${label}: attach-restored-volume failed (attempt ${attempt}): ${error.errorMessage ?? error}`);
        if (attempt < 3) {
          pendingDeliveries++;
          clock.after(attempt * 60_000, () => {
            pendingDeliveries--;
            deliver(event, label, attempt + 1);
          });
        } else {
          events.outcomes['dead-letter'] = (events.outcomes['dead-letter'] ?? 0) + 1;
        }
      })
      .finally(() => pendingDeliveries--);
  };
  model.onEvent((event) => {
    events.emitted++;
    if (!matchesEventPattern(synthesized.ebsRestoreCompletedPattern, event)) return;
    events.matched++;
    const detail = event.detail as Record<string, string>;
    if (lostBudget > 0) {
      lostBudget--;
      events.lost++;
      emitTimeline('EventPath', `restore-completed event of ${shortArn(detail.createdResourceArn)} LOST (never delivered)`);
      return;
    }
    const first = (options.eventDelaySeconds ?? 1 + 9 * random()) * 1000;
    const second = duplicate ? first + (options.duplicateDelaySeconds ?? 5 + 175 * random()) * 1000 : undefined;
    const at = new Map<number, string[]>();
    at.set(first, ['event']);
    if (second !== undefined) at.set(second, [...(at.get(second) ?? []), 'duplicate event']);
    for (const [delay, labels] of at) {
      pendingDeliveries++;
      clock.after(delay, () => {
        pendingDeliveries--;
        // Deliveries due at the same moment run concurrently.
        for (const label of labels) {
          events.delivered++;
          deliver(event, label, 1);
        }
      });
    }
  });

  // ---- Task handlers --------------------------------------------------------------------------
  const walked = { tasks: new Map<string, TaskInfo>(), waits: [] as string[], retryStates: [] as string[] };
  walk(definition as unknown as { States: Record<string, State> }, undefined, walked);
  const executionRole = synthesized.executionRoleArn;
  const approvalDelay = (options.approvalDelaySeconds ?? 300) * 1000;
  const waitsApplied: Record<string, number> = {};
  const calls = new Map<string, { pendingBackoffMs?: number; attempts: number }>();
  const failedProcessors = new Set<string>();
  /** Parallel states one of whose branches failed: Step Functions stops the other branches. */
  const failedParallels = new Set<string>();
  let retries = 0;
  const functionResults: { fn: string; state: string; output: unknown }[] = [];

  const implementation = (info: TaskInfo): ((input: any) => Promise<unknown>) => {
    const resource = info.state.Resource;
    const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
    if (sdk) {
      const [, service, action] = sdk;
      return async (input) => {
        const principal = info.state.Credentials?.RoleArn ? await model.assumeRoleFor(executionRole, info.state.Credentials.RoleArn, info.name) : executionRole;
        const out = await model.call(service, action, input, principal, info.name);
        return JSON.parse(JSON.stringify(out ?? {}));
      };
    }
    if (resource === 'arn:aws:states:::lambda:invoke') {
      return async (input) => {
        await model.call('lambda', 'invoke', { FunctionName: input.FunctionName }, executionRole, info.name);
        const payload = await runner.invoke(String(input.FunctionName), input.Payload);
        functionResults.push({ fn: runner.spec(String(input.FunctionName)).name, state: info.name, output: payload });
        return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
      };
    }
    if (resource === 'arn:aws:states:::http:invoke') {
      return async (input) => JSON.parse(JSON.stringify(await model.httpInvoke(input, executionRole)));
    }
    if (resource === 'arn:aws:states:::sns:publish.waitForTaskToken') {
      return async (input) => {
        await model.call('sns', 'publish', { TopicArn: input.TopicArn, Subject: input.Subject, Message: input.Message }, executionRole, info.name);
        const timeout = (info.state.TimeoutSeconds ?? 99999999) * 1000;
        emitTimeline('Approve', `approval requested on the on-call topic; on-call answers in ${Math.round(approvalDelay / 60000)} min`);
        await clock.sleep(Math.min(approvalDelay, timeout));
        if (approvalDelay > timeout) throw new StepFunctionsError('States.Timeout', `no answer within ${timeout / 1000} s`);
        const approved = options.approve ?? true;
        emitTimeline('Approve', approved ? 'on-call approved (send-task-success {"approved":true})' : 'on-call REJECTED (send-task-success {"approved":false})');
        return { approved };
      };
    }
    throw new Error(`Task ${info.name} has resource ${resource}, which the rehearsal does not simulate`);
  };

  const handlers: Record<string, (input: any) => Promise<any>> = {};
  for (const info of walked.tasks.values()) {
    const run = implementation(info);
    handlers[info.name] = async (input: any) => {
      clock.touch();
      if (info.processor) {
        // Let the interpreter's events settle: an item that starts after its Map failed is not run
        // (Step Functions starts no new iteration once the Map has failed; the interpreter does).
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (failedProcessors.has(info.processor)) throw new StepFunctionsError('States.Aborted', `${info.processor} has already failed: iteration not started`);
      }
      if (info.parallel && failedParallels.has(info.parallel)) throw new StepFunctionsError('States.Aborted', `a branch of ${info.parallel} has failed: the other branches are stopped`);
      const key = `${info.name}\u0000${JSON.stringify(input)}`;
      const track = calls.get(key);
      if (track?.pendingBackoffMs !== undefined) {
        const ms = track.pendingBackoffMs;
        track.pendingBackoffMs = undefined;
        await clock.sleep(ms);
      } else if (track && info.afterWait) {
        // The same poll again: it came through its Wait state.
        waitsApplied[info.afterWait.name] = (waitsApplied[info.afterWait.name] ?? 0) + 1;
        await clock.sleep(info.afterWait.seconds * 1000);
      }
      try {
        const out = await run(input);
        calls.set(key, { attempts: 0 });
        return out;
      } catch (raw) {
        const error = sfnError(raw);
        const entry = calls.get(key) ?? { attempts: 0 };
        const retrier = matchingRetrier(info.state.Retry, error.name);
        const maxAttempts = retrier?.rule.MaxAttempts ?? 3;
        if (retrier && entry.attempts < maxAttempts) {
          const r = retrier.rule;
          const interval = Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** entry.attempts, r.MaxDelaySeconds ?? Infinity);
          entry.pendingBackoffMs = Math.round((r.JitterStrategy === 'FULL' ? random() * interval : interval) * 1000);
          entry.attempts++;
          retries++;
        } else {
          entry.attempts = 0;
          entry.pendingBackoffMs = undefined;
          emitTimeline(info.processor ? `${info.processor}` : stepOf(info.name), `${info.name} failed: ${error.name}: ${error.message.slice(0, 300)}${retrier ? ` (after ${maxAttempts} retries)` : ''}${catches(info.state.Catch, error.name) ? '' : ' (not caught)'}`);
          if (info.processor) failedProcessors.add(info.processor);
        }
        calls.set(key, entry);
        throw error;
      }
    };
  }

  // ---- the execution ----------------------------------------------------------------------------
  const executionName = `rehearsal-${mode}-${seed}`;
  const input: Record<string, unknown> =
    trigger === 'event'
      ? { mode, trigger, incident: { source: 'aws.health', 'detail-type': 'AWS Health Event', account: workload.accountId, time: new Date(clock.now()).toISOString(), detail: { service: 'EC2', eventTypeCategory: 'issue', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE' } } }
      : { workload: workload.name, mode, trigger };
  // Validated already, with the newer asl-validator and the same ARN and path checks, by
  // synthesizeRecovery (estate.ts), where every definition comes from; the interpreter's own
  // validation would compile its JSON schema again for each rehearsal (~100 ms).
  const machine = new StateMachine(definition as any, { validationOptions: { noValidate: true } });
  // The interpreter stamps $$.Execution.StartTime with the real clock; pin it to simulated time so the
  // RTO/RPO it feeds are a function of the seed alone (the same seed, the same timeline).
  const execution = atSimulatedNow(clock.now(), () => machine.run(input as any, {
    overrides: {
      taskResourceLocalHandlers: handlers as any,
      waitTimeOverrides: Object.fromEntries(walked.waits.map((w) => [w, 0])),
      retryIntervalOverrides: Object.fromEntries(walked.retryStates.map((s) => [s, 0])),
    },
    context: {
      Execution: { Id: `arn:aws:states:${region}:${dr}:execution:${synthesized.stateMachineName}:${executionName}`, Name: executionName, RoleArn: executionRole },
      StateMachine: { Id: synthesized.stateMachineArn, Name: synthesized.stateMachineName },
      Task: { Token: `AQCEAAAAKgAAAA-rehearsal-${seed}` },
    },
  }));
  emitTimeline('Start', `execution ${executionName} of ${synthesized.stateMachineName}: ${JSON.stringify(input).slice(0, 200)}`);

  // Simulated TimeoutSeconds of the definition.
  let timedOut = false;
  if (definition.TimeoutSeconds) {
    clock.at(clock.startMs + definition.TimeoutSeconds * 1000, () => {
      if (settled) return;
      timedOut = true;
      execution.abort();
    });
  }

  let settled = false;
  let status: RehearsalResult['execution'] = { status: 'SUCCEEDED' };
  execution.result.then(
    () => {
      settled = true;
    },
    (error: any) => {
      settled = true;
      if (timedOut || error instanceof ExecutionAbortedError) status = { status: 'TIMED_OUT', error: 'States.Timeout', cause: `the execution ran past TimeoutSeconds ${definition.TimeoutSeconds}` };
      else status = { status: 'FAILED', error: error?.cause?.name ?? error?.name, cause: String(error?.cause?.message ?? error?.message) };
    },
  );

  // The execution's own events: timeline of top-level steps, and the Wait states it went through.
  const states: RehearsalResult['states'] = {};
  const waitsObserved: Record<string, number> = {};
  let logsDone = false;
  const consume = (async () => {
    for await (const raw of execution.eventLogs as AsyncIterable<LooseEvent>) {
      const ev = raw;
      const at = (clock.now() - clock.startMs) / 1000;
      if (ev.type === 'StateExited' && ev.state?.type === 'Wait') waitsObserved[ev.state.name] = (waitsObserved[ev.state.name] ?? 0) + 1;
      if (ev.type === 'MapIterationFailed' && ev.parentState) failedProcessors.add(ev.parentState.name);
      if (ev.type === 'ParallelBranchFailed' && ev.parentState) failedParallels.add(ev.parentState.name);
      if (ev.index !== undefined || !ev.state) continue; // inside a Map
      const name = ev.state.name;
      if (ev.type === 'StateEntered') {
        const s = states[name];
        states[name] = { enteredAt: s?.enteredAt ?? at, exitedAt: s?.exitedAt, visits: (s?.visits ?? 0) + 1 };
        if (ev.state.type === 'Map') failedProcessors.delete(name);
        if (ev.state.type === 'Parallel') failedParallels.delete(name);
        if ((ev.state.type === 'Task' || ev.state.type === 'Map' || ev.state.type === 'Parallel') && !(/PollCheck$/.test(name) && (s?.visits ?? 0) > 0)) {
          const map = definition.States[name];
          emitTimeline(stepOf(name), `${name} ${describeEntry(name, ev.state.input, map?.Type === 'Map' ? map.MaxConcurrency : undefined)}`.trim());
        }
        // The execution's end (a branch's Fail or Succeed state ends only the branch).
        if ((ev.state.type === 'Fail' || ev.state.type === 'Succeed') && name in definition.States) emitTimeline('End', `${name}`);
      } else if (ev.type === 'StateExited') {
        const s = states[name];
        if (s) states[name] = { ...s, exitedAt: at };
        const summary = describeExit(name, ev.state.output);
        if (summary) emitTimeline(stepOf(name), `${name} done: ${summary}`);
      } else if (ev.type === 'StateCaught') {
        emitTimeline(stepOf(name), `${name} failed, caught → failure branch`);
      }
    }
    logsDone = true;
  })();

  try {
    await clock.drive(() => {
      flushNotes();
      return settled && logsDone && pendingDeliveries === 0;
    }, clock.startMs + ((definition.TimeoutSeconds ?? 172800) + 86400) * 1000);
  } catch (error) {
    execution.abort();
    throw error;
  } finally {
    flushNotes();
    await clock.stop();
  }
  await consume;
  timeline.sort((a, b) => a.at - b.at);

  return assess({
    options,
    mode,
    workload: workload.name,
    input,
    status,
    timeline,
    states,
    model,
    runner,
    synthesized,
    resources,
    events,
    waitsApplied,
    waitsObserved,
    functionResults,
    clock,
    retries,
  });
}

function describeEntry(name: string, input: any, maxConcurrency?: number): string {
  try {
    if (name === 'RestoreData') return `(${input?.located?.Payload?.ready?.length ?? '?'} restores, at most ${maxConcurrency ?? '?'} at a time)`;
    if (name === 'CopyAndBuild') return `(${input?.located?.Payload?.toCopy?.length ?? '?'} copies from the central vault, beside the infrastructure)`;
    if (name === 'CopyToRestoreVault') return `(${input?.located?.Payload?.toCopy?.length ?? '?'} copies from the central vault)`;
    if (name === 'BuildInfrastructure') return `(${(input?.config?.servers ?? []).map((s: any) => `${s.autoScalingGroupName} → ${s.size}`).join(', ')})`;
    if (name === 'TerraformRunCreate') return `(auto-applied run in Terraform Cloud workspace ${input?.config?.infrastructure?.workspaceId ?? '?'})`;
    if (name === 'ConnectServers') return `(${(input?.restores ?? []).filter((r: any) => r.resourceType === 'EBS').length} EBS volumes to attach)`;
  } catch {
    // descriptive only
  }
  return '';
}

function describeExit(name: string, output: any): string | undefined {
  try {
    if (name === 'LocateData' || name === 'LocateCopied') {
      const p = output?.located?.Payload;
      return `${p.ready.length} ready in the restore vault (${p.ready.filter((r: any) => r.stale).length} stale), ${p.toCopy.length} to copy; oldest point ${p.oldestRecoveryPointTime}`;
    }
    if (name === 'RestoreData') return `${(output?.restores ?? []).length} restored`;
    if (name === 'CopyToRestoreVault') return 'copies in the DR restore vault';
    if (name === 'BuildInfrastructure') return 'servers online in SSM';
    if (name === 'TerraformRunPollRead' && /^(applied|planned_and_finished|errored|canceled|discarded|force_canceled|policy_soft_failed)$/.test(output?.terraformRunStatus?.status)) {
      return `run ${output?.terraformRun?.id} ${output.terraformRunStatus.status}`;
    }
    // (Exited through its Catch, it carries the branch failure instead.)
    if (name === 'CopyAndBuild') return output?.branchFailure || output?.failure ? undefined : `copies and infrastructure ready; ${output?.located?.Payload?.ready?.length ?? '?'} recovery points to restore`;
    if (name === 'ReportSuccess' || name === 'ReportFailure') {
      const r = output?.report?.Payload;
      return r ? `published (RTO ${r.rtoSeconds ?? '-'} s, RPO ${r.rpoSeconds ?? '-'} s)` : undefined;
    }
    if (name === 'CleanupDrill' || name === 'CleanupFailedDrill') {
      const c = output?.cleanup?.Payload;
      return c ? `${c.deleted.length} deleted, ${c.skipped.length} skipped, ${c.scaledToZero.length} group(s) at zero` : undefined;
    }
  } catch {
    // descriptive only
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Was the workload recovered?

function assess(r: {
  options: RehearsalOptions;
  mode: 'failover' | 'drill';
  workload: string;
  input: Record<string, unknown>;
  status: RehearsalResult['execution'];
  timeline: TimelineEntry[];
  states: RehearsalResult['states'];
  model: DrAccount;
  runner: FunctionRunner;
  synthesized: SynthesizedRecovery;
  resources: ProtectedResource[];
  events: RehearsalResult['events'];
  waitsApplied: Record<string, number>;
  waitsObserved: Record<string, number>;
  functionResults: { fn: string; state: string; output: unknown }[];
  clock: VirtualClock;
  retries: number;
}): RehearsalResult {
  const { model, clock } = r;
  const s = (ms: number) => (ms - clock.startMs) / 1000;
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  check('execution succeeded', r.status.status === 'SUCCEEDED', r.status.status === 'SUCCEEDED' ? 'Recovered' : `${r.status.status}: ${r.status.error ?? ''} ${r.status.cause ?? ''}`.trim());
  // Every call, evaluated as AWS would (policies, keys, trust, conditions): a denial is a defect even
  // where a retry, a fallback or a duplicate event hid it from the outcome.
  const evaluations = model.authorizer.evaluations;
  const denials = evaluations.filter((e) => !e.allowed);
  const firstDenial = denials[0] ? new AccessDeniedError(denials[0].request.action.split(':')[0], denials[0].step, denials[0].principal, denials[0].request, denials[0].denial ?? '').message : '';
  check('every AWS call authorized', denials.length === 0, denials.length === 0 ? `${evaluations.length} request(s) evaluated against the synthesized policies of ${r.synthesized.synthDir}` : `${denials.length} denied request(s); first: ${firstDenial}`);

  // Restores: the newest job per recovered resource.
  const restores: RestoreOutcome[] = [...model.restoreJobs.values()].map((j) => ({
    restoreJobId: j.id,
    resourceArn: j.point.resourceArn,
    resourceType: j.resourceType,
    recoveryPointArn: j.point.arn,
    status: j.status,
    createdResourceArn: j.createdResourceArn,
    startedAt: s(j.createdAt),
    endedAt: j.completedAt === undefined ? undefined : s(j.completedAt),
  }));
  const failedRestores = restores.filter((x) => x.status !== 'COMPLETED');
  const notRestored = r.resources.filter((res) => !restores.some((x) => x.resourceArn === res.resourceArn && x.status === 'COMPLETED'));
  check(
    'every protected resource restored',
    notRestored.length === 0 && failedRestores.length === 0,
    notRestored.length === 0 && failedRestores.length === 0
      ? `${restores.length} restore jobs COMPLETED`
      : [
          ...failedRestores.map((x) => `restore job ${x.restoreJobId} ${x.status}: ${x.resourceType} ${x.resourceArn} (recovery point ${x.recoveryPointArn})`),
          ...notRestored.filter((res) => !failedRestores.some((x) => x.resourceArn === res.resourceArn)).map((res) => `not restored: ${res.resourceType} ${res.resourceArn}`),
        ].join('; '),
  );

  // Volumes: attached exactly once, to the right instance, at the right device.
  const volumes: VolumeOutcome[] = [];
  for (const job of model.restoreJobs.values()) {
    if (job.resourceType !== 'EBS' || !job.volumeId) continue;
    const v = model.volume(job.volumeId);
    const attaches = model.attaches.filter((a) => a.volumeId === job.volumeId);
    const server = v?.tags['dr:server'];
    const device = v?.tags['dr:device'];
    let problem: string | undefined;
    if (attaches.length !== 1) problem = `${attaches.length} successful AttachVolume calls`;
    else {
      const a = attaches[0];
      const instance = model.instance(a.instanceId);
      if (!instance) problem = `attached to unknown instance ${a.instanceId}`;
      else if (instance.tags['dr:server'] !== server) problem = `attached to ${a.instanceId} (dr:server=${instance.tags['dr:server']}), expected dr:server=${server}`;
      else if (instance.az !== v?.az) problem = `attached to ${a.instanceId} in ${instance.az}, volume in ${v?.az}`;
      else if (a.device !== device) problem = `attached at ${a.device}, dr:device is ${device}`;
    }
    if (job.status === 'COMPLETED' || attaches.length > 0) volumes.push({ volumeId: job.volumeId, server, device, attaches: attaches.length, instanceId: attaches[0]?.instanceId, ok: !problem, problem });
  }
  const badVolumes = volumes.filter((v) => !v.ok);
  check('every EBS volume attached exactly once to its instance', badVolumes.length === 0, badVolumes.length === 0 ? `${volumes.length} volume(s), ${model.attaches.length} AttachVolume call(s)` : badVolumes.map((v) => `${v.volumeId}: ${v.problem}`).join('; '));

  const runbooks = [...model.automations.values()];
  check('connect runbook succeeded', runbooks.some((x) => x.status === 'Success'), runbooks.length === 0 ? 'never started' : runbooks.map((x) => `${x.id} ${x.status}${x.failureMessage ? `: ${x.failureMessage}` : ''}`).join('; '));

  const reports = model.publishes.filter((p) => p.principal === r.synthesized.functions[`${r.synthesized.config.name}-recovery-report-recovery`]?.roleArn);
  const last = reports[reports.length - 1];
  const report = last ? { subject: last.subject, message: last.message, outcome: last.attributes.outcome, failedStep: /Failed step:\s+(\S+)/.exec(last.message)?.[1] } : undefined;
  check('report published with outcome recovered', report?.outcome === 'recovered', report ? `"${report.subject}" (outcome ${report.outcome})` : 'no report published');

  const deletions = model.deletions;
  if (r.mode === 'drill') {
    const leftovers: string[] = [];
    for (const job of model.restoreJobs.values()) {
      const id = job.createdResourceArn?.split(/[:/]/).pop();
      if (!id || job.resourceType === 'S3') continue;
      const gone =
        job.resourceType === 'EBS'
          ? ['deleting', 'deleted'].includes(model.volume(id)?.state ?? 'deleted')
          : job.resourceType === 'DynamoDB'
            ? (model.tables.get(id)?.status ?? 'DELETING') === 'DELETING'
            : job.resourceType === 'EFS'
              ? (model.fileSystems.get(id)?.lifeCycleState ?? 'deleting') === 'deleting'
              : job.resourceType === 'FSx'
                ? (model.fsx.get(id)?.lifecycle ?? 'DELETING') === 'DELETING'
                : job.resourceType === 'EC2'
                  ? ['shutting-down', 'terminated'].includes(model.instance(id)?.state ?? 'terminated')
                  : (model.dbInstances.get(job.resourceType === 'Aurora' ? `cluster:${id}` : id)?.status ?? 'deleting') === 'deleting';
      if (!gone) leftovers.push(`${job.resourceType} ${job.createdResourceArn}`);
    }
    for (const [name, g] of model.groups) {
      const live = model.instancesOf(name).filter((i) => i.state === 'running' || i.state === 'pending');
      if (g.desired !== 0 || live.length > 0) leftovers.push(`Auto Scaling group ${name} at ${g.desired} (${live.length} live instance(s))`);
    }
    check('drill cleaned up everything it created', leftovers.length === 0, leftovers.length === 0 ? `${deletions.length} deletion(s), every group at 0` : `left behind: ${leftovers.join('; ')}`);
  } else {
    check('failover deleted nothing', deletions.length === 0, deletions.length === 0 ? 'no deletion, no instance terminated' : `deleted: ${deletions.map((d) => `${d.kind} ${d.id}`).join(', ')}`);
  }

  const reportOutput = [...r.functionResults].reverse().find((f) => f.fn.endsWith('-recovery-report-recovery'))?.output as { rtoSeconds?: number | null; rpoSeconds?: number | null } | undefined;
  const restore = r.states.RestoreData;
  const warnings = model.warnings.map((w) => w.text);
  const waitMismatch = Object.keys({ ...r.waitsApplied, ...r.waitsObserved }).filter((w) => (r.waitsApplied[w] ?? 0) !== (r.waitsObserved[w] ?? 0));
  if (waitMismatch.length > 0) warnings.push(`rehearsal: Wait states observed and placed on the clock differ (${waitMismatch.map((w) => `${w}: ${r.waitsObserved[w] ?? 0} vs ${r.waitsApplied[w] ?? 0}`).join(', ')})`);

  return {
    recovered: checks.every((c) => c.ok),
    checks,
    execution: r.status,
    input: r.input,
    workload: r.workload,
    mode: r.mode,
    timeline: r.timeline,
    states: r.states,
    restorePhaseSeconds: restore?.exitedAt !== undefined ? restore.exitedAt - restore.enteredAt : undefined,
    restores,
    failedRestores,
    volumes,
    events: r.events,
    report,
    rtoSeconds: reportOutput?.rtoSeconds,
    rpoSeconds: reportOutput?.rpoSeconds,
    durationSeconds: s(clock.now()),
    warnings,
    waitsApplied: r.waitsApplied,
    waitsObserved: r.waitsObserved,
    model,
    runner: r.runner,
    synthesized: r.synthesized,
    stats: { calls: model.stats.calls, throttled: model.stats.throttled, denied: model.stats.denied, retries: r.retries },
  };
}

/** The timeline as printed by the CLI. */
export function formatTimeline(entries: readonly TimelineEntry[]): string {
  return entries.map((e) => `${offset(e.at).padStart(9)}  ${e.step.padEnd(20)} ${e.detail}`).join('\n');
}

/**
 * Runs `fn` (synchronously) with `new Date()` and `Date.now()` answering `nowMs`. aws-local-stepfunctions
 * reads the real time once, synchronously inside `run()`, for `$$.Execution.StartTime`.
 */
export function atSimulatedNow<T>(nowMs: number, fn: () => T): T {
  const RealDate = globalThis.Date;
  class PinnedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(nowMs);
      else super(...(args as [string | number | Date]));
    }
    static now(): number {
      return nowMs;
    }
  }
  globalThis.Date = PinnedDate as DateConstructor;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}
