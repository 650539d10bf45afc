import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { unzipSync } from 'fflate';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { BundledFunction, type BundledFunctionProps } from '../../modules/bundled-function';
import { bundleFunction, cacheFile } from '../../modules/bundling';
import { FIXTURES, policyOf, resourcesOf, statement, tempDir } from '../helpers/synth';

const entry = path.join(FIXTURES, 'functions', 'describe-volumes', 'index.ts');
const props: BundledFunctionProps = {
  functionName: 'acme-describe-volumes',
  entry,
  description: 'test function',
  accountId: '222222222222',
  region: 'ap-northeast-1',
  policyStatements: [{ Sid: 'DescribeVolumes', Effect: 'Allow', Action: 'ec2:DescribeVolumes', Resource: '*' }],
  kmsKeyArn: 'arn:aws:kms:ap-northeast-1:222222222222:key/abc',
  logRetentionDays: 90,
  alarmActions: ['arn:aws:sns:ap-northeast-1:222222222222:acme-dr-on-call'],
};

function synth(p: Partial<BundledFunctionProps> = {}) {
  return Testing.synthScope((scope) => {
    new BundledFunction(scope, 'Fn', { ...props, ...p });
  });
}


/**
 * bundleFunction of a new module registry (another Jest test file of the same worker), sharing the
 * global set of checked installed inputs, or, given `checked`, with that one instead (another process).
 */
