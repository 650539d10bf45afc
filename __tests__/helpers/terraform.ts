import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

export interface ValidateResult {
  stackDir: string;
  valid: boolean;
  errorCount: number;
  warningCount: number;
  diagnostics: { severity: string; summary: string; detail?: string }[];
}

/**
 * The Terraform binary, or a clear failure: tests that need it never skip silently.
 */
export function requireTerraform(): string {
  const bin = process.env.TERRAFORM_BIN || 'terraform';
  try {
    execFileSync(bin, ['version'], { env: terraformEnv(), stdio: 'pipe' });
  } catch {
    throw new Error(
      `Terraform is required for this test but "${bin}" could not be run. Install Terraform >= 1.11 and put it on PATH ` +
        '(or set TERRAFORM_BIN); these tests fail rather than skip so that CI cannot pass without validating the output.',
    );
  }
  return bin;
}

let cliConfigFile: string | undefined;

/**
 * Environment for terraform: no checkpoint calls, and providers from TF_PLUGIN_DIR when it is set.
 *
 * TF_PLUGIN_DIR is used as a filesystem mirror through a generated CLI config rather than
 * `-plugin-dir`: same directory, same offline guarantee, but Terraform symlinks the 700 MB provider
 * instead of copying it into every stack directory. Without TF_PLUGIN_DIR a normal init downloads
 * providers once into a shared plugin cache.
 */
export function terraformEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  if (!cliConfigFile) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cli-'));
    cliConfigFile = path.join(dir, 'terraformrc');
    const pluginDir = process.env.TF_PLUGIN_DIR;
    const config = pluginDir
      ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(path.resolve(pluginDir))}\n  }\n}\n`
      : `plugin_cache_dir = ${JSON.stringify(path.join(os.homedir(), '.terraform.d', 'plugin-cache'))}\n`;
    if (!pluginDir) fs.mkdirSync(path.join(os.homedir(), '.terraform.d', 'plugin-cache'), { recursive: true });
    fs.writeFileSync(cliConfigFile, config);
  }
  env.TF_CLI_CONFIG_FILE = cliConfigFile;
  return env;
}

/** `terraform init -backend=false` then `terraform validate -json` in one synthesized stack directory. */
export async function validateStack(stackDir: string): Promise<ValidateResult> {
  const bin = requireTerraform();
  const env = terraformEnv();
  try {
    await run(bin, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: stackDir, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`terraform init failed in ${stackDir}:\n${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
  let stdout: string;
  try {
    ({ stdout } = await run(bin, ['validate', '-json', '-no-color'], { cwd: stackDir, env, maxBuffer: 16 * 1024 * 1024 }));
  } catch (e) {
    // validate exits non-zero on errors but still prints its JSON report.
    stdout = (e as { stdout?: string }).stdout ?? '';
  }
  const report = JSON.parse(stdout) as { valid: boolean; error_count: number; warning_count: number; diagnostics: ValidateResult['diagnostics'] };
  return { stackDir, valid: report.valid, errorCount: report.error_count, warningCount: report.warning_count, diagnostics: report.diagnostics };
}

/** Validates several stack directories, as many at a time as there are CPUs. */
export async function validateStacks(stackDirs: string[]): Promise<ValidateResult[]> {
  const results: ValidateResult[] = new Array(stackDirs.length);
  let next = 0;
  const worker = async () => {
    while (next < stackDirs.length) {
      const i = next++;
      results[i] = await validateStack(stackDirs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(os.cpus().length, stackDirs.length)) }, worker));
  return results;
}
