/**
 * The rehearsal's timeline: entries in simulated seconds since the start, the model's notes placed
 * as they happen, the recovery step (docs/recovery.md) a state belongs to, and what a state's entry and exit say.
 */
import { offset, type VirtualClock } from '../clock';
import type { DrAccount } from '../dr-account';

export interface TimelineEntry {
  /** Seconds since the start of the execution (simulated). */
  readonly at: number;
  readonly step: string;
  readonly detail: string;
}

/** The timeline as the rehearsal writes it, reported to `onTimeline` entry by entry. */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  private readonly noted: { model: DrAccount; shown: number; prefix: string }[] = [];

  /** `originMs`: the time entries count from (default: the clock's start). */
  constructor(
    private readonly clock: VirtualClock,
    private readonly onTimeline?: (entry: TimelineEntry) => void,
    private readonly originMs = clock.startMs,
  ) {}

  /** The model's notes go to the timeline too (`fromNow`: only those it makes from now on), prefixed with `prefix` (another account's). */
  follow(model: DrAccount, prefix = '', fromNow = false): void {
    this.noted.push({ model, shown: fromNow ? model.notes.length : 0, prefix });
  }

  /** Model notes go to the timeline as they happen, before what follows them. */
  flushNotes(): void {
    for (const followed of this.noted) {
      for (; followed.shown < followed.model.notes.length; followed.shown++) {
        const n = followed.model.notes[followed.shown];
        this.push(`  ${followed.prefix}${n.kind}`, n.text, n.at);
      }
    }
  }

  emit(step: string, detail: string): void {
    this.flushNotes();
    this.push(step, detail, this.clock.now());
  }

  private push(step: string, detail: string, atMs: number): void {
    const entry = { at: (atMs - this.originMs) / 1000, step, detail };
    this.entries.push(entry);
    this.onTimeline?.(entry);
  }
}

/** Recovery step (docs/recovery.md, "which step failed") a top-level state belongs to. */
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

export function describeEntry(name: string, input: any, maxConcurrency?: number): string {
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

export function describeExit(name: string, output: any): string | undefined {
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

/** The timeline as printed by the CLI. */
export function formatTimeline(entries: readonly TimelineEntry[]): string {
  return entries.map((e) => `${offset(e.at).padStart(9)}  ${e.step.padEnd(20)} ${e.detail}`).join('\n');
}
