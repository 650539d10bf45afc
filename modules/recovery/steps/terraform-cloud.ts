import type { CatchRule, State, TaskState } from '../asl';
import { retryTransient } from '../asl';
import type { RecoveryDefinitionProps, RecoveryInfrastructure, RecoveryWorkload } from './common';

/** Terminal statuses of a Terraform Cloud run that mean it did not apply (runs API, "Run states"). */
export const TERRAFORM_RUN_FAILED_STATUSES = ['errored', 'canceled', 'discarded', 'force_canceled', 'policy_soft_failed'] as const;
/** Done: applied, or planned with nothing to change (a workspace already in shape ends a run with planned_and_finished). */
export const TERRAFORM_RUN_DONE_STATUSES = ['applied', 'planned_and_finished'] as const;

/** Workloads whose infrastructure is built by a Terraform Cloud run. */
function terraformCloudWorkloads(props: RecoveryDefinitionProps): { w: RecoveryWorkload; infrastructure: Extract<RecoveryInfrastructure, { kind: 'terraformCloud' }> }[] {
  return props.workloads.flatMap((w) => (w.infrastructure?.kind === 'terraformCloud' ? [{ w, infrastructure: w.infrastructure }] : []));
}

/**
 * One machine serves every workload: it reads Terraform Cloud runs at the shortest `pollSeconds` any
 * such workload asks for, and each workload's `timeoutMinutes` becomes its own number of reads.
 */
export function terraformRunPolling(props: RecoveryDefinitionProps): { pollSeconds: number; maxPolls: (timeoutMinutes: number) => number } | undefined {
  const workloads = terraformCloudWorkloads(props);
  if (workloads.length === 0) return undefined;
  const pollSeconds = Math.min(...workloads.map((x) => x.infrastructure.pollSeconds));
  return { pollSeconds, maxPolls: (timeoutMinutes) => Math.max(1, Math.ceil((timeoutMinutes * 60) / pollSeconds)) };
}

/** Throttling and transient failures of an HTTP Task (the API's status codes, the connection's own errors). */
const HTTP_TRANSIENT_ERRORS = [
  'States.Http.StatusCode.429',
  'States.Http.StatusCode.502',
  'States.Http.StatusCode.503',
  'States.Http.StatusCode.504',
  'Events.ConnectionResource.ConcurrentModification',
  'Events.ConnectionResource.InternalError',
];

/**
 * Terraform Cloud states of the build branch (workloads with `infrastructure.kind` terraformCloud):
 * queue an auto-applied run in the workspace (`POST /api/v2/runs`, HTTP Task through the EventBridge
 * connection), then read it (`GET /api/v2/runs/{id}`) until it is applied or ends otherwise, bounded
 * by the workload's `timeoutMinutes`. The API answers `application/vnd.api+json`: whether Step
 * Functions hands it over parsed or as a string, it is parsed before use. None without such workloads.
 */
