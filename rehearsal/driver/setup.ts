/**
 * A rehearsal, set up: the synthesized estate read (or synthesized), the DR account modelled on a
 * simulated clock with every call authorized against the synthesized policies, the workload's
 * protected resources and their recovery points, and the functions' runner.
 */
import type { EstateConfig } from '../../config/schema';
import { Authorizer } from '../authorization';
import { seededRandom, VirtualClock } from '../clock';
import { DEFAULT_TIMINGS, DrAccount, type ModelTimings, type ProtectedResource, type ResourceType } from '../dr-account';
import { readRawConfig, synthesizeRecovery, type SynthesizedRecovery } from '../estate';
import { bucketKeysOf, instanceProfileOf, topicKeysOf, vaultKeysOf } from '../estate-keys';
import { FunctionRunner } from '../functions';
import { serviceDeliveries } from '../service-publishers';
import { Timeline, type TimelineEntry } from './timeline';

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
  /** Resource types of the mix. Default: EBS, RDS, DynamoDB, EFS (docs/recovery.md, the rehearsal: S3 cannot be restored yet). */
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

type Workload = EstateConfig['workloads'][number];

/** What the run of a rehearsal starts from. */
export interface Rehearsal {
  readonly options: RehearsalOptions;
  readonly seed: number;
  readonly random: () => number;
  readonly synthesized: SynthesizedRecovery;
  readonly workload: Workload;
  readonly mode: 'failover' | 'drill';
  readonly trigger: 'manual' | 'event' | 'schedule';
  /** The recovery region. */
  readonly region: string;
  /** The DR account's ID. */
  readonly dr: string;
  readonly clock: VirtualClock;
  readonly timeline: Timeline;
  readonly model: DrAccount;
  readonly resources: ProtectedResource[];
  readonly runner: FunctionRunner;
}

/** Sets up one rehearsal: the estate, the DR account with the workload's protected resources, the functions. */
export async function setUpRehearsal(options: RehearsalOptions): Promise<Rehearsal> {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const fromFile = options.config === undefined ? readRawConfig() : undefined;
  const synthesized = synthesizeRecovery(fromFile?.raw ?? options.config, options.configSource ?? fromFile?.source ?? '(inline)', { synthDir: options.synthDir });
  const { config } = synthesized;
  const workload = config.workloads.find((w) => w.name === (options.workload ?? config.workloads[0].name));
  if (!workload) throw new Error(`no workload "${options.workload}" in the configuration (${config.workloads.map((w) => w.name).join(', ')})`);
  const mode = options.mode ?? 'failover';
  const trigger = options.trigger ?? 'manual';
  const region = config.regions.recovery;
  const dr = config.accounts.dr.id;

  const clock = new VirtualClock(Date.now());
  const timeline = new Timeline(clock, options.onTimeline);

  const model = drAccountOf(synthesized, workload, options, clock, random);
  timeline.follow(model);
  // What services deliver for the estate (alarms and rules to the encrypted topic, forwarders to the DR
  // bus, dead-letter queues, encrypted log groups) is evaluated too: a denial is recorded and fails the
  // "every AWS call authorized" check.
  for (const publish of serviceDeliveries(synthesized.policies)) {
    await model.authorizer.authorize(`publish:${publish.source.replace(' ', ':')}`, publish.principal, publish.requests).catch(() => undefined);
  }
  const resources = populate(model, config, workload.name, options.resources ?? 6, options.types ?? DEFAULT_TYPES, options.slowCopy ?? false, random);
  const failing = shuffle(resources, random).slice(0, Math.min(options.failRestores ?? 0, resources.length));
  model.failRestoresOf(failing.map((r) => r.resourceArn));
  timeline.emit('Setup', `${resources.length} protected resources of ${workload.name}: ${Object.entries(resources.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.resourceType]: (acc[r.resourceType] ?? 0) + 1 }), {})).map(([t, n]) => `${n} ${t}`).join(', ')}`);
  if (failing.length > 0) timeline.emit('Setup', `restore jobs that will fail: ${failing.map((r) => r.label).join(', ')}`);
  const runner = new FunctionRunner(model, clock, random, synthesized.functions, config.name, region);
  return { options, seed, random, synthesized, workload, mode, trigger, region, dr, clock, timeline, model, resources, runner };
}

/** The DR account of the estate as synthesized, for `workload`, with its Terraform Cloud workspace if it builds there. */
function drAccountOf(synthesized: SynthesizedRecovery, workload: Workload, options: RehearsalOptions, clock: VirtualClock, random: () => number): DrAccount {
  const { config } = synthesized;
  const region = config.regions.recovery;
  const dr = config.accounts.dr.id;
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
  return model;
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
