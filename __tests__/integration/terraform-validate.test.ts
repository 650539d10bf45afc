import * as path from 'path';
import { EXAMPLE_CONFIG, FIXTURES, readJson, stackDirs, synthEstate } from '../helpers/synth';
import { requireTerraform, validateStacks } from '../helpers/terraform';
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

  it.each([
    ['the bundled example', () => readJson(EXAMPLE_CONFIG), ['backup-vault', 'dr', 'workload-shop']],
    ['three workloads in two primary regions', () => readJson(THREE), THREE_STACKS],
    ['the example with centralVault.kind airGapped', withCentralVault(EXAMPLE_CONFIG, { kind: 'airGapped' }), ['backup-vault', 'dr', 'workload-shop']],
    ['the example with centralVault.kind both', withCentralVault(EXAMPLE_CONFIG, { kind: 'both' }), ['backup-vault', 'dr', 'workload-shop']],
    ['three workloads with centralVault.kind airGapped', withCentralVault(THREE, { kind: 'airGapped' }), THREE_STACKS],
    ['three workloads with centralVault.kind both, shared with the organization', withCentralVault(THREE, { kind: 'both', shareWith: 'organization' }), THREE_STACKS],
    // recovery.infrastructure terraformCloud: the EventBridge connection with ignore_changes on its token.
    ['the example with a workload built by Terraform Enterprise', () => terraformCloudInput({}, 'tfe.example.com'), ['backup-vault', 'dr', 'workload-shop']],
  ])('accepts every stack of %s with no error or warning', async (_name, config, expectedStacks) => {
    const outdir = synthEstate(config());
    const dirs = stackDirs(outdir);
    expect(dirs.map((d) => path.basename(d))).toEqual(expectedStacks);
    const results = await validateStacks(dirs);
    for (const result of results) {
      expect({ stack: path.basename(result.stackDir), diagnostics: result.diagnostics }).toEqual({ stack: path.basename(result.stackDir), diagnostics: [] });
      expect(result).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
    }
  });
});
