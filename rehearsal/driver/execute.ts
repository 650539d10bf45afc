/**
 * The execution: the synthesized definition run in aws-local-stepfunctions with the local Task
 * handlers, on the simulated clock, until it, its event log and the event path have settled; its
 * events make the timeline of the top-level steps.
 */
import { ExecutionAbortedError, StateMachine } from '../interpreter';
import type { EventPath } from './event-path';
import type { RehearsalResult } from './report';
import type { Rehearsal } from './setup';
import type { TaskHandlers } from './task-handlers';
import type { StateMachineDefinition } from '../../modules/recovery/asl';
import { describeEntry, describeExit, stepOf as recoveryStepOf } from './timeline';

interface LooseEvent {
  type: string;
  index?: number;
  state?: { name: string; type: string; input?: any; output?: any };
  parentState?: { name: string };
  Error?: string;
  Cause?: unknown;
  retry?: { attempt: number };
}

export interface ExecutionOutcome {
  readonly input: Record<string, unknown>;
  readonly status: RehearsalResult['execution'];
  /** Top-level states: first entry and last exit, seconds since the start. */
  readonly states: RehearsalResult['states'];
  /** Wait states the execution went through, by name. */
  readonly waitsObserved: Record<string, number>;
  /** The execution's output (SUCCEEDED only). */
  readonly output?: unknown;
}

/** Another state machine than the recovery's (failback), executed from now on. */
export interface ExecutedMachine {
  readonly definition: StateMachineDefinition;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly executionRoleArn: string;
  readonly executionName: string;
  readonly input: Record<string, unknown>;
  /** Where timeline's step names come from (default: the recovery's). */
  readonly stepOf?: (state: string) => string;
}

/** Runs the execution of the rehearsal (or of `other`) to its end on simulated time. */
export async function execute(rehearsal: Rehearsal, tasks: TaskHandlers, eventPath: EventPath, other?: ExecutedMachine): Promise<ExecutionOutcome> {
  const { seed, workload, mode, trigger, region, dr, clock, timeline } = rehearsal;
  const synthesized = other ?? rehearsal.synthesized;
  const { definition } = synthesized;
  const stepOf = other?.stepOf ?? recoveryStepOf;
  const startMs = clock.now();
  const { failedProcessors, failedParallels } = tasks;
  const executionRole = synthesized.executionRoleArn;
  const executionName = other?.executionName ?? `rehearsal-${mode}-${seed}`;
  const input: Record<string, unknown> = other
    ? other.input
    : trigger === 'event'
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
      taskResourceLocalHandlers: tasks.handlers as any,
      waitTimeOverrides: Object.fromEntries(tasks.waits.map((w) => [w, 0])),
      retryIntervalOverrides: Object.fromEntries(tasks.retryStates.map((s) => [s, 0])),
    },
    context: {
      Execution: { Id: `arn:aws:states:${region}:${dr}:execution:${synthesized.stateMachineName}:${executionName}`, Name: executionName, RoleArn: executionRole },
      StateMachine: { Id: synthesized.stateMachineArn, Name: synthesized.stateMachineName },
      Task: { Token: `AQCEAAAAKgAAAA-rehearsal-${seed}` },
      // The interpreter sets no $$.State: EnteredTime is read when a state evaluates its paths (now, simulated).
      State: {
        get EnteredTime() {
          return new Date(clock.now()).toISOString();
        },
        Name: 'rehearsal',
        RetryCount: 0,
      },
    } as any,
  }));
  timeline.emit('Start', `execution ${executionName} of ${synthesized.stateMachineName}: ${JSON.stringify(input).slice(0, 200)}`);

  // Simulated TimeoutSeconds of the definition.
  let timedOut = false;
  if (definition.TimeoutSeconds) {
    clock.at(startMs + definition.TimeoutSeconds * 1000, () => {
      if (settled) return;
      timedOut = true;
      execution.abort();
    });
  }

  let settled = false;
  let status: RehearsalResult['execution'] = { status: 'SUCCEEDED' };
  let output: unknown;
  execution.result.then(
    (result: unknown) => {
      settled = true;
      output = result;
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
      const at = (clock.now() - startMs) / 1000;
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
          timeline.emit(stepOf(name), `${name} ${describeEntry(name, ev.state.input, map?.Type === 'Map' ? map.MaxConcurrency : undefined)}`.trim());
        }
        // The execution's end (a branch's Fail or Succeed state ends only the branch).
        if ((ev.state.type === 'Fail' || ev.state.type === 'Succeed') && name in definition.States) timeline.emit('End', `${name}`);
      } else if (ev.type === 'StateExited') {
        const s = states[name];
        if (s) states[name] = { ...s, exitedAt: at };
        const summary = describeExit(name, ev.state.output);
        if (summary) timeline.emit(stepOf(name), `${name} done: ${summary}`);
      } else if (ev.type === 'StateCaught') {
        timeline.emit(stepOf(name), `${name} failed, caught → failure branch`);
      }
    }
    logsDone = true;
  })();

  try {
    await clock.drive(() => {
      timeline.flushNotes();
      return settled && logsDone && eventPath.pending() === 0;
    }, startMs + ((definition.TimeoutSeconds ?? 172800) + 86400) * 1000);
  } catch (error) {
    execution.abort();
    throw error;
  } finally {
    timeline.flushNotes();
    await clock.stop();
  }
  await consume;
  timeline.entries.sort((a, b) => a.at - b.at);
  return { input, status, states, waitsObserved, output };
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
