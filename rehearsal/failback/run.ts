/**
 * `--mode failback`: a recovery (failover, as `runRehearsal` runs it), then the synthesized failback
 * state machine on the same simulated clock, against the DR account's model as the recovery left it
 * and a model of the workload account in its primary region (workload-account.ts), every call
 * authorized against the synthesized policies. The failback's input lists the resources the recovery
 * restored (as its report does: docs/failback.md, "Start it by hand").
 */
import { Authorizer } from '../authorization';
import { connectEventPath, type EventPath } from '../driver/event-path';
import { execute } from '../driver/execute';
import { assess, type RehearsalResult } from '../driver/report';
import { setUpRehearsal, type Rehearsal, type RehearsalOptions } from '../driver/setup';
import { taskHandlers } from '../driver/task-handlers';
import { Timeline, type TimelineEntry } from '../driver/timeline';
import type { DrAccount } from '../dr-account';
import { readRawConfig, synthesizeRecovery } from '../estate';
import { synthesizedFailback, type SynthesizedFailback } from './estate';
import { connectFailbackToDr, type FailbackDrState } from './dr-jobs';
import { assessFailback, type FailbackOutcome } from './report';
import { defineWorkloadRegionCall, workloadAccountOf } from './workload-account';

export interface FailbackOptions extends Omit<RehearsalOptions, 'mode'> {
  /** Failback copy jobs (DR restore vault → local vault) that end FAILED. */
  readonly failCopies?: number;
  /** On-call's answer to the cleanup approval (default: approve). `approve` answers the failback's first approval. */
  readonly approveCleanup?: boolean;
  /** Called for every entry of the failback's timeline (seconds since the failback's start). */
  readonly onFailbackTimeline?: (entry: TimelineEntry) => void;
  /**
   * The failback (its definition and every call it makes) against this synthesized directory of the
   * same configuration instead of `synthDir`, which the recovery uses. A mutation suite
   * (__tests__/rehearsal/failback-authorization.test.ts) edits a copy of the estate's failback
   * policies: the recovery keeps the decisions it already cached for the unmodified estate.
   */
  readonly failbackSynthDir?: string;
}

export interface FailbackRehearsalResult {
  readonly recovery: RehearsalResult;
  /** Undefined when the recovery did not recover (nothing to fail back). */
  readonly failback?: FailbackOutcome;
  readonly failedBack: boolean;
}

/** Failback's step (docs/failback.md table) of a top-level state. */
export function failbackStepOf(state: string): string {
  if (/^(HasWorkloadField|ResolveWorkload|Config-|HasResources|LocateDrResources|LocatedA|UseLocated)/.test(state)) return 'Locate';
  if (/Approval/.test(state) && !/Cleanup/.test(state)) return 'Approve';
  if (/^(HowToFreeze|FreezeScaleDown|FreezeRunbook|Frozen)/.test(state)) return 'Freeze';
  if (/^FinalBackups/.test(state)) return 'FinalBackups';
  if (/^CopyToWorkload/.test(state)) return 'CopyToWorkload';
  if (/^RestoreInWorkload/.test(state)) return 'RestoreInWorkload';
  if (/Reconnect/.test(state)) return 'Reconnect';
  if (/Dns/.test(state)) return 'SwitchBack';
  if (/Health/.test(state)) return 'Verify';
  if (state === 'ReleaseFreeze') return 'Release';
  if (/^(ReportFailback$|GraceWait)/.test(state)) return 'Report';
  if (/Cleanup/.test(state)) return 'Cleanup';
  return state;
}

