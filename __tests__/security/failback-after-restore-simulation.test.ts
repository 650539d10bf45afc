/**
 * IAM simulation of what the failback machine does AFTER the restore, over the SYNTHESIZED example with
 * failback (a DNS record to switch back, the workload's health alarm): find the DR resources by tag,
 * switch the configured Route 53 record back and track the change, read the health alarm in the
 * workload account and region (the machine invokes the workload-region-call function, which assumes the
 * failback role), invoke the DR cleanup function. Every row can fail: an
 * Allowed row is re-simulated without the statements that allowed it and must become Denied; a Denied
 * row names the one change that makes it Allowed.
 */
import { buildPolicyModel, type PolicyModel, type SimulationRequest } from '../../simulation/policy-model';
import { synthEstate } from '../helpers/synth';
import { expectFailbackRowHolds, failbackInput, type FailbackAccessRow } from '../helpers/failback';
import { DR, ORG, REC, role, SHOP, SHOP_REGION } from '../../simulation/access-rows/principals';

const FB_ORCHESTRATOR = role(DR, 'acme-failback-orchestrator');
const RECOVERY_ORCHESTRATOR = role(DR, 'acme-recovery-orchestrator');
const SHOP_FAILBACK = role(SHOP, 'acme-shop-failback');
const ZONE = 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ';
const OTHER_ZONE = 'arn:aws:route53:::hostedzone/Z9999999999ABCDEFGHIJ';
const RECORD = { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['shop.example.com'], 'route53:ChangeResourceRecordSetsActions': ['UPSERT'], 'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'] };
const CHANGE = 'arn:aws:route53:::change/C2682N5HXP0BZ4';
const CLEANUP_FN = `arn:aws:lambda:${REC}:${DR}:function:acme-recovery-cleanup-drill`;
const ATTACH_FN = `arn:aws:lambda:${REC}:${DR}:function:acme-attach-restored-volume`;
const REGION_CALL_FN = `arn:aws:lambda:${REC}:${DR}:function:acme-failback-workload-region-call`;
const REGION_CALL_ROLE = role(DR, 'acme-failback-workload-region-call');
const HEALTH_ALARM = `arn:aws:cloudwatch:${SHOP_REGION}:${SHOP}:alarm:acme-shop-healthy`;
const OTHER_ALARM = `arn:aws:cloudwatch:${SHOP_REGION}:${SHOP}:alarm:acme-shop-billing`;
// Step Reconnect, in the workload account and region (functions/workload-region-call/reconnect.ts).
const SHOP_VOLUME = `arn:aws:ec2:${SHOP_REGION}:${SHOP}:volume/vol-0bbbbbbbbbbbbbbb1`;
const SHOP_INSTANCE = `arn:aws:ec2:${SHOP_REGION}:${SHOP}:instance/i-0aaaaaaaaaaaaaaa0`;
const tagged = (workload?: string) => ({ allowUnknownResource: true, context: workload ? { 'aws:ResourceTag/dr:workload': workload } : {} });
const CONNECT_DOCUMENT = `arn:aws:ssm:${SHOP_REGION}:${SHOP}:automation-definition/acme-shop-connect-servers:1`;
const OTHER_DOCUMENT = `arn:aws:ssm:${SHOP_REGION}:${SHOP}:automation-definition/AWS-RunShellScript:1`;
const CONNECT_RUNBOOK_ROLE = role(SHOP, 'acme-shop-failback-runbook');
// Mount targets of restored EFS file systems (functions/workload-region-call/mount-targets.ts), in the failback subnets (config/example.json).
const SHOP_FS = `arn:aws:elasticfilesystem:${SHOP_REGION}:${SHOP}:file-system/fs-0bbbbbbbbbbbbbbb2`;
const OTHER_REGION_FS = `arn:aws:elasticfilesystem:${REC}:${SHOP}:file-system/fs-0bbbbbbbbbbbbbbb2`;
const ec2Arn = (kind: string, id: string) => `arn:aws:ec2:${SHOP_REGION}:${SHOP}:${kind}/${id}`;
const FAILBACK_SUBNET = ec2Arn('subnet', 'subnet-0123456789abcdef0');
const OTHER_SUBNET = ec2Arn('subnet', 'subnet-0ffffffffffffffff');
const FAILBACK_GROUP = ec2Arn('security-group', 'sg-0123456789abcdef0');
const OTHER_GROUP = ec2Arn('security-group', 'sg-0ffffffffffffffff');
// failback.kmsKeyArn of the example: AWS's default key policy (the account root: IAM policies decide).
const SHOP_FAILBACK_KEY = `arn:aws:kms:${SHOP_REGION}:${SHOP}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const failbackKey = {
  allowUnknownResource: true,
  viaService: `ec2.${SHOP_REGION}.amazonaws.com`,
  resourcePolicy: { Version: '2012-10-17', Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${SHOP}:root` }, Action: 'kms:*', Resource: '*' }] },
};

