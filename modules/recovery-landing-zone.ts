import { Construct } from 'constructs';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { SecurityGroup, type SecurityGroupEgress, type SecurityGroupIngress } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { passRoleStatement, policyDocument, renderPolicy, serviceTrustPolicy, type Grantable } from './policy-document';
import { partitionOf } from '../config/regions';
import { WORKLOAD_TAG } from '../config/tags';
import { acknowledgePolicy } from '../policy/pack';

export interface RecoveryServer {
  readonly workload: string;
  /** The `dr:server` tag value. */
  readonly role: string;
  /** Golden AMI in the recovery region. */
  readonly amiId: string;
  readonly instanceType: string;
  /** Maximum of the Auto Scaling group (recovery scales up to its configured size). */
  readonly maxSize: number;
}

export interface RecoveryLandingZoneProps {
  /** Prefix of every name, e.g. `acme`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcCidr: string;
  /** At least two. */
  readonly availabilityZones: string[];
  /** Interface endpoint service names (`ssm`, `ec2`, ...). S3 always gets a gateway endpoint. */
  readonly interfaceEndpoints: string[];
  readonly servers: RecoveryServer[];
  /** Encrypts the flow-log group and the recovery bucket. */
  readonly logKmsKeyArn: string;
  readonly logRetentionDays: number;
  /**
   * Some workload backs up FSx: a security group for restored file systems, and the servers' rules to
   * reach them ({@link FSX_CLIENT_PORTS}).
   * @default false (none of it)
   */
  readonly fileSystems?: boolean;
}

/** A port range of one protocol, and what it is for. */
export interface PortRange {
  readonly protocol: 'tcp' | 'udp';
  readonly from: number;
  readonly to: number;
  readonly what: string;
}

/**
 * What the recovery servers reach restored FSx file systems on:
 *  - SMB, TCP 445: FSx for Windows File Server
 *    (https://docs.aws.amazon.com/fsx/latest/WindowsGuide/limit-access-security-groups.html);
 *  - Lustre, TCP 988 and 1018-1023, between clients and file servers in both directions and between
 *    the file servers (https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html);
 *  - NFS, TCP and UDP 111 (RPC), 635 (mount) and 2049 (NFS server): FSx for NetApp ONTAP
 *    (https://docs.aws.amazon.com/fsx/latest/ONTAPGuide/limit-access-security-groups.html).
 */
export const FSX_CLIENT_PORTS: readonly PortRange[] = [
  { protocol: 'tcp', from: 445, to: 445, what: 'SMB (FSx for Windows File Server)' },
  { protocol: 'tcp', from: 988, to: 988, what: 'Lustre (FSx for Lustre)' },
  { protocol: 'tcp', from: 1018, to: 1023, what: 'Lustre (FSx for Lustre)' },
  ...(['tcp', 'udp'] as const).flatMap((protocol) => [
    { protocol, from: 111, to: 111, what: 'NFS RPC (FSx for NetApp ONTAP)' },
    { protocol, from: 635, to: 635, what: 'NFS mount (FSx for NetApp ONTAP)' },
    { protocol, from: 2049, to: 2049, what: 'NFS (FSx for NetApp ONTAP)' },
  ]),
];

/** Lustre file servers also talk to each other and open connections to their clients (Lustre guide, client rules). */
export const LUSTRE_PORTS: readonly PortRange[] = FSX_CLIENT_PORTS.filter((p) => p.what.startsWith('Lustre'));

/** Splits an IPv4 CIDR into the smallest power-of-two number of equal subnets holding `count`. */
export function splitCidr(cidr: string, count: number): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`"${cidr}" is not an IPv4 CIDR`);
  const prefix = Number(m[5]);
  const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const bits = Math.max(1, Math.ceil(Math.log2(count)));
  const subnetPrefix = prefix + bits;
  if (subnetPrefix > 28) throw new Error(`"${cidr}" is too small for ${count} subnets`);
  const size = 2 ** (32 - subnetPrefix);
  const network = base - (base % 2 ** (32 - prefix));
  return Array.from({ length: count }, (_, i) => {
    const addr = network + i * size;
    return `${[24, 16, 8, 0].map((s) => Math.floor(addr / 2 ** s) % 256).join('.')}/${subnetPrefix}`;
  });
}

