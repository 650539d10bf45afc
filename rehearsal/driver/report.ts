/**
 * The rehearsal's result: was the workload recovered? Checks of the model's state after the
 * execution (every call authorized, every resource restored, every volume attached once to its
 * instance, the runbook, the report, the drill's cleanup), with the restores, the RTO and RPO.
 */
import { AccessDeniedError } from '../authorization';
import type { VirtualClock } from '../clock';
import type { DrAccount, ProtectedResource } from '../dr-account';
import type { SynthesizedRecovery } from '../estate';
import type { FunctionRunner } from '../functions';
import type { RehearsalOptions } from './setup';
import type { TimelineEntry } from './timeline';

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
// Was the workload recovered?

export function assess(r: {
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
