import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import type { EstateConfig } from './config/schema';
import { loadConfig } from './config/load';
import { assertPolicyCompliance } from './policy/pack';
import { WorkloadStack } from './stacks/workload-stack';
import { BackupVaultStack } from './stacks/backup-vault-stack';
import { DrStack } from './stacks/dr-stack';
import { OrganizationStack } from './stacks/organization-stack';

export interface Estate {
  readonly app: App;
  readonly backupVault: BackupVaultStack;
  readonly dr: DrStack;
  readonly workloads: WorkloadStack[];
  readonly organization?: OrganizationStack;
}

/**
 * Builds every stack of the estate from a validated configuration. Nothing is written until
 * `app.synth()`, so an error while building leaves the output directory untouched.
 */
export function buildEstate(config: EstateConfig, options: { outdir?: string } = {}): Estate {
  // CDKTF's own validations spawn `terraform version` once per stack with a cloud backend (26 s for
  // 200 workloads); the config is validated before this point instead.
  const app = new App({ outdir: options.outdir, skipValidation: true });
  const organization = config.accounts.management ? new OrganizationStack(app, config) : undefined;
  const backupVault = new BackupVaultStack(app, config);
  const dr = new DrStack(app, config);
  const workloads = config.workloads.map((w) => new WorkloadStack(app, config, w));
  return { app, backupVault, dr, workloads, organization };
}

/**
 * Validates the configuration file, then builds and synthesizes the estate into `outdir` (default:
 * CDKTF's, i.e. `cdktf.out` or `--output`). Throws `ConfigError` or `PolicyViolationError` before
 * anything is written.
 */
export function synthesizeEstate(configPath: string, outdir?: string): Estate {
  const config = loadConfig(configPath);
  const target = path.resolve(outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  const existed = fs.existsSync(target);
  const estate = buildEstate(config, { outdir });
  synthesizeIfCompliant(estate.app, existed);
  return estate;
}

/**
 * Runs the policy pack, then synthesizes. On a violation nothing is written; the empty output folder
 * that CDKTF's App creates on construction is removed again when it did not exist before.
 */
export function synthesizeIfCompliant(app: App, outdirExisted: boolean): void {
  try {
    assertPolicyCompliance(app);
  } catch (e) {
    if (!outdirExisted) fs.rmSync(app.outdir, { recursive: true, force: true });
    throw e;
  }
  app.synth();
}