/** Runs the recovery, then (if it recovered) the failback. Never throws for a failed failback: see `failedBack` and the checks. */
export async function runFailbackRehearsal(options: FailbackOptions = {}): Promise<FailbackRehearsalResult> {
  // The recovery: approved whatever the failback's approval answers (`--reject` is the failback's).
  const recoveryOptions: RehearsalOptions = { ...options, mode: 'failover', approve: true };
  const rehearsal = await setUpRehearsal(recoveryOptions);
  if (!rehearsal.workload.failback) throw new Error(`workload ${rehearsal.workload.name} has no failback configured (workloads[].failback): --mode failback needs it`);
  const failbackEstate = options.failbackSynthDir
    ? synthesizeRecovery(options.config ?? readRawConfig().raw, options.configSource ?? '(failback)', { synthDir: options.failbackSynthDir })
    : rehearsal.synthesized;
  const fb = synthesizedFailback(failbackEstate, rehearsal.workload);
  const eventPath = connectEventPath(rehearsal);
  const tasks = taskHandlers(rehearsal);
  const execution = await execute(rehearsal, tasks, eventPath);
  const recovery = assess({
    options: recoveryOptions,
    mode: rehearsal.mode,
    workload: rehearsal.workload.name,
    input: execution.input,
    status: execution.status,
    timeline: rehearsal.timeline.entries,
    states: execution.states,
    model: rehearsal.model,
    runner: rehearsal.runner,
    synthesized: rehearsal.synthesized,
    resources: rehearsal.resources,
    events: eventPath.events,
    waitsApplied: tasks.waitsApplied,
    waitsObserved: execution.waitsObserved,
    functionResults: tasks.functionResults,
    clock: rehearsal.clock,
    retries: tasks.retries,
  });
  if (!recovery.recovered) return { recovery, failedBack: false };
  if (failbackEstate !== rehearsal.synthesized) rehearsal.model.authorizeWith(new Authorizer(failbackEstate.policies));
  const failback = await failBack(rehearsal, recovery, fb, options);
  return { recovery, failback, failedBack: failback.failedBack };
}

async function failBack(recovered: Rehearsal, recovery: RehearsalResult, fb: SynthesizedFailback, options: FailbackOptions): Promise<FailbackOutcome> {
  const { clock, model: dr, runner, workload, seed } = recovered;
  clock.resume();
  const startMs = clock.now();
  const timeline = new Timeline(clock, options.onFailbackTimeline, startMs);
  const workloadAccount: DrAccount = workloadAccountOf(recovered, fb);
  timeline.follow(dr, '', true);
  timeline.follow(workloadAccount, 'workload ', true);
  const dnsValue = workload.failback?.dnsRecord?.value;
  const drState: FailbackDrState = connectFailbackToDr(dr, workloadAccount, fb, { failCopies: options.failCopies ?? 0, dnsValue });
  defineWorkloadRegionCall(runner, dr, workloadAccount);
  const before = { drCalls: dr.stats.calls, drThrottled: dr.stats.throttled, drDenied: dr.stats.denied, evaluations: dr.authorizer.evaluations.length, invocations: runner.invocations.length };

  const resourceArns = recovery.restores.filter((r) => r.status === 'COMPLETED' && r.createdResourceArn).map((r) => r.createdResourceArn as string);
  timeline.emit('Setup', `failback of ${workload.name} to ${fb.workload.region} (account ${fb.workload.accountId}): ${resourceArns.length} resources production runs on in the DR account; ${workloadAccount.instances.size} server(s) of the workload launching in the primary region`);
  const rehearsal: Rehearsal = { ...recovered, timeline, options: { ...recovered.options, approve: options.approve } };
  const tasks = taskHandlers(rehearsal, {
    definition: fb.definition as any,
    executionRoleArn: fb.executionRoleArn,
    approvals: { RequestApproval: options.approve ?? true, RequestCleanupApproval: options.approveCleanup ?? true },
    // The grace period (the Task after it sees only its Parameters).
    waitSeconds: { GraceWait: (workload.failback?.graceHours ?? 72) * 3600 },
  });
  const noEvents = { pending: () => 0, events: recovery.events } as unknown as EventPath;
  const execution = await execute(rehearsal, tasks, noEvents, {
    definition: fb.definition,
    stateMachineName: fb.stateMachineName,
    stateMachineArn: fb.stateMachineArn,
    executionRoleArn: fb.executionRoleArn,
    executionName: `rehearsal-failback-${seed}`,
    input: { workload: workload.name, resourceArns },
    stepOf: failbackStepOf,
  });
  return assessFailback({ recovered, fb, dr, workloadAccount, drState, execution, timeline, startMs, resourceArns, before, retries: tasks.retries, dnsValue });
}
