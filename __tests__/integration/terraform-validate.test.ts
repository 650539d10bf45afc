import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLE_CONFIG, exampleInput, FIXTURES, readJson, stackDirs, synthEstate, tempDir } from '../helpers/synth';
import { requireTerraform, validateStacks, type ValidateResult } from '../helpers/terraform';
import { terraformCloudInput } from '../helpers/terraform-cloud';
import { failbackInput, noFailbackInput } from '../helpers/failback';

/**
 * The real check that the synthesized JSON is Terraform the pinned AWS provider accepts: every stack of
 * the example and of a 3-workload, 2-primary-region estate, and of their variants, through
 * `terraform init` + `validate`.
 *
 * Every stack below goes through one `terraform validate` (helpers/terraform.ts calls each distinct
 * stack as a module of a generated root): the provider schema is loaded once, and a stack two
 * estates share is validated once. Two edited copies go through the same run, to show that each
 * stack still gets its own diagnostics.
 */

/** A configuration with `centralVault` set (the logically air-gapped vault, its RAM share, the copy paths). */
const withCentralVault = (configFile: string, centralVault: Record<string, unknown>) => () => {
  const raw = readJson<Record<string, any>>(configFile);
  // airGapped has no locked central vault to keep in the workload regions.
  if (centralVault.kind === 'airGapped') raw.accounts.backupVault.primaryRegionCopy = false;
  return { ...raw, centralVault };
};

/** The example with a Resilience Hub policy per workload (readiness.resilienceHubPolicies, modules/resiliency-policy.ts). */
const withResilienceHubPolicies = () => {
  const input = exampleInput() as Record<string, any>;
  input.readiness = { resilienceHubPolicies: true };
  input.workloads[0].targets = { rtoMinutes: 60, rpoMinutes: 1440 };
  return input;
};

/** The example's failback with every optional part: the DNS switch back (verified by the health alarm) and the instance profile. */
const withFailbackDnsSwitch = () => {
  const input = failbackInput({ dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: 'shop.primary.example.com' }, instanceProfile: { name: 'shop-app', roleArn: 'arn:aws:iam::333333333333:role/shop-app' } }) as Record<string, any>;
  input.workloads[0].recovery = { ...input.workloads[0].recovery, healthAlarmName: 'acme-shop-healthy' };
  return input;
};

const THREE = path.join(FIXTURES, 'three-workloads.json');
const EXAMPLE_STACKS = ['backup-vault', 'dr', 'workload-shop'];
const THREE_STACKS = ['backup-vault', 'dr', 'organization', 'workload-analytics', 'workload-billing', 'workload-shop'];

const ESTATES: [string, () => unknown, string[]][] = [
  ['the bundled example', () => readJson(EXAMPLE_CONFIG), EXAMPLE_STACKS],
  ['three workloads in two primary regions', () => readJson(THREE), THREE_STACKS],
  ['the example with centralVault.kind airGapped', withCentralVault(EXAMPLE_CONFIG, { kind: 'airGapped' }), EXAMPLE_STACKS],
  ['the example with centralVault.kind both', withCentralVault(EXAMPLE_CONFIG, { kind: 'both' }), EXAMPLE_STACKS],
  ['three workloads with centralVault.kind airGapped', withCentralVault(THREE, { kind: 'airGapped' }), THREE_STACKS],
  ['three workloads with centralVault.kind both, shared with the organization', withCentralVault(THREE, { kind: 'both', shareWith: 'organization' }), THREE_STACKS],
  // recovery.infrastructure terraformCloud: the EventBridge connection with ignore_changes on its token.
  ['the example with a workload built by Terraform Enterprise', () => terraformCloudInput({}, 'tfe.example.com'), EXAMPLE_STACKS],
  ['the example with Resilience Hub policies', withResilienceHubPolicies, EXAMPLE_STACKS],
  // workloads[].failback: the workload's failback role, the local vault's copy-in statement, the failback machine.
  // The example has failback (scaleDown freeze); without it, none of failback is synthesized.
  ['the example without failback', () => noFailbackInput(), EXAMPLE_STACKS],
  ['the example with failback, DNS switch back verified by a health alarm and an instance profile', withFailbackDnsSwitch, EXAMPLE_STACKS],
  ['the example with failback (runbook freeze)', () => failbackInput({ freeze: { kind: 'runbook', documentName: 'shop-stop-writes' } }), EXAMPLE_STACKS],
];

const stacksOf = new Map<string, string[]>();
const results = new Map<string, ValidateResult>();
/** A copy of the example's DR stack with an argument no resource has, and a second copy of its backup-vault stack. */
let brokenDr: string;
let backupVaultCopy: string;
/** A copy of the example's workload stack whose provider configuration has an argument the provider does not know. */
let brokenProvider: string;

