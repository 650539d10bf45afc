/**
 * What the steps of the recovery machine share: the configuration types, the step names, the
 * Retry/Catch policies (a failure is caught into `<step>Failed`, or inside a Parallel branch into
 * `<step>BranchFailed`), the Task helpers and the bounded polling loop.
 */
import {
  LAMBDA_TRANSIENT_ERRORS,
  retryTransient,
  transientErrors,
  type CatchRule,
  type ChoiceRule,
  type MapState,
  type ParallelState,
  type State,
  type TaskState,
} from '../asl';

/** One workload as the recovery machine sees it (derived from the estate configuration). */
export interface RecoveryWorkload {
  readonly name: string;
  readonly accountId: string;
  /** Approval before an automatic (event) start; a manual start never waits. */
  readonly approvalRequired: boolean;
  readonly approvalTimeoutSeconds: number;
  readonly rpoMinutes: number;
  readonly restoreConcurrency: number;
  /** Per restore (and per copy) job. */
  readonly jobTimeoutMinutes: number;
  /** AWS Backup resource types to restore. */
  readonly resourceTypes: string[];
  readonly servers: { readonly role: string; readonly autoScalingGroupName: string; readonly size: number; readonly maxSize: number }[];
  readonly failover?: { readonly hostedZoneId: string; readonly recordName: string; readonly recordType: string; readonly value: string; readonly ttl: number };
  /** CloudWatch alarm that is OK when the recovered workload is healthy. */
  readonly healthAlarmName?: string;
  /** Shell command that starts the application (run by the connect runbook). */
  readonly startCommand: string;
  /** Where restored EFS file systems are mounted. */
  readonly mountRoot: string;
  /**
   * How BuildInfrastructure builds the servers.
   * @default autoScaling (scale the server roles' groups)
   */
  readonly infrastructure?: RecoveryInfrastructure;
  /** `workloads[].recovery.fsx`: what FSx restores need in the DR account (passed to prepare-restore's target). */
  readonly fsx?: { readonly windowsDirectoryId?: string; readonly ontapStorageVirtualMachineId?: string };
}

/** `workloads[].recovery.infrastructure`: the Auto Scaling groups of the landing zone, or a Terraform Cloud run. */
export type RecoveryInfrastructure =
  | { readonly kind: 'autoScaling' }
  | { readonly kind: 'terraformCloud'; readonly workspaceId: string; readonly pollSeconds: number; readonly timeoutMinutes: number };

export interface RecoveryDefinitionProps {
  readonly workloads: RecoveryWorkload[];
  readonly functionArns: {
    readonly locateRecoveryPoints: string;
    readonly prepareRestore: string;
    readonly attachRestoredVolume: string;
    readonly reportRecovery: string;
    readonly cleanupDrill: string;
  };
  readonly onCallTopicArn: string;
  readonly restoreRoleArn: string;
  readonly restoreVault: { readonly name: string; readonly arn: string; readonly accountId: string; readonly region: string };
  readonly centralVault: { readonly name: string; readonly accountId: string; readonly region: string };
  /**
   * The logically air-gapped vault shared with the DR account through AWS RAM (`centralVault.kind`
   * airGapped or both): locate prefers its points to the central vault's, and they are restored in
   * place, without a copy.
   * @default none: locate looks in the restore vault and the central vault
   */
  readonly airGappedVault?: { readonly name: string; readonly accountId: string; readonly region: string };
  /**
   * Whether locate looks in the locked central vault (and copies from it).
   * @default true; false with `centralVault.kind` airGapped (there is none)
   */
  readonly copyFromCentralVault?: boolean;
  readonly copyStarterRoleArn: string;
  readonly copyServiceRoleArn: string;
  /** Lifecycle of recovery points copied into the DR restore vault. */
  readonly copyRetentionDays: number;
  readonly connectDocumentName: string;
  readonly target: {
    readonly availabilityZones: string[];
    readonly subnetIds: string[];
    readonly securityGroupIds: string[];
    /**
     * Added to the names of restored databases, tables and file systems (prepare-restore requires it).
     * @default `dr`
     */
    readonly nameSuffix?: string;
    /**
     * DB subnet group of the landing zone, for RDS and Aurora restores.
     * @default none: the account's default DB subnet group (prepare-restore warns)
     */
    readonly dbSubnetGroupName?: string;
    /**
     * Bucket S3 recovery points are restored into.
     * @default none: prepare-restore refuses S3 restores
     */
    readonly recoveryBucketName?: string;
    /**
     * Security group of restored FSx file systems (the landing zone's, when a workload backs up FSx).
     * @default `securityGroupIds`
     */
    readonly fileSystemSecurityGroupIds?: string[];
    /**
     * Instance profile of restored EC2 instances (the landing zone's; its role is passed by the restore role).
     * @default none: restored instances start without a profile (prepare-restore warns)
     */
    readonly instanceProfileName?: string;
  };
  /**
   * Seconds between two polls of a job.
   * @default 30
   */
  readonly pollSeconds?: number;
  /**
   * Terraform Cloud (or Enterprise) for workloads with `infrastructure.kind` terraformCloud: the API's
   * base URL (`https://app.terraform.io`) and the EventBridge connection holding the API token.
   * @default none: no workload may use `infrastructure.kind` terraformCloud
   */
  readonly terraformCloud?: { readonly apiUrl: string; readonly connectionArn: string; readonly connectionName: string };
}

