import type { Construct } from 'constructs';
import { BundledFunction, type BundledFunctionProps } from '../bundled-function';
import type { PolicyStatement } from '../policy-document';
import { SESSION_NAME_PREFIX, type WorkloadTarget } from '../../functions/workload-region-call/input';

export interface WorkloadRegionCallProps extends Omit<BundledFunctionProps, 'description' | 'policyStatements' | 'environment'> {
  /** The workloads with failback: each one's failback role and region, the only ones the function acts as and in. */
  readonly targets: WorkloadTarget[];
}

/** What the function's own role may do beyond logging: assume the workloads' failback roles, nothing else. */
export function workloadRegionCallStatements(targets: readonly WorkloadTarget[]): PolicyStatement[] {
  return [
    {
      // Cross-account AssumeRole needs both this identity policy and the role's trust policy
      // (modules/failback/workload-failback-role.ts trusts this function's role only):
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html.
      // Sessions are named after the execution (sts:RoleSessionName,
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_rolesessionname),
      // so that the workload account's CloudTrail names the failback execution that called.
      Sid: 'AssumeWorkloadFailbackRolesOnly',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: [...new Set(targets.map((t) => t.roleArn))].sort(),
      Condition: { StringLike: { 'sts:RoleSessionName': `${SESSION_NAME_PREFIX}*` } },
    },
  ];
}

/**
 * The DR account's workload-region-call function (functions/workload-region-call): the failback
 * machine's calls in a workload's account AND region, which an AWS SDK integration cannot make (it
 * calls the machine's own Region whatever its `Credentials`: steps/workload-region-task.ts). Configured
 * with the workloads' failback roles and regions (`WORKLOAD_TARGETS`, in the KMS-encrypted environment),
 * it refuses any other role, region or operation.
 */
export function workloadRegionCallFunction(scope: Construct, id: string, props: WorkloadRegionCallProps): BundledFunction {
  const { targets, ...rest } = props;
  if (targets.length === 0) throw new Error(`${id}: workloadRegionCallFunction needs at least one workload with failback`);
  return new BundledFunction(scope, id, {
    ...rest,
    description: 'Failback: one allowed call in a workload account and region, as its failback role',
    // AssumeRole and one call, each with the SDK's three attempts; ec2:AttachRestoredVolume waits for the
    // volume and the attachment (functions/workload-region-call/reconnect.ts ATTACH_OPTIONS: at most 2 × 60 s).
    timeout: props.timeout ?? 180,
    policyStatements: workloadRegionCallStatements(targets),
    environment: { WORKLOAD_TARGETS: JSON.stringify(targets.map((t) => ({ workload: t.workload, roleArn: t.roleArn, region: t.region, ...(t.connectDocumentName ? { connectDocumentName: t.connectDocumentName } : {}), ...(t.subnetIds ? { subnetIds: t.subnetIds } : {}), ...(t.securityGroupIds ? { securityGroupIds: t.securityGroupIds } : {}) }))) },
  });
}