beforeAll(async () => {
  requireTerraform();
  for (const [name, config] of ESTATES) stacksOf.set(name, stackDirs(synthEstate(config())));
  const [backupVault, dr] = stacksOf.get('the bundled example')!;
  brokenDr = path.join(tempDir(), 'dr');
  fs.cpSync(dr, brokenDr, { recursive: true });
  const file = path.join(brokenDr, 'cdk.tf.json');
  const stack = readJson<{ resource: Record<string, Record<string, Record<string, unknown>>> }>(file);
  stack.resource.aws_kms_key[Object.keys(stack.resource.aws_kms_key)[0]].not_an_argument = true;
  fs.writeFileSync(file, JSON.stringify(stack));
  backupVaultCopy = path.join(tempDir(), 'backup-vault');
  fs.cpSync(backupVault, backupVaultCopy, { recursive: true });
  brokenProvider = path.join(tempDir(), 'workload-shop');
  fs.cpSync(stacksOf.get('the bundled example')![2], brokenProvider, { recursive: true });
  const shopFile = path.join(brokenProvider, 'cdk.tf.json');
  const shop = readJson<{ provider: { aws: Record<string, unknown>[] } }>(shopFile);
  shop.provider.aws[0].not_a_provider_argument = true;
  fs.writeFileSync(shopFile, JSON.stringify(shop));
  const all = [...[...stacksOf.values()].flat(), brokenDr, backupVaultCopy, brokenProvider];
  for (const result of await validateStacks(all)) results.set(result.stackDir, result);
});

describe('terraform validate', () => {
  it.each(ESTATES)('accepts every stack of %s with no error or warning', (name, _config, expectedStacks) => {
    const dirs = stacksOf.get(name)!;
    expect(dirs.map((d) => path.basename(d))).toEqual(expectedStacks);
    for (const dir of dirs) {
      const result = results.get(dir)!;
      expect({ stack: path.basename(dir), diagnostics: result.diagnostics }).toEqual({ stack: path.basename(dir), diagnostics: [] });
      expect(result).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
    }
  });

  it('validates the Resilience Hub policy the readiness option adds', () => {
    const shop = stacksOf.get('the example with Resilience Hub policies')![2];
    expect(fs.readFileSync(path.join(shop, 'cdk.tf.json'), 'utf8')).toContain('"aws_resiliencehub_resiliency_policy"');
    expect(results.get(shop)).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
  });
});

describe('validateStacks (several stacks in one terraform validate)', () => {
  it('gives each stack its own diagnostics: an unknown argument in one stack fails that stack only', () => {
    const broken = results.get(brokenDr)!;
    expect(broken).toMatchObject({ valid: false, errorCount: 1, warningCount: 0 });
    expect(broken.diagnostics[0]).toMatchObject({ severity: 'error', detail: expect.stringContaining('not_an_argument') });
    // Beside it, in the same run, the unedited stacks of the example have none.
    for (const dir of stacksOf.get('the bundled example')!) expect(results.get(dir)!.errorCount).toBe(0);
  });

  it('validates each provider configuration as its stack wrote it: an unknown provider argument fails that stack only', () => {
    const broken = results.get(brokenProvider)!;
    expect(broken).toMatchObject({ valid: false, errorCount: 1, warningCount: 0 });
    expect(broken.diagnostics[0]).toMatchObject({ severity: 'error', detail: expect.stringContaining('not_a_provider_argument') });
    // Every other stack, including those with the unedited configuration of the same account and region, has none.
    for (const [dir, result] of results) if (dir !== brokenProvider && dir !== brokenDr) expect({ dir, errors: result.errorCount }).toEqual({ dir, errors: 0 });
  });

  it('reports a stack identical to another (validated once) as that stack', () => {
    const original = results.get(stacksOf.get('the bundled example')![0])!;
    expect(results.get(backupVaultCopy)).toEqual({ ...original, stackDir: backupVaultCopy });
  });

  it('fails loudly, naming the stacks, when terraform init cannot install what a stack requires', async () => {
    const dir = path.join(tempDir(), 'workload-shop');
    fs.cpSync(stacksOf.get('the bundled example')![2], dir, { recursive: true });
    const file = path.join(dir, 'cdk.tf.json');
    const stack = readJson<{ terraform: { required_providers: Record<string, { version?: string }> } }>(file);
    // A provider version no mirror has.
    stack.terraform.required_providers.aws.version = '99.0.0';
    fs.writeFileSync(file, JSON.stringify(stack));
    await expect(validateStacks([dir])).rejects.toThrow(/terraform init failed for .*workload-shop/s);
  });
});
