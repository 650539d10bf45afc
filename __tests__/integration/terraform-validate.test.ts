import * as path from 'path';
import { EXAMPLE_CONFIG, FIXTURES, readJson, stackDirs, synthEstate } from '../helpers/synth';
import { requireTerraform, validateStacks } from '../helpers/terraform';

/**
 * The real check that the synthesized JSON is Terraform the pinned AWS provider accepts: every stack of
 * the example and of a 3-workload, 2-primary-region estate, through `terraform init` + `validate`.
 */
describe('terraform validate', () => {
  beforeAll(() => {
    requireTerraform();
  });

  it.each([
    ['the bundled example', EXAMPLE_CONFIG, ['backup-vault', 'dr', 'workload-shop']],
    ['three workloads in two primary regions', path.join(FIXTURES, 'three-workloads.json'), ['backup-vault', 'dr', 'organization', 'workload-analytics', 'workload-billing', 'workload-shop']],
  ])('accepts every stack of %s with no error or warning', async (_name, configFile, expectedStacks) => {
    const outdir = synthEstate(readJson(configFile));
    const dirs = stackDirs(outdir);
    expect(dirs.map((d) => path.basename(d))).toEqual(expectedStacks);
    const results = await validateStacks(dirs);
    for (const result of results) {
      expect({ stack: path.basename(result.stackDir), diagnostics: result.diagnostics }).toEqual({ stack: path.basename(result.stackDir), diagnostics: [] });
      expect(result).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
    }
  });
});