/** SSM parameter holding a server role's golden AMI in the recovery region. */
export function amiParameterName(namePrefix: string, workload: string, role: string): string {
  return `/${namePrefix}/dr/ami/${workload}/${role}`;
}

/**
 * Where restored servers run in the recovery region: a private VPC across Availability Zones with
 * no internet egress (VPC endpoints for SSM, EC2, AWS Backup, ...), flow logs, and per server role a
 * golden-AMI parameter, a launch template resolving it, and an Auto Scaling group kept at zero until
 * recovery scales it up (cost close to zero while idle).
 */
export class RecoveryLandingZone extends Construct {
  readonly vpc: Vpc;
  readonly subnets: Subnet[];
  readonly serverSecurityGroup: SecurityGroup;
  /** The security group of restored FSx file systems (with `fileSystems` only). */
  readonly fileSystemSecurityGroup?: SecurityGroup;
  readonly instanceRole: IamRole;
  /** Instance profile of the servers, and of EC2 instances AWS Backup restores. */
  readonly instanceProfileName: string;
  private readonly instanceRoleArn: string;
  /** Where RDS and Aurora restores are placed. */
  readonly dbSubnetGroupName: string;
  /** Where S3 recovery points are restored (versioned, private, KMS-encrypted). */
  readonly recoveryBucketName: string;
  readonly autoScalingGroups = new Map<string, AutoscalingGroup>();

