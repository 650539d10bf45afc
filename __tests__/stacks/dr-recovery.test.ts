import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { unzipSync } from 'fflate';
import { REQUIRED_ACTIONS } from '../../functions/attach-restored-volume/logic';
import { bundleFunction } from '../../modules/bundling';
import { matchesEventPattern } from '../../simulation/event-pattern';
import { estateFor, exampleInput, FIXTURES, policyOf, readJson, ROOT, tempDir, type SynthesizedStack } from '../helpers/synth';
import { FSX_DIRECTORY_ID, fsxInput } from '../helpers/fsx';
import { expectRuleInvokesFunction } from '../helpers/rule-invoked-function';
import { FSX_CLIENT_PORTS } from '../../modules/recovery-landing-zone';

const event = (name: string) => readJson(path.join(FIXTURES, 'events', `${name}.json`));
const synthDr = (input: unknown = exampleInput()): SynthesizedStack => JSON.parse(Testing.synth(estateFor(input).dr));
const values = (stack: SynthesizedStack, type: string) => Object.values(stack.resource?.[type] ?? {});

describe('every function under functions/', () => {
  const names = fs.readdirSync(path.join(ROOT, 'functions'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it('is found', () => {
    expect(names).toContain('attach-restored-volume');
  });

  it.each(names)('%s bundles into one file that loads in Node and exports handler', (name) => {
    const bundle = bundleFunction(path.join(ROOT, 'functions', name, 'index.ts'));
    const files = unzipSync(bundle.zip);
    expect(Object.keys(files)).toEqual(['index.js']);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.js'), files['index.js']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(typeof require(path.join(dir, 'index.js')).handler).toBe('function');
  });
});

describe('EBS restore → attach-restored-volume', () => {
  const dr = synthDr();
  const rule = values(dr, 'aws_cloudwatch_event_rule').find((r) => r.name === 'acme-ebs-restore-completed')!;

  it('matches the documented COMPLETED EBS restore event and not RDS, failed or created ones', () => {
    expect(matchesEventPattern(rule.event_pattern, event('restore-completed-ebs'))).toBe(true);
    for (const other of ['restore-completed-rds', 'restore-failed-ec2', 'restore-created']) {
      expect(matchesEventPattern(rule.event_pattern, event(other))).toBe(false);
    }
  });

  it('invokes the function with retries and a DLQ, allowed only for that rule', () => {
    expectRuleInvokesFunction(dr, 'EbsRestoreCompleted', /aws_lambda_function\.AttachRestoredVolume_Function/, 'acme-ebs-restore-completed');
  });

  it('gives the function exactly the AWS actions its logic calls, plus the KMS use EC2 makes with its credentials, attaching only to tagged recovery instances', () => {
    const fn = values(dr, 'aws_iam_role_policy').find((p) => p.name === 'function' && String(p.role).includes('AttachRestoredVolume'))!;
    const policy = policyOf(fn);
    const own = new Set(['WriteOwnLogs', 'Tracing', 'SendFailedEventsToOwnDlq', 'DecryptOwnEnvironment']);
    // Attaching a volume encrypted with the restore vault's key makes EC2 call KMS as the caller
    // (BackupKmsKey.grantEbsVolumeUse): those statements are the key's grant, not calls of the logic.
    const keyGrants = new Set(['UseRestoredVolumeKeyThroughEc2Grants', 'UseRestoredVolumeKeyThroughEc2']);
    const granted = policy.Statement.filter((s) => !own.has(s.Sid) && !keyGrants.has(s.Sid)).flatMap((s) => [s.Action].flat());
    expect([...new Set(granted)].sort()).toEqual([...REQUIRED_ACTIONS].sort());
    const viaEc2 = { 'kms:ViaService': 'ec2.ap-northeast-1.amazonaws.com' };
    expect(policy.Statement.filter((s) => keyGrants.has(s.Sid))).toEqual([
      { Sid: 'UseRestoredVolumeKeyThroughEc2Grants', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '${aws_kms_key.RestoreVaultKey_82BAF90A.arn}', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: viaEc2 } },
      { Sid: 'UseRestoredVolumeKeyThroughEc2', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '${aws_kms_key.RestoreVaultKey_82BAF90A.arn}', Condition: { StringEquals: viaEc2 } },
    ]);
    const attachToInstances = policy.Statement.find((s) => s.Sid === 'AttachToRecoveryInstancesOnly')!;
    expect(attachToInstances).toMatchObject({
      Resource: 'arn:aws:ec2:ap-northeast-1:222222222222:instance/*',
      Condition: { Null: { 'aws:ResourceTag/dr:server': 'false' } },
    });
    for (const s of policy.Statement) expect([s.Action].flat()).not.toContain('ec2:*');
  });

  it('runs on nodejs22.x with a timeout that covers its bounded waits', () => {
    const fn = values(dr, 'aws_lambda_function').find((f) => f.function_name === 'acme-attach-restored-volume')!;
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], timeout: 180, handler: 'index.handler' });
  });
});

