/**
 * workload-region-call: one AWS call in a workload account AND the workload's region, for the failback
 * state machine, which runs in the DR account's recovery region.
 *
 * Why a function: a Step Functions AWS SDK integration always calls the service in the state machine's
 * own Region; its `Credentials` give another account, never another Region (Step Functions Developer
 * Guide, "Accessing resources in other AWS accounts":
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html; aws-cdk
 * added CallAwsServiceCrossRegion, a Lambda function, for this, noting that cross-Region calls are "not
 * officially supported even with AWS SDK integration tasks":
 * https://github.com/aws/aws-cdk/commit/1397737e16066d9101fd1c2fc85cd8396d738869,
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_stepfunctions_tasks.CallAwsServiceCrossRegion.html).
 *
 * Least privilege: only the operations of {@link ALLOWED_OPERATIONS}; only as the failback role of the
 * workload named in the input, in that workload's region, both as configured (`WORKLOAD_TARGETS`), so
 * that a caller cannot point it at another role or Region. The role is assumed with STS AssumeRole
 * (cross-account: the role's trust policy names this function's role, and this function's policy
 * allows sts:AssumeRole on it: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html) for a short session named
 * after the execution.
 *
 * The answer is the API's response (the fields an SDK integration returned, without the SDK's
 * `$metadata`, dates as ISO strings). An error is thrown with the name the SDK integration gave it
 * (`Backup.ThrottlingException`, `Ec2.InvalidSubnetID.NotFound`, ...): Step Functions names a Lambda
 * function's error by its errorType, the Node.js error's `name`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html), so the ASL's Retry and Catch
 * keep matching. No retries here: the Task retries throttling with jittered backoff.
 */
