import { notApplicable, statementsOf, type PolicyRule, type RuleResult } from '../rule';

/** Resource types holding an identity policy, and the attribute it is in. */
export const IDENTITY_POLICY_ATTRIBUTES: Record<string, string> = {
  aws_iam_role_policy: 'policy',
  aws_iam_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
};

/** A rule's check of the Allow statements of identity policies: every other resource is not applicable to it. */
export function forIdentityPolicyAllows(check: (allows: Record<string, unknown>[]) => RuleResult): PolicyRule['check'] {
  return (resource) => {
    const attribute = IDENTITY_POLICY_ATTRIBUTES[resource.type];
    return attribute ? check(statementsOf(resource.attributes[attribute]).filter((s) => s.Effect === 'Allow')) : notApplicable;
  };
}

/**
 * Actions that support no resource-level permissions (Service Authorization Reference), so `"*"` is
 * the narrowest resource for them. Prefix entries end with `*`.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL = [
  'autoscaling:Describe*',
  // No resource type for DescribeBackupJob, DescribeCopyJob or DescribeRestoreJob:
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html
  'backup:DescribeBackupJob',
  'backup:DescribeCopyJob',
  'backup:DescribeRestoreJob',
  'backup:GetRestoreJobMetadata',
  'backup:ListRestoreJobs',
  'backup:PutRestoreValidationResult',
  'cloudwatch:GetMetricData',
  'cloudwatch:PutMetricData',
  'ec2:Describe*',
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'elasticfilesystem:DescribeMountTargets',
  'fsx:DescribeFileSystems',
  'fsx:DescribeStorageVirtualMachines',
  'fsx:DescribeVolumes',
  'rds:DescribeDBClusters',
  'rds:DescribeDBInstances',
  'ssm:DescribeInstanceInformation',
  'ssm:GetCommandInvocation',
  'ssm:ListCommandInvocations',
  'ssm:ListCommands',
  // HTTP Tasks: no resource type in the Service Authorization Reference; narrowed by the
  // states:HTTPEndpoint and states:HTTPMethod conditions instead.
  'states:InvokeHTTPEndpoint',
  // GetResources (failback's Locate step) has no resource type:
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_resourcegroupstaggingapi.html
  'tag:GetResources',
  'xray:*',
];

export function hasNoResourceLevelPermissions(action: string): boolean {
  return ACTIONS_WITHOUT_RESOURCE_LEVEL.some((p) => (p.endsWith('*') ? action.startsWith(p.slice(0, -1)) : action === p));
}
