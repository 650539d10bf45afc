import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLE_CONFIG, FIXTURES, readJson, stackDirs, synthEstate, tempDir } from '../helpers/synth';
import { requireTerraform, validateStacks, type ValidateResult } from '../helpers/terraform';
import { terraformCloudInput } from '../helpers/terraform-cloud';

/**
 * The real check that the synthesized JSON is Terraform the pinned AWS provider accepts: every stack of
 * the example and of a 3-workload, 2-primary-region estate, through `terraform init` + `validate`.
 */
describe('terraform validate', () => {
  beforeAll(() => {
    requireTerraform();
  });

  /** A configuration with `centralVault` set (the logically air-gapped vault, its RAM share, the copy paths). */
  const withCentralVault = (configFile: string, centralVault: Record<string, unknown>) => () => {
    const raw = readJson<Record<string, any>>(configFile);
    // airGapped has no locked central vault to keep in the workload regions.
    if (centralVault.kind === 'airGapped') raw.accounts.backupVault.primaryRegionCopy = false;
    return { ...raw, centralVault };
  };
  const THREE = path.join(FIXTURES, 'three-workloads.json');
  const THREE_STACKS = ['backup-vault', 'dr', 'organization', 'workload-analytics', 'workload-billing', 'workload-shop'];

  const estates: [string, () => unknown, string[]][] = [
    ['the bundled example', () => readJson(EXAMPLE_CONFIG), ['backup-vault', 'dr', 'workload-shop']],
    ['three workloads in two primary regions', () => readJson(THREE), THREE_STACKS],
    ['the example with centralVault.kind airGapped', withCentralVault(EXAMPLE_CONFIG, { kind: 'airGapped' }), ['backup-vault', 'dr', 'workload-shop']],
    ['the example with centralVault.kind both', withCentralVault(EXAMPLE_CONFIG, { kind: 'both' }), ['backup-vault', 'dr', 'workload-shop']],
    ['three workloads with centralVault.kind airGapped', withCentralVault(THREE, { kind: 'airGapped' }), THREE_STACKS],
    ['three workloads with centralVault.kind both, shared with the organization', withCentralVault(THREE, { kind: 'both', shareWith: 'organization' }), THREE_STACKS],
    // recovery.infrastructure terraformCloud: the EventBridge connection with ignore_changes on its token.
    ['the example with a workload built by Terraform Enterprise', () => terraformCloudInput({}, 'tfe.example.com'), ['backup-vault', 'dr', 'workload-shop']],
  ];

  // Every stack of every estate above in one `terraform validate` (helpers/terraform.ts): the provider
  // schema is loaded once, and a stack two estates share is validated once.
  const stacksOf = new Map<string, string[]>();
  const results = new Map<string, ValidateResult>();
  beforeAll(async () => {
    for (const [name, config] of estates) stacksOf.set(name, stackDirs(synthEstate(config())));
    for (const result of await validateStacks([...stacksOf.values()].flat())) results.set(result.stackDir, result);
  });

  it.each(estates)('accepts every stack of %s with no error or warning', (name, _config, expectedStacks) => {
    const dirs = stacksOf.get(name)!;
    expect(dirs.map((d) => path.basename(d))).toEqual(expectedStacks);
    for (const dir of dirs) {
      const result = results.get(dir)!;
      expect({ stack: path.basename(dir), diagnostics: result.diagnostics }).toEqual({ stack: path.basename(dir), diagnostics: [] });
      expect(result).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
    }
  });
});

describe('validateStacks (several stacks in one terraform validate)', () => {
  it('gives each stack its own diagnostics: an unknown argument in one stack fails that stack only', async () => {
    const dirs = stackDirs(synthEstate(readJson(EXAMPLE_CONFIG)));
    const dr = dirs.find((d) => path.basename(d) === 'dr')!;
    const file = path.join(dr, 'cdk.tf.json');
    const stack = readJson<{ resource: Record<string, Record<string, Record<string, unknown>>> }>(file);
    const key = Object.keys(stack.resource.aws_kms_key)[0];
    stack.resource.aws_kms_key[key].not_an_argument = true;
    fs.writeFileSync(file, JSON.stringify(stack));
    // The same backup-vault stack twice (a second estate's identical copy) is validated once and reported twice.
    const copy = path.join(tempDir(), 'backup-vault');
    fs.cpSync(dirs[0], copy, { recursive: true });
    const results = await validateStacks([...dirs, copy]);
    expect(results.map((r) => [path.basename(r.stackDir), r.errorCount])).toEqual([['backup-vault', 0], ['dr', 1], ['workload-shop', 0], ['backup-vault', 0]]);
    const failed = results[1];
    expect(failed.valid).toBe(false);
    expect(failed.diagnostics[0]).toMatchObject({ severity: 'error', detail: expect.stringContaining('not_an_argument') });
  });

  it('fails loudly, naming the stacks, when terraform init cannot install what a stack requires', async () => {
    const dirs = stackDirs(synthEstate(readJson(EXAMPLE_CONFIG)));
    const file = path.join(dirs[2], 'cdk.tf.json');
    const stack = readJson<{ terraform: { required_providers: Record<string, { version?: string }> } }>(file);
    // A provider version no mirror has: init fails, naming the stacks.
    stack.terraform.required_providers.aws.version = '99.0.0';
    fs.writeFileSync(file, JSON.stringify(stack));
    await expect(validateStacks(dirs)).rejects.toThrow(/terraform init failed for .*workload-shop/s);
  });
});
