import type { Construct } from 'constructs';
import { passRoleStatement, type PolicyStatement } from '../policy-document';
import { recoveryDefinition, type RecoveryDefinitionProps } from './definition';
import { autoScalingGroupArnPattern, recoveryPointArnPattern, vaultRecoveryPointArns } from '../../config/naming';
import { partitionOf } from '../../config/regions';
import { executionLogAndTracingStatements, LoggedStateMachine, type WorkflowStateMachineProps } from './logged-state-machine';
import { onCallPublishStatements } from '../on-call-topic';

/** What DescribeRestoredFileSystems calls (with FSx only). */
export const FSX_DESCRIBE_ACTIONS = ['fsx:DescribeFileSystems', 'fsx:DescribeStorageVirtualMachines', 'fsx:DescribeVolumes'] as const;

/**
 * Mount targets for the EFS file systems restored into an account and region (recovery's and
 * failback's step that connects them). CreateMountTarget and DescribeMountTargets are authorized on
 * the file system (Service Authorization Reference, Amazon Elastic File System:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticfilesystem.html).
 */
export function restoredFileSystemMountTargetStatement(partition: string, region: string, accountId: string): PolicyStatement {
  return {
    Sid: 'MountTargetsForRestoredFileSystems',
    Effect: 'Allow',
    Action: ['elasticfilesystem:CreateMountTarget', 'elasticfilesystem:DescribeMountTargets'],
    Resource: `arn:${partition}:elasticfilesystem:${region}:${accountId}:file-system/*`,
  };
}

export interface RecoveryStateMachineProps extends WorkflowStateMachineProps<RecoveryDefinitionProps> {
  /** Must match the `<name>-recovery-*` pattern the backup-vault account's copy-starter role trusts. */
  readonly roleName: string;
  readonly connectRunbookRoleArn: string;
}

/**
 * The Standard workflow that recovers a workload, with its least-privilege execution role and a
 * KMS-encrypted log group; X-Ray tracing on.
 */
export class RecoveryStateMachine extends LoggedStateMachine {
  constructor(scope: Construct, id: string, props: RecoveryStateMachineProps) {
    super(scope, id, props, { roleDescription: 'Recovery state machine', policyName: 'recover', definition: recoveryDefinition(props.definition), statements: recoveryStatements(props) });
  }
}

