/**
 * The state machine's Task states, run locally: every Task of the definition (Map processors and
 * Parallel branches included) overridden by name with the call it makes on the model, the function
 * it invokes, or the approval it waits for; errors named as Step Functions names them, so Retry and
 * Catch match; Wait states and Retry backoffs slept on the simulated clock.
 */
import type { CatchRule, RetryRule, State, TaskState } from '../../modules/recovery/asl';
import { HttpTaskError, ModelError } from '../dr-account';
import { FunctionError } from '../functions';
import type { Rehearsal } from './setup';
import { stepOf } from './timeline';

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
  /** Wait state whose Next (through Pass states) is this task; `secondsPath` (SecondsPath) is read from the task's input, and slept before every call. */
  readonly afterWait?: { readonly name: string; readonly seconds: number; readonly secondsPath?: string };
}

function walk(definition: { States: Record<string, State> }, processor: string | undefined, out: { tasks: Map<string, TaskInfo>; waits: string[]; retryStates: string[] }, parallel?: string): void {
  const states = definition.States;
  const waitBefore = new Map<string, { name: string; seconds: number; secondsPath?: string }>();
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
    const secondsPath = (state as { SecondsPath?: string }).SecondsPath;
    if (state.Seconds === undefined && !secondsPath) throw new Error(`Wait state ${name} has no Seconds`);
    waitBefore.set(next, { name, seconds: state.Seconds ?? 0, ...(secondsPath ? { secondsPath } : {}) });
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
// The handlers

export interface TaskHandlers {
  /** Task state name → its local handler. */
  readonly handlers: Record<string, (input: any) => Promise<any>>;
  /** Wait states: the interpreter waits 0 ms in them (the Task after one sleeps its Seconds). */
  readonly waits: readonly string[];
  /** States with a Retry: the interpreter retries them at once (the handler sleeps the backoff). */
  readonly retryStates: readonly string[];
  /** Map states one of whose iterations failed: Step Functions starts no new iteration. */
  readonly failedProcessors: Set<string>;
  /** Parallel states one of whose branches failed: Step Functions stops the other branches. */
  readonly failedParallels: Set<string>;
  /** Wait states placed on the clock, by name. */
  readonly waitsApplied: Record<string, number>;
  /** What the functions returned, in order. */
  readonly functionResults: { fn: string; state: string; output: unknown }[];
  /** Retries so far. */
  readonly retries: number;
}

/** Another state machine than the recovery's (failback): its definition, its execution role, on-call's answer per approval state. */
export interface MachineUnderTest {
  readonly definition: { States: Record<string, State> };
  readonly executionRoleArn: string;
  /** Approval (waitForTaskToken) state → on-call's answer; states not listed answer `options.approve`. */
  readonly approvals?: Record<string, boolean>;
  /** Seconds of SecondsPath Wait states whose path the following Task's Parameters do not carry, by Wait name. */
  readonly waitSeconds?: Record<string, number>;
}

/** A simple JSONPath (`$.config.graceSeconds`) of `input`. */
function readPath(input: unknown, path: string): unknown {
  return path.replace(/^\$\.?/, '').split('.').filter(Boolean).reduce<any>((v, k) => v?.[k], input);
}

/** The local handlers of the definition's Task states (the recovery machine's, or `machine`'s). */
export function taskHandlers(rehearsal: Rehearsal, machine?: MachineUnderTest): TaskHandlers {
  const { options, random, synthesized, clock, timeline, model, runner } = rehearsal;
  const walked = { tasks: new Map<string, TaskInfo>(), waits: [] as string[], retryStates: [] as string[] };
  walk(machine?.definition ?? (synthesized.definition as unknown as { States: Record<string, State> }), undefined, walked);
  const executionRole = machine?.executionRoleArn ?? synthesized.executionRoleArn;
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
    if (resource === 'arn:aws:states:::sns:publish') {
      return async (input) => JSON.parse(JSON.stringify(await model.call('sns', 'publish', { TopicArn: input.TopicArn, Subject: input.Subject, Message: input.Message }, executionRole, info.name)));
    }
    if (resource === 'arn:aws:states:::http:invoke') {
      return async (input) => JSON.parse(JSON.stringify(await model.httpInvoke(input, executionRole)));
    }
    if (resource === 'arn:aws:states:::sns:publish.waitForTaskToken') {
      return async (input) => {
        await model.call('sns', 'publish', { TopicArn: input.TopicArn, Subject: input.Subject, Message: input.Message }, executionRole, info.name);
        const timeout = (info.state.TimeoutSeconds ?? 99999999) * 1000;
        timeline.emit('Approve', `approval requested on the on-call topic; on-call answers in ${Math.round(approvalDelay / 60000)} min`);
        await clock.sleep(Math.min(approvalDelay, timeout));
        if (approvalDelay > timeout) throw new StepFunctionsError('States.Timeout', `no answer within ${timeout / 1000} s`);
        const approved = machine?.approvals?.[info.name] ?? options.approve ?? true;
        timeline.emit(info.name === 'RequestApproval' ? 'Approve' : stepOf(info.name), approved ? 'on-call approved (send-task-success {"approved":true})' : 'on-call REJECTED (send-task-success {"approved":false})');
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
      } else if (info.afterWait?.secondsPath) {
        // A Wait of SecondsPath (the failback's grace period): the Task is entered through it only.
        const seconds = Number(readPath(input, info.afterWait.secondsPath) ?? machine?.waitSeconds?.[info.afterWait.name] ?? 0);
        waitsApplied[info.afterWait.name] = (waitsApplied[info.afterWait.name] ?? 0) + 1;
        await clock.sleep(seconds * 1000);
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
          timeline.emit(info.processor ? `${info.processor}` : stepOf(info.name), `${info.name} failed: ${error.name}: ${error.message.slice(0, 300)}${retrier ? ` (after ${maxAttempts} retries)` : ''}${catches(info.state.Catch, error.name) ? '' : ' (not caught)'}`);
          if (info.processor) failedProcessors.add(info.processor);
        }
        calls.set(key, entry);
        throw error;
      }
    };
  }

  return {
    handlers,
    waits: walked.waits,
    retryStates: walked.retryStates,
    failedProcessors,
    failedParallels,
    waitsApplied,
    functionResults,
    get retries() {
      return retries;
    },
  };
}
