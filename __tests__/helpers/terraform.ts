import { execFile, execFileSync } from 'child_process';
import * as crypto from 'crypto';
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
  // GOGC: as `npm run plan` sets it (scripts/plan/offline.ts), a third less CPU per provider start.
  const env: NodeJS.ProcessEnv = { GOGC: '400', ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
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

type Diagnostic = ValidateResult['diagnostics'][number] & { range?: { filename?: string } };

/** One stack directory: its validation is decided by its `cdk.tf.json` alone. */
function stackKey(stackDir: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'))).digest('hex');
}

/**
 * `terraform init -backend=false` then `terraform validate -json` for several synthesized stacks in
 * one Terraform run: a generated root configuration calls each distinct stack (by content) as a
 * module, so the AWS provider's schema is loaded once (~2.5 s of CPU per `validate`) instead of once
 * per stack. Terraform validates a called module with the same schema checks as a root module; what
 * only a root has (backend and cloud blocks, which `-backend=false` leaves alone anyway, and values
 * for required variables, which these stacks do not declare) is checked: a stack that declares a
 * variable is refused here rather than validated differently. Each diagnostic is given to the stack
 * its file belongs to; one without a file (or in the generated root) to every stack.
 */
export async function validateStacks(stackDirs: string[]): Promise<ValidateResult[]> {
  const bin = requireTerraform();
  const env = terraformEnv();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-validate-'));
  const moduleOf = new Map<string, string>();
  const modules: Record<string, { source: string }> = {};
  for (const stackDir of stackDirs) {
    const key = stackKey(stackDir);
    if (moduleOf.has(key)) continue;
    const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { variable?: object };
    if (stack.variable && Object.keys(stack.variable).length > 0) {
      throw new Error(`${stackDir} declares variables; validateStacks calls stacks as modules, which would need values for them`);
    }
    const name = `s${moduleOf.size}`;
    moduleOf.set(key, name);
    fs.mkdirSync(path.join(root, 'stacks'), { recursive: true });
    fs.symlinkSync(path.resolve(stackDir), path.join(root, 'stacks', name));
    modules[name] = { source: `./stacks/${name}` };
  }
  fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ module: modules }, null, 2));
  try {
    await run(bin, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`terraform init failed for ${stackDirs.join(', ')}:\n${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
  let stdout: string;
  try {
    ({ stdout } = await run(bin, ['validate', '-json', '-no-color'], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 }));
  } catch (e) {
    // validate exits non-zero on errors but still prints its JSON report.
    stdout = (e as { stdout?: string }).stdout ?? '';
  }
  const report = JSON.parse(stdout) as { diagnostics: Diagnostic[] };
  // Terraform names a module's file by its real path (it follows the symbolic link) or relative to the root.
  const dirOf = new Map(Object.keys(modules).map((name) => [name, fs.realpathSync(path.join(root, 'stacks', name))]));
  const moduleOfFile = (file: string) => {
    const absolute = path.resolve(root, file);
    for (const [name, dir] of dirOf) {
      if (absolute.startsWith(`${dir}${path.sep}`) || absolute.startsWith(path.join(root, 'stacks', name) + path.sep)) return name;
    }
    return undefined;
  };
  const belongsTo = (d: Diagnostic, name: string) => {
    const owner = d.range?.filename ? moduleOfFile(d.range.filename) : undefined;
    return owner === undefined || owner === name;
  };
  return stackDirs.map((stackDir) => {
    const name = moduleOf.get(stackKey(stackDir))!;
    const diagnostics = report.diagnostics.filter((d) => belongsTo(d, name));
    const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
    const warningCount = diagnostics.filter((d) => d.severity === 'warning').length;
    return { stackDir, valid: errorCount === 0, errorCount, warningCount, diagnostics };
  });
}