function freshBundleFunction(checked?: Set<string>): typeof bundleFunction {
  const g = globalThis as { __drBundleInputsChecked?: Set<string> };
  const shared = g.__drBundleInputsChecked;
  if (checked) g.__drBundleInputsChecked = checked;
  let fresh: typeof bundleFunction | undefined;
  try {
    jest.isolateModules(() => {
      fresh = (require('../../modules/bundling') as typeof import('../../modules/bundling')).bundleFunction;
    });
  } finally {
    g.__drBundleInputsChecked = shared;
  }
  return fresh!;
}
describe('bundleFunction', () => {
  it('bundles to one CommonJS file that loads in Node and exports handler', () => {
    const bundle = bundleFunction(entry);
    const files = unzipSync(bundle.zip);
    expect(Object.keys(files)).toEqual(['index.js']);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.js'), files['index.js']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(dir, 'index.js'));
    expect(typeof loaded.handler).toBe('function');
  });

  it('is deterministic: same source, same bytes and hash', () => {
    const [a, b] = [bundleFunction(entry), bundleFunction(entry)];
    expect(a.zip.equals(b.zip)).toBe(true);
    expect(a.sourceCodeHash).toBe(b.sourceCodeHash);
    expect(a.sourceCodeHash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('adds an external source map only when asked', () => {
    expect(Object.keys(unzipSync(bundleFunction(entry, { sourceMap: true }).zip))).toEqual(['index.js', 'index.js.map']);
  });

  it('reuses a bundle only while every input is unchanged: an edited source or dependency rebuilds it', () => {
    const dir = tempDir();
    const fnEntry = path.join(dir, 'index.ts');
    fs.writeFileSync(path.join(dir, 'helper.ts'), 'export const greeting = "hello";\n');
    fs.writeFileSync(fnEntry, "import { greeting } from './helper';\nexport const handler = async () => greeting;\n");
    const first = bundleFunction(fnEntry);
    expect(bundleFunction(fnEntry).sourceCodeHash).toBe(first.sourceCodeHash);
    fs.writeFileSync(path.join(dir, 'helper.ts'), 'export const greeting = "bonjour";\n');
    const second = bundleFunction(fnEntry);
    expect(second.sourceCodeHash).not.toBe(first.sourceCodeHash);
    expect(Buffer.from(unzipSync(second.zip)['index.js']).toString()).toContain('bonjour');
  });

  it('checks installed packages in full once per process, and the project\'s own sources at every synth', () => {
    const dir = tempDir();
    const fnEntry = path.join(dir, 'index.ts');
    const dep = path.join(dir, 'node_modules', 'greeting', 'index.js');
    fs.mkdirSync(path.dirname(dep), { recursive: true });
    fs.writeFileSync(dep, 'exports.greeting = "hello";\n');
    fs.writeFileSync(fnEntry, "import { greeting } from 'greeting';\nexport const handler = async () => greeting;\n");
    const minuteAgo = new Date(Date.now() - 60000);
    for (const f of [dep, fnEntry]) fs.utimesSync(f, minuteAgo, minuteAgo);
    const first = bundleFunction(fnEntry);
    expect(bundleFunction(fnEntry).sourceCodeHash).toBe(first.sourceCodeHash);
    // A package edited under a running process: not looked at again by this process...
    fs.writeFileSync(dep, 'exports.greeting = "bonjour";\n');
    expect(bundleFunction(fnEntry).sourceCodeHash).toBe(first.sourceCodeHash);
    // ...nor by another module registry of it (the next test file of a Jest worker shares what was checked)...
    expect(freshBundleFunction()(fnEntry).sourceCodeHash).toBe(first.sourceCodeHash);
    // ...but by the next process (a fresh module registry and global set stand for it), which rebuilds.
    const next = freshBundleFunction(new Set())(fnEntry);
    expect(next.sourceCodeHash).not.toBe(first.sourceCodeHash);
    expect(Buffer.from(unzipSync(next.zip)['index.js']).toString()).toContain('bonjour');
    // A project source edited under the same running process is seen at once, by every registry.
    fs.writeFileSync(fnEntry, "import { greeting } from 'greeting';\nexport const handler = async () => `${greeting}!!`;\n");
    const edited = freshBundleFunction()(fnEntry);
    expect(Buffer.from(unzipSync(edited.zip)['index.js']).toString()).toContain('!!');
    expect(bundleFunction(fnEntry).sourceCodeHash).toBe(edited.sourceCodeHash);
  });

  it('reuses a bundle whose inputs were only touched, and records their new times so that later synths do not hash them', () => {
    const dir = tempDir();
    const fnEntry = path.join(dir, 'index.ts');
    const helper = path.join(dir, 'helper.ts');
    fs.writeFileSync(helper, 'export const greeting = "hello";\n');
    fs.writeFileSync(fnEntry, "import { greeting } from './helper';\nexport const handler = async () => greeting;\n");
    // Written a minute ago: the bundler does not record inputs that may have changed while it read them.
    const minuteAgo = new Date(Date.now() - 60000);
    for (const f of [helper, fnEntry]) fs.utimesSync(f, minuteAgo, minuteAgo);
    const first = bundleFunction(fnEntry);
    const written = fs.statSync(helper).mtimeMs;
    const touched = new Date(Date.now() - 30000);
    fs.utimesSync(helper, touched, touched);
    const recordedTime = () => (JSON.parse(fs.readFileSync(cacheFile(fnEntry, {}), 'utf8')) as { inputs: Record<string, { mtimeMs: number }> }).inputs[helper].mtimeMs;
    expect(recordedTime()).toBe(written);
    expect(bundleFunction(fnEntry).sourceCodeHash).toBe(first.sourceCodeHash);
    expect(recordedTime()).toBe(fs.statSync(helper).mtimeMs);
  });

  it('keeps only the AWS SDK schemas a function uses (the EC2 client has 700+ operations)', () => {
    const js = Buffer.from(unzipSync(bundleFunction(entry).zip)['index.js']).toString();
    expect(js).toContain('DescribeVolumes');
    expect(js).not.toContain('AcceptAddressTransfer');
    expect(js).not.toContain('RunInstances');
    // About 300 KiB; 830 KiB with every EC2 schema.
    expect(js.length).toBeLessThan(400 * 1024);
  });

  it('sends the request the EC2 API expects and reads its answer, with the schemas it kept', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.js'), unzipSync(bundleFunction(entry).zip)['index.js']);
    // A local EC2 endpoint, in a child process: the bundle reads its endpoint and credentials from the environment.
    const script = `
      const http = require('http');
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          process.stdout.write(JSON.stringify({ request: body }) + '\\n');
          res.setHeader('content-type', 'text/xml');
          res.end('<DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><volumeSet>' +
            '<item><volumeId>vol-1</volumeId><size>8</size></item><item><volumeId>vol-2</volumeId></item></volumeSet></DescribeVolumesResponse>');
        });
      });
      server.listen(0, '127.0.0.1', async () => {
        Object.assign(process.env, { AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:' + server.address().port });
        const { handler } = require(${JSON.stringify(path.join(dir, 'index.js'))});
        process.stdout.write(JSON.stringify({ result: await handler({ volumeId: 'vol-1' }) }) + '\\n');
        server.close();
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000, env: { PATH: process.env.PATH ?? '' } });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ request: 'Action=DescribeVolumes&Version=2016-11-15&VolumeId.1=vol-1' }, { result: 2 }]);
  });

  it('fails with the compiler message when a function does not compile, never reusing an old bundle', () => {
    const dir = tempDir();
    const broken = path.join(dir, 'index.ts');
    fs.writeFileSync(broken, 'export const handler = async () => {\n  return 1 +;\n};\n');
    expect(() => bundleFunction(broken)).toThrow(/Bundling .*index\.ts failed:\n.*index\.ts:2:\d+: Unexpected ";"/);
    fs.writeFileSync(broken, "import { nothing } from './missing';\nexport const handler = async () => nothing;\n");
    expect(() => bundleFunction(broken)).toThrow(/Could not resolve "\.\/missing"/);
    expect(() => bundleFunction(path.join(dir, 'absent.ts'))).toThrow(/does not exist/);
  });
});

describe('the AWS SDK schema transform of the bundler', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { inlineSchemaKeys, SCHEMA_FILE } = require('../../modules/bundling-worker.js') as { inlineSchemaKeys: (s: string) => string; SCHEMA_FILE: RegExp };

  it('writes the value of a string constant for a computed key, and nothing else', () => {
    const source = [
      'const _xN = "xmlName";',
      'const _re = "reassigned";',
      'const _n = 3;',
      'function f() { _re = "other"; }',
      'export var A$ = [3, n0, _A, 0, [_V], [[() => L, { [_xN]: _V, [_re]: 1, [_n]: 2, [_unknown]: 3, [ _xN ]: 4 }]]];',
      'const s = "[_xN]:";',
    ].join('\n');
    expect(inlineSchemaKeys(source).split('\n')[4]).toBe('export var A$ = [3, n0, _A, 0, [_V], [[() => L, { ["xmlName"]: _V, [_re]: 1, [_n]: 2, [_unknown]: 3, [ _xN ]: 4 }]]];');
    expect(inlineSchemaKeys('const _q = "a\\"b";\nx = { [_q]: 1 };')).toBe('const _q = "a\\"b";\nx = { ["a\\"b"]: 1 };');
  });

  it('applies to the schemas of the SDK clients only', () => {
    expect(SCHEMA_FILE.test('/p/node_modules/@aws-sdk/client-ec2/dist-es/schemas/schemas_0.js')).toBe(true);
    expect(SCHEMA_FILE.test('/p/node_modules/@aws-sdk/nested-clients/dist-es/submodules/sts/schemas/schemas_0.js')).toBe(true);
    expect(SCHEMA_FILE.test('/p/node_modules/@aws-sdk/client-ec2/dist-cjs/index.js')).toBe(false);
    expect(SCHEMA_FILE.test('/p/functions/schemas/schemas_0.js')).toBe(false);
  });
});

describe('BundledFunction', () => {
  it('deploys the bundle on nodejs22.x, arm64, with tracing, JSON logs and a KMS-encrypted environment', () => {
    const out = synth({ environment: { LOG_LEVEL: 'INFO' } });
    expect(out).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'acme-describe-volumes',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      source_code_hash: bundleFunction(entry).sourceCodeHash,
      tracing_config: { mode: 'Active' },
      kms_key_arn: props.kmsKeyArn,
      environment: { variables: { LOG_LEVEL: 'INFO' } },
      memory_size: 256,
      timeout: 60,
    });
    const [fn] = resourcesOf(out, 'aws_lambda_function');
    expect(fn.filename).toMatch(/^assets\/.*\.zip$/);
    expect((fn.logging_config as { log_format: string }).log_format).toBe('JSON');
    expect(fn).not.toHaveProperty('reserved_concurrent_executions');
  });

  it('sets reserved concurrency only when configured', () => {
    expect(synth({ reservedConcurrency: 5 })).toHaveResourceWithProperties(LambdaFunction, { reserved_concurrent_executions: 5 });
    expect(() => synth({ reservedConcurrency: 0 })).toThrow(/reservedConcurrency must be at least 1/);
  });

  it('logs to its own encrypted log group with retention', () => {
    expect(synth()).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/lambda/acme-describe-volumes', retention_in_days: 90, kms_key_id: props.kmsKeyArn });
  });

  it('sends failed asynchronous invocations to its dead-letter queue and alarms on errors and dead letters', () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, { maximum_retry_attempts: 2 });
    const [invoke] = resourcesOf(out, 'aws_lambda_function_event_invoke_config') as { destination_config: { on_failure: { destination: string } } }[];
    expect(invoke.destination_config.on_failure.destination).toMatch(/aws_sqs_queue\./);
    expect(resourcesOf(out, 'aws_lambda_function')[0].dead_letter_config).toEqual({ target_arn: expect.stringMatching(/aws_sqs_queue\./) });
    const alarms = resourcesOf(out, 'aws_cloudwatch_metric_alarm').map((a) => [a.alarm_name, a.alarm_actions]);
    expect(alarms.sort()).toEqual([
      ['acme-describe-volumes-dead-letters', props.alarmActions],
      ['acme-describe-volumes-errors', props.alarmActions],
    ]);
  });

  it('has a role only Lambda may assume for this function, allowing exactly what it needs', () => {
    const out = synth();
    const role = resourcesOf(out, 'aws_iam_role')[0];
    expect(policyOf(role, 'assume_role_policy').Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '222222222222' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:ap-northeast-1:222222222222:function:acme-describe-volumes' },
    });
    const policy = policyOf(resourcesOf(out, 'aws_iam_role_policy')[0]);
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['WriteOwnLogs', 'Tracing', 'SendFailedEventsToOwnDlq', 'DecryptOwnEnvironment', 'DescribeVolumes']);
    expect(statement(policy, 'WriteOwnLogs').Resource).toBe('arn:aws:logs:ap-northeast-1:222222222222:log-group:/aws/lambda/acme-describe-volumes:*');
    expect(statement(policy, 'SendFailedEventsToOwnDlq').Resource).toBe('arn:aws:sqs:ap-northeast-1:222222222222:acme-describe-volumes-dlq');
  });
});
