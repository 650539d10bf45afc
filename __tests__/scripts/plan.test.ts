import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLE_CONFIG, exampleInput, readJson, synthEstate, tempDir } from '../helpers/synth';
import { requireTerraform } from '../helpers/terraform';
import { FAKE_ACCESS_KEY, offlineStackConfig, terraformSetup } from '../../scripts/plan/offline';
import { globToRegExp, parsePlanArgs, selectStacks, UsageError } from '../../scripts/plan/options';
import { runPlan } from '../../scripts/plan/run';
import { readSynth, securityDiff, type SecurityDiff, type SynthSnapshot } from '../../scripts/plan/security-diff';
import { startSfnStub, validateDefinition } from '../../scripts/plan/sfn-stub';
import { validAslDefinitions } from '../../simulation/valid-asl';
import { managedResourceType, summarizePlanText } from '../../scripts/plan/plan-text';
import { renderSummary, summarizePlan } from '../../scripts/plan/summary';

const STACKS = ['backup-vault', 'dr', 'organization', 'workload-analytics', 'workload-billing', 'workload-shop'];

// Two synths shared by the tests below: the example, and the example with another break-glass role name.
let baseDir: string;
let changedDir: string;
beforeAll(() => {
  baseDir = synthEstate(exampleInput());
  changedDir = synthEstate({ ...exampleInput(), breakGlassRoleName: 'ops-break-glass' });
});

describe('npm run plan: options and stack filter', () => {
  it('matches names and globs, whole names only, in stack order', () => {
    expect(selectStacks(STACKS, ['workload-*', 'dr'])).toEqual(['dr', 'workload-analytics', 'workload-billing', 'workload-shop']);
    expect(selectStacks(STACKS, ['*-s?op'])).toEqual(['workload-shop']);
    expect(() => selectStacks(STACKS, ['workload'])).toThrow(/no stack matches "workload"/);
    expect(selectStacks(STACKS)).toEqual(STACKS);
    expect(globToRegExp('a.b*').test('a.bcd')).toBe(true);
    expect(globToRegExp('a.b*').test('axbcd')).toBe(false);
  });

  it('parses --stacks, --out, --previous and DR_CONFIG', () => {
    const o = parsePlanArgs(['--stacks', 'dr, workload-*', '--out=x', '--previous', 'prev'], { DR_CONFIG: 'c.json' }, 'default.json');
    expect(o).toMatchObject({ stacks: ['dr', 'workload-*'], out: path.resolve('x'), previous: path.resolve('prev'), config: path.resolve('c.json'), help: false });
    expect(parsePlanArgs([], {}, 'default.json')).toMatchObject({ out: path.resolve('cdktf.out'), config: path.resolve('default.json'), stacks: undefined, previous: undefined });
    expect(() => parsePlanArgs(['--nope'], {}, 'd')).toThrow(UsageError);
    expect(() => parsePlanArgs(['--stacks', ' , '], {}, 'd')).toThrow(UsageError);
  });
});

