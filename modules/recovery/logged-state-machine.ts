import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { policyDocument, renderPolicy, serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from '../policy-document';
import type { StateMachineDefinition } from './asl';
import { stateMachineArnOf } from '../../config/naming';

/** What a {@link LoggedStateMachine} takes from its stack, beside its definition and policy. */
export interface LoggedStateMachineProps {
  readonly stateMachineName: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly logKmsKeyArn: string;
  readonly logRetentionDays: number;
  /**
   * @default ERROR
   */
  readonly logLevel?: 'ALL' | 'ERROR' | 'FATAL';
}

/**
 * What both workflows (recovery, failback) take: the stack's settings, their definition's props, and
 * the key of the on-call topic they publish approvals and reports to.
 */
export interface WorkflowStateMachineProps<D> extends LoggedStateMachineProps {
  readonly definition: D;
  /** Key of the on-call topic (approval requests and reports are encrypted with it). */
  readonly onCallKeyArn: string;
}

/** What makes one machine differ from the other. */
export interface LoggedStateMachineSpec {
  readonly roleDescription: string;
  /** Name of the role's inline policy. */
  readonly policyName: string;
  readonly definition: StateMachineDefinition;
  /** The execution role's statements; {@link executionLogAndTracingStatements} belong among them. */
  readonly statements: PolicyStatement[];
}

/**
 * What the execution role needs for the logging and tracing {@link LoggedStateMachine} turns on. Log
 * delivery and X-Ray have no resource-level permissions (AWS documents "*").
 */
export function executionLogAndTracingStatements(): PolicyStatement[] {
  return [
    {
      Sid: 'DeliverExecutionLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:GetLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:UpdateLogDelivery'],
      Resource: '*',
    },
    { Sid: 'Tracing', Effect: 'Allow', Action: ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
  ];
}

/**
 * A Standard workflow as both state machines of the DR account run it (recovery and failback): an
 * execution role only Step Functions may assume, for this machine only (confused-deputy guard:
 * https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html); a
 * KMS-encrypted log group with retention, execution data logged; X-Ray tracing on. The construct IDs
 * (Role, Policy, Logs, StateMachine) sit directly under the machine's own construct.
 */
export abstract class LoggedStateMachine extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly stateMachineArn: string;
  readonly definition: StateMachineDefinition;
  readonly policy: PolicyDocument;
  readonly role: IamRole;

  protected constructor(scope: Construct, id: string, props: LoggedStateMachineProps, spec: LoggedStateMachineSpec) {
    super(scope, id);
    // Derived from name, account and region, not read from the resource: the role's trust is scoped to it.
    this.stateMachineArn = stateMachineArnOf(props.region, props.accountId, props.stateMachineName);
    this.definition = spec.definition;
    this.policy = policyDocument(...spec.statements);

    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: spec.roleDescription,
      assumeRolePolicy: renderPolicy(serviceTrustPolicy('states.amazonaws.com', props.accountId, this.stateMachineArn, 'StepFunctionsForThisMachineOnly')),
    });
    const rolePolicy = new IamRolePolicy(this, 'Policy', { role: this.role.name, name: spec.policyName, policy: renderPolicy(this.policy) });
    const logGroup = new CloudwatchLogGroup(this, 'Logs', {
      name: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    this.stateMachine = new SfnStateMachine(this, 'StateMachine', {
      name: props.stateMachineName,
      type: 'STANDARD',
      roleArn: this.role.arn,
      definition: JSON.stringify(this.definition),
      loggingConfiguration: { logDestination: `${logGroup.arn}:*`, includeExecutionData: true, level: props.logLevel ?? 'ERROR' },
      tracingConfiguration: { enabled: true },
      dependsOn: [rolePolicy],
    });
  }
}
