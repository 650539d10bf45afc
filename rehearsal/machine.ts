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
 *
 * The driver is in `driver/`: `setup.ts` (the estate, the model of the DR account, the functions),
 * `event-path.ts` and `task-handlers.ts` (what the execution calls), `execute.ts` (the execution on
 * simulated time), `report.ts` (was the workload recovered?) and `timeline.ts`.
 */
import { connectEventPath } from './driver/event-path';
import { execute } from './driver/execute';
import { assess, type RehearsalResult } from './driver/report';
import { setUpRehearsal, type RehearsalOptions } from './driver/setup';
import { taskHandlers } from './driver/task-handlers';

export { atSimulatedNow } from './driver/execute';
export type { Check, RehearsalResult, RestoreOutcome, VolumeOutcome } from './driver/report';
export type { RehearsalOptions } from './driver/setup';
export { formatTimeline, stepOf, type TimelineEntry } from './driver/timeline';

/** Runs one rehearsal. Never throws for a failed recovery: see `recovered` and `checks`. */
export async function runRehearsal(options: RehearsalOptions = {}): Promise<RehearsalResult> {
  const rehearsal = await setUpRehearsal(options);
  const eventPath = connectEventPath(rehearsal);
  const tasks = taskHandlers(rehearsal);
  const execution = await execute(rehearsal, tasks, eventPath);
  const { mode, workload, timeline, model, runner, synthesized, resources, clock } = rehearsal;
  return assess({
    options,
    mode,
    workload: workload.name,
    input: execution.input,
    status: execution.status,
    timeline: timeline.entries,
    states: execution.states,
    model,
    runner,
    synthesized,
    resources,
    events: eventPath.events,
    waitsApplied: tasks.waitsApplied,
    waitsObserved: execution.waitsObserved,
    functionResults: tasks.functionResults,
    clock,
    retries: tasks.retries,
  });
}