/** Step names as reported on failure ("which step failed and why"). */
export const RECOVERY_STEPS = ['Approve', 'LocateData', 'CopyToRestoreVault', 'BuildInfrastructure', 'RestoreData', 'ConnectServers', 'FailoverTraffic', 'Verify', 'CleanupDrill'] as const;
export type RecoveryStep = (typeof RECOVERY_STEPS)[number];

/** How a machine paces its jobs (recovery's and failback's alike). */
export interface JobPacing {
  /** Seconds between two polls of a job (`props.pollSeconds`, default 30). */
  readonly poll: number;
  /** Polls of a job before it times out. */
  readonly jobPolls: number;
  /** Jobs running at once. */
  readonly jobConcurrency: number;
}

/**
 * One machine serves every workload: its jobs get the longest timeout and the lowest concurrency any
 * workload asks for.
 */
export function jobPacing(props: {
  readonly pollSeconds?: number;
  readonly workloads: readonly { readonly jobTimeoutMinutes: number; readonly restoreConcurrency: number }[];
}): JobPacing {
  const poll = props.pollSeconds ?? 30;
  return {
    poll,
    jobPolls: Math.ceil((Math.max(...props.workloads.map((w) => w.jobTimeoutMinutes)) * 60) / poll),
    jobConcurrency: Math.max(1, Math.min(...props.workloads.map((w) => w.restoreConcurrency))),
  };
}

/** What every step builder gets: the props, and what the composition derives from them once. */
export interface StepContext extends JobPacing {
  readonly props: RecoveryDefinitionProps;
  /** Whether some workload restores EFS file systems (which need mount targets). */
  readonly restoresEfs: boolean;
  /** Whether some workload restores FSx file systems or volumes (described for the runbook, deleted after a drill). */
  readonly restoresFsx: boolean;
}

/**
 * A machine's states as its steps build them, in the order of the workflow: the order the definition
 * lists them in (and so the synthesized JSON) follows this list.
 */
export function stepStates<C>(ctx: C, steps: readonly ((ctx: C) => Record<string, State>)[]): Record<string, State> {
  return Object.assign({}, ...steps.map((step) => step(ctx)));
}

/** A branch of a Parallel state (CopyAndBuild's copy and build branches). */
export type ParallelBranch = ParallelState['Branches'][number];

const SDK = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** At the top level: catch into `<step>Failed`, which reports the step. */
export function onFailure(step: RecoveryStep): CatchRule[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `${step}Failed` }];
}

/** Error with which a branch of CopyAndBuild fails; its cause is `{"failedStep": ..., "failure": {"Error", "Cause"}}` as JSON. */
export const BRANCH_FAILED = 'Recovery.StepFailed';

/** Inside a Parallel branch: catch into `<step>BranchFailed`, which ends the branch naming the step. */
export function onBranchFailure(step: RecoveryStep): CatchRule[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `${step}BranchFailed` }];
}

/**
 * The end of a failed branch: `<step>BranchFailed` (one per step the branch runs; `$.failure` holds
 * the error and cause) → the branch fails with {@link BRANCH_FAILED}, the step and the failure
 * serialized into its cause (a Fail state's Cause is a string).
 */
export function branchFailureStates(branch: string, steps: RecoveryStep[]): Record<string, State> {
  const out: Record<string, State> = {};
  for (const step of steps) {
    out[`${step}BranchFailed`] = { Type: 'Pass', Parameters: { failedStep: step, 'failure.$': '$.failure' }, ResultPath: '$.branchFailure', Next: `${branch}BranchSerializeFailure` };
  }
  out[`${branch}BranchSerializeFailure`] = { Type: 'Pass', Parameters: { 'cause.$': 'States.JsonToString($.branchFailure)' }, ResultPath: '$.branchFailure', Next: `${branch}BranchFail` };
  out[`${branch}BranchFail`] = { Type: 'Fail', Error: BRANCH_FAILED, CausePath: '$.branchFailure.cause' };
  return out;
}

