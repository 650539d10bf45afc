import { Construct } from 'constructs';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, renderPolicy, serviceTrustPolicy, type PolicyDocument } from '../policy-document';
import { partitionOf } from '../../config/regions';
import { WORKLOAD_TAG } from '../../config/tags';

export interface ConnectRunbookProps {
  readonly documentName: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Some workload backs up FSx: the runbook also takes `FsxFileSystems` and mounts them ({@link fsxScript}).
   * @default false
   */
  readonly fileSystems?: boolean;
}

/**
 * The FSx part of the script, for `FsxFileSystems`: a JSON list of `"<TYPE>|<id>|<DNS name>|<path>"`
 * (the recovery state machine's DescribeRestoredFileSystems). Each is mounted under
 * `<MountRoot>/<id>`, skipped when already mounted:
 *  - LUSTRE: `mount -t lustre -o relatime,flock <DNS name>@tcp:/<mount name>` (FSx for Lustre User
 *    Guide, https://docs.aws.amazon.com/fsx/latest/LustreGuide/mounting-ec2-instance.html; the AMI
 *    needs the Lustre client);
 *  - ONTAP: `mount -t nfs <SVM NFS DNS name>:<junction path>` (FSx for ONTAP User Guide,
 *    https://docs.aws.amazon.com/fsx/latest/ONTAPGuide/attach-linux-client.html);
 *  - WINDOWS: not mounted. An SMB mount (`mount -t cifs //<DNS name>/share`) needs a domain account's
 *    credentials, which the runbook would have to read from a secret and leave in the command's
 *    history: the application mounts the share with its own identity. The runbook only checks that
 *    the file system answers on TCP 445 (SMB), and fails when it does not.
 * No `$` + `{` in the script: Terraform would read it as an interpolation.
 */
export function fsxScript(): string[] {
  return [
    "for entry in $(echo '{{ FsxFileSystems }}' | tr -d '[]\"' | tr ',' ' '); do",
    '  kind="$(echo "$entry" | cut -d\'|\' -f1)"; id="$(echo "$entry" | cut -d\'|\' -f2)"; dns="$(echo "$entry" | cut -d\'|\' -f3)"; fspath="$(echo "$entry" | cut -d\'|\' -f4)"',
    '  dir="$ROOT/$id"',
    '  case "$kind" in',
    '    LUSTRE) mkdir -p "$dir"; if ! mountpoint -q "$dir"; then mount -t lustre -o relatime,flock "$dns@tcp:/$fspath" "$dir"; fi ;;',
    '    ONTAP) mkdir -p "$dir"; if ! mountpoint -q "$dir"; then mount -t nfs "$dns:$fspath" "$dir"; fi ;;',
    '    WINDOWS) if ! timeout 10 bash -c "exec 3<>/dev/tcp/$dns/445"; then echo "FSx for Windows File Server $id: $dns does not answer on TCP 445 (SMB)" >&2; exit 1; fi ;;',
    '    *) echo "FSx $id: type $kind is not mounted by this runbook" ;;',
    '  esac',
    'done',
  ];
}

/**
 * SSM Automation runbook that connects recovered servers: on every instance tagged
 * `dr:workload=<Workload>` it mounts the restored EFS file systems (skipping those already mounted),
 * with `fileSystems` also the restored FSx file systems ({@link fsxScript}), and runs the workload's
 * start command (which must itself be idempotent). Re-running it is safe.
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
      ...(props.fileSystems ? fsxScript() : []),
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
        ...(props.fileSystems
          ? { FsxFileSystems: { type: 'String', default: '[]', description: 'JSON list of restored FSx file systems, each "<TYPE>|<id>|<DNS name>|<path>" (path: Lustre mount name, ONTAP junction path)' } }
          : {}),
      },
      mainSteps: [
        {
          name: 'MountAndStart',
          action: 'aws:runCommand',
          timeoutSeconds: 1800,
          onFailure: 'Abort',
          inputs: {
            DocumentName: 'AWS-RunShellScript',
            Targets: [{ Key: `tag:${WORKLOAD_TAG}`, Values: ['{{ Workload }}'] }],
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
        Condition: { Null: { [`ssm:resourceTag/${WORKLOAD_TAG}`]: 'false' } },
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
