import { Construct } from 'constructs';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, renderPolicy, serviceTrustPolicy, type PolicyDocument } from '../policy-document';
import { partitionOf } from '../../config/regions';

export interface ConnectRunbookProps {
  readonly documentName: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * SSM Automation runbook that connects recovered servers: on every instance tagged
 * `dr:workload=<Workload>` it mounts the restored EFS file systems (skipping those already mounted)
 * and runs the workload's start command (which must itself be idempotent). Re-running it is safe.
 */
export class ConnectRunbook extends Construct {
  readonly document: SsmDocument;
  readonly documentName: string;
  readonly role: IamRole;
  readonly roleArn: string;
  readonly content: Record<string, unknown>;
  readonly rolePolicy: PolicyDocument;

  constructor(scope: Construct, id: string, props: ConnectRunbookProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    this.roleArn = `arn:${partition}:iam::${props.accountId}:role/${props.roleName}`;
    this.documentName = props.documentName;
    const script = [
      'set -euo pipefail',
      "ROOT='{{ MountRoot }}'",
      "for arn in $(echo '{{ FileSystemArns }}' | tr -d '[]\"' | tr ',' ' '); do",
      // No ${...} in the script: Terraform would read it as an interpolation.
      '  fs="$(basename "$arn")"; dir="$ROOT/$fs"; mkdir -p "$dir"',
      '  if ! mountpoint -q "$dir"; then mount -t efs -o tls "$fs":/ "$dir"; fi',
      'done',
      '{{ StartCommand }}',
    ];
    this.content = {
      schemaVersion: '0.3',
      description: 'Disaster recovery: mount restored file systems and start the application on the recovered servers of a workload.',
      assumeRole: '{{ AutomationAssumeRole }}',
      parameters: {
        AutomationAssumeRole: { type: 'String', default: this.roleArn },
        Workload: { type: 'String', description: 'dr:workload tag of the servers' },
        StartCommand: { type: 'String', description: 'Idempotent command that starts the application' },
        MountRoot: { type: 'String', default: '/mnt/dr' },
        FileSystemArns: { type: 'String', default: '[]', description: 'JSON list of restored EFS file system ARNs' },
      },
      mainSteps: [
        {
          name: 'MountAndStart',
          action: 'aws:runCommand',
          timeoutSeconds: 1800,
          onFailure: 'Abort',
          inputs: {
            DocumentName: 'AWS-RunShellScript',
            Targets: [{ Key: 'tag:dr:workload', Values: ['{{ Workload }}'] }],
            MaxConcurrency: '100%',
            MaxErrors: '0',
            Parameters: { commands: script },
          },
        },
      ],
    };
    this.rolePolicy = policyDocument(
      {
        Sid: 'RunShellOnRecoveryServersOnly',
        Effect: 'Allow',
        Action: 'ssm:SendCommand',
        Resource: `arn:${partition}:ec2:${props.region}:${props.accountId}:instance/*`,
        Condition: { Null: { 'ssm:resourceTag/dr:workload': 'false' } },
      },
      { Sid: 'TheShellDocument', Effect: 'Allow', Action: 'ssm:SendCommand', Resource: `arn:${partition}:ssm:${props.region}::document/AWS-RunShellScript` },
      // Command status calls and instance discovery by tag support no resource-level permissions.
      { Sid: 'TrackCommands', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:ListCommands'], Resource: '*' },
    );
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'SSM Automation connects recovered servers',
      assumeRolePolicy: renderPolicy(serviceTrustPolicy('ssm.amazonaws.com', props.accountId, `arn:${partition}:ssm:${props.region}:${props.accountId}:automation-execution/*`)),
    });
    new IamRolePolicy(this, 'Policy', { role: this.role.name, name: 'connect-servers', policy: renderPolicy(this.rolePolicy) });
    this.document = new SsmDocument(this, 'Document', {
      name: props.documentName,
      documentType: 'Automation',
      documentFormat: 'JSON',
      content: JSON.stringify(this.content),
    });
  }
}
