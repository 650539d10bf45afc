/**
 * Did the workload fail back? The failback execution's outcome, its RTO (on-call's approval → release
 * of the freeze, when traffic is back in the primary region) and RPO (the freeze window: frozenAt →
 * backupsCompletedAt, as the execution measured it), and the checks: every resource restored in the
 * workload account, every restored volume reattached exactly once there (when the definition
 * reconnects), DNS pointing back, the freeze released (or undone on a failure), every call authorized.
 */
import type { Check } from '../driver/report';
import type { ExecutionOutcome } from '../driver/execute';
import type { Rehearsal } from '../driver/setup';
import type { Timeline, TimelineEntry } from '../driver/timeline';
import type { DrAccount } from '../dr-account';
import type { SynthesizedFailback } from './estate';
import type { FailbackDrState } from './dr-jobs';

export interface FailbackOutcome {
  readonly failedBack: boolean;
  readonly execution: ExecutionOutcome['status'];
  readonly timeline: TimelineEntry[];
  readonly states: ExecutionOutcome['states'];
  /** The execution's `$.rpo` (ISO times on the simulated clock), when it got that far. */
  readonly rpo?: { readonly frozenAt?: string; readonly backupsCompletedAt?: string; readonly releasedAt?: string; readonly released?: boolean };
  /** frozenAt → backupsCompletedAt, seconds. */
  readonly rpoSeconds?: number;
  /** On-call's approval → release of the freeze, seconds. */
  readonly rtoSeconds?: number;
  readonly restoredInWorkload: { readonly restoreJobId: string; readonly resourceType: string; readonly status: string; readonly createdResourceArn?: string }[];
  readonly volumes: { readonly volumeId: string; readonly attaches: number; readonly instanceId?: string }[];
  readonly reconnects: boolean;
  readonly checks: Check[];
  readonly workloadAccount: DrAccount;
  readonly drState: FailbackDrState;
  readonly stats: { readonly calls: number; readonly throttled: number; readonly denied: number; readonly retries: number };
  /** Denied requests of the failback (step, principal, action, resource: reason). */
  readonly denials: string[];
  /** The failback report published to on-call (success or failure). */
  readonly report?: { readonly subject?: string; readonly message: string };
  readonly failedStep?: string;
}

const seconds = (from?: string, to?: string) => (from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : undefined);