type Row = FailbackAccessRow;

// The refused request is the allowed one on another resource, so that naming the right resource is what decides.
const failbackRoleOnlyOn = (action: string, resourceArn: string, other: string, allowed: string, refused: string): Row[] => {
  const request = { principalArn: SHOP_FAILBACK, action, allowUnknownResource: true };
  return [
    { description: allowed, request: { ...request, resourceArn }, expected: 'Allowed' },
    { description: refused, request: { ...request, resourceArn: other }, expected: 'Denied', allowedIf: { resourceArn } },
  ];
};

const ROWS: Row[] = [
  // ---- Locate ------------------------------------------------------------------------------------------
  { description: 'the failback state machine role finds the DR resources by tag (GetResources has no resource-level permissions)', request: { principalArn: FB_ORCHESTRATOR, action: 'tag:GetResources', resourceArn: '*' }, expected: 'Allowed' },

  // ---- SwitchBack: the configured record, UPSERT only ---------------------------------------------------
  { description: 'the failback state machine role switches the configured record back (UPSERT)', request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: RECORD }, expected: 'Allowed' },
  {
    description: 'the failback state machine role cannot change another record of the zone',
    request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: { ...RECORD, 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['shop.example.com', 'mail.example.com'] } },
    expected: 'Denied',
    allowedIf: { context: RECORD },
  },
  {
    description: 'the failback state machine role cannot delete the record',
    request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: { ...RECORD, 'route53:ChangeResourceRecordSetsActions': ['DELETE'] } },
    expected: 'Denied',
    allowedIf: { context: RECORD },
  },
  {
    description: 'the failback state machine role cannot change the record to another type',
    request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: { ...RECORD, 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] } },
    expected: 'Denied',
    allowedIf: { context: RECORD },
  },
  { description: 'the failback state machine role cannot change a record of another hosted zone', request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: OTHER_ZONE, context: RECORD }, expected: 'Denied', allowedIf: { resourceArn: ZONE } },
  { description: 'the failback state machine role tracks the change until INSYNC', request: { principalArn: FB_ORCHESTRATOR, action: 'route53:GetChange', resourceArn: CHANGE }, expected: 'Allowed' },
  { description: 'the recovery state machine role cannot track a change (it does not poll)', request: { principalArn: RECOVERY_ORCHESTRATOR, action: 'route53:GetChange', resourceArn: CHANGE }, expected: 'Denied', allowedIf: { principalArn: FB_ORCHESTRATOR } },

  // ---- Verify: through the workload-region-call function and the workload's failback role -----------------
  // (the alarm is in the workload region, which the machine's SDK integrations cannot reach)
  { description: 'the failback state machine role invokes the workload-region-call function', request: { principalArn: FB_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: REGION_CALL_FN }, expected: 'Allowed' },
  { description: 'the recovery state machine role cannot invoke the workload-region-call function', request: { principalArn: RECOVERY_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: REGION_CALL_FN }, expected: 'Denied', allowedIf: { principalArn: FB_ORCHESTRATOR } },
  {
    description: 'the workload-region-call function role assumes the workload failback role',
    request: { principalArn: REGION_CALL_ROLE, action: 'sts:AssumeRole', resourceArn: SHOP_FAILBACK, context: { 'sts:RoleSessionName': 'failback-shop-1' } },
    expected: 'Allowed',
  },
  {
    description: 'the workload-region-call function role cannot read the workload alarm itself (only as the failback role)',
    request: { principalArn: REGION_CALL_ROLE, action: 'cloudwatch:DescribeAlarms', resourceArn: HEALTH_ALARM },
    expected: 'Denied',
    allowedIf: { principalArn: SHOP_FAILBACK },
  },
  { description: "the workload's failback role reads the workload's health alarm", request: { principalArn: SHOP_FAILBACK, action: 'cloudwatch:DescribeAlarms', resourceArn: HEALTH_ALARM }, expected: 'Allowed' },
  { description: "the workload's failback role cannot read another alarm", request: { principalArn: SHOP_FAILBACK, action: 'cloudwatch:DescribeAlarms', resourceArn: OTHER_ALARM }, expected: 'Denied', allowedIf: { resourceArn: HEALTH_ALARM } },
  { description: 'the DR failback state machine role cannot read the workload account alarm itself (only through the failback role)', request: { principalArn: FB_ORCHESTRATOR, action: 'cloudwatch:DescribeAlarms', resourceArn: HEALTH_ALARM }, expected: 'Denied', allowedIf: { principalArn: SHOP_FAILBACK } },

  // ---- Reconnect: mount targets of restored EFS file systems, in the failback subnets and security groups only -----
  ...failbackRoleOnlyOn(
    'elasticfilesystem:CreateMountTarget',
    SHOP_FS,
    OTHER_REGION_FS,
    "the workload's failback role creates a mount target of a restored file system",
    "the workload's failback role cannot create a mount target of a file system in another region",
  ),
  { description: "the workload's failback role tracks the mount targets", request: { principalArn: SHOP_FAILBACK, action: 'elasticfilesystem:DescribeMountTargets', resourceArn: SHOP_FS, allowUnknownResource: true }, expected: 'Allowed' },
  ...failbackRoleOnlyOn(
    'ec2:CreateNetworkInterface',
    FAILBACK_SUBNET,
    OTHER_SUBNET,
    "the workload's failback role creates the mount target's interface in a failback subnet",
    "the workload's failback role cannot create an interface in another subnet",
  ),
  ...failbackRoleOnlyOn('ec2:CreateNetworkInterface', FAILBACK_GROUP, OTHER_GROUP, "the workload's failback role gives it a failback security group", "the workload's failback role cannot give it another security group"),
  {
    description: 'the workload-region-call function role cannot create mount targets itself',
    request: { principalArn: REGION_CALL_ROLE, action: 'elasticfilesystem:CreateMountTarget', resourceArn: SHOP_FS, allowUnknownResource: true },
    expected: 'Denied',
    allowedIf: { principalArn: SHOP_FAILBACK },
  },

  // ---- Reconnect: attach restored volumes by tag, the connect runbook (as the workload's failback role) -----
  { description: "the workload's failback role finds the restored volumes in the workload region", request: { principalArn: SHOP_FAILBACK, action: 'ec2:DescribeVolumes', resourceArn: '*', resourceAccount: SHOP, context: { 'aws:RequestedRegion': SHOP_REGION } }, expected: 'Allowed' },
  {
    description: "the workload's failback role cannot describe instances in another region",
    request: { principalArn: SHOP_FAILBACK, action: 'ec2:DescribeInstances', resourceArn: '*', resourceAccount: SHOP, context: { 'aws:RequestedRegion': REC } },
    expected: 'Denied',
    allowedIf: { context: { 'aws:RequestedRegion': SHOP_REGION } },
  },
  { description: "the workload's failback role attaches a volume tagged dr:workload=shop", request: { principalArn: SHOP_FAILBACK, action: 'ec2:AttachVolume', resourceArn: SHOP_VOLUME, ...tagged('shop') }, expected: 'Allowed' },
  { description: "the workload's failback role attaches to an instance tagged dr:workload=shop", request: { principalArn: SHOP_FAILBACK, action: 'ec2:AttachVolume', resourceArn: SHOP_INSTANCE, ...tagged('shop') }, expected: 'Allowed' },
  { description: "the workload's failback role cannot attach an untagged volume", request: { principalArn: SHOP_FAILBACK, action: 'ec2:AttachVolume', resourceArn: SHOP_VOLUME, ...tagged() }, expected: 'Denied', allowedIf: tagged('shop') },
  { description: "the workload's failback role cannot attach to another workload's instance", request: { principalArn: SHOP_FAILBACK, action: 'ec2:AttachVolume', resourceArn: SHOP_INSTANCE, ...tagged('blog') }, expected: 'Denied', allowedIf: tagged('shop') },
  { description: 'the workload-region-call function role cannot attach volumes itself', request: { principalArn: REGION_CALL_ROLE, action: 'ec2:AttachVolume', resourceArn: SHOP_VOLUME, ...tagged('shop') }, expected: 'Denied', allowedIf: { principalArn: SHOP_FAILBACK } },
  { description: "the workload's failback role uses the failback key through EC2 to attach an encrypted volume", request: { principalArn: SHOP_FAILBACK, action: 'kms:Decrypt', resourceArn: SHOP_FAILBACK_KEY, ...failbackKey }, expected: 'Allowed' },
  {
    description: "the workload's failback role grants the failback key to the attached volume (a grant for an AWS resource)",
    request: { principalArn: SHOP_FAILBACK, action: 'kms:CreateGrant', resourceArn: SHOP_FAILBACK_KEY, grantIsForAwsResource: true, ...failbackKey },
    expected: 'Allowed',
  },
  {
    description: "the workload's failback role cannot create a grant of the failback key that is not for an AWS resource",
    request: { principalArn: SHOP_FAILBACK, action: 'kms:CreateGrant', resourceArn: SHOP_FAILBACK_KEY, grantIsForAwsResource: false, ...failbackKey },
    expected: 'Denied',
    allowedIf: { grantIsForAwsResource: true },
  },
  {
    description: "the workload's failback role cannot use the failback key outside EC2",
    request: { principalArn: SHOP_FAILBACK, action: 'kms:Decrypt', resourceArn: SHOP_FAILBACK_KEY, ...failbackKey, viaService: `s3.${SHOP_REGION}.amazonaws.com` },
    expected: 'Denied',
    allowedIf: { viaService: `ec2.${SHOP_REGION}.amazonaws.com` },
  },
  ...failbackRoleOnlyOn('ssm:StartAutomationExecution', CONNECT_DOCUMENT, OTHER_DOCUMENT, "the workload's failback role starts the workload's connect runbook", "the workload's failback role cannot start another document"),
  {
    description: "the workload's failback role tracks the runbook's execution",
    request: { principalArn: SHOP_FAILBACK, action: 'ssm:GetAutomationExecution', resourceArn: `arn:aws:ssm:${SHOP_REGION}:${SHOP}:automation-execution/12345678-1234-1234-1234-123456789012`, allowUnknownResource: true },
    expected: 'Allowed',
  },
  { description: "the workload's failback role passes the runbook's role to Systems Manager", request: { principalArn: SHOP_FAILBACK, action: 'iam:PassRole', resourceArn: CONNECT_RUNBOOK_ROLE, passedToService: 'ssm.amazonaws.com' }, expected: 'Allowed' },
  {
    description: "the workload's failback role cannot pass the runbook's role to another service",
    request: { principalArn: SHOP_FAILBACK, action: 'iam:PassRole', resourceArn: CONNECT_RUNBOOK_ROLE, passedToService: 'ec2.amazonaws.com' },
    expected: 'Denied',
    allowedIf: { passedToService: 'ssm.amazonaws.com' },
  },

  // ---- Cleanup -------------------------------------------------------------------------------------------
  { description: 'the failback state machine role invokes the DR cleanup function', request: { principalArn: FB_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: CLEANUP_FN }, expected: 'Allowed' },
  { description: 'the failback state machine role cannot invoke another DR function', request: { principalArn: FB_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: ATTACH_FN }, expected: 'Denied', allowedIf: { resourceArn: CLEANUP_FN } },
];