describe('npm run plan: summary from terraform plan text, or show -json', () => {
  const plan = {
    resource_changes: [
      { mode: 'managed', type: 'aws_iam_role', change: { actions: ['create'] } },
      { mode: 'managed', type: 'aws_iam_role', change: { actions: ['create'] } },
      { mode: 'managed', type: 'aws_iam_role', change: { actions: ['update'] } },
      { mode: 'managed', type: 'aws_kms_key', change: { actions: ['delete', 'create'] } },
      { mode: 'managed', type: 'aws_kms_key', change: { actions: ['create', 'delete'] } },
      { mode: 'managed', type: 'aws_sqs_queue', change: { actions: ['delete'] } },
      { mode: 'managed', type: 'aws_sns_topic', change: { actions: ['no-op'] } },
      { mode: 'data', type: 'aws_caller_identity', change: { actions: ['read'] } },
    ],
  };

  it('counts like Terraform: a replacement is one add and one destroy; no-op and reads are left out', () => {
    expect(summarizePlan(plan)).toEqual({
      total: { add: 4, change: 1, destroy: 3 },
      byType: [
        { type: 'aws_iam_role', counts: { add: 2, change: 1, destroy: 0 } },
        { type: 'aws_kms_key', counts: { add: 2, change: 0, destroy: 2 } },
        { type: 'aws_sqs_queue', counts: { add: 0, change: 0, destroy: 1 } },
      ],
    });
    expect(summarizePlan({})).toEqual({ total: { add: 0, change: 0, destroy: 0 }, byType: [] });
  });

  // The same changes as `plan` above, as `terraform plan -no-color` renders them (headers only).
  const text = [
    'Terraform will perform the following actions:',
    '',
    '  # aws_iam_role.a will be created',
    '  + resource "aws_iam_role" "a" {',
    '  # module.m["x.y z"].aws_iam_role.b[0] will be created',
    '  # aws_iam_role.c will be updated in-place',
    '  # aws_kms_key.d must be replaced',
    '  # module.m.module.n.aws_kms_key.e["k"] is tainted, so must be replaced',
    '  # aws_sqs_queue.f will be destroyed',
    '  # data.aws_caller_identity.g will be read during apply',
    '  # module.m.data.aws_region.h will be read during apply',
    '  # aws_sns_topic.old has moved to aws_sns_topic.new',
    '',
    'Plan: 4 to add, 1 to change, 3 to destroy.',
  ].join('\n');

  it("reads the same summary from terraform plan's own text, checked against its totals line", () => {
    expect(summarizePlanText(text)).toEqual(summarizePlan(plan));
    expect(summarizePlanText('No changes. Your infrastructure matches the configuration.\n')).toEqual({ total: { add: 0, change: 0, destroy: 0 }, byType: [] });
    expect(summarizePlanText(text.replace('Plan: 4 to add', 'Plan: 2 to import, 4 to add'))).toEqual(summarizePlan(plan));
  });

  it('gives no summary from a text it cannot account for (the run then asks terraform show -json)', () => {
    // Totals that the headers do not add up to, a header phrasing not known here, no totals line.
    expect(summarizePlanText(text.replace('Plan: 4 to add', 'Plan: 5 to add'))).toBeUndefined();
    expect(summarizePlanText(text.replace('aws_sqs_queue.f will be destroyed', 'aws_sqs_queue.f (deposed object 1a2b) will be destroyed'))).toBeUndefined();
    expect(summarizePlanText(text.replace('will be updated in-place', 'will be changed somehow'))).toBeUndefined();
    expect(summarizePlanText(text.replace(/^Plan: .*$/m, ''))).toBeUndefined();
    expect(summarizePlanText(text.replace('Plan: 4 to add, 1 to change, 3 to destroy.', 'Plan: 4 to add, 1 to change, 3 to destroy, 1 to forget.'))).toBeUndefined();
  });

  it('takes the resource type from an address, past module calls and index keys', () => {
    expect(managedResourceType('aws_iam_role.r')).toBe('aws_iam_role');
    expect(managedResourceType('module.a["k.1 \\"q\\""].module.b[2].aws_kms_key.k["x.y"]')).toBe('aws_kms_key');
    expect(managedResourceType('data.aws_region.r')).toBeUndefined();
    expect(managedResourceType('module.a.data.aws_region.r')).toBeUndefined();
    expect(managedResourceType('module.a')).toBeUndefined();
    expect(managedResourceType('aws_iam_role.r (deposed object 1)')).toBeUndefined();
  });

  it('renders per-stack tables, failures, and says when no previous synth is given', () => {
    const md = renderSummary({
      config: 'config/example.json',
      out: 'cdktf.out',
      terraformVersion: '1.11.4',
      seconds: 3.2,
      stacks: [
        { name: 'dr', seconds: 1, summary: summarizePlan(plan) },
        { name: 'workload-shop', seconds: 1, error: 'workload-shop: terraform plan failed\nError: boom' },
      ],
    });
    expect(md).toContain('| dr | 4 | 1 | 3 | [dr.txt](dr.txt) |');
    expect(md).toContain('| `aws_kms_key` | 2 | 0 | 2 |');
    expect(md).toContain('| workload-shop | – | – | – | **failed** |');
    expect(md).toContain('Error: boom');
    expect(md).toMatch(/no previous synth given/i);
  });
});