export function terraformCloudStates(props: RecoveryDefinitionProps, opts: { next: string; onFailure: string }): { startAt: string; states: Record<string, State> } | undefined {
  const polling = terraformRunPolling(props);
  if (!polling) return undefined;
  const tfc = props.terraformCloud;
  if (!tfc) throw new Error('recoveryDefinition: workloads with infrastructure "terraformCloud" need props.terraformCloud (API URL and connection)');
  const maxPolls = Math.max(...terraformCloudWorkloads(props).map((x) => polling.maxPolls(x.infrastructure.timeoutMinutes)));
  const catchAll: CatchRule[] = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: opts.onFailure }];
  const http = (parameters: Record<string, unknown>, rest: Record<string, unknown>): TaskState =>
    ({
      Type: 'Task',
      Resource: 'arn:aws:states:::http:invoke',
      Parameters: { ...parameters, Authentication: { ConnectionArn: tfc.connectionArn } },
      // The API answers 429 when throttled; 5xx from its gateway are transient.
      Retry: retryTransient(HTTP_TRANSIENT_ERRORS),
      Catch: catchAll,
      ...rest,
    }) as unknown as TaskState;
  /** `<prefix>` stored `body` as the API returned it: parse it when it is a string. */
  const parsed = (prefix: string, key: string, next: string): Record<string, State> => ({
    [`${prefix}Parsed`]: { Type: 'Choice', Choices: [{ Variable: `$.${key}.body`, IsString: true, Next: `${prefix}Parse` }], Default: next },
    [`${prefix}Parse`]: { Type: 'Pass', Parameters: { 'body.$': `States.StringToJson($.${key}.body)` }, ResultPath: `$.${key}`, Next: next },
  });
  const status = '$.terraformRunStatus.status';
  const states: Record<string, State> = {
    TerraformRunCreate: http(
      {
        ApiEndpoint: `${tfc.apiUrl}/api/v2/runs`,
        Method: 'POST',
        Headers: { 'Content-Type': 'application/vnd.api+json' },
        RequestBody: {
          data: {
            type: 'runs',
            attributes: { 'message.$': "States.Format('Disaster recovery ({}) of {}: execution {}', $.mode, $.config.workload, $$.Execution.Name)", 'auto-apply': true },
            relationships: { workspace: { data: { type: 'workspaces', 'id.$': '$.config.infrastructure.workspaceId' } } },
          },
        },
      },
      { ResultSelector: { 'body.$': '$.ResponseBody' }, ResultPath: '$.terraformRun', Next: 'TerraformRunCreatedParsed' },
    ),
    ...parsed('TerraformRunCreated', 'terraformRun', 'TerraformRunQueued'),
    TerraformRunQueued: { Type: 'Pass', Parameters: { 'id.$': '$.terraformRun.body.data.id' }, ResultPath: '$.terraformRun', Next: 'TerraformRunPollInit' },
    TerraformRunPollInit: { Type: 'Pass', Result: { value: 0 }, ResultPath: '$.terraformRunAttempts', Next: 'TerraformRunPollCheck' },
    TerraformRunPollCheck: http(
      { 'ApiEndpoint.$': `States.Format('${tfc.apiUrl}/api/v2/runs/{}', $.terraformRun.id)`, Method: 'GET' },
      { ResultSelector: { 'body.$': '$.ResponseBody' }, ResultPath: '$.terraformRunStatus', Next: 'TerraformRunPollParsed' },
    ),
    ...parsed('TerraformRunPoll', 'terraformRunStatus', 'TerraformRunPollRead'),
    TerraformRunPollRead: { Type: 'Pass', Parameters: { 'status.$': '$.terraformRunStatus.body.data.attributes.status' }, ResultPath: '$.terraformRunStatus', Next: 'TerraformRunPollEvaluate' },
    TerraformRunPollEvaluate: {
      Type: 'Choice',
      Choices: [
        { Or: TERRAFORM_RUN_DONE_STATUSES.map((s) => ({ Variable: status, StringEquals: s })), Next: opts.next },
        { Or: TERRAFORM_RUN_FAILED_STATUSES.map((s) => ({ Variable: status, StringEquals: s })), Next: 'TerraformRunFailed' },
        // The workload's own timeoutMinutes, and the longest any workload asks for.
        { Variable: '$.terraformRunAttempts.value', NumericGreaterThanEqualsPath: '$.config.infrastructure.maxPolls', Next: 'TerraformRunTimedOut' },
        { Variable: '$.terraformRunAttempts.value', NumericGreaterThanEquals: maxPolls, Next: 'TerraformRunTimedOut' },
      ],
      Default: 'TerraformRunPollWait',
    },
    TerraformRunPollWait: { Type: 'Wait', Seconds: polling.pollSeconds, Next: 'TerraformRunPollCount' },
    TerraformRunPollCount: { Type: 'Pass', Parameters: { 'value.$': 'States.MathAdd($.terraformRunAttempts.value, 1)' }, ResultPath: '$.terraformRunAttempts', Next: 'TerraformRunPollCheck' },
    TerraformRunFailed: {
      Type: 'Pass',
      Parameters: { Error: 'TerraformRunFailed', 'Cause.$': `States.Format('Terraform Cloud run {} of workspace {} ended {}: nothing was applied', $.terraformRun.id, $.config.infrastructure.workspaceId, ${status})` },
      ResultPath: '$.failure',
      Next: opts.onFailure,
    },
    TerraformRunTimedOut: {
      Type: 'Pass',
      Parameters: {
        Error: 'TerraformRunTimedOut',
        'Cause.$': `States.Format('Terraform Cloud run {} of workspace {} was still {} after {} reads ${polling.pollSeconds} s apart (recovery.infrastructure.timeoutMinutes)', $.terraformRun.id, $.config.infrastructure.workspaceId, ${status}, $.terraformRunAttempts.value)`,
      },
      ResultPath: '$.failure',
      Next: opts.onFailure,
    },
  };
  return { startAt: 'TerraformRunCreate', states };
}

/** `$.config.infrastructure` of a workload (HowToBuild reads its kind; the run's poll loop its maxPolls). */
export function infrastructureConfig(w: RecoveryWorkload, props: RecoveryDefinitionProps): Record<string, unknown> {
  const infrastructure = w.infrastructure ?? { kind: 'autoScaling' };
  if (infrastructure.kind !== 'terraformCloud') return { kind: 'autoScaling' };
  const polling = terraformRunPolling(props) as NonNullable<ReturnType<typeof terraformRunPolling>>;
  return { kind: 'terraformCloud', workspaceId: infrastructure.workspaceId, maxPolls: polling.maxPolls(infrastructure.timeoutMinutes) };
}