/** Retry of an SNS publish: throttling and KMS throttling of the encrypted topic included. */
export const SNS_RETRY = retryTransient([...transientErrors('SNS'), 'SNS.ThrottledException', 'SNS.KMSThrottlingException']);

/**
 * On-call's approval, as both machines ask for it: an SNS message with a task token, then on to
 * `approved` only on `{"approved":true}`; any other answer ends in ApprovalRejected, which reports
 * step Approve as failed.
 */
export function onCallApprovalStates(opts: {
  topicArn: string;
  subject: string;
  /** A `States.Format` expression. */
  message: string;
  timeoutSeconds: number;
  catch: CatchRule[];
  approved: string;
  rejectedCause: string;
}): Record<string, State> {
  return {
    RequestApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Parameters: { TopicArn: opts.topicArn, Subject: opts.subject, 'Message.$': opts.message },
      TimeoutSeconds: opts.timeoutSeconds,
      ResultPath: '$.approval',
      Retry: SNS_RETRY,
      Catch: opts.catch,
      Next: 'CheckApproval',
    } as State,
    CheckApproval: ifPresent('$.approval.approved', 'CheckApprovalAnswer', 'ApprovalRejected'),
    CheckApprovalAnswer: { Type: 'Choice', Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: opts.approved }], Default: 'ApprovalRejected' },
    ApprovalRejected: { Type: 'Pass', Result: { Error: 'ApprovalRejected', Cause: opts.rejectedCause }, ResultPath: '$.failure', Next: 'ApproveFailed' },
  };
}

/**
 * The workload `$.workload` names: its configuration into `$.config` (`Config-<name>`), then `next`; a
 * name no workload has fails the execution with UnknownWorkload (`unknownCause`).
 */
export function resolveWorkloadStates<W extends { readonly name: string }>(workloads: readonly W[], config: (w: W) => unknown, unknownCause: string, next: string): Record<string, State> {
  const states: Record<string, State> = {
    ResolveWorkload: {
      Type: 'Choice',
      Choices: workloads.map((w) => ({ Variable: '$.workload', StringEquals: w.name, Next: `Config-${w.name}` })),
      Default: 'UnknownWorkload',
    },
    UnknownWorkload: { Type: 'Fail', Error: 'UnknownWorkload', Cause: unknownCause },
  };
  for (const w of workloads) states[`Config-${w.name}`] = { Type: 'Pass', Result: config(w), ResultPath: '$.config', Next: next } as State;
  return states;
}

/** A Choice on whether `variable` exists: a rule on a missing variable would fail the execution (States.Runtime). */
export function ifPresent(variable: string, next: string, otherwise: string): State {
  return { Type: 'Choice', Choices: [{ Variable: variable, IsPresent: true, Next: next }], Default: otherwise };
}

export function lambdaTask(functionArn: string, payload: Record<string, unknown>, rest: Record<string, unknown>): TaskState {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE,
    Parameters: { FunctionName: functionArn, Payload: payload },
    ResultSelector: { 'Payload.$': '$.Payload' },
    Retry: retryTransient(LAMBDA_TRANSIENT_ERRORS),
    ...rest,
  } as unknown as TaskState;
}

export function sdkTask(service: string, prefix: string, action: string, parameters: Record<string, unknown>, rest: Record<string, unknown>): TaskState {
  return { Type: 'Task', Resource: SDK(service, action), Parameters: parameters, Retry: retryTransient(transientErrors(prefix)), ...rest } as unknown as TaskState;
}

/**
 * A bounded polling loop: `check` (a Task writing `$.<key>.status`; the loop sets its Next), then a
 * Choice on it; after `maxAttempts` polls the loop fails with `timeoutError` instead of running for
 * ever. Only a loop with `failWhen` fails otherwise, with `failError`.
 */