/** The execution role's statements: what the definition's Tasks call, and no more. */
function recoveryStatements({ region, accountId, definition: def, onCallKeyArn, connectRunbookRoleArn }: RecoveryStateMachineProps): PolicyStatement[] {
  const p = partitionOf(region);
  const { workloads } = def;
  const asgArns = workloads.flatMap((w) => w.servers.map((s) => autoScalingGroupArnPattern(region, accountId, s.autoScalingGroupName)));
  const alarmArns = workloads.filter((w) => w.healthAlarmName).map((w) => `arn:${p}:cloudwatch:${region}:${accountId}:alarm:${w.healthAlarmName}`);
  const failovers = workloads.filter((w) => w.failover).map((w) => w.failover!);
  const restorePoints = vaultRecoveryPointArns(region, accountId);
  const statements: PolicyStatement[] = [
    { Sid: 'InvokeRecoveryFunctions', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: Object.values(def.functionArns).sort() },
    ...onCallPublishStatements(def.onCallTopicArn, onCallKeyArn, 'NotifyOnCall'),
    ...(def.copyFromCentralVault === false ? [] : [{ Sid: 'AssumeCentralCopyStarter', Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: def.copyStarterRoleArn }]),
    { Sid: 'RestoreFromRestoreVault', Effect: 'Allow', Action: 'backup:StartRestoreJob', Resource: restorePoints },
    // Points of the air-gapped vault shared through AWS RAM are restored in place: their ARNs are
    // backup recovery points of the vault's owner (the vault's RAM share grants the other side).
    ...(def.airGappedVault
      ? [{ Sid: 'RestoreInPlaceFromAirGappedVault', Effect: 'Allow' as const, Action: 'backup:StartRestoreJob', Resource: recoveryPointArnPattern(def.airGappedVault.region, def.airGappedVault.accountId) }]
      : []),
    // DescribeRestoreJob supports no resource-level permissions.
    { Sid: 'TrackRestoreJobs', Effect: 'Allow', Action: 'backup:DescribeRestoreJob', Resource: '*' },
    passRoleStatement('PassRestoreRoleToAwsBackupOnly', def.restoreRoleArn, 'backup.amazonaws.com'),
    { Sid: 'RunConnectRunbook', Effect: 'Allow', Action: 'ssm:StartAutomationExecution', Resource: `arn:${p}:ssm:${region}:${accountId}:automation-definition/${def.connectDocumentName}:*` },
    { Sid: 'TrackConnectRunbook', Effect: 'Allow', Action: 'ssm:GetAutomationExecution', Resource: `arn:${p}:ssm:${region}:${accountId}:automation-execution/*` },
    passRoleStatement('PassRunbookRoleToSsmOnly', connectRunbookRoleArn, 'ssm.amazonaws.com'),
    // Describe calls of Auto Scaling and SSM support no resource-level permissions.
    { Sid: 'WatchServers', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'ssm:DescribeInstanceInformation'], Resource: '*' },
    ...executionLogAndTracingStatements(),
  ];
  if (asgArns.length > 0) statements.push({ Sid: 'ScaleRecoveryServers', Effect: 'Allow', Action: 'autoscaling:UpdateAutoScalingGroup', Resource: asgArns.sort() });
  if (def.terraformCloud && workloads.some((w) => w.infrastructure?.kind === 'terraformCloud')) {
    // BuildInfrastructure through Terraform Cloud: HTTP Tasks to the runs API only, through its connection.
    const runs = `${def.terraformCloud.apiUrl}/api/v2/runs`;
    statements.push(
      // InvokeHTTPEndpoint has no resource type of its own (Service Authorization Reference): "*",
      // narrowed by the endpoint and method of each call.
      { Sid: 'QueueTerraformCloudRuns', Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringEquals: { 'states:HTTPMethod': 'POST', 'states:HTTPEndpoint': runs } } },
      { Sid: 'ReadTerraformCloudRuns', Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringEquals: { 'states:HTTPMethod': 'GET' }, StringLike: { 'states:HTTPEndpoint': `${runs}/run-*` } } },
      { Sid: 'UseTerraformCloudConnection', Effect: 'Allow', Action: 'events:RetrieveConnectionCredentials', Resource: def.terraformCloud.connectionArn },
      {
        Sid: 'ReadTerraformCloudConnectionSecret',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: `arn:${p}:secretsmanager:${region}:${accountId}:secret:events!connection/${def.terraformCloud.connectionName}/*`,
      },
    );
  }
  if (workloads.some((w) => w.resourceTypes.includes('EFS'))) {
    // Mount targets for the EFS file systems restored into this account and region (CreateMountTargets).
    statements.push(
      restoredFileSystemMountTargetStatement(p, region, accountId),
      // CreateMountTarget creates the mount target's network interface with the caller's permissions.
      {
        Sid: 'MountTargetNetworkInterfaces',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterface',
        Resource: ['network-interface', 'security-group', 'subnet'].map((type) => `arn:${p}:ec2:${region}:${accountId}:${type}/*`),
      },
      // Describe calls of EC2 support no resource-level permissions.
      { Sid: 'MountTargetNetworkLookups', Effect: 'Allow', Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], Resource: '*' },
    );
  }
  if (workloads.some((w) => w.resourceTypes.includes('FSx'))) {
    // DescribeRestoredFileSystems. The three Describe actions have no resource type (Service
    // Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonfsx.html):
    // "*" is the narrowest resource.
    statements.push({ Sid: 'DescribeRestoredFileSystems', Effect: 'Allow', Action: [...FSX_DESCRIBE_ACTIONS], Resource: '*' });
    // A drill deletes what AWS Backup restored in this account: AWS Backup tags it
    // aws:backup:source-resource (AWSBackupServiceRolePolicyForRestores, FsxTagPermissions).
    statements.push({
      Sid: 'DeleteDrillFileSystems',
      Effect: 'Allow',
      Action: ['fsx:DeleteFileSystem', 'fsx:DeleteVolume'],
      Resource: [`arn:${p}:fsx:${region}:${accountId}:file-system/*`, `arn:${p}:fsx:${region}:${accountId}:volume/*/*`],
      Condition: { Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false' } },
    });
  }
  if (alarmArns.length > 0) statements.push({ Sid: 'CheckHealth', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: alarmArns.sort() });
  if (failovers.length > 0) {
    statements.push({
      Sid: 'SwitchConfiguredRecordsOnly',
      Effect: 'Allow',
      Action: 'route53:ChangeResourceRecordSets',
      Resource: [...new Set(failovers.map((f) => `arn:${p}:route53:::hostedzone/${f.hostedZoneId}`))].sort(),
      Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [...new Set(failovers.map((f) => f.recordName.toLowerCase().replace(/\.$/, '')))].sort() } },
    });
  }
  return statements;
}
