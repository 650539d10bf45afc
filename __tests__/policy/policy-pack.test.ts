import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DR_POLICY_PACK, PolicyPack, PolicyViolationError, acknowledgePolicy, assertPolicyCompliance } from '../../policy/pack';
import { buildEstate, synthesizeEstate, synthesizeIfCompliant } from '../../app';
import { parseConfig } from '../../config/load';
import { EXAMPLE_CONFIG, FIXTURES, exampleInput, readJson, resourcesOf, tempDir } from '../helpers/synth';
import { failbackInput, noFailbackInput } from '../helpers/failback';
import { hasNoResourceLevelPermissions } from '../../policy/rules/identity-policies';

/** The example's failback with a runbook freeze, a DNS record (and the health alarm verifying it) and every optional field. */
function failbackWithEverything() {
  const input = failbackInput({
    freeze: { kind: 'runbook', documentName: 'shop-stop-writes' },
    dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: 'shop-primary.example.com' },
    instanceProfile: { name: 'shop-app', roleArn: 'arn:aws:iam::333333333333:role/shop-app' },
    fsx: { windowsDirectoryId: 'd-0123456789' },
  }) as Record<string, any>;
  input.workloads[0].recovery = { ...input.workloads[0].recovery, healthAlarmName: 'acme-shop-healthy' };
  return input;
}

function stackWith(build: (scope: Construct) => void): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  build(stack);
  return stack;
}

function findings(stack: TerraformStack, ruleId: string) {
  const pack = new PolicyPack(DR_POLICY_PACK.filter((r) => r.id === ruleId));
  for (const node of stack.node.findAll()) pack.visit(node);
  return pack.findings;
}

const policy = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'S', ...statement }] });
const lambdaTrust = policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '1' } } });
const fn = (scope: Construct, extra: Record<string, unknown> = {}) =>
  new LambdaFunction(scope, 'Fn', { functionName: 'f', role: 'arn:aws:iam::1:role/r', runtime: 'nodejs22.x', handler: 'index.handler', filename: 'x.zip', ...extra });

const BAD: [string, (scope: Construct) => void, RegExp][] = [
  ['CKV_AWS_7', (s) => new KmsKey(s, 'Key', { description: 'k' }), /key rotation is not enabled/],
  ['CKV_AWS_166', (s) => new BackupVault(s, 'Vault', { name: 'v' }), /AWS managed key/],
  ['CKV_AWS_63', (s) => new IamRolePolicy(s, 'P', { role: 'r', policy: policy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b' }) }), /allows "s3:\*"/],
  ['CKV_AWS_355', (s) => new IamRolePolicy(s, 'P', { role: 'r', policy: policy({ Effect: 'Allow', Action: ['s3:GetObject', 'ec2:DescribeVolumes'], Resource: '*' }) }), /"\*" resource for s3:GetObject, which support/],
  ['iam_role_cross_service_confused_deputy_prevention', (s) => new IamRole(s, 'R', { assumeRolePolicy: policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) }), /trusts lambda.amazonaws.com without/],
  ['CKV_AWS_61', (s) => new IamRole(s, 'R', { assumeRolePolicy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }) }), /trusts an account root/],
  ['CKV_AWS_66', (s) => new CloudwatchLogGroup(s, 'L', { name: 'l', kmsKeyId: 'k' }), /kept forever/],
  ['CKV_AWS_158', (s) => new CloudwatchLogGroup(s, 'L', { name: 'l', retentionInDays: 30 }), /not encrypted with a KMS key/],
  ['CKV_AWS_116', (s) => fn(s), /failed asynchronous invocations are dropped/],
  ['CKV_AWS_50', (s) => fn(s), /X-Ray tracing is off/],
  ['CKV_AWS_173', (s) => fn(s, { environment: { variables: { A: 'b' } } }), /AWS managed key/],
  ['AVD-AWS-0067', (s) => new LambdaPermission(s, 'P', { action: 'lambda:InvokeFunction', functionName: 'f', principal: 'events.amazonaws.com' }), /any events.amazonaws.com resource/],
  ['CKV_AWS_27', (s) => new SqsQueue(s, 'Q', { name: 'q', sqsManagedSseEnabled: false }), /not encrypted/],
  ['CKV_AWS_26', (s) => new SnsTopic(s, 'T', { name: 't' }), /not encrypted/],
  ['CKV_AWS_21', (s) => new S3Bucket(s, 'B', { bucket: 'b' }), /not versioned/],
  ['CKV_AWS_53', (s) => new S3Bucket(s, 'B', { bucket: 'b' }), /not fully blocked/],
  ['CKV_AWS_145', (s) => new S3Bucket(s, 'B', { bucket: 'b' }), /no KMS default encryption/],
  ['CKV_AWS_28', (s) => new DynamodbTable(s, 'T', { name: 't', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] }), /point-in-time recovery is off/],
  ['CKV_AWS_285', (s) => new SfnStateMachine(s, 'M', { roleArn: 'r', definition: '{}' }), /not logged/],
  ['CKV_AWS_284', (s) => new SfnStateMachine(s, 'M', { roleArn: 'r', definition: '{}' }), /X-Ray tracing is off/],
  ['EventBusDLQ', (s) => new CloudwatchEventTarget(s, 'T', { rule: 'r', arn: 'arn:aws:sns:ap-northeast-1:1:t' }), /dropped/],
];