export function pollLoop(
  opts: {
    prefix: string;
    key: string;
    check: TaskState;
    pollSeconds: number;
    maxAttempts: number;
    doneWhen: ChoiceRule;
    timeoutError: string;
    next: string;
  } & ({ failWhen?: undefined; failError?: undefined } | { failWhen: ChoiceRule; failError: string }),
): Record<string, State> {
  const p = opts.prefix;
  return {
    [`${p}Init`]: { Type: 'Pass', Result: { value: 0 }, ResultPath: `$.${opts.key}Attempts`, Next: `${p}Check` },
    [`${p}Check`]: { ...opts.check, Next: `${p}Evaluate` } as TaskState,
    [`${p}Evaluate`]: {
      Type: 'Choice',
      Choices: [
        { ...opts.doneWhen, Next: opts.next },
        ...(opts.failWhen ? [{ ...opts.failWhen, Next: `${p}Failed` }] : []),
        { Variable: `$.${opts.key}Attempts.value`, NumericGreaterThanEquals: opts.maxAttempts, Next: `${p}TimedOut` },
      ],
      Default: `${p}Wait`,
    },
    [`${p}Wait`]: { Type: 'Wait', Seconds: opts.pollSeconds, Next: `${p}Count` },
    [`${p}Count`]: { Type: 'Pass', Parameters: { 'value.$': `States.MathAdd($.${opts.key}Attempts.value, 1)` }, ResultPath: `$.${opts.key}Attempts`, Next: `${p}Check` },
    ...(opts.failWhen ? { [`${p}Failed`]: { Type: 'Fail', Error: opts.failError, CausePath: `$.${opts.key}.statusMessage` } as State } : {}),
    [`${p}TimedOut`]: { Type: 'Fail', Error: opts.timeoutError, Cause: `gave up after ${opts.maxAttempts} polls ${opts.pollSeconds} s apart` },
  };
}

/**
 * Automation execution statuses that end a runbook, with success or without (SSM API Reference,
 * AutomationExecution, AutomationExecutionStatus:
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AutomationExecution.html). Every
 * other status (Pending, InProgress, Waiting, Cancelling, PendingApproval, Approved, Scheduled,
 * RunbookInProgress, PendingChangeCalendarOverride, ChangeCalendarOverrideApproved) is still running:
 * a status missing from both lists would be polled until the loop gives up, minutes of RTO lost
 * before the failure is reported.
 */
export const RUNBOOK_SUCCEEDED = ['Success', 'CompletedWithSuccess'] as const;
export const RUNBOOK_FAILED = ['Failed', 'Cancelled', 'TimedOut', 'Rejected', 'CompletedWithFailure', 'ChangeCalendarOverrideRejected', 'Exited'] as const;

/**
 * A runbook's Automation execution polled until it succeeds (bounded): `check` writes `$.<key>.status`
 * and `.statusMessage`; a RUNBOOK_FAILED status ends it. At the top level a Fail state would end the
 * execution unreported, so the loop's failure and timeout go to `failed` (the step's report) instead.
 */
export function runbookPollStates(opts: {
  prefix: string;
  key: string;
  check: TaskState;
  pollSeconds: number;
  maxAttempts: number;
  failError: string;
  timeoutError: string;
  timeoutCause: string;
  failed: string;
  next: string;
}): Record<string, State> {
  const { prefix, key, failError, timeoutError } = opts;
  const status = `$.${key}.status`;
  return {
    ...pollLoop({
      prefix,
      key,
      check: opts.check,
      pollSeconds: opts.pollSeconds,
      maxAttempts: opts.maxAttempts,
      doneWhen: { Or: RUNBOOK_SUCCEEDED.map((s) => ({ Variable: status, StringEquals: s })) },
      failWhen: { Or: RUNBOOK_FAILED.map((s) => ({ Variable: status, StringEquals: s })) },
      failError,
      timeoutError,
      next: opts.next,
    }),
    [`${prefix}Failed`]: { Type: 'Pass', Parameters: { Error: failError, 'Cause.$': `$.${key}.statusMessage` }, ResultPath: '$.failure', Next: opts.failed },
    [`${prefix}TimedOut`]: { Type: 'Pass', Result: { Error: timeoutError, Cause: opts.timeoutCause }, ResultPath: '$.failure', Next: opts.failed },
  };
}

/**
 * Gives every Task inside a Map processor a Catch that ends the item with the same error and cause,
 * so that every Task has Retry and Catch while the Map's own Catch still sees the original error.
 */
export function catchInsideProcessor(processorStates: Record<string, State>, failState: string): Record<string, State> {
  for (const state of Object.values(processorStates)) {
    if (state.Type === 'Task' && !state.Catch) state.Catch = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failState }];
  }
  processorStates[failState] = { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' } as State;
  return processorStates;
}

/**
 * The ItemProcessor of every Map of both machines: inline (an item is a few Tasks, not worth a child
 * execution), starting at `startAt`, its Tasks caught into `failState` ({@link catchInsideProcessor}).
 */
export function inlineProcessor(startAt: string, processorStates: Record<string, State>, failState: string): MapState['ItemProcessor'] {
  return { ProcessorConfig: { Mode: 'INLINE' }, StartAt: startAt, States: catchInsideProcessor(processorStates, failState) };
}