describe('IAM simulation: failback after the restore (example with failback, dnsRecord and a health alarm)', () => {
  let model: PolicyModel;
  beforeAll(() => {
    const input = failbackInput({ dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: 'shop.primary.example.com' } }) as Record<string, any>;
    input.workloads[0].recovery = { ...input.workloads[0].recovery, healthAlarmName: 'acme-shop-healthy' };
    model = buildPolicyModel(synthEstate(input), { organizationId: ORG });
  });

  // Route 53 ARNs and "*" name no account: the hosted zone is the DR account's (as recovery's failover).
  const resolve = (request: SimulationRequest): SimulationRequest => (/:\d{12}:/.test(request.resourceArn) ? request : { resourceAccount: DR, ...request });
  it.each(ROWS.map((r) => [r.description, r] as const))('%s', (_d, row) => expectFailbackRowHolds(model, row, resolve));
});

// ---- Reconnect: restored FSx file systems, described in the workload region (functions/workload-region-call/fsx.ts) -----
// FSx Describe calls support no resource-level permissions: "*", the workload region only (aws:RequestedRegion).
const fsxDescribe = (action: string, principalArn = SHOP_FAILBACK, region = SHOP_REGION): SimulationRequest => ({ principalArn, action, resourceArn: '*', resourceAccount: SHOP, context: { 'aws:RequestedRegion': region } });
const FSX_ROWS: Row[] = [
  { description: "the workload's failback role describes restored FSx file systems in the workload region", request: fsxDescribe('fsx:DescribeFileSystems'), expected: 'Allowed' },
  { description: "the workload's failback role describes restored ONTAP volumes in the workload region", request: fsxDescribe('fsx:DescribeVolumes'), expected: 'Allowed' },
  { description: "the workload's failback role describes the volumes' SVMs in the workload region", request: fsxDescribe('fsx:DescribeStorageVirtualMachines'), expected: 'Allowed' },
  {
    description: "the workload's failback role cannot describe FSx file systems in another region",
    request: fsxDescribe('fsx:DescribeFileSystems', SHOP_FAILBACK, REC),
    expected: 'Denied',
    allowedIf: { context: { 'aws:RequestedRegion': SHOP_REGION } },
  },
  { description: 'the workload-region-call function role cannot describe FSx itself', request: fsxDescribe('fsx:DescribeFileSystems', REGION_CALL_ROLE), expected: 'Denied', allowedIf: { principalArn: SHOP_FAILBACK } },
  {
    description: "the workload's failback role cannot change a file system (Describe only)",
    request: { principalArn: SHOP_FAILBACK, action: 'fsx:UpdateFileSystem', resourceArn: `arn:aws:fsx:${SHOP_REGION}:${SHOP}:file-system/fs-0bbbbbbbbbbbbbbb3`, allowUnknownResource: true },
    expected: 'Denied',
    allowedIf: { action: 'fsx:DescribeFileSystems', resourceArn: '*', resourceAccount: SHOP, context: { 'aws:RequestedRegion': SHOP_REGION } },
  },
];

describe('IAM simulation: failback Reconnect of restored FSx (example whose workload backs up FSx)', () => {
  let model: PolicyModel;
  beforeAll(() => {
    const input = failbackInput() as Record<string, any>;
    input.workloads[0].backup.resourceTypes = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx'];
    model = buildPolicyModel(synthEstate(input), { organizationId: ORG });
  });
  it.each(FSX_ROWS.map((r) => [r.description, r] as const))('%s', (_d, row) => expectFailbackRowHolds(model, row));
});

describe('IAM simulation: no FSx permission for a workload that backs up no FSx (the example)', () => {
  let model: PolicyModel;
  beforeAll(() => {
    model = buildPolicyModel(synthEstate(failbackInput()), { organizationId: ORG });
  });
  const row: Row = {
    description: "the workload's failback role cannot describe FSx file systems",
    request: fsxDescribe('fsx:DescribeFileSystems'),
    expected: 'Denied',
    // The same request for what Reconnect does need there is allowed.
    allowedIf: { action: 'ec2:DescribeVolumes' },
  };
  it(row.description, () => expectFailbackRowHolds(model, row));
});