import { BackupClient, DescribeRestoreJobCommand, GetRecoveryPointRestoreMetadataCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import type { DescribeRestoreJobCommandInput, GetRecoveryPointRestoreMetadataCommandInput, StartRestoreJobCommandInput } from '@aws-sdk/client-backup';
import { DescribeSubnetsCommand, type DescribeSubnetsCommandInput, type EC2Client } from '@aws-sdk/client-ec2';
import { DescribeAlarmsCommand, type CloudWatchClient, type DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { EFSClient } from '@aws-sdk/client-efs';
import type { FSxClient } from '@aws-sdk/client-fsx';
import { errorCode, messageOf, type Logger } from '../aws-call';
import { credentialsOf, type AssumedCredentials } from '../credentials';
import { attachInWorkloadRegion, describeRunbook, refuseAttach, refuseDescribeRunbook, refuseRunbookAnswer, refuseStartRunbook, startRunbook } from './reconnect';
import { createMountTarget, describeMountTargets, refuseCreateMountTarget, refuseDescribeMountTargets } from './mount-targets';
import {
  describeFsxFileSystem,
  describeFsxVolume,
  describeStorageVirtualMachine,
  refuseDescribeFsxFileSystem,
  refuseDescribeFsxVolume,
  refuseDescribeStorageVirtualMachine,
  refuseStorageVirtualMachineAnswer,
} from './fsx';
import { ALLOWED_OPERATIONS, parseCallInput, parseWorkloadTargets, SESSION_NAME_PREFIX, type AllowedOperation, type WorkloadRegionCallInput, type WorkloadTarget } from './input';

export { ALLOWED_OPERATIONS, InvalidInputError, parseCallInput, parseWorkloadTargets } from './input';
export type { AllowedOperation, WorkloadRegionCallInput, WorkloadTarget } from './input';
export type { AssumedCredentials } from '../credentials';

/** Exactly the IAM action this function's own role needs (the calls themselves run as the assumed role). */
export const REQUIRED_ACTIONS = ['sts:AssumeRole'] as const;

/** Lifetime of the assumed session: STS's minimum; one call needs seconds. */
export const SESSION_SECONDS = 900;
export { SESSION_NAME_PREFIX };

/** Builds a client of the workload region from the assumed role's credentials. */
export interface WorkloadClientFactories {
  readonly backup: (credentials: AssumedCredentials, region: string) => BackupClient;
  readonly ec2: (credentials: AssumedCredentials, region: string) => EC2Client;
  readonly cloudwatch: (credentials: AssumedCredentials, region: string) => CloudWatchClient;
  readonly ssm: (credentials: AssumedCredentials, region: string) => SSMClient;
  readonly efs: (credentials: AssumedCredentials, region: string) => EFSClient;
  readonly fsx: (credentials: AssumedCredentials, region: string) => FSxClient;
}

export interface WorkloadRegionCallDeps {
  /** STS of the function's own account and region. */
  readonly sts: STSClient;
  readonly clients: WorkloadClientFactories;
  /** `WORKLOAD_TARGETS` as given (parsed here, so that a bad configuration fails each call by name). */
  readonly targetsJson: string | undefined;
  readonly logger: Logger;
  /** Waits of the attach logic (ec2:AttachRestoredVolume). Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The call is not one this function makes: another operation, role or region. Never retried. */
export class RefusedCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadRegionCall.Refused';
  }
}

/** An AWS error, named as a Step Functions SDK integration names it (`<Service>.<code>`). */
export class WorkloadCallError extends Error {
  constructor(
    prefix: string,
    readonly code: string,
    operation: string,
    cause: unknown,
  ) {
    super(`${operation} failed: ${code}: ${messageOf(cause)}`, { cause });
    this.name = `${prefix}.${code}`;
  }
}

type Send = (
  factories: WorkloadClientFactories,
  credentials: AssumedCredentials,
  region: string,
  parameters: Record<string, unknown>,
  deps: WorkloadRegionCallDeps,
  target: WorkloadTarget,
) => Promise<object>;

interface Operation {
  /** The error prefix the ASL retries on (modules/recovery/asl.ts transientErrors). */
  readonly errorPrefix: string;
  /** The SDK v3 call (or, for ec2:AttachRestoredVolume, the attach logic). */
  readonly send: Send;
  /** Why the parameters are refused for the target, checked before any role is assumed. */
  readonly refuse?: (target: WorkloadTarget, parameters: Record<string, unknown>) => string | undefined;
  /** Why the answer is refused (it is then not returned). */
  readonly refuseAnswer?: (target: WorkloadTarget, output: object) => string | undefined;
}

/** Each allowed operation. */
const OPERATIONS: Record<AllowedOperation, Operation> = {
  'backup:GetRecoveryPointRestoreMetadata': {
    errorPrefix: 'Backup',
    send: (f, c, r, p) => f.backup(c, r).send(new GetRecoveryPointRestoreMetadataCommand(p as unknown as GetRecoveryPointRestoreMetadataCommandInput)),
  },
  'backup:StartRestoreJob': { errorPrefix: 'Backup', send: (f, c, r, p) => f.backup(c, r).send(new StartRestoreJobCommand(p as unknown as StartRestoreJobCommandInput)) },
  'backup:DescribeRestoreJob': { errorPrefix: 'Backup', send: (f, c, r, p) => f.backup(c, r).send(new DescribeRestoreJobCommand(p as unknown as DescribeRestoreJobCommandInput)) },
  'ec2:DescribeSubnets': { errorPrefix: 'Ec2', send: (f, c, r, p) => f.ec2(c, r).send(new DescribeSubnetsCommand(p as DescribeSubnetsCommandInput)) },
  'cloudwatch:DescribeAlarms': { errorPrefix: 'CloudWatch', send: (f, c, r, p) => f.cloudwatch(c, r).send(new DescribeAlarmsCommand(p as DescribeAlarmsCommandInput)) },
  'ec2:AttachRestoredVolume': { errorPrefix: 'Ec2', refuse: refuseAttach, send: (f, c, r, p, d) => attachInWorkloadRegion(f.ec2(c, r), f.backup(c, r), p, d) },
  'ssm:StartAutomationExecution': { errorPrefix: 'Ssm', refuse: refuseStartRunbook, send: (f, c, r, p) => startRunbook(f.ssm(c, r), p) },
  'ssm:GetAutomationExecution': { errorPrefix: 'Ssm', refuse: refuseDescribeRunbook, refuseAnswer: refuseRunbookAnswer, send: (f, c, r, p) => describeRunbook(f.ssm(c, r), p) },
  'elasticfilesystem:CreateMountTarget': { errorPrefix: 'Efs', refuse: refuseCreateMountTarget, send: (f, c, r, p, _d, t) => createMountTarget(f.efs(c, r), t, p) },
  'elasticfilesystem:DescribeMountTargets': { errorPrefix: 'Efs', refuse: refuseDescribeMountTargets, send: (f, c, r, p) => describeMountTargets(f.efs(c, r), p) },
  'fsx:DescribeFileSystems': { errorPrefix: 'Fsx', refuse: refuseDescribeFsxFileSystem, send: (f, c, r, p) => describeFsxFileSystem(f.fsx(c, r), p) },
  'fsx:DescribeVolumes': { errorPrefix: 'Fsx', refuse: refuseDescribeFsxVolume, send: (f, c, r, p) => describeFsxVolume(f.fsx(c, r), p) },
  'fsx:DescribeStorageVirtualMachines': {
    errorPrefix: 'Fsx',
    refuse: refuseDescribeStorageVirtualMachine,
    refuseAnswer: refuseStorageVirtualMachineAnswer,
    send: (f, c, r, p) => describeStorageVirtualMachine(f.fsx(c, r), p),
  },
};

function isAllowed(operation: string): operation is AllowedOperation {
  return (ALLOWED_OPERATIONS as readonly string[]).includes(operation);
}

/** `failback-<execution name>`, within STS's 64 characters of `[\w+=,.@-]` (execution names are `[A-Za-z0-9_-]`). */
export function sessionName(executionName: string): string {
  return `${SESSION_NAME_PREFIX}${executionName}`.slice(0, 64);
}

/** The configured target of the input's workload, if the input names exactly its role and region; else refused. */
export function authorizedTarget(input: Pick<WorkloadRegionCallInput, 'workload' | 'roleArn' | 'region'>, targets: readonly WorkloadTarget[]): WorkloadTarget {
  const target = targets.find((t) => t.workload === input.workload);
  if (!target) throw new RefusedCallError(`workload ${JSON.stringify(input.workload)} is not one this function calls for (configured: ${targets.map((t) => t.workload).join(', ')})`);
  if (input.roleArn !== target.roleArn) throw new RefusedCallError(`role ${input.roleArn} is not the failback role configured for workload ${target.workload} (${target.roleArn})`);
  if (input.region !== target.region) throw new RefusedCallError(`region ${input.region} is not the region configured for workload ${target.workload} (${target.region})`);
  return target;
}

/** The API's response as Step Functions' SDK integration gave it: no `$metadata`, plain JSON. */
function responseOf(output: object): Record<string, unknown> {
  const { $metadata: _metadata, ...fields } = output as Record<string, unknown>;
  return JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
}

async function assumeFailbackRole(sts: STSClient, target: WorkloadTarget, executionName: string): Promise<AssumedCredentials> {
  let out;
  try {
    out = await sts.send(new AssumeRoleCommand({ RoleArn: target.roleArn, RoleSessionName: sessionName(executionName), DurationSeconds: SESSION_SECONDS }));
  } catch (error) {
    throw new WorkloadCallError('Sts', errorCode(error), `AssumeRole(${target.roleArn})`, error);
  }
  return credentialsOf(out, () => new WorkloadCallError('Sts', 'NoCredentials', `AssumeRole(${target.roleArn})`, new Error('STS returned no credentials')));
}

/**
 * Validates the input and the configuration, refuses anything but an allowed operation as the
 * configured role in the configured region, assumes that role, makes the one call in that region and
 * returns its response. Errors are logged and rethrown (named for the ASL).
 */
export async function callInWorkloadRegion(event: unknown, deps: WorkloadRegionCallDeps): Promise<Record<string, unknown>> {
  const { logger } = deps;
  let context: Record<string, unknown> = {};
  try {
    const targets = parseWorkloadTargets(deps.targetsJson);
    const input = parseCallInput(event);
    context = { operation: input.operation, workload: input.workload, region: input.region, executionName: input.executionName };
    if (!isAllowed(input.operation)) throw new RefusedCallError(`operation ${input.operation} is not allowed (allowed: ${ALLOWED_OPERATIONS.join(', ')})`);
    const target = authorizedTarget(input, targets);
    const { errorPrefix, send, refuse, refuseAnswer } = OPERATIONS[input.operation];
    const refusal = refuse?.(target, input.parameters);
    if (refusal) throw new RefusedCallError(refusal);
    const credentials = await assumeFailbackRole(deps.sts, target, input.executionName);
    let output: object;
    try {
      output = await send(deps.clients, credentials, target.region, input.parameters, deps, target);
    } catch (error) {
      throw new WorkloadCallError(errorPrefix, errorCode(error), input.operation, error);
    }
    const answerRefusal = refuseAnswer?.(target, output);
    if (answerRefusal) throw new RefusedCallError(answerRefusal);
    logger.info('Called in the workload region', context);
    return responseOf(output);
  } catch (error) {
    logger.error('Workload region call failed', { ...context, errorName: error instanceof Error ? error.name : 'UnknownError', error: messageOf(error) });
    throw error;
  }
}