describe('npm run plan: offline stack configuration', () => {
  it('drops the cloud block, role assumption and account checks; adds fake keys and skips, the sfn stub only into a stack\'s own endpoints block; leaves the input alone', () => {
    const file = path.join(baseDir, 'stacks', 'backup-vault', 'cdk.tf.json');
    const synthesized = readJson<Record<string, any>>(file);
    const before = JSON.stringify(synthesized);
    const offline = offlineStackConfig(synthesized, 'http://127.0.0.1:1') as Record<string, any>;
    expect(JSON.stringify(synthesized)).toBe(before);
    expect(offline.terraform.cloud).toBeUndefined();
    expect(offline.terraform.required_providers).toEqual(synthesized.terraform.required_providers);
    expect(offline.resource).toEqual(synthesized.resource);
    expect(offline.provider.aws).toHaveLength(synthesized.provider.aws.length);
    for (const p of offline.provider.aws) {
      expect(p.assume_role).toBeUndefined();
      expect(p.allowed_account_ids).toBeUndefined();
      expect(p).toMatchObject({
        access_key: FAKE_ACCESS_KEY,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      });
      expect(p.region).toBe(synthesized.provider.aws[0].region);
      // The stub is reached through AWS_ENDPOINT_URL_SFN: no endpoints block (it doubles a plan's CPU time).
      expect(p.endpoints).toBeUndefined();
    }
    // A stack with its own endpoints block (which wins over the variable) gets the stub in it.
    const own = { ...synthesized, provider: { aws: [{ ...synthesized.provider.aws[0], endpoints: [{ s3: 'https://s3.example' }] }] } };
    expect((offlineStackConfig(own, 'http://127.0.0.1:1') as Record<string, any>).provider.aws[0].endpoints).toEqual([{ s3: 'https://s3.example', sfn: 'http://127.0.0.1:1' }]);
  });

  it('gives terraform no AWS credentials of the caller, and a garbage collector target unless the caller set one', () => {
    const setup = terraformSetup(tempDir(), { PATH: '/usr/bin', AWS_PROFILE: 'prod', AWS_SECRET_ACCESS_KEY: 'x', TF_WORKSPACE: 'w', TF_PLUGIN_DIR: '/opt/tf-plugins' });
    expect(Object.keys(setup.env).filter((k) => k.startsWith('AWS_') && k !== 'AWS_EC2_METADATA_DISABLED')).toEqual([]);
    expect(setup.env).toMatchObject({ GOGC: '400', PATH: '/usr/bin', CHECKPOINT_DISABLE: '1' });
    expect(setup.env.TF_WORKSPACE).toBeUndefined();
    expect(terraformSetup(tempDir(), { GOGC: '100' }).env.GOGC).toBe('100');
  });

  it('validates state machine definitions locally, like ValidateStateMachineDefinition', () => {
    expect(validateDefinition(JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }))).toEqual({ result: 'OK', diagnostics: [] });
    expect(validateDefinition(JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass' } } })).result).toBe('FAIL');
    expect(validateDefinition('{').result).toBe('FAIL');
  });

  it('asks asl-validator once per accepted definition text (shared with the rehearsal), and every time for a rejected one', () => {
    const asked: unknown[] = [];
    const validator = (d: unknown) => (asked.push(d), { isValid: JSON.stringify(d).includes('End'), errorsText: () => 'no End' });
    const good = { StartAt: 'Q', States: { Q: { Type: 'Pass', Comment: `${Math.random()}`, End: true } } };
    const bad = { StartAt: 'Q', States: { Q: { Type: 'Pass', Comment: `${Math.random()}` } } };
    for (let i = 0; i < 2; i++) {
      expect(validateDefinition(JSON.stringify(good, null, 2), validator).result).toBe('OK');
      expect(validateDefinition(JSON.stringify(bad), validator).result).toBe('FAIL');
    }
    expect(asked).toHaveLength(3);
    expect(validAslDefinitions.has(JSON.stringify(good))).toBe(true);
    expect(validAslDefinitions.has(JSON.stringify(bad))).toBe(false);
  });
});

