import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, renderPolicy, type PolicyDocument } from '../policy-document';
import { partitionOf } from '../../config/regions';

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