  constructor(scope: Construct, id: string, props: RecoveryLandingZoneProps) {
    super(scope, id);
    if (props.availabilityZones.length < 2) throw new Error(`${this.node.path}: availabilityZones must list at least two zones`);
    const partition = partitionOf(props.region);
    const name = (suffix: string) => `${props.namePrefix}-dr-${suffix}`;

    // Volumes created by recovery (launch templates, restores without a key) are always encrypted.
    new EbsEncryptionByDefault(this, 'EbsEncryptionByDefault', { enabled: true });

    this.vpc = new Vpc(this, 'Vpc', { cidrBlock: props.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name('landing-zone') } });
    new DefaultSecurityGroup(this, 'DefaultSecurityGroupLockdown', { vpcId: this.vpc.id });
    const routeTable = new RouteTable(this, 'PrivateRoutes', { vpcId: this.vpc.id, tags: { Name: name('private') } });
    const cidrs = splitCidr(props.vpcCidr, props.availabilityZones.length);
    this.subnets = props.availabilityZones.map((az, i) => {
      const subnet = new Subnet(this, `Private-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: cidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: name(`private-${az}`) },
      });
      new RouteTableAssociation(this, `PrivateRoutes-${az}`, { subnetId: subnet.id, routeTableId: routeTable.id });
      return subnet;
    });

    this.dbSubnetGroupName = name('landing-zone');
    new DbSubnetGroup(this, 'DatabaseSubnets', {
      name: this.dbSubnetGroupName,
      description: 'Restored RDS and Aurora databases',
      subnetIds: this.subnets.map((sn) => sn.id),
    });
    // Bucket names are global: the account and region make it unique and derivable from the config.
    this.recoveryBucketName = `${props.namePrefix}-dr-recovery-${props.accountId}-${props.region}`;
    const bucket = new S3Bucket(this, 'RecoveryBucket', { bucket: this.recoveryBucketName, forceDestroy: false });
    new S3BucketOwnershipControls(this, 'RecoveryBucketOwnership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPublicAccessBlock(this, 'RecoveryBucketPublicAccess', { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    // AWS Backup restores S3 data only into versioned buckets.
    new S3BucketVersioningA(this, 'RecoveryBucketVersioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'RecoveryBucketEncryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.logKmsKeyArn }, bucketKeyEnabled: true }],
    });

    const endpointSg = new SecurityGroup(this, 'EndpointSecurityGroup', {
      name: name('endpoints'),
      description: 'HTTPS from the landing zone to the VPC interface endpoints',
      vpcId: this.vpc.id,
      ingress: [{ description: 'HTTPS from the VPC', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [props.vpcCidr] }],
      egress: [],
    });
    const s3 = new VpcEndpoint(this, 'S3Gateway', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [routeTable.id],
    });
    for (const service of [...new Set(props.interfaceEndpoints)].sort()) {
      new VpcEndpoint(this, `Endpoint-${service}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.subnets.map((s) => s.id),
        securityGroupIds: [endpointSg.id],
      });
    }
    // Restored FSx file systems get a group of their own. Its rules are separate resources (the group
    // has no inline rules): the servers' group names it inline, and inline rules on both sides would
    // make each group depend on the other.
    const fileSystemSg = props.fileSystems
      ? new SecurityGroup(this, 'FileSystemSecurityGroup', {
          name: name('file-systems'),
          description: 'Restored FSx file systems: SMB, Lustre and NFS from the recovery servers',
          vpcId: this.vpc.id,
        })
      : undefined;
    const toFileSystems: SecurityGroupEgress[] = fileSystemSg
      ? FSX_CLIENT_PORTS.map((p) => ({ description: `${p.what} to restored file systems`, protocol: p.protocol, fromPort: p.from, toPort: p.to, securityGroups: [fileSystemSg.id] }))
      : [];
    const fromFileSystems: SecurityGroupIngress[] = fileSystemSg
      ? LUSTRE_PORTS.map((p) => ({ description: `${p.what} from restored file systems`, protocol: p.protocol, fromPort: p.from, toPort: p.to, securityGroups: [fileSystemSg.id] }))
      : [];
    this.serverSecurityGroup = new SecurityGroup(this, 'ServerSecurityGroup', {
      name: name('servers'),
      description: 'Restored servers: talk to each other and to AWS through the VPC endpoints only',
      vpcId: this.vpc.id,
      ingress: [{ description: 'Servers of the landing zone', protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: true }, ...fromFileSystems],
      egress: [
        { description: 'VPC endpoints', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [props.vpcCidr] },
        { description: 'S3 through the gateway endpoint', protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [s3.prefixListId] },
        { description: 'Servers of the landing zone', protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: true },
        ...toFileSystems,
      ],
    });
    if (fileSystemSg) {
      this.fileSystemSecurityGroup = fileSystemSg;
      const rule = (p: PortRange, suffix: string) => `${p.protocol}-${p.from}${p.to === p.from ? '' : `-${p.to}`}${suffix}`;
      const ingress = (p: PortRange, suffix: string, from: string, sourceGroupId: string) =>
        new VpcSecurityGroupIngressRule(this, `FileSystemIngress-${rule(p, suffix)}`, {
          securityGroupId: fileSystemSg.id,
          description: `${p.what} ${from}`,
          ipProtocol: p.protocol,
          fromPort: p.from,
          toPort: p.to,
          referencedSecurityGroupId: sourceGroupId,
        });
      for (const p of FSX_CLIENT_PORTS) ingress(p, '', 'from the recovery servers', this.serverSecurityGroup.id);
      for (const p of LUSTRE_PORTS) ingress(p, '-self', 'between the file servers', fileSystemSg.id);
      // Outbound within the landing zone only: Lustre to its clients and between its file servers,
      // FSx for Windows File Server to the Active Directory's domain controllers (DNS, Kerberos, LDAP,
      // SMB, RPC; Windows guide above), which must be in this VPC. The ONTAP guide asks for all outbound.
      new VpcSecurityGroupEgressRule(this, 'FileSystemEgress', {
        securityGroupId: fileSystemSg.id,
        description: 'Within the landing zone VPC: Lustre clients and servers, Active Directory',
        ipProtocol: '-1',
        cidrIpv4: props.vpcCidr,
      });
    }

