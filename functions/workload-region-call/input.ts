/**
 * What the failback state machine passes to workload-region-call, and what the function is configured
 * with (its environment, written by the DR stack from the estate configuration). One contract for both
 * sides: the stack (modules/failback/workload-region-call.ts) builds {@link WorkloadTarget}s, and the
 * ASL (modules/failback/steps/workload-region-task.ts) builds the {@link WorkloadRegionCallInput}.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { ROLE_ARN } from '../account';
import { describeType, InvalidInputError, isRecord, REGION, REGION_EXPECTED, shown, WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED } from '../input-values';

/**
 * Every session name starts with it (the function's policy requires it: sts:RoleSessionName). Here,
 * not in logic.ts, so that the synth side (modules/failback/workload-region-call.ts) reads it without
 * loading the function's AWS SDK clients (a second per test file that synthesizes a DR stack).
 */
export const SESSION_NAME_PREFIX = 'failback-';

export { InvalidInputError };

/**
 * The only calls the function makes, named as their IAM actions (which is also what the workload's
 * failback role allows: modules/failback/workload-failback-role.ts, workload-failback-access.ts).
 */
export const ALLOWED_OPERATIONS = [
  'backup:GetRecoveryPointRestoreMetadata',
  'backup:StartRestoreJob',
  'backup:DescribeRestoreJob',
  'ec2:DescribeSubnets',
  'cloudwatch:DescribeAlarms',
  // Step Reconnect (functions/workload-region-call/reconnect.ts): the attach-restored-volume logic (its
  // DescribeVolumes, DescribeInstances and AttachVolume), and the workload's connect runbook only.
  'ec2:AttachRestoredVolume',
  'ssm:StartAutomationExecution',
  'ssm:GetAutomationExecution',
  // Step Reconnect, restored EFS file systems (functions/workload-region-call/mount-targets.ts): a mount
  // target in a configured failback subnet with the configured security groups, and its state.
  'elasticfilesystem:CreateMountTarget',
  'elasticfilesystem:DescribeMountTargets',
  // Step Reconnect, restored FSx file systems (functions/workload-region-call/fsx.ts): the file system, an
  // ONTAP volume and its SVM, described until they serve, for the connect runbook's FsxFileSystems.
  'fsx:DescribeFileSystems',
  'fsx:DescribeVolumes',
  'fsx:DescribeStorageVirtualMachines',
] as const;
export type AllowedOperation = (typeof ALLOWED_OPERATIONS)[number];

/** Step Functions execution names: 1-80 letters, digits, "-" or "_" (StartExecution `name`). */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** A workload the function may act for: its failback role, in its own region (environment `WORKLOAD_TARGETS`). */
export interface WorkloadTarget {
  readonly workload: string;
  readonly roleArn: string;
  readonly region: string;
  /** The workload's connect runbook (SSM Automation document) in its account and region: the only one the function starts or tracks. */
  readonly connectDocumentName?: string;
  /** `failback.subnetIds`: the only subnets a mount target is created in (elasticfilesystem:CreateMountTarget). */
  readonly subnetIds?: readonly string[];
  /** `failback.securityGroupIds`: the only security groups a mount target is given. */
  readonly securityGroupIds?: readonly string[];
}

/** One call: `operation` with `parameters` (the API's PascalCase input), as `roleArn` in `region`. */
export interface WorkloadRegionCallInput {
  readonly operation: string;
  readonly workload: string;
  readonly roleArn: string;
  readonly region: string;
  /** Names the STS session, so that CloudTrail in the workload account shows which execution called. */
  readonly executionName: string;
  readonly parameters: Record<string, unknown>;
}

const isMissing = (value: unknown) => value === undefined || value === null;

const text = (pattern: RegExp, expected: string) =>
  z.string({ error: (issue) => (isMissing(issue.input) ? 'is missing' : `must be a string, got ${describeType(issue.input)}`) }).check(
    z.regex(pattern, { error: (issue) => (issue.input === '' ? 'is missing' : `must be ${expected}, got ${shown(issue.input)}`) }),
  );

const target = z.object({
  workload: text(WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED),
  roleArn: text(ROLE_ARN, 'an IAM role ARN'),
  region: text(REGION, REGION_EXPECTED),
  connectDocumentName: z.optional(text(/^[A-Za-z0-9_.-]{3,128}$/, 'an SSM document name')),
  subnetIds: z.optional(z.array(text(/^subnet-[0-9a-f]{8,17}$/, 'a subnet ID'))),
  securityGroupIds: z.optional(z.array(text(/^sg-[0-9a-f]{8,17}$/, 'a security group ID'))),
});

const inputSchema = z.object({
  // Checked against ALLOWED_OPERATIONS by the logic, which refuses anything else by name.
  operation: text(/^[a-z0-9-]+:[A-Za-z]+$/, 'an operation such as "backup:DescribeRestoreJob"'),
  workload: text(WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED),
  roleArn: text(ROLE_ARN, 'an IAM role ARN'),
  region: text(REGION, REGION_EXPECTED),
  executionName: text(EXECUTION_NAME, 'a Step Functions execution name'),
  parameters: z.record(z.string(), z.unknown(), { error: (issue) => (isMissing(issue.input) ? 'is missing' : `must be an object, got ${describeType(issue.input)}`) }),
});

function fieldOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'input';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

/** Validates the state machine's input. Throws {@link InvalidInputError} naming the first missing or invalid field. */
export function parseCallInput(input: unknown): WorkloadRegionCallInput {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describeType(input)}`);
  const result = inputSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(fieldOf(issue.path), issue.message);
}

/** The function's configuration: `WORKLOAD_TARGETS`, a JSON array of {@link WorkloadTarget}. Throws naming what is wrong. */
export function parseWorkloadTargets(json: string | undefined): WorkloadTarget[] {
  if (json === undefined || json === '') throw new InvalidInputError('environment WORKLOAD_TARGETS', 'is missing');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidInputError('environment WORKLOAD_TARGETS', 'must be JSON');
  }
  const result = z.array(target).check(z.minLength(1, { error: 'must list at least one workload' })).safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(`environment WORKLOAD_TARGETS${issue.path.length > 0 ? fieldOf(issue.path) : ''}`, issue.message);
}
