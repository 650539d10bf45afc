/**
 * Which IAM requests an API call of the rehearsal makes: the action on the resources the Service
 * Authorization Reference names for it (https://docs.aws.amazon.com/service-authorization/latest/reference/),
 * with the request context AWS sets. Calls that a service makes on the caller's behalf (KMS for
 * encrypted resources, network interfaces for mount targets, the role AWS Backup assumes) are added by
 * the model where it knows the resource (see `encryption.ts`). A call this table does not know is an
 * error: nothing is allowed by default.
 */
import type { IamRequest } from './authorization';

/** What the table needs to know about the model's state. */
export interface RequestLookup {
  readonly region: string;
  /** The account a principal acts in. */
  accountOf(principal: string): string;
  /** A vault ARN from its name as the caller names it (with `BackupVaultAccountId` for a shared vault). */
  vaultArn(name: string, principal: string, vaultAccountId?: string): string;
  /** The vault holding a recovery point. */
  vaultOfPoint(pointArn: string): string | undefined;
  /** Tags of an instance or volume, as `aws:ResourceTag/<key>` context. */
  resourceTags(kind: 'instance' | 'volume', id: string): Record<string, string>;
  /** Volumes a DetachVolume without InstanceId detaches from. */
  attachedInstanceOf(volumeId: string): string | undefined;
  /** The ARN of an Auto Scaling group (with the group's UUID). */
  autoScalingGroupArn(name: string): string;
  /** The account of a bucket (S3 ARNs name none): the synthesized bucket's, else the model's DR account. */
  bucketAccount(name: string): string;
  /** A restore testing plan's ARN (AWS appends an ID to its name). */
  restoreTestingPlanArn(name: string, account: string): string;
  /** The `AutomationAssumeRole` default of an Automation document, if it has one. */
  defaultAutomationRole(documentName: string): string | undefined;
  /** The ARN of a restored FSx file system or volume, and its tags. */
  fsxArn(id: string): string | undefined;
  fsxTags(id: string): Record<string, string>;
  /** The file system a mount target belongs to. */
  fileSystemOfMountTarget(mountTargetId: string): string | undefined;
}

type Builder = (input: any, principal: string, l: RequestLookup) => IamRequest[];

const arn = (l: RequestLookup, service: string, account: string, resource: string) => `arn:aws:${service}:${l.region}:${account}:${resource}`;

/**
 * Recovery points of types AWS Backup does not fully manage have the service's own ARN
 * (`arn:aws:ec2:<region>::snapshot/snap-…`, `arn:aws:fsx:<region>:<account>:backup/backup-…`). The Service Authorization Reference's `recoveryPoint`
 * resource type is `arn:…:<vendor>:<region>:*:<type>:<id>`, which these ARNs (`/` before the ID) do not
 * match; such points are authorized as `arn:aws:backup:<region>:<vault account>:recovery-point:<id>`
 * (AWS Backup names such a recovery point by its snapshot or backup ID).
 */
function pointResource(pointArn: string, l: RequestLookup): IamRequest {
  const vault = l.vaultOfPoint(pointArn);
  const snapshot = /^arn:aws[a-z-]*:(?:ec2:([^:]*)::(?:snapshot|image)\/((?:snap|ami)-[0-9a-f]+)|fsx:([^:]*):\d{12}:backup\/(backup-[0-9a-f]+))$/.exec(pointArn);
  const vaultAccount = vault?.split(':')[4] ?? '';
  const resource = snapshot ? `arn:aws:backup:${snapshot[1] ?? snapshot[3]}:${vaultAccount}:recovery-point:${snapshot[2] ?? snapshot[4]}` : pointArn;
  return { action: '', resource, ...(vault ? { policyResource: vault } : {}) };
}

/** An action without resource-level permissions; `aws:RequestedRegion` is the endpoint's region (no ARN names it). */
const star = (action: string, principal: string, l: RequestLookup): IamRequest => ({ action, resource: '*', resourceAccount: l.accountOf(principal), context: { 'aws:RequestedRegion': l.region } });