export function assessFailback(r: {
  recovered: Rehearsal;
  fb: SynthesizedFailback;
  dr: DrAccount;
  workloadAccount: DrAccount;
  drState: FailbackDrState;
  execution: ExecutionOutcome;
  timeline: Timeline;
  startMs: number;
  resourceArns: string[];
  before: { drCalls: number; drThrottled: number; drDenied: number; evaluations: number; invocations: number };
  retries: number;
  dnsValue?: string;
}): FailbackOutcome {
  const { fb, dr, workloadAccount: wl, execution, recovered } = r;
  const status = execution.status;
  const output = execution.output as { rpo?: FailbackOutcome['rpo'] } | undefined;
  const published = dr.publishes.filter((p) => p.at >= r.startMs && /failback/i.test(p.subject ?? ''));
  const report = published.find((p) => /complete: production|FAILED/.test(p.subject ?? '')) ?? published[published.length - 1];
  const rpo = output?.rpo ?? rpoFromReport(report?.message);
  const approvedAt = execution.states.RequestApproval?.exitedAt;
  const releasedAtSeconds = rpo?.releasedAt ? (Date.parse(rpo.releasedAt) - r.startMs) / 1000 : undefined;
  const restoredInWorkload = [...wl.restoreJobs.values()].map((j) => ({ restoreJobId: j.id, resourceType: j.resourceType, status: j.status, ...(j.createdResourceArn ? { createdResourceArn: j.createdResourceArn } : {}) }));
  const volumes = [...wl.volumes.values()].filter((v) => v.restoreJobId).map((v) => ({ volumeId: v.id, attaches: wl.attachCount(v.id), ...(v.attachments[0] ? { instanceId: v.attachments[0].instanceId } : {}) }));
  const evaluations = dr.authorizer.evaluations.slice(r.before.evaluations);
  const denials = evaluations.filter((e) => !e.allowed).map((e) => `${e.step} ${e.principal} ${e.request.action} ${e.request.resource}: ${e.denial}`);
  const record = recovered.workload.failback?.dnsRecord;
  const lastDns = [...dr.dnsChanges].reverse().find((c) => c.at >= r.startMs && record && (c.changes as any[]).some((ch) => String(ch.ResourceRecordSet?.Name).replace(/\.$/, '').toLowerCase() === record.recordName.replace(/\.$/, '').toLowerCase()));
  const dnsNow = (lastDns?.changes as any[] | undefined)?.flatMap((c) => (c.ResourceRecordSet?.ResourceRecords ?? []).map((x: any) => x.Value));
  const frozenSize = recovered.workload.failback?.freeze.kind === 'scaleDown' ? recovered.workload.failback.freeze.size : undefined;
  const groups = recovered.workload.servers.map((sv) => dr.groups.get(`${recovered.synthesized.config.name}-${recovered.workload.name}-${sv.role}`)).filter((g) => g !== undefined);
  const ebsRestored = restoredInWorkload.filter((j) => j.resourceType === 'EBS' && j.status === 'COMPLETED').length;

  const checks: Check[] = [
    { name: 'failback execution succeeded', ok: status.status === 'SUCCEEDED', detail: status.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${status.status}: ${status.error} (${status.cause})` },
    {
      name: 'every resource restored in the workload account',
      ok: r.resourceArns.length > 0 && restoredInWorkload.length === r.resourceArns.length && restoredInWorkload.every((j) => j.status === 'COMPLETED'),
      detail: `${restoredInWorkload.filter((j) => j.status === 'COMPLETED').length}/${r.resourceArns.length} restores COMPLETED in ${fb.workload.region} (${drState(r).backups} final backups, ${drState(r).copies} copies completed)`,
    },
    fb.reconnects
      ? { name: 'every restored volume reattached exactly once in the primary', ok: volumes.length === ebsRestored && volumes.length > 0 && volumes.every((v) => v.attaches === 1), detail: volumes.map((v) => `${v.volumeId}×${v.attaches}${v.instanceId ? ` → ${v.instanceId}` : ''}`).join(', ') || 'no restored volume' }
      : { name: 'restored volumes in the primary', ok: true, detail: `${volumes.length} restored, not attached: the definition has no reconnect step (attach by hand, docs/failback.md)` },
    record?.value
      ? { name: 'DNS points back at the primary', ok: !!dnsNow?.includes(record.value), detail: `${record.recordName} → ${dnsNow?.join(', ') ?? 'not changed'} (primary endpoint ${record.value})` }
      : { name: 'DNS points back at the primary', ok: true, detail: 'no failback.dnsRecord value: switched by on-call' },
    status.status === 'SUCCEEDED'
      ? { name: 'freeze released', ok: rpo?.released === true, detail: `released at ${rpo?.releasedAt ?? 'never'}` }
      : { name: 'freeze undone', ok: frozenSize === undefined || rpo?.frozenAt === undefined || groups.every((g) => g.desired === g.spec.desiredCapacity || g.desired === (recovered.workload.servers.find((s) => g.spec.name.endsWith(`-${s.role}`))?.size ?? -1)), detail: groups.map((g) => `${g.spec.name} desired ${g.desired}`).join(', ') },
    { name: 'every failback AWS call authorized', ok: denials.length === 0, detail: `${evaluations.length} requests evaluated, ${denials.length} denied${denials.length ? `: ${denials[0]}` : ''}` },
  ];
  const failedStep = status.status === 'FAILED' ? status.cause : undefined;
  const drCalls = dr.stats.calls - r.before.drCalls;
  return {
    failedBack: checks.every((c) => c.ok),
    execution: status,
    timeline: r.timeline.entries,
    states: execution.states,
    ...(rpo ? { rpo } : {}),
    ...(seconds(rpo?.frozenAt, rpo?.backupsCompletedAt) !== undefined ? { rpoSeconds: seconds(rpo?.frozenAt, rpo?.backupsCompletedAt) } : {}),
    ...(approvedAt !== undefined && releasedAtSeconds !== undefined ? { rtoSeconds: releasedAtSeconds - approvedAt } : {}),
    restoredInWorkload,
    volumes,
    reconnects: fb.reconnects,
    checks,
    workloadAccount: wl,
    drState: r.drState,
    stats: { calls: drCalls + wl.stats.calls, throttled: dr.stats.throttled - r.before.drThrottled + wl.stats.throttled, denied: dr.stats.denied - r.before.drDenied + wl.stats.denied, retries: r.retries },
    denials,
    ...(report ? { report: { subject: report.subject, message: report.message } } : {}),
    ...(failedStep ? { failedStep } : {}),
  };
}

function drState(r: { drState: FailbackDrState }): { backups: number; copies: number } {
  return { backups: [...r.drState.backupJobs.values()].filter((j) => j.state === 'COMPLETED').length, copies: [...r.drState.copyJobs.values()].filter((j) => j.state === 'COMPLETED').length };
}

/** The RPO window as the failure report states it (`$.rpo` is not the output of a failed execution). */
function rpoFromReport(message?: string): FailbackOutcome['rpo'] | undefined {
  if (!message) return undefined;
  const frozen = /stopped at (\S+?);/.exec(message)?.[1];
  const completed = /completed at (\S+?) \(/.exec(message)?.[1];
  return frozen || completed ? { ...(frozen ? { frozenAt: frozen } : {}), ...(completed ? { backupsCompletedAt: completed } : {}) } : undefined;
}
