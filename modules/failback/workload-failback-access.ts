import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { passRoleStatement, policyDocument, renderPolicy, type PolicyDocument, type PolicyStatement } from '../policy-document';
import { dnsSuffixOf, partitionOf } from '../../config/regions';
import { WORKLOAD_TAG } from '../../config/tags';
import { FSX_DESCRIBE_ACTIONS, restoredFileSystemMountTargetStatement } from '../recovery/recovery-state-machine';

export interface WorkloadFailbackAccessProps {
  /** Name of the workload's failback role (modules/failback/workload-failback-role.ts), in this account. */
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  /** `recovery.healthAlarmName`: the alarm the failback machine reads here after the switch. */
  readonly healthAlarmName: string;
}

/**
 * What the failback machine does in the workload account after the restore, through the workload's
 * failback role, as its own policy on that role: read the workload's health alarm (step Verify).
 *
 * DescribeAlarms is authorized on the alarm (resource type `alarm`, ARN
 * `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`):
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
export class WorkloadFailbackAccess extends Construct {
  readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: WorkloadFailbackAccessProps) {
    super(scope, id);
    const p = partitionOf(props.region);
    this.policy = policyDocument({
      Sid: 'ReadWorkloadHealthAlarm',
      Effect: 'Allow',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: `arn:${p}:cloudwatch:${props.region}:${props.accountId}:alarm:${props.healthAlarmName}`,
    });
    new IamRolePolicy(this, 'Policy', { role: props.roleName, name: 'failback-verify', policy: renderPolicy(this.policy) });
  }
}

export interface WorkloadFailbackReconnectProps {
  /** Name of the workload's failback role, in this account. */
  readonly roleName: string;
  readonly workload: string;
  readonly accountId: string;
  readonly region: string;
  /** `failback.kmsKeyArn`: restored EBS volumes are encrypted with it (steps/restore-overrides.ts). */
  readonly kmsKeyArn: string;
  /**
   * The workload's connect runbook in this account and region, and the role its document runs as (AutomationAssumeRole).
   * @default none: the role may start no runbook
   */
  readonly connectRunbook?: { readonly documentName: string; readonly roleArn: string };
  /**
   * The workload backs up EFS: step Reconnect creates mount targets for the restored file systems in
   * these subnets (`failback.subnetIds`) with these security groups (`failback.securityGroupIds`) only.
   * @default none: the role may create no mount target
   */
  readonly mountTargets?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /**
   * The workload backs up FSx: step Reconnect describes the restored FSx file systems, ONTAP volumes and SVMs.
   * @default false
   */
  readonly fsx?: boolean;
}

/**
 * What step Reconnect does in the workload account through the failback role
 * (functions/workload-region-call/reconnect.ts): the attach-restored-volume logic's calls, and the
 * workload's connect runbook. Each rule cites the page that decides it.
 */