describe('npm run plan: security-relevant changes between two synths', () => {
  let base: SynthSnapshot;
  let diff: SecurityDiff;

  beforeAll(() => {
    base = readSynth(baseDir);
    diff = securityDiff(readSynth(changedDir), base);
  });

  it('lists every policy that names the break-glass role as changed, with the statement and the values', () => {
    const byStack = Object.fromEntries(diff.stacks.map((s) => [s.name, s.changes]));
    expect(Object.keys(byStack)).toEqual(['backup-vault', 'dr', 'workload-shop']);
    for (const [stack, account] of [['backup-vault', '111111111111'], ['dr', '222222222222'], ['workload-shop', '333333333333']] as const) {
      const changes = byStack[stack];
      expect(changes.every((c) => c.kind === 'changed')).toBe(true);
      const vaultPolicy = changes.find((c) => c.type === 'aws_backup_vault_policy');
      expect(vaultPolicy?.details).toEqual([
        expect.stringMatching(new RegExp(`statement \`DenyDestructiveActionsExceptBreakGlass\` changed: Condition: .*role/ops-break-glass.*role/dr-break-glass`)),
      ]);
      expect(vaultPolicy?.details[0]).toContain(`arn:aws:iam::${account}:role/dr-break-glass`);
      expect(changes.filter((c) => c.type === 'aws_kms_key').length).toBeGreaterThan(0);
      // Nothing else about who may do what changed.
      expect(changes.every((c) => ['aws_backup_vault_policy', 'aws_kms_key'].includes(c.type))).toBe(true);
    }
    expect(securityDiff(base, base).stacks.every((s) => s.changes.length === 0)).toBe(true);
  });

  it('reports added and removed resources and statements, and attribute changes', () => {
    const role = (sids: string[]) => ({
      name: 'acme-x',
      assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: sids.map((Sid) => ({ Sid, Effect: 'Allow', Action: 'sts:AssumeRole' })) }),
      description: 'ignored: only assume_role_policy counts for roles',
    });
    const prev: SynthSnapshot = new Map([
      ['s', { resource: { aws_iam_role: { R: role(['A', 'B']), Gone: role(['A']) }, aws_kms_key: { K: { enable_key_rotation: true, policy: '{"Statement":[]}' } } } }],
      ['old', { resource: { aws_lambda_permission: { P: { principal: 'events.amazonaws.com' } } } }],
    ]);
    const next: SynthSnapshot = new Map([
      ['s', { resource: { aws_iam_role: { R: { ...role(['B', 'C']), description: 'other' }, New: role(['Z']) }, aws_kms_key: { K: { enable_key_rotation: false, policy: '{"Statement":[]}' } } } }],
    ]);
    const d = securityDiff(prev, next);
    expect(d.stacks.map((s) => [s.name, s.status])).toEqual([['old', 'removed'], ['s', 'present']]);
    expect(d.stacks[0].changes).toEqual([expect.objectContaining({ kind: 'removed', address: 'aws_lambda_permission.P' })]);
    const s = d.stacks[1].changes;
    expect(s.map((c) => [c.kind, c.address])).toEqual([
      ['removed', 'aws_iam_role.Gone'],
      ['added', 'aws_iam_role.New'],
      ['changed', 'aws_iam_role.R'],
      ['changed', 'aws_kms_key.K'],
    ]);
    expect(s[2].details).toEqual(['assume_role_policy: statements added: `C`', 'assume_role_policy: statements removed: `A`']);
    expect(s[2].label).toBe('acme-x');
    expect(s[3].details).toEqual(['enable_key_rotation: `true` → `false`']);
  });
});

