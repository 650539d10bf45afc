/**
 * Amazon States Language as typed data: the recovery state machine is generated from TypeScript, never
 * hand-edited JSON, so that states, transitions and retries are checked by the compiler and tests.
 */

export interface RetryRule {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface CatchRule {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

type Flow = { Next: string; End?: never } | { End: true; Next?: never };

interface Common {
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
}

export type TaskState = Common &
  Flow & {
    Type: 'Task';
    Resource: string;
    Parameters?: Record<string, unknown>;
    Credentials?: { RoleArn: string };
    ResultSelector?: Record<string, unknown>;
    ResultPath?: string | null;
    TimeoutSeconds?: number;
    HeartbeatSeconds?: number;
    Retry?: RetryRule[];
    Catch?: CatchRule[];
  };

export type PassState = Common & Flow & { Type: 'Pass'; Parameters?: Record<string, unknown>; Result?: unknown; ResultPath?: string | null };

export type WaitState = Common & Flow & { Type: 'Wait'; Seconds?: number; SecondsPath?: string };

export interface ChoiceRule {
  Variable?: string;
  Next?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  StringEquals?: string;
  /** `*` matches any run of characters (`\\*` a literal one). */
  StringMatches?: string;
  BooleanEquals?: boolean;
  NumericGreaterThan?: number;
  NumericGreaterThanEquals?: number;
  NumericGreaterThanEqualsPath?: string;
  IsPresent?: boolean;
  IsString?: boolean;
}

export type ChoiceState = Common & { Type: 'Choice'; Choices: ChoiceRule[]; Default?: string };

export type MapState = Common &
  Flow & {
    Type: 'Map';
    ItemsPath: string;
    ItemSelector?: Record<string, unknown>;
    MaxConcurrency?: number;
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }; StartAt: string; States: Record<string, State> };
    ResultSelector?: Record<string, unknown>;
    ResultPath?: string | null;
    Retry?: RetryRule[];
    Catch?: CatchRule[];
  };

/** Branches run concurrently on the same input; the output is the array of their outputs. */
export type ParallelState = Common &
  Flow & {
    Type: 'Parallel';
    Branches: { StartAt: string; States: Record<string, State> }[];
    ResultSelector?: Record<string, unknown>;
    ResultPath?: string | null;
    Retry?: RetryRule[];
    Catch?: CatchRule[];
  };

export type SucceedState = Common & { Type: 'Succeed' };
export type FailState = { Type: 'Fail'; Comment?: string; Error?: string; Cause?: string; ErrorPath?: string; CausePath?: string };

export type State = TaskState | PassState | WaitState | ChoiceState | MapState | ParallelState | SucceedState | FailState;

export interface StateMachineDefinition {
  Comment: string;
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

/** Throttling and transient errors of the services the machine calls, as Step Functions names them. */
export function transientErrors(service: string): string[] {
  const codes = ['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling', 'ServiceUnavailableException', 'InternalServerException'];
  return codes.map((c) => `${service}.${c}`);
}

export const LAMBDA_TRANSIENT_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

/**
 * Exponential backoff with full jitter, bounded: ten retries ride out a throttling storm (a call
 * throttled 30% of the time fails eleven times in a row about twice in a million).
 */
export function retryTransient(errors: string[]): RetryRule[] {
  return [{ ErrorEquals: errors, IntervalSeconds: 2, MaxAttempts: 10, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' }];
}

/** Every state of the definition, including those inside Map processors and Parallel branches. */
export function allStates(def: { States: Record<string, State> }): [string, State][] {
  const out: [string, State][] = [];
  for (const [name, state] of Object.entries(def.States)) {
    out.push([name, state]);
    if (state.Type === 'Map') out.push(...allStates(state.ItemProcessor));
    if (state.Type === 'Parallel') for (const branch of state.Branches) out.push(...allStates(branch));
  }
  return out;
}

/** The state named `name` anywhere in the definition (names are unique across processors and branches). */
export function findState(def: { States: Record<string, State> }, name: string): State | undefined {
  return allStates(def).find(([n]) => n === name)?.[1];
}

/** The state machines of a definition: the top level, every Map processor and every Parallel branch (each a separate graph). */
export function stateMachineLevels(def: { States: Record<string, State> }): Record<string, State>[] {
  return [
    def.States,
    ...Object.values(def.States).flatMap((s) => (s.Type === 'Map' ? stateMachineLevels(s.ItemProcessor) : s.Type === 'Parallel' ? s.Branches.flatMap((b) => stateMachineLevels(b)) : [])),
  ];
}

/** Names a state transitions to (Next, Default, Choices, Catch). */
export function transitions(state: State): string[] {
  const next: string[] = [];
  if ('Next' in state && state.Next) next.push(state.Next);
  if (state.Type === 'Choice') {
    if (state.Default) next.push(state.Default);
    for (const c of state.Choices) if (c.Next) next.push(c.Next);
  }
  if ((state.Type === 'Task' || state.Type === 'Map' || state.Type === 'Parallel') && state.Catch) for (const c of state.Catch) next.push(c.Next);
  return next;
}
