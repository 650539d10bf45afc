import type { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { renderPolicy, serviceTrustPolicy, type PolicyDocument } from '../policy-document';
import type { StateMachineDefinition } from './asl';

export interface LoggedStateMachineProps {
  readonly stateMachineName: string;
  /** Derived from name, account and region: the execution role's trust is scoped to it. */
  readonly stateMachineArn: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly roleDescription: string;
  /** Name of the role's inline policy. */
  readonly policyName: string;
  readonly policy: PolicyDocument;
  readonly definition: StateMachineDefinition;
  readonly logKmsKeyArn: string;
  readonly logRetentionDays: number;
  /**
   * @default ERROR
   */
  readonly logLevel?: 'ALL' | 'ERROR' | 'FATAL';
}

/**
 * A Standard workflow as both state machines of the DR account run it (recovery and failback): an
 * execution role only Step Functions may assume, for this machine only (confused-deputy guard:
 * https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html); a
 * KMS-encrypted log group with retention, execution data logged; X-Ray tracing on. Created in `scope`,
 * so the construct IDs (Role, Policy, Logs, StateMachine) are the caller's.
 */
export function loggedStateMachine(scope: Construct, props: LoggedStateMachineProps): { role: IamRole; stateMachine: SfnStateMachine } {
  const role = new IamRole(scope, 'Role', {
    name: props.roleName,
    description: props.roleDescription,
    assumeRolePolicy: renderPolicy(serviceTrustPolicy('states.amazonaws.com', props.accountId, props.stateMachineArn, 'StepFunctionsForThisMachineOnly')),
  });
  const rolePolicy = new IamRolePolicy(scope, 'Policy', { role: role.name, name: props.policyName, policy: renderPolicy(props.policy) });
  const logGroup = new CloudwatchLogGroup(scope, 'Logs', {
    name: `/aws/vendedlogs/states/${props.stateMachineName}`,
    retentionInDays: props.logRetentionDays,
    kmsKeyId: props.logKmsKeyArn,
  });
  const stateMachine = new SfnStateMachine(scope, 'StateMachine', {
    name: props.stateMachineName,
    type: 'STANDARD',
    roleArn: role.arn,
    definition: JSON.stringify(props.definition),
    loggingConfiguration: { logDestination: `${logGroup.arn}:*`, includeExecutionData: true, level: props.logLevel ?? 'ERROR' },
    tracingConfiguration: { enabled: true },
    dependsOn: [rolePolicy],
  });
  return { role, stateMachine };
}