describe('npm run plan: failures and the Step Functions stub (no terraform needed)', () => {
  it('keeps planning the other stacks, then names the failed one with terraform\'s error', async () => {
    // A stand-in terraform: `plan` fails in the dr stack's working directory only.
    const bin = path.join(tempDir('dr-plan-fake-tf-'), 'terraform');
    const calls = path.join(path.dirname(bin), 'calls.log');
    fs.writeFileSync(
      bin,
      [
        '#!/bin/sh',
        `echo "$(basename "$PWD") $1" >> ${JSON.stringify(calls)}`,
        'case "$1" in',
        '  version) echo \'{"terraform_version":"1.11.4"}\' ;;',
        // backup-vault's text has its change's header; workload-shop's only the totals, so its summary comes from show -json.
        '  plan) case "$(basename "$PWD")" in dr) echo "Error: Invalid provider configuration (dr)" >&2; exit 1 ;; backup-vault) echo "  # aws_kms_key.k will be created" ;; esac; echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;',
        '  show) echo \'{"resource_changes":[{"mode":"managed","type":"aws_iam_role","change":{"actions":["create"]}}]}\' ;;',
        'esac',
      ].join('\n'),
      { mode: 0o755 },
    );
    const out = tempDir('dr-plan-out-');
    const lines: string[] = [];
    const errors: string[] = [];
    const run = await runPlan({ config: EXAMPLE_CONFIG, out }, { log: (l) => lines.push(l), error: (l) => errors.push(l) }, { ...process.env, TERRAFORM_BIN: bin });

    expect(run.failed).toEqual(['dr']);
    expect(run.stacks.map((s) => [s.name, s.summary?.total.add ?? 'failed'])).toEqual([['backup-vault', 1], ['dr', 'failed'], ['workload-shop', 1]]);
    expect(run.stacks.map((s) => s.summary?.byType.map((t) => t.type))).toEqual([['aws_kms_key'], undefined, ['aws_iam_role']]);
    // show -json only where the plan text did not account for the totals.
    const shows = fs.readFileSync(calls, 'utf8').split('\n').filter((l) => l.endsWith(' show'));
    expect(shows).toEqual(['workload-shop show']);
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\/3\] dr FAILED after \d+\.\ds$/));
    expect(errors[0]).toBe('dr: terraform plan failed\nError: Invalid provider configuration (dr)');
    expect(errors[errors.length - 1]).toBe('1 of 3 stacks failed to plan: dr');
    const summary = fs.readFileSync(path.join(out, 'plan', 'summary.md'), 'utf8');
    expect(summary).toContain('| dr | – | – | – | **failed** |');
    expect(summary).toContain('Error: Invalid provider configuration (dr)');
    expect(summary).toMatch(/no previous synth given/i);
    expect(fs.readdirSync(path.join(out, 'plan')).sort()).toEqual(['backup-vault.txt', 'cost.json', 'summary.md', 'workload-shop.txt']);
    // The plan text is terraform plan's own output.
    expect(fs.readFileSync(path.join(out, 'plan', 'workload-shop.txt'), 'utf8')).toBe('Plan: 1 to add, 0 to change, 0 to destroy.\n');
  });

  it('answers ValidateStateMachineDefinition as the AWS JSON protocol does, and refuses any other call', async () => {
    const stub = await startSfnStub();
    const call = async (target: string, body: unknown) => {
      const res = await fetch(stub.url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    try {
      const bad = await call('AWSStepFunctions.ValidateStateMachineDefinition', { definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass' } } }), type: 'STANDARD' });
      expect(bad.status).toBe(200);
      expect(bad.body).toMatchObject({ result: 'FAIL', diagnostics: [{ severity: 'ERROR', message: expect.stringContaining('"End", "Next"') }] });
      const ok = await call('AWSStepFunctions.ValidateStateMachineDefinition', { definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) });
      expect(ok.body).toEqual({ result: 'OK', diagnostics: [], truncated: false });
      const other = await call('AWSStepFunctions.StartExecution', {});
      expect(other.status).toBe(400);
      expect(other.body.message).toMatch(/StartExecution is not available without AWS/);
      expect(stub.calls).toEqual(['ValidateStateMachineDefinition', 'ValidateStateMachineDefinition', 'StartExecution']);
    } finally {
      await stub.close();
    }
  });
});

describe('npm run plan end to end (terraform, offline)', () => {
  beforeAll(() => {
    requireTerraform();
  });

  it('plans every stack of the example and writes the plan text and a summary whose counts match', async () => {
    const out = tempDir('dr-plan-out-');
    const lines: string[] = [];
    const errors: string[] = [];
    const run = await runPlan({ config: EXAMPLE_CONFIG, out, previous: changedDir }, { log: (l) => lines.push(l), error: (l) => errors.push(l) });

    expect({ failed: run.failed, errors }).toEqual({ failed: [], errors: [] });
    const names = ['backup-vault', 'dr', 'workload-shop'];
    expect(run.stacks.map((s) => s.name)).toEqual(names);
    expect(lines.filter((l) => /^\[\d\/3\] \S+ planned in \d+\.\ds \(\+\d+ ~0 -0\)$/.test(l))).toHaveLength(3);
    expect(lines[lines.length - 1]).toMatch(/^Planned 3 of 3 stacks in \d+\.\ds/);
    expect(fs.readdirSync(path.join(out, 'plan')).sort()).toEqual([...names.map((n) => `${n}.txt`), 'cost.json', 'summary.md'].sort());

    const summary = fs.readFileSync(path.join(out, 'plan', 'summary.md'), 'utf8');
    for (const stack of run.stacks) {
      const text = fs.readFileSync(path.join(out, 'plan', `${stack.name}.txt`), 'utf8');
      const m = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\./.exec(text);
      expect(m).not.toBeNull();
      const [add, change, destroy] = m!.slice(1).map(Number);
      expect(stack.summary!.total).toEqual({ add, change, destroy });
      expect(add).toBeGreaterThan(10);
      expect(summary).toContain(`| ${stack.name} | ${add} | ${change} | ${destroy} |`);
      const perType = stack.summary!.byType.reduce((n, t) => n + t.counts.add, 0);
      expect(perType).toBe(add);
      // Everything in the stack's configuration is planned, from empty state: as many of each type.
      const resources = readJson<{ resource: Record<string, object> }>(path.join(out, 'stacks', stack.name, 'cdk.tf.json')).resource;
      expect(add).toBe(Object.values(resources).reduce((n, r) => n + Object.keys(r).length, 0));
      const synthesized = Object.entries(resources).map(([type, r]) => ({ type, counts: { add: Object.keys(r).length, change: 0, destroy: 0 } }));
      expect(stack.summary!.byType).toEqual(synthesized.sort((a, b) => a.type.localeCompare(b.type)));
    }
    expect(fs.readFileSync(path.join(out, 'plan', 'dr.txt'), 'utf8')).toContain('# aws_sfn_state_machine.');
    // The provider validates a state machine definition known at plan time (ValidateStateMachineDefinition):
    // those calls reached the local stub (AWS_ENDPOINT_URL_SFN), never AWS, and nothing else was called.
    expect(run.stubCalls).toContain('ValidateStateMachineDefinition');
    expect(new Set(run.stubCalls)).toEqual(new Set(['ValidateStateMachineDefinition']));
    expect(summary).toContain('## Security-relevant changes');
    // The monthly cost of the planned configuration, kept for the next run's --previous (plan-cost.test.ts has the diff).
    const cost = readJson<{ totalMonthlyUsd: number }>(path.join(out, 'plan', 'cost.json'));
    expect(summary).toContain(`Estimated **$${cost.totalMonthlyUsd.toFixed(2)} a month**`);
    expect(summary).toMatch(/No cost change: no plan\/cost\.json in /);
    expect(summary).toMatch(/\*\*changed\*\* `aws_backup_vault_policy\.CentralVault_AccessPolicy_\w+`: policy: statement `DenyDestructiveActionsExceptBreakGlass` changed/);
    // The synthesized stacks that users deploy were only read.
    for (const name of names) expect(fs.readdirSync(path.join(out, 'stacks', name)).filter((f) => f.startsWith('.terraform') || f.includes('override'))).toEqual([]);
  });
});