describe('recovery landing zone', () => {
  const dr = synthDr();

  it('builds a private VPC across the configured zones with no internet gateway or NAT', () => {
    const subnets = values(dr, 'aws_subnet');
    expect(subnets.map((s) => [s.availability_zone, s.cidr_block, s.map_public_ip_on_launch])).toEqual([
      ['ap-northeast-1a', '10.80.0.0/17', false],
      ['ap-northeast-1c', '10.80.128.0/17', false],
    ]);
    expect(values(dr, 'aws_internet_gateway')).toEqual([]);
    expect(values(dr, 'aws_nat_gateway')).toEqual([]);
    expect(values(dr, 'aws_route')).toEqual([]);
    expect(values(dr, 'aws_default_security_group')).toHaveLength(1);
    expect(values(dr, 'aws_flow_log')[0]).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
  });

  it('reaches SSM, EC2 and AWS Backup through VPC endpoints', () => {
    const endpoints = values(dr, 'aws_vpc_endpoint').map((e) => [e.service_name, e.vpc_endpoint_type]);
    expect(endpoints).toEqual(expect.arrayContaining([
      ['com.amazonaws.ap-northeast-1.ssm', 'Interface'],
      ['com.amazonaws.ap-northeast-1.ssmmessages', 'Interface'],
      ['com.amazonaws.ap-northeast-1.ec2messages', 'Interface'],
      ['com.amazonaws.ap-northeast-1.ec2', 'Interface'],
      ['com.amazonaws.ap-northeast-1.backup', 'Interface'],
      ['com.amazonaws.ap-northeast-1.s3', 'Gateway'],
    ]));
  });

  it('keeps each server role ready at zero capacity, from a golden AMI resolved through SSM', () => {
    const [param] = values(dr, 'aws_ssm_parameter');
    expect(param).toMatchObject({ name: '/acme/dr/ami/shop/app', data_type: 'aws:ec2:image', value: 'ami-0123456789abcdef0' });
    const [template] = values(dr, 'aws_launch_template');
    expect(template).toMatchObject({ name: 'acme-shop-app', image_id: 'resolve:ssm:/acme/dr/ami/shop/app', instance_type: 'm7g.large', metadata_options: { http_tokens: 'required' } });
    const [asg] = values(dr, 'aws_autoscaling_group');
    expect(asg).toMatchObject({ name: 'acme-shop-app', min_size: 0, desired_capacity: 0, max_size: 2, lifecycle: { ignore_changes: ['desired_capacity', 'min_size'] } });
    expect(asg.tag).toEqual(expect.arrayContaining([{ key: 'dr:server', value: 'app', propagate_at_launch: true }]));
    expect(values(dr, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    expect(values(dr, 'aws_ebs_encryption_by_default')).toEqual([{ enabled: true }]);
  });

  it('has a DB subnet group and a private, versioned, KMS-encrypted recovery bucket that the recovery restores into', () => {
    expect(values(dr, 'aws_db_subnet_group')).toEqual([expect.objectContaining({ name: 'acme-dr-landing-zone' })]);
    const [bucket] = values(dr, 'aws_s3_bucket');
    expect(bucket).toMatchObject({ bucket: 'acme-dr-recovery-222222222222-ap-northeast-1', force_destroy: false });
    expect(values(dr, 'aws_s3_bucket_versioning')[0]).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
    expect(values(dr, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(JSON.stringify(values(dr, 'aws_s3_bucket_server_side_encryption_configuration')[0])).toContain('aws:kms');
    const machine = values(dr, 'aws_sfn_state_machine').find((m) => m.name === 'acme-recovery')!;
    const target = JSON.parse(machine.definition as string).States['Config-shop'].Result.target;
    expect(target).toMatchObject({ dbSubnetGroupName: 'acme-dr-landing-zone', recoveryBucketName: 'acme-dr-recovery-222222222222-ap-northeast-1', nameSuffix: 'dr' });
  });

  it('without FSx: the endpoints\' and the servers\' security groups only, the servers reaching nothing but each other and AWS', () => {
    expect(values(dr, 'aws_security_group').map((g) => g.name)).toEqual(['acme-dr-endpoints', 'acme-dr-servers']);
    expect(values(dr, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
    expect(values(dr, 'aws_vpc_security_group_egress_rule')).toEqual([]);
    const servers = values(dr, 'aws_security_group').find((g) => g.name === 'acme-dr-servers')!;
    expect((servers.egress as { description: string }[]).map((e) => e.description)).toEqual(['VPC endpoints', 'S3 through the gateway endpoint', 'Servers of the landing zone']);
    expect((servers.ingress as unknown[]).length).toBe(1);
    expect(Object.keys(dr.output ?? {})).not.toContain('file_system_security_group_id');
  });

  it('is left out when no workload has servers', () => {
    const input = exampleInput() as Record<string, any>;
    delete input.workloads[0].servers;
    delete input.workloads[0].failback; // its freeze scales the workload's server groups down
    expect(values(synthDr(input), 'aws_vpc')).toEqual([]);
  });
});

describe('recovery landing zone of a workload backing up FSx', () => {
  const dr = synthDr(fsxInput({ windowsDirectoryId: FSX_DIRECTORY_ID }));
  const groups = values(dr, 'aws_security_group');
  const servers = groups.find((g) => g.name === 'acme-dr-servers')!;
  const fileSystems = groups.find((g) => g.name === 'acme-dr-file-systems')!;
  const ref = (address: string) => `\${aws_security_group.${address}.id}`;
  const address = (name: string) => Object.entries(dr.resource!.aws_security_group).find(([, g]) => g.name === name)![0];
  const SERVERS = ref(address('acme-dr-servers'));
  const FILE_SYSTEMS = ref(address('acme-dr-file-systems'));
  const ports = (rules: Record<string, unknown>[]) => rules.map((r) => `${r.ip_protocol ?? r.protocol}/${r.from_port}-${r.to_port}`).sort();
  const CLIENT_PORTS = ['tcp/445-445', 'tcp/988-988', 'tcp/1018-1023', 'tcp/111-111', 'udp/111-111', 'tcp/635-635', 'udp/635-635', 'tcp/2049-2049', 'udp/2049-2049'].sort();

  it('exports SMB 445, Lustre 988 and 1018-1023, NFS 111, 635 and 2049 as the FSx client ports', () => {
    expect(ports(FSX_CLIENT_PORTS.map((p) => ({ protocol: p.protocol, from_port: p.from, to_port: p.to })))).toEqual(CLIENT_PORTS);
  });

  it('gives restored file systems a security group with no inline rules, open to the servers on the FSx ports and to itself for Lustre', () => {
    expect(fileSystems).toMatchObject({ vpc_id: expect.stringContaining('aws_vpc.'), description: expect.stringContaining('FSx') });
    expect(fileSystems.ingress).toBeUndefined();
    expect(fileSystems.egress).toBeUndefined();
    const ingress = values(dr, 'aws_vpc_security_group_ingress_rule');
    for (const r of ingress) expect(r.security_group_id).toBe(FILE_SYSTEMS);
    expect(ports(ingress.filter((r) => r.referenced_security_group_id === SERVERS))).toEqual(CLIENT_PORTS);
    expect(ports(ingress.filter((r) => r.referenced_security_group_id === FILE_SYSTEMS))).toEqual(['tcp/1018-1023', 'tcp/988-988']);
    expect(ingress.filter((r) => r.cidr_ipv4 !== undefined)).toEqual([]);
    expect(values(dr, 'aws_vpc_security_group_egress_rule')).toEqual([
      { security_group_id: FILE_SYSTEMS, description: expect.stringContaining('Active Directory'), ip_protocol: '-1', cidr_ipv4: '10.80.0.0/16' },
    ]);
  });

  it('lets the servers reach the file systems on the FSx ports, and take Lustre connections from them, on top of the rules without FSx', () => {
    const egress = servers.egress as Record<string, unknown>[];
    expect(egress.slice(0, 3).map((e) => e.description)).toEqual(['VPC endpoints', 'S3 through the gateway endpoint', 'Servers of the landing zone']);
    expect(egress.slice(3).every((e) => JSON.stringify(e.security_groups) === JSON.stringify([FILE_SYSTEMS]))).toBe(true);
    expect(ports(egress.slice(3))).toEqual(CLIENT_PORTS);
    const ingress = servers.ingress as Record<string, unknown>[];
    expect(ingress[0]).toMatchObject({ self: true, protocol: '-1' });
    expect(ports(ingress.slice(1))).toEqual(['tcp/1018-1023', 'tcp/988-988']);
    expect(ingress.slice(1).every((e) => JSON.stringify(e.security_groups) === JSON.stringify([FILE_SYSTEMS]))).toBe(true);
    expect(dr.output?.file_system_security_group_id).toEqual({ value: FILE_SYSTEMS });
  });

  it('grants the orchestrator the three FSx Describe actions, which have no resource type, on "*" only', () => {
    const policy = policyOf(values(dr, 'aws_iam_role_policy').find((p) => String(p.role).includes('Recovery_Role'))!);
    expect(policy.Statement.find((st) => st.Sid === 'DescribeRestoredFileSystems')).toEqual({
      Sid: 'DescribeRestoredFileSystems',
      Effect: 'Allow',
      Action: ['fsx:DescribeFileSystems', 'fsx:DescribeStorageVirtualMachines', 'fsx:DescribeVolumes'],
      Resource: '*',
    });
    const plain = policyOf(values(synthDr(), 'aws_iam_role_policy').find((p) => String(p.role).includes('Recovery_Role'))!);
    expect(JSON.stringify(plain)).not.toContain('fsx:Describe');
  });
});

describe('recovery functions', () => {
  const dr = synthDr();
  const own = new Set(['WriteOwnLogs', 'Tracing', 'SendFailedEventsToOwnDlq', 'DecryptOwnEnvironment']);
  const granted = (functionName: string) => {
    const policy = values(dr, 'aws_iam_role_policy').find((p) => p.name === 'function' && String(p.role).includes(functionName))!;
    return [...new Set(policyOf(policy).Statement.filter((s) => !own.has(s.Sid)).flatMap((s) => [s.Action].flat()))].sort();
  };

  it.each([
    ['LocateRecoveryPoints', () => require('../../functions/locate-recovery-points/logic').REQUIRED_ACTIONS, []],
    ['PrepareRestore', () => require('../../functions/prepare-restore/logic').REQUIRED_ACTIONS, []],
    ['ReportRecovery', () => require('../../functions/report-recovery/logic').REQUIRED_ACTIONS, ['kms:Decrypt', 'kms:GenerateDataKey*']],
    ['CleanupDrill', () => require('../../functions/cleanup-drill/logic').REQUIRED_ACTIONS, ['ec2:DeleteNetworkInterface']],
  ] as [string, () => readonly string[], string[]][])('%s is granted exactly the actions its logic calls', (id, required, indirect) => {
    expect(granted(id)).toEqual([...required(), ...indirect].sort());
  });

  it('are named <name>-recovery-* (trusted by the copy-starter role pattern) and run on nodejs22.x', () => {
    const names = values(dr, 'aws_lambda_function').map((f) => f.function_name).sort();
    // acme-failback-workload-region-call is failback's (the example configures it), deliberately not
    // named acme-recovery-*: the copy-starter role does not trust it.
    expect(names).toEqual(['acme-attach-restored-volume', 'acme-failback-workload-region-call', 'acme-recovery-cleanup-drill', 'acme-recovery-locate-recovery-points', 'acme-recovery-prepare-restore', 'acme-recovery-readiness-checker', 'acme-recovery-report-recovery', 'acme-validate-restore']);
    for (const f of values(dr, 'aws_lambda_function')) expect(f.runtime).toBe('nodejs22.x');
  });
});
