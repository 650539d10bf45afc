import type { Construct } from 'constructs';
import { passRoleStatement, type PolicyStatement } from '../policy-document';
import { failbackDefinition, type FailbackDefinitionProps } from './definition';
import { autoScalingGroupArnPattern, vaultRecoveryPointArns } from '../../config/naming';
import { partitionOf } from '../../config/regions';
import { executionLogAndTracingStatements, LoggedStateMachine, type WorkflowStateMachineProps } from '../recovery/logged-state-machine';
import type { FailbackWorkload } from './steps/common';
import { onCallPublishStatements } from '../on-call-topic';

/**
 * `failback.dnsRecord` as the machine sees it: type and TTL default to recovery's failover of the same
 * record (else CNAME, 60), and the DR endpoint (`recovery.failover.value`, when it is the same record) is
 * what a failure after the switch restores.
 */
export function failbackDnsRecord(
  record: { hostedZoneId: string; recordName: string; value?: string; recordType?: string; ttl?: number },
  failover?: { hostedZoneId: string; recordName: string; recordType: string; value: string; ttl: number },
): NonNullable<FailbackWorkload['dnsRecord']> {
  const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const same = failover && failover.hostedZoneId === record.hostedZoneId && norm(failover.recordName) === norm(record.recordName) ? failover : undefined;
  return {
    hostedZoneId: record.hostedZoneId,
    recordName: record.recordName,
    recordType: record.recordType ?? same?.recordType ?? 'CNAME',
    ttl: record.ttl ?? same?.ttl ?? 60,
    ...(record.value ? { value: record.value } : {}),
    ...(same ? { drValue: same.value } : {}),
  };
}

export interface FailbackStateMachineProps extends WorkflowStateMachineProps<FailbackDefinitionProps> {
  /** The execution role (it assumes no workload role: the workload-region-call function does). */
  readonly roleName: string;
}

/**
 * The Standard workflow that brings a workload back from the DR account (docs/failback.md), with its
 * least-privilege execution role and a KMS-encrypted log group; X-Ray tracing on.
 */
export class FailbackStateMachine extends LoggedStateMachine {
  constructor(scope: Construct, id: string, props: FailbackStateMachineProps) {
    super(scope, id, props, { roleDescription: 'Failback state machine', policyName: 'failback', definition: failbackDefinition(props.definition), statements: failbackStatements(props) });
  }
}

/** The execution role's statements: what the definition's Tasks call, and no more. */
function failbackStatements({ region, accountId, definition: def, onCallKeyArn }: FailbackStateMachineProps): PolicyStatement[] {
  const p = partitionOf(region);
  const { workloads } = def;
  // StartCopyJob is authorized on the source recovery point: for types AWS Backup does not fully
  // manage, the snapshot or image ARN (Service Authorization Reference, AWS Backup).
  const restoreVaultPoints = vaultRecoveryPointArns(region, accountId, { fsx: false });
  const asgArns = workloads.flatMap((w) =>
    w.freeze.kind === 'scaleDown' ? w.freeze.autoScalingGroupNames.map((n) => autoScalingGroupArnPattern(region, accountId, n)) : [],
  );
  const runbooks = [...new Set(workloads.flatMap((w) => (w.freeze.kind === 'runbook' ? [w.freeze.documentName] : [])))].sort();
  const statements: PolicyStatement[] = [
    ...onCallPublishStatements(def.onCallTopicArn, onCallKeyArn, 'NotifyOnCall'),
    // StartBackupJob is authorized on the destination vault.
    { Sid: 'FinalBackupsIntoRestoreVault', Effect: 'Allow', Action: 'backup:StartBackupJob', Resource: def.restoreVault.arn },
    { Sid: 'CopyFromRestoreVault', Effect: 'Allow', Action: 'backup:StartCopyJob', Resource: restoreVaultPoints },
    // DescribeBackupJob and DescribeCopyJob support no resource-level permissions.
    { Sid: 'TrackBackupAndCopyJobs', Effect: 'Allow', Action: ['backup:DescribeBackupJob', 'backup:DescribeCopyJob'], Resource: '*' },
    passRoleStatement('PassFailbackBackupRoleToAwsBackupOnly', def.backupRoleArn, 'backup.amazonaws.com'),
    // Every call in a workload's account and region (restore, subnet lookup, health alarm) goes through
    // the workload-region-call function, which alone assumes the workload's failback role
    // (steps/workload-region-task.ts): the machine assumes no role. Step Functions invokes a function
    // with the execution role's lambda:InvokeFunction (https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html).
    { Sid: 'InvokeWorkloadRegionCall', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: def.workloadRegionCallFunctionArn },
    ...executionLogAndTracingStatements(),
  ];
  if (asgArns.length > 0) statements.push({ Sid: 'FreezeScaleDown', Effect: 'Allow', Action: 'autoscaling:UpdateAutoScalingGroup', Resource: [...new Set(asgArns)].sort() });
  if (runbooks.length > 0) {
    statements.push(
      { Sid: 'FreezeRunbook', Effect: 'Allow', Action: 'ssm:StartAutomationExecution', Resource: runbooks.map((d) => `arn:${p}:ssm:${region}:${accountId}:automation-definition/${d}:*`) },
      { Sid: 'TrackFreezeRunbook', Effect: 'Allow', Action: 'ssm:GetAutomationExecution', Resource: `arn:${p}:ssm:${region}:${accountId}:automation-execution/*` },
    );
  }
  statements.push(...afterRestoreStatements(p, def));
  return statements;
}

/** What the machine does after the restore, in the DR account (steps/locate.ts, switch-back.ts, cleanup.ts). */
function afterRestoreStatements(p: string, def: FailbackDefinitionProps): PolicyStatement[] {
  const records = def.workloads.flatMap((w) => (w.dnsRecord ? [w.dnsRecord] : []));
  return [
    // GetResources (IAM action tag:GetResources) supports no resource-level permissions:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonresourcegroupstaggingapi.html
    { Sid: 'FindWorkloadResourcesByTag', Effect: 'Allow', Action: 'tag:GetResources', Resource: '*' },
    // The DR drill cleanup function, after the second approval.
    { Sid: 'InvokeDrCleanup', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: def.cleanupFunctionArn },
    ...(records.length > 0
      ? [
          {
            // Only the configured records of the configured zones (of the DR account: Route 53 has no
            // resource-based policies), UPSERT only:
            // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
            Sid: 'SwitchConfiguredRecordsBackOnly',
            Effect: 'Allow' as const,
            Action: 'route53:ChangeResourceRecordSets',
            Resource: [...new Set(records.map((r) => `arn:${p}:route53:::hostedzone/${r.hostedZoneId}`))].sort(),
            Condition: {
              'ForAllValues:StringEquals': {
                'route53:ChangeResourceRecordSetsNormalizedRecordNames': [...new Set(records.map((r) => r.recordName.toLowerCase().replace(/\.$/, '')))].sort(),
                'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
                'route53:ChangeResourceRecordSetsRecordTypes': [...new Set(records.map((r) => r.recordType))].sort(),
              },
            },
          },
          // GetChange is authorized on the change resource (arn:aws:route53:::change/<id>), whose ID is
          // known only after the switch: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
          { Sid: 'TrackDnsChanges', Effect: 'Allow' as const, Action: 'route53:GetChange', Resource: `arn:${p}:route53:::change/*` },
        ]
      : []),
  ];
}