const tagContext = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

const ec2Resource = (l: RequestLookup, principal: string, kind: 'instance' | 'volume', id: string): Omit<IamRequest, 'action'> => ({
  resource: arn(l, 'ec2', l.accountOf(principal), `${kind}/${id}`),
  context: tagContext(l.resourceTags(kind, id)),
});

const fileSystem = (l: RequestLookup, principal: string, id: string) => arn(l, 'elasticfilesystem', l.accountOf(principal), `file-system/${id}`);

export const REQUESTS: Record<string, Builder> = {
  // --- the readiness checker's reads (readiness-model.ts)
  'ssm:getParameter': (i, p, l) => [{ action: 'ssm:GetParameter', resource: arn(l, 'ssm', l.accountOf(p), `parameter/${String(i.Name).replace(/^\//, '')}`) }],
  'ec2:describeImages': (_i, p, l) => [star('ec2:DescribeImages', p, l)],
  'ec2:describeLaunchTemplates': (_i, p, l) => [star('ec2:DescribeLaunchTemplates', p, l)],
  'states:describeStateMachine': (i) => [{ action: 'states:DescribeStateMachine', resource: String(i.stateMachineArn) }],
  'states:listExecutions': (i) => [{ action: 'states:ListExecutions', resource: String(i.stateMachineArn) }],
  'states:describeExecution': (i) => [{ action: 'states:DescribeExecution', resource: String(i.executionArn) }],
  'cloudwatch:getMetricData': (_i, p, l) => [star('cloudwatch:GetMetricData', p, l)],
  'backup:getRestoreTestingPlan': (i, p, l) => [{ action: 'backup:GetRestoreTestingPlan', resource: l.restoreTestingPlanArn(String(i.RestoreTestingPlanName), l.accountOf(p)) }],
  'backup:listRestoreJobs': (_i, p, l) => [star('backup:ListRestoreJobs', p, l)],
  // --- FSx (DescribeRestoredFileSystems): no resource-level permissions (Service Authorization Reference)
  'fsx:describeFileSystems': (_i, p, l) => [star('fsx:DescribeFileSystems', p, l)],
  'fsx:describeVolumes': (_i, p, l) => [star('fsx:DescribeVolumes', p, l)],
  'fsx:describeStorageVirtualMachines': (_i, p, l) => [star('fsx:DescribeStorageVirtualMachines', p, l)],
  'fsx:deleteFileSystem': (i, p, l) => [{ action: 'fsx:DeleteFileSystem', resource: l.fsxArn(String(i.FileSystemId)) ?? arn(l, 'fsx', l.accountOf(p), `file-system/${i.FileSystemId}`), context: tagContext(l.fsxTags(String(i.FileSystemId))) }],
  'fsx:deleteVolume': (i, p, l) => [{ action: 'fsx:DeleteVolume', resource: l.fsxArn(String(i.VolumeId)) ?? arn(l, 'fsx', l.accountOf(p), `volume/unknown/${i.VolumeId}`), context: tagContext(l.fsxTags(String(i.VolumeId))) }],
  // --- validate-restore (restore tests)
  'backup:getRestoreJobMetadata': (_i, p, l) => [star('backup:GetRestoreJobMetadata', p, l)],
  'backup:putRestoreValidationResult': (_i, p, l) => [star('backup:PutRestoreValidationResult', p, l)],
  'dynamodb:describeTable': (i, p, l) => [{ action: 'dynamodb:DescribeTable', resource: arn(l, 'dynamodb', l.accountOf(p), `table/${i.TableName}`) }],
  'efs:describeFileSystems': (i, p, l) => [{ action: 'elasticfilesystem:DescribeFileSystems', resource: fileSystem(l, p, String(i.FileSystemId)) }],
  's3:putObject': (i, _p, l) => [{ action: 's3:PutObject', resource: `arn:aws:s3:::${i.Bucket}/${i.Key}`, resourceAccount: l.bucketAccount(String(i.Bucket)) }],

  // sts:RoleSessionName is in the request context (policies may require a session name prefix).
  'sts:assumeRole': (i) => [{ action: 'sts:AssumeRole', resource: String(i.RoleArn), ...(i.RoleSessionName ? { context: { 'sts:RoleSessionName': String(i.RoleSessionName) } } : {}) }],

  'backup:listRecoveryPointsByBackupVault': (i, p, l) => [{ action: 'backup:ListRecoveryPointsByBackupVault', resource: l.vaultArn(i.BackupVaultName, p, i.BackupVaultAccountId) }],
  'backup:listTags': (i, _p, l) => [{ ...pointResource(String(i.ResourceArn), l), action: 'backup:ListTags' }],
  'backup:getRecoveryPointRestoreMetadata': (i, _p, l) => [{ ...pointResource(String(i.RecoveryPointArn), l), action: 'backup:GetRecoveryPointRestoreMetadata' }],
  'backup:startCopyJob': (i, _p, l) => [
    { ...pointResource(String(i.RecoveryPointArn), l), action: 'backup:StartCopyJob' },
    // StartCopyJob passes IamRoleArn to AWS Backup (API reference: "the IAM role ARN used to copy").
    { action: 'iam:PassRole', resource: String(i.IamRoleArn), passedToService: 'backup.amazonaws.com' },
  ],
  'backup:describeCopyJob': (_i, p, l) => [star('backup:DescribeCopyJob', p, l)],
  'backup:startRestoreJob': (i, _p, l) => [
    { ...pointResource(String(i.RecoveryPointArn), l), action: 'backup:StartRestoreJob' },
    { action: 'iam:PassRole', resource: String(i.IamRoleArn), passedToService: 'backup.amazonaws.com' },
  ],
  'backup:describeRestoreJob': (_i, p, l) => [star('backup:DescribeRestoreJob', p, l)],
  // --- failback: final backups (authorized on the destination vault; StartBackupJob passes IamRoleArn to AWS Backup)
  'backup:startBackupJob': (i, p, l) => [
    { action: 'backup:StartBackupJob', resource: l.vaultArn(String(i.BackupVaultName), p) },
    { action: 'iam:PassRole', resource: String(i.IamRoleArn), passedToService: 'backup.amazonaws.com' },
  ],
  'backup:describeBackupJob': (_i, p, l) => [star('backup:DescribeBackupJob', p, l)],
  'ec2:describeSubnets': (_i, p, l) => [star('ec2:DescribeSubnets', p, l)],
  'resourcegroupstaggingapi:getResources': (_i, p, l) => [star('tag:GetResources', p, l)],
  'route53:getChange': (i, p, l) => [{ action: 'route53:GetChange', resource: `arn:aws:route53:::change/${String(i.Id).replace(/^\/?change\//, '')}`, resourceAccount: l.accountOf(p) }],

  'ec2:describeVolumes': (_i, p, l) => [star('ec2:DescribeVolumes', p, l)],
  'ec2:describeInstances': (_i, p, l) => [star('ec2:DescribeInstances', p, l)],
  'ec2:describeSnapshots': (_i, p, l) => [star('ec2:DescribeSnapshots', p, l)],
  'ec2:attachVolume': (i, p, l) => [
    { action: 'ec2:AttachVolume', ...ec2Resource(l, p, 'instance', String(i.InstanceId)) },
    { action: 'ec2:AttachVolume', ...ec2Resource(l, p, 'volume', String(i.VolumeId)) },
  ],
  'ec2:detachVolume': (i, p, l) => {
    const instance = i.InstanceId ?? l.attachedInstanceOf(String(i.VolumeId));
    return [
      ...(instance ? [{ action: 'ec2:DetachVolume', ...ec2Resource(l, p, 'instance', String(instance)) }] : []),
      { action: 'ec2:DetachVolume', ...ec2Resource(l, p, 'volume', String(i.VolumeId)) },
    ];
  },
  'ec2:deleteVolume': (i, p, l) => [{ action: 'ec2:DeleteVolume', ...ec2Resource(l, p, 'volume', String(i.VolumeId)) }],
  'ec2:terminateInstances': (i, p, l) => (i.InstanceIds ?? []).map((id: string) => ({ action: 'ec2:TerminateInstances', ...ec2Resource(l, p, 'instance', id) })),

  'autoscaling:updateAutoScalingGroup': (i, _p, l) => [{ action: 'autoscaling:UpdateAutoScalingGroup', resource: l.autoScalingGroupArn(String(i.AutoScalingGroupName)) }],
  'autoscaling:describeAutoScalingGroups': (_i, p, l) => [star('autoscaling:DescribeAutoScalingGroups', p, l)],

  'ssm:describeInstanceInformation': (_i, p, l) => [star('ssm:DescribeInstanceInformation', p, l)],
  'ssm:startAutomationExecution': (i, p, l) => {
    const account = l.accountOf(p);
    // The runbook runs as AutomationAssumeRole (the parameter, else the document's default): starting it
    // passes that role, which needs iam:PassRole (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-setup-iam.html).
    const fallback = l.defaultAutomationRole(String(i.DocumentName));
    const roles: string[] = i.Parameters?.AutomationAssumeRole ?? (fallback ? [fallback] : []);
    return [
      { action: 'ssm:StartAutomationExecution', resource: arn(l, 'ssm', account, `automation-definition/${i.DocumentName}:$DEFAULT`) },
      // The runbook runs as AutomationAssumeRole: passing it is the caller's iam:PassRole.
      ...roles.map((role) => ({ action: 'iam:PassRole', resource: role, passedToService: 'ssm.amazonaws.com' })),
    ];
  },
  'ssm:getAutomationExecution': (i, p, l) => [{ action: 'ssm:GetAutomationExecution', resource: arn(l, 'ssm', l.accountOf(p), `automation-execution/${i.AutomationExecutionId}`) }],

  'rds:describeDBInstances': (i, p, l) => [{ action: 'rds:DescribeDBInstances', resource: arn(l, 'rds', l.accountOf(p), `db:${i.DBInstanceIdentifier}`) }],
  'rds:deleteDBInstance': (i, p, l) => [{ action: 'rds:DeleteDBInstance', resource: arn(l, 'rds', l.accountOf(p), `db:${i.DBInstanceIdentifier}`) }],
  'rds:describeDBClusters': (i, p, l) => [{ action: 'rds:DescribeDBClusters', resource: arn(l, 'rds', l.accountOf(p), `cluster:${i.DBClusterIdentifier}`) }],
  'rds:deleteDBCluster': (i, p, l) => [{ action: 'rds:DeleteDBCluster', resource: arn(l, 'rds', l.accountOf(p), `cluster:${i.DBClusterIdentifier}`) }],

  'dynamodb:deleteTable': (i, p, l) => [{ action: 'dynamodb:DeleteTable', resource: arn(l, 'dynamodb', l.accountOf(p), `table/${i.TableName}`) }],

  'efs:describeMountTargets': (i, p, l) => [{ action: 'elasticfilesystem:DescribeMountTargets', resource: fileSystem(l, p, String(i.FileSystemId)) }],
  'efs:createMountTarget': (i, p, l) => {
    const account = l.accountOf(p);
    return [
      { action: 'elasticfilesystem:CreateMountTarget', resource: fileSystem(l, p, String(i.FileSystemId)) },
      // EFS creates the mount target's network interface with the caller's permissions
      // (https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html, "Required permissions").
      { action: 'ec2:CreateNetworkInterface', resource: arn(l, 'ec2', account, `network-interface/${fakeEni(String(i.FileSystemId), String(i.SubnetId))}`), onBehalfOf: 'elasticfilesystem:CreateMountTarget' },
      { action: 'ec2:CreateNetworkInterface', resource: arn(l, 'ec2', account, `subnet/${i.SubnetId}`), onBehalfOf: 'elasticfilesystem:CreateMountTarget' },
      ...((i.SecurityGroups ?? []) as string[]).map((g) => ({ action: 'ec2:CreateNetworkInterface', resource: arn(l, 'ec2', account, `security-group/${g}`), onBehalfOf: 'elasticfilesystem:CreateMountTarget' })),
      { ...star('ec2:DescribeSubnets', p, l), onBehalfOf: 'elasticfilesystem:CreateMountTarget' },
      { ...star('ec2:DescribeNetworkInterfaces', p, l), onBehalfOf: 'elasticfilesystem:CreateMountTarget' },
    ];
  },
  'efs:deleteMountTarget': (i, p, l) => {
    const fs = l.fileSystemOfMountTarget(String(i.MountTargetId));
    return [
      ...(fs ? [{ action: 'elasticfilesystem:DeleteMountTarget', resource: fileSystem(l, p, fs) }] : []),
      // https://docs.aws.amazon.com/efs/latest/ug/API_DeleteMountTarget.html: ec2:DeleteNetworkInterface on the caller.
      { action: 'ec2:DeleteNetworkInterface', resource: arn(l, 'ec2', l.accountOf(p), `network-interface/${fakeEni(String(i.MountTargetId))}`), onBehalfOf: 'elasticfilesystem:DeleteMountTarget' },
    ];
  },
  'efs:deleteFileSystem': (i, p, l) => [{ action: 'elasticfilesystem:DeleteFileSystem', resource: fileSystem(l, p, String(i.FileSystemId)) }],

  'cloudwatch:describeAlarms': (i, p, l) => ((i.AlarmNames ?? []) as string[]).map((name) => ({ action: 'cloudwatch:DescribeAlarms', resource: arn(l, 'cloudwatch', l.accountOf(p), `alarm:${name}`) })),
  'cloudwatch:putMetricData': (i, p, l) => [{ ...star('cloudwatch:PutMetricData', p, l), context: { 'aws:RequestedRegion': l.region, 'cloudwatch:namespace': String(i.Namespace) } }],

  'sns:publish': (i) => [{ action: 'sns:Publish', resource: String(i.TopicArn) }],
  'route53:changeResourceRecordSets': (i, p, l) => [{ action: 'route53:ChangeResourceRecordSets', resource: `arn:aws:route53:::hostedzone/${String(i.HostedZoneId).replace(/^\/hostedzone\//, '')}`, resourceAccount: l.accountOf(p) }],
  'lambda:invoke': (i, p, l) => [{ action: 'lambda:InvokeFunction', resource: String(i.FunctionName).startsWith('arn:') ? String(i.FunctionName) : arn(l, 'lambda', l.accountOf(p), `function:${i.FunctionName}`) }],
};

/** The IAM requests of one API call; throws for a call the table does not know. */
export function requestsOf(service: string, action: string, input: unknown, principal: string, lookup: RequestLookup): IamRequest[] {
  const builder = REQUESTS[`${service}:${action}`];
  if (!builder) throw new Error(`the rehearsal has no authorization rule for ${service}:${action}: add it to rehearsal/iam-requests.ts (unknown calls are never allowed)`);
  return builder((input ?? {}) as Record<string, unknown>, principal, lookup);
}

/** A network interface ID for the interface EFS creates or deletes (the simulator takes concrete ARNs). */
function fakeEni(...parts: string[]): string {
  let h = 0;
  for (const c of parts.join('/')) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `eni-0${h.toString(16).padStart(16, '0')}`;
}
