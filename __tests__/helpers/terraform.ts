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

/** A synthesized stack, as far as validateStacks reads it. */
interface StackJson {
  terraform?: { required_providers?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  provider?: Record<string, ({ alias?: string } & Record<string, unknown>)[]>;
  variable?: object;
}

/**
 * `terraform init -backend=false` then `terraform validate -json` for several synthesized stacks in
 * one Terraform run: a generated root configuration calls each distinct stack (by content) as a
 * module, so the AWS provider's schema is loaded once (~2.5 s of CPU per `validate`) instead of once
 * per stack. Terraform validates a called module with the same schema checks as a root module; what
 * only a root has (backend and cloud blocks, which `-backend=false` leaves alone anyway, and values
 * for required variables, which these stacks do not declare) is checked: a stack that declares a
 * variable is refused here rather than validated differently.
 *
 * Provider configurations: Terraform starts one provider process per configuration it validates
 * (~0.35 s of CPU each), and the estates' stacks repeat the same few (same account, region and role)
 * dozens of times. So each module is the stack without its `provider` blocks, given its providers by
 * the root (`providers`, with the module's aliases declared as `configuration_aliases`), and the root
 * holds every distinct configuration once, each in its own file. Resource validation does not depend
 * on provider configuration (`validate` configures no provider), and each configuration is still
 * validated, as the stack wrote it. Each diagnostic is given to the stack its file belongs to (a
 * provider file: every stack with that configuration); one without a file (or in the generated
 * `main.tf.json`) to every stack.
 */
export async function validateStacks(stackDirs: string[]): Promise<ValidateResult[]> {
  const bin = requireTerraform();
  const env = terraformEnv();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-validate-'));
  const moduleOf = new Map<string, string>();
  const modules: Record<string, { source: string; providers?: Record<string, string> }> = {};
  /** Provider configuration (type and body) → root alias; the stacks' module names using each. */
  const providerAlias = new Map<string, string>();
  const modulesUsing = new Map<string, Set<string>>();
  const rootProviders = new Map<string, { type: string; body: Record<string, unknown> }>();
  let requiredProviders: Record<string, Record<string, unknown>> = {};
  fs.mkdirSync(path.join(root, 'stacks'));
  for (const stackDir of stackDirs) {
    const key = stackKey(stackDir);
    if (moduleOf.has(key)) continue;
    const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
    if (stack.variable && Object.keys(stack.variable).length > 0) {
      throw new Error(`${stackDir} declares variables; validateStacks calls stacks as modules, which would need values for them`);
    }
    const name = `s${moduleOf.size}`;
    moduleOf.set(key, name);
    const moduleDir = path.join(root, 'stacks', name);
    fs.mkdirSync(moduleDir);
    // Everything else the synth wrote beside the stack (Lambda assets it names by relative path).
    for (const entry of fs.readdirSync(stackDir)) {
      if (entry !== 'cdk.tf.json' && !entry.startsWith('.terraform')) fs.symlinkSync(path.resolve(stackDir, entry), path.join(moduleDir, entry));
    }
    const providers: Record<string, string> = {};
    for (const [type, configs] of Object.entries(stack.provider ?? {})) {
      const aliases: string[] = [];
      for (const { alias, ...body } of configs) {
        const configKey = JSON.stringify([type, body]);
        let rootAlias = providerAlias.get(configKey);
        if (!rootAlias) {
          rootAlias = `p${providerAlias.size}`;
          providerAlias.set(configKey, rootAlias);
          rootProviders.set(rootAlias, { type, body });
          modulesUsing.set(rootAlias, new Set());
        }
        modulesUsing.get(rootAlias)!.add(name);
        providers[alias ? `${type}.${alias}` : type] = `${type}.${rootAlias}`;
        if (alias) aliases.push(`${type}.${alias}`);
      }
      if (aliases.length > 0) {
        const required = (stack.terraform ??= {}).required_providers ?? {};
        required[type] = { ...required[type], configuration_aliases: aliases };
        stack.terraform.required_providers = required;
      }
    }
    requiredProviders = { ...requiredProviders, ...(stack.terraform?.required_providers ?? {}) };
    delete stack.provider;
    fs.writeFileSync(path.join(moduleDir, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
    modules[name] = { source: `./stacks/${name}`, ...(Object.keys(providers).length > 0 ? { providers } : {}) };
  }
  const required = Object.fromEntries(Object.entries(requiredProviders).map(([type, { configuration_aliases: _aliases, ...rest }]) => [type, rest]));
  fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: required }, module: modules }, null, 2));
  for (const [alias, { type, body }] of rootProviders) {
    fs.writeFileSync(path.join(root, `provider-${alias}.tf.json`), JSON.stringify({ provider: { [type]: [{ alias, ...body }] } }, null, 2));
  }
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
  const realRoot = fs.realpathSync(root);
  /** The modules a diagnostic's file belongs to; undefined: every module. */
  const ownersOf = (file: string): Set<string> | undefined => {
    const relative = path.relative(realRoot, path.resolve(realRoot, file));
    const provider = /^provider-(p\d+)\.tf\.json$/.exec(relative);
    if (provider) return modulesUsing.get(provider[1]);
    const module = /^stacks[\\/](s\d+)[\\/]/.exec(relative);
    return module ? new Set([module[1]]) : undefined;
  };
  const belongsTo = (d: Diagnostic, name: string) => {
    const owners = d.range?.filename ? ownersOf(d.range.filename) : undefined;
    return owners === undefined || owners.has(name);
  };
  return stackDirs.map((stackDir) => {
    const name = moduleOf.get(stackKey(stackDir))!;
    const diagnostics = report.diagnostics.filter((d) => belongsTo(d, name));
    const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
    const warningCount = diagnostics.filter((d) => d.severity === 'warning').length;
    return { stackDir, valid: errorCount === 0, errorCount, warningCount, diagnostics };
  });
}