describe('policy pack rules', () => {
  it('has one test per rule', () => {
    expect(new Set(BAD.map(([id]) => id))).toEqual(new Set(DR_POLICY_PACK.map((r) => r.id)));
  });

  it.each(BAD)('%s fires on a bad construct, naming the path, the finding and the fix', (id, build, message) => {
    const found = findings(stackWith(build), id);
    expect(found).toHaveLength(1);
    expect(found[0].path).toMatch(/^test\//);
    expect(found[0].finding).toMatch(message);
    expect(found[0].fix.length).toBeGreaterThan(10);
  });

  it('accepts compliant constructs (e.g. a bucket with versioning, public access block and KMS encryption)', () => {
    const stack = stackWith((s) => {
      const b = new S3Bucket(s, 'B', { bucket: 'b' });
      new S3BucketVersioningA(s, 'V', { bucket: b.id, versioningConfiguration: { status: 'Enabled' } });
      new S3BucketPublicAccessBlock(s, 'P', { bucket: b.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      new S3BucketServerSideEncryptionConfigurationA(s, 'E', { bucket: b.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] });
      new IamRolePolicy(s, 'NoResourceLevel', { role: 'r', policy: policy({ Effect: 'Allow', Action: ['ec2:DescribeVolumes', 'xray:PutTraceSegments'], Resource: '*' }) });
      new IamRole(s, 'Trust', { assumeRolePolicy: lambdaTrust });
    });
    for (const id of ['CKV_AWS_21', 'CKV_AWS_53', 'CKV_AWS_145', 'CKV_AWS_355', 'iam_role_cross_service_confused_deputy_prevention']) expect(findings(stack, id)).toEqual([]);
  });
});

describe('the project\'s own output', () => {
  it.each([
    ['the example', () => exampleInput()],
    ['the example without failback', () => noFailbackInput()],
    ['the example with failback (a runbook freeze, a DNS record, every optional field)', () => failbackWithEverything()],
    ['three workloads', () => readJson(path.join(FIXTURES, 'three-workloads.json'))],
  ])('complies with every rule: %s', (_name, input) => {
    expect(() => assertPolicyCompliance(buildEstate(parseConfig(input())).app)).not.toThrow();
  });

  it('finds nothing unacknowledged in the example with failback, whose machine keeps "*" only for actions without resource-level permissions', () => {
    const { app, dr } = buildEstate(parseConfig(failbackInput()));
    expect(dr.failback).toBeDefined();
    const pack = new PolicyPack();
    for (const node of app.node.findAll()) pack.visit(node);
    expect(pack.findings).toEqual([]);
    // The execution role's inline policy (modules/failback/failback-state-machine.ts, policy name "failback").
    const synthesized = resourcesOf(Testing.synth(dr), 'aws_iam_role_policy') as { name: string; policy: string }[];
    const executionPolicy = synthesized.filter((p) => p.name === 'failback');
    expect(executionPolicy).toHaveLength(1);
    const wildcard = (JSON.parse(executionPolicy[0].policy).Statement as { Effect: string; Action: string | string[]; Resource: string | string[] }[])
      .filter((s) => s.Effect === 'Allow' && [s.Resource].flat().includes('*'))
      .flatMap((s) => [s.Action].flat());
    // Service Authorization Reference: no resource type for backup:DescribeBackupJob / DescribeCopyJob
    // (list_awsbackup.html) or tag:GetResources (list_resourcegroupstaggingapi.html).
    expect(wildcard).toEqual(expect.arrayContaining(['backup:DescribeBackupJob', 'backup:DescribeCopyJob', 'tag:GetResources']));
    for (const action of wildcard) expect(hasNoResourceLevelPermissions(action)).toBe(true);
  });
});

describe('suppressions', () => {
  it('are explicit, reasoned, per resource, and written into the synthesized resource', () => {
    const app = new App({ outdir: tempDir(), skipValidation: true });
    const stack = new TerraformStack(app, 'test');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
    const key = new KmsKey(stack, 'Key', { description: 'k' });
    const other = new KmsKey(stack, 'Other', { description: 'k' });
    acknowledgePolicy(key, 'CKV_AWS_7', 'rotation is handled by re-keying the vault every 90 days in this test');
    const pack = new PolicyPack(DR_POLICY_PACK.filter((r) => r.id === 'CKV_AWS_7'));
    for (const node of stack.node.findAll()) pack.visit(node);
    expect(pack.findings.map((f) => f.path)).toEqual([other.node.path]);
    app.synth();
    const out = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
    const acknowledged = Object.values(out.resource.aws_kms_key).map((k: any) => k['//']?.policy_acknowledgements).filter(Boolean);
    expect(acknowledged).toEqual([{ CKV_AWS_7: 'rotation is handled by re-keying the vault every 90 days in this test' }]);
    expect(() => acknowledgePolicy(other, 'CKV_AWS_7', 'because')).toThrow(/needs a reason/);
  });

  it('appear in the example output for the EC2 instance role, and nowhere else', () => {
    const outdir = tempDir();
    synthesizeEstate(EXAMPLE_CONFIG, outdir);
    const all = fs.readdirSync(path.join(outdir, 'stacks')).map((s) => fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
    const count = all.reduce((n, text) => n + (text.match(/policy_acknowledgements/g) ?? []).length, 0);
    expect(count).toBe(1);
  });
});

describe('a violation', () => {
  it('stops the synth before anything is written, listing path, rule and fix', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, 'bad');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
    new KmsKey(stack, 'Key', { description: 'k' });
    expect(() => assertPolicyCompliance(app)).toThrow(/bad\/Key: CKV_AWS_7 KmsKeyRotation: key rotation is not enabled\. Fix: set enableKeyRotation: true/);
    expect(() => synthesizeIfCompliant(app, false)).toThrow(PolicyViolationError);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('leaves an existing output folder exactly as it was', () => {
    const outdir = tempDir();
    fs.mkdirSync(path.join(outdir, 'stacks', 'dr'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', 'dr', 'cdk.tf.json'), '{"previous":"synth"}');
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, 'dr');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
    new KmsKey(stack, 'Key', { description: 'k' });
    expect(() => synthesizeIfCompliant(app, true)).toThrow(PolicyViolationError);
    expect(fs.readFileSync(path.join(outdir, 'stacks', 'dr', 'cdk.tf.json'), 'utf8')).toBe('{"previous":"synth"}');
  });
});