export function failbackReconnectStatements(props: Omit<WorkloadFailbackReconnectProps, 'roleName'>): PolicyStatement[] {
  const p = partitionOf(props.region);
  const { region, accountId } = props;
  const statements: PolicyStatement[] = [
    // DescribeVolumes and DescribeInstances support no resource-level permissions (Service Authorization
    // Reference, Amazon EC2: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html):
    // "*", this region only (aws:RequestedRegion: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion).
    { Sid: 'FindRestoredVolumesAndInstances', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeVolumes'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': region } } },
    // AttachVolume is authorized on the instance and on the volume (both required resource types, each with
    // aws:ResourceTag: same page, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-actions-as-permissions;
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag):
    // only volumes and instances of this workload, by their dr:workload tag.
    {
      Sid: 'AttachWorkloadVolumesToWorkloadInstancesOnly',
      Effect: 'Allow',
      Action: 'ec2:AttachVolume',
      Resource: [`arn:${p}:ec2:${region}:${accountId}:instance/*`, `arn:${p}:ec2:${region}:${accountId}:volume/*`],
      Condition: { StringEquals: { [`aws:ResourceTag/${WORKLOAD_TAG}`]: props.workload } },
    },
    // Attaching a volume encrypted with a customer managed key: the CALLER of AttachVolume needs these on the
    // key (EBS User Guide, "Requirements for Amazon EBS encryption", permissions for IAM users:
    // https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html), used through EC2
    // in this region (kms:ViaService: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
    {
      Sid: 'UseFailbackKeyToAttachVolumes',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
      Resource: props.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `ec2.${region}.${dnsSuffixOf(region)}` } },
    },
    // kms:CreateGrant only for AWS resources (the attached volume), as AWS recommends:
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
    {
      Sid: 'GrantFailbackKeyToAttachedVolumesOnly',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: props.kmsKeyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: { 'kms:ViaService': `ec2.${region}.${dnsSuffixOf(region)}` } },
    },
  ];
  if (props.mountTargets) {
    const { subnetIds, securityGroupIds } = props.mountTargets;
    statements.push(
      restoredFileSystemMountTargetStatement(p, region, accountId),
      // CreateMountTarget also needs the caller to be allowed ec2:CreateNetworkInterface (and the two
      // Describe calls below): EFS creates the mount target's network interface with the caller's
      // permissions (EFS API reference, CreateMountTarget: https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html).
      // CreateNetworkInterface is authorized on the network interface, the subnet and the security groups
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html): the failback
      // subnets and security groups only.
      {
        Sid: 'MountTargetInterfacesInFailbackSubnetsOnly',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterface',
        Resource: [
          `arn:${p}:ec2:${region}:${accountId}:network-interface/*`,
          ...subnetIds.map((id) => `arn:${p}:ec2:${region}:${accountId}:subnet/${id}`),
          ...securityGroupIds.map((id) => `arn:${p}:ec2:${region}:${accountId}:security-group/${id}`),
        ],
      },
      // DescribeNetworkInterfaces and DescribeSubnets support no resource-level permissions (same EC2 page):
      // "*", this region only (aws:RequestedRegion).
      { Sid: 'MountTargetNetworkLookups', Effect: 'Allow', Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': region } } },
    );
  }
  if (props.fsx) {
    // DescribeFileSystems, DescribeVolumes and DescribeStorageVirtualMachines support no resource-level
    // permissions (Service Authorization Reference, Amazon FSx:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonfsx.html): "*", this
    // region only (aws:RequestedRegion: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion).
    statements.push({
      Sid: 'DescribeRestoredFsxFileSystems',
      Effect: 'Allow',
      Action: [...FSX_DESCRIBE_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    });
  }
  if (props.connectRunbook) {
    statements.push(
      // StartAutomationExecution is authorized on the document's automation-definition (any version);
      // GetAutomationExecution on the execution, whose ID is known only once started (Service Authorization
      // Reference, AWS Systems Manager: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
      { Sid: 'StartConnectRunbookOnly', Effect: 'Allow', Action: 'ssm:StartAutomationExecution', Resource: `arn:${p}:ssm:${region}:${accountId}:automation-definition/${props.connectRunbook.documentName}:*` },
      { Sid: 'TrackConnectRunbook', Effect: 'Allow', Action: 'ssm:GetAutomationExecution', Resource: `arn:${p}:ssm:${region}:${accountId}:automation-execution/*` },
      // The runbook runs as its AutomationAssumeRole, which the caller passes to Systems Manager
      // ("Run an automated operation powered by Systems Manager Automation": https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-working.html;
      // iam:PassRole with iam:PassedToService: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
      passRoleStatement('PassConnectRunbookRoleToSsmOnly', props.connectRunbook.roleArn, 'ssm.amazonaws.com'),
    );
  }
  return statements;
}

/** {@link failbackReconnectStatements} as the failback role's policy `failback-reconnect`. */
export class WorkloadFailbackReconnectAccess extends Construct {
  readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: WorkloadFailbackReconnectProps) {
    super(scope, id);
    const { roleName, ...rest } = props;
    this.policy = policyDocument(...failbackReconnectStatements(rest));
    new IamRolePolicy(this, 'Policy', { role: roleName, name: 'failback-reconnect', policy: renderPolicy(this.policy) });
  }
}