    const flowLogGroup = new CloudwatchLogGroup(this, 'FlowLogs', {
      name: `/${props.namePrefix}/dr/vpc-flow-logs`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    const flowLogRole = new IamRole(this, 'FlowLogRole', {
      name: name('flow-logs'),
      assumeRolePolicy: renderPolicy(serviceTrustPolicy('vpc-flow-logs.amazonaws.com', props.accountId, `arn:${partition}:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`)),
    });
    new IamRolePolicy(this, 'FlowLogPolicy', {
      role: flowLogRole.name,
      name: 'write-flow-logs',
      policy: renderPolicy(
        policyDocument({
          Sid: 'WriteFlowLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:/${props.namePrefix}/dr/vpc-flow-logs:*`,
        }),
      ),
    });
    new FlowLog(this, 'FlowLog', { vpcId: this.vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: flowLogGroup.arn, iamRoleArn: flowLogRole.arn });

    // EC2 does not pass aws:SourceAccount when it assumes an instance role, so the trust names the service only.
    this.instanceRole = new IamRole(this, 'InstanceRole', {
      name: name('instance'),
      description: 'Restored servers: SSM management (Run Command, Automation, Session Manager)',
      assumeRolePolicy: renderPolicy(policyDocument({ Sid: 'Ec2', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' })),
    });
    acknowledgePolicy(
      this.instanceRole,
      'iam_role_cross_service_confused_deputy_prevention',
      'EC2 assumes instance-profile roles without aws:SourceAccount or aws:SourceArn in the request context, so such a condition would stop the instances from getting credentials; the role is usable only through the instance profile of this account.',
    );
    new IamRolePolicyAttachment(this, 'InstanceSsmCore', { role: this.instanceRole.name, policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` });
    const profile = new IamInstanceProfile(this, 'InstanceProfile', { name: name('instance'), role: this.instanceRole.name });
    this.instanceProfileName = name('instance');
    this.instanceRoleArn = `arn:${partitionOf(props.region)}:iam::${props.accountId}:role/${name('instance')}`;

    for (const server of [...props.servers].sort((a, b) => `${a.workload}/${a.role}`.localeCompare(`${b.workload}/${b.role}`))) {
      const id = `${server.workload}-${server.role}`;
      const serverName = `${props.namePrefix}-${server.workload}-${server.role}`;
      const tags = { 'dr:server': server.role, [WORKLOAD_TAG]: server.workload, Name: serverName };
      const amiParameter = amiParameterName(props.namePrefix, server.workload, server.role);
      const ami = new SsmParameter(this, `Ami-${id}`, {
        name: amiParameter,
        description: `Golden AMI of ${server.workload}/${server.role} in ${props.region}`,
        type: 'String',
        dataType: 'aws:ec2:image',
        value: server.amiId,
      });
      const template = new LaunchTemplate(this, `LaunchTemplate-${id}`, {
        name: serverName,
        description: `Recovery servers ${server.workload}/${server.role}`,
        imageId: `resolve:ssm:${amiParameter}`,
        instanceType: server.instanceType,
        iamInstanceProfile: { arn: profile.arn },
        vpcSecurityGroupIds: [this.serverSecurityGroup.id],
        metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 },
        monitoring: { enabled: true },
        ebsOptimized: 'true',
        tagSpecifications: [
          { resourceType: 'instance', tags },
          { resourceType: 'volume', tags },
        ],
        updateDefaultVersion: true,
        dependsOn: [ami],
      });
      this.autoScalingGroups.set(
        id,
        new AutoscalingGroup(this, `Servers-${id}`, {
          name: serverName,
          minSize: 0,
          maxSize: server.maxSize,
          desiredCapacity: 0,
          vpcZoneIdentifier: this.subnets.map((s) => s.id),
          launchTemplate: { id: template.id, version: '$Latest' },
          healthCheckType: 'EC2',
          tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
          // Recovery scales the group up through the API; a later apply must not scale it back to zero.
          lifecycle: { ignoreChanges: ['desired_capacity', 'min_size'] },
        }),
      );
    }
  }

  /**
   * Lets `grantee` (AWS Backup's restore role) pass the servers' role to EC2: restoring an EC2 instance
   * with an instance profile makes AWS Backup launch it with the restore role's credentials, which needs
   * `iam:PassRole` on the profile's role (AWS Backup Developer Guide, "Restore an Amazon EC2 instance":
   * https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html).
   */
  grantPassInstanceRole(grantee: Grantable): void {
    grantee.addToPrincipalPolicy(passRoleStatement('PassRecoveryInstanceRoleToEc2', this.instanceRoleArn, 'ec2.amazonaws.com'));
  }
}
