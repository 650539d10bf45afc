import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { summarizePlanText } from './plan-text';
import { summarizePlan, type PlanSummary } from './summary';

/** Fake static credentials: never valid anywhere, only so that the provider configures without a lookup. */
export const FAKE_ACCESS_KEY = 'AKIAOFFLINEPLAN00000';
export const FAKE_SECRET_KEY = 'offline-plan-not-a-secret';

type Json = Record<string, unknown>;

/**
 * The configuration actually planned: a copy of the synthesized `cdk.tf.json` with only what cannot
 * work offline changed.
 *
 * - `terraform.cloud` / `terraform.backend` removed: state is local (and empty) in the temporary
 *   working directory, never the stack's workspace.
 * - every `aws` provider: no `assume_role` (STS), no `allowed_account_ids` / `forbidden_account_ids`
 *   (the account ID is never looked up, so the check would always fail), no profile or shared files;
 *   fake static keys and the four `skip_*` flags. The local Step Functions stub (sfn-stub.ts) is
 *   reached through AWS_ENDPOINT_URL_SFN (run.ts), or through `endpoints.sfn` in a stack that has its
 *   own `endpoints` block. Region, default tags and aliases stay as synthesized.
 * Everything else (resources, outputs, locals, ...) is planned exactly as synthesized.
 */
export function offlineStackConfig(stack: Json, sfnEndpoint: string): Json {
  const copy = JSON.parse(JSON.stringify(stack)) as Json;
  const terraform = copy.terraform as Json | undefined;
  if (terraform) {
    delete terraform.cloud;
    delete terraform.backend;
  }
  const providers = copy.provider as Record<string, Json[] | Json> | undefined;
  const aws = providers?.aws;
  if (aws) {
    const configs = Array.isArray(aws) ? aws : [aws];
    providers.aws = configs.map((config) => {
      const c: Json = { ...config };
      for (const key of [
        'assume_role',
        'assume_role_with_web_identity',
        'allowed_account_ids',
        'forbidden_account_ids',
        'profile',
        'shared_config_files',
        'shared_credentials_files',
        'token',
      ]) {
        delete c[key];
      }
      const offline: Json = {
        ...c,
        access_key: FAKE_ACCESS_KEY,
        secret_key: FAKE_SECRET_KEY,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      };
      // The stub's endpoint reaches the provider as AWS_ENDPOINT_URL_SFN (run.ts): an `endpoints` block
      // doubles the CPU time of a plan (3.4 s instead of 7.5 s for the example's DR stack,
      // docs/benchmark.md). Only a stack with its own block, which wins over the variable, gets `sfn` in it.
      if (c.endpoints === undefined) return offline;
      const existing = Array.isArray(c.endpoints) ? (c.endpoints[0] as Json | undefined) : (c.endpoints as Json | undefined);
      const endpoints: Json = { ...(existing ?? {}), sfn: sfnEndpoint };
      delete endpoints.stepfunctions;
      return { ...offline, endpoints: [endpoints] };
    });
  }
  return copy;
}

/** Entries of a synthesized stack directory that belong to someone's own init/apply there, not to the plan. */
const NOT_LINKED = new Set(['.terraform', '.terraform.lock.hcl', 'terraform.tfstate', 'terraform.tfstate.backup', 'cdk.tf.json']);

/**
 * A fresh working directory for one stack: the offline `cdk.tf.json` plus symbolic links to everything
 * else the synth wrote next to it (Lambda assets referenced by relative path). The synthesized
 * directory itself is only read.
 */
export function prepareWorkDir(stackDir: string, workDir: string, sfnEndpoint: string): void {
  fs.mkdirSync(workDir, { recursive: true });
  for (const entry of fs.readdirSync(stackDir)) {
    if (NOT_LINKED.has(entry) || entry.startsWith('terraform.tfstate')) continue;
    fs.symlinkSync(path.join(stackDir, entry), path.join(workDir, entry));
  }
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as Json;
  fs.writeFileSync(path.join(workDir, 'cdk.tf.json'), JSON.stringify(offlineStackConfig(stack, sfnEndpoint), null, 2));
}

export interface TerraformSetup {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  /** True when providers come from a shared plugin cache (inits are then run one at a time). */
  readonly usesPluginCache: boolean;
}

/**
 * Environment for every terraform call: a generated CLI config (TF_PLUGIN_DIR as a filesystem mirror,
 * from which init symlinks the provider into each working directory: one copy on disk however many
 * stacks; without it, a shared plugin cache in ~/.terraform.d/plugin-cache), no checkpoint calls, and
 * no AWS_* variables so that no credential, profile or role of the caller can reach the provider.
 */
export function terraformSetup(cliConfigDir: string, env: NodeJS.ProcessEnv = process.env): TerraformSetup {
  const pluginDir = env.TF_PLUGIN_DIR;
  const cliConfig = path.join(cliConfigDir, 'terraformrc');
  let usesPluginCache = false;
  if (pluginDir) {
    fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(path.resolve(pluginDir))}\n  }\n}\n`);
  } else {
    const cache = path.join(os.homedir(), '.terraform.d', 'plugin-cache');
    fs.mkdirSync(cache, { recursive: true });
    // Without a lock file Terraform would otherwise download again for every stack instead of using the cache.
    fs.writeFileSync(cliConfig, `plugin_cache_dir = ${JSON.stringify(cache)}\nplugin_cache_may_break_dependency_lock_file = true\n`);
    usesPluginCache = true;
  }
  const tfEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('AWS_') || key.startsWith('TF_CLI_ARGS') || key === 'TF_WORKSPACE' || key === 'TF_DATA_DIR') continue;
    tfEnv[key] = value;
  }
  // The AWS provider is started three times per stack (schema, validate, plan), each building a
  // large heap; a Go garbage collector target of 400% instead of 100% cuts the CPU time of a plan by
  // about a third for ~130 MB more per provider process (measured: docs/benchmark.md). A GOGC the
  // caller set is kept.
  tfEnv.GOGC ??= '400';
  Object.assign(tfEnv, {
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return { bin: env.TERRAFORM_BIN || 'terraform', env: tfEnv, usesPluginCache };
}

/**
 * The setup with the provider's Step Functions calls sent to the local stub (sfn-stub.ts) through
 * AWS_ENDPOINT_URL_SFN, the AWS SDKs' service-specific endpoint variable, which the provider reads
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/custom-service-endpoints,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html; plan.test.ts proves it
 * with the pinned provider). An `endpoints` block in the configuration would do the same but doubles
 * the CPU time of every plan (offlineStackConfig).
 */
export function withSfnStub(setup: TerraformSetup, sfnEndpoint: string): TerraformSetup {
  return { ...setup, env: { ...setup.env, AWS_ENDPOINT_URL_SFN: sfnEndpoint } };
}

/** Terraform could not be started at all. */
export class TerraformMissingError extends Error {}

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTerraform(setup: TerraformSetup, args: string[], cwd: string): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(setup.bin, args, { cwd, env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(new TerraformMissingError(`could not run "${setup.bin}" (${e.message}): install Terraform >= 1.11 and put it on PATH, or set TERRAFORM_BIN`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** `terraform version -json`'s version, or an error saying how to get Terraform. */
export async function terraformVersion(setup: TerraformSetup): Promise<string> {
  const run = await runTerraform(setup, ['version', '-json'], os.tmpdir());
  if (run.code !== 0) throw new Error(`"${setup.bin} version" failed:\n${run.stderr}${run.stdout}`);
  return (JSON.parse(run.stdout) as { terraform_version: string }).terraform_version;
}

export class StackPlanError extends Error {
  constructor(
    readonly stack: string,
    readonly step: string,
    readonly output: string,
  ) {
    super(`${stack}: terraform ${step} failed\n${output.trim()}`);
  }
}

export interface PlannedStack {
  readonly name: string;
  /** What the plan adds, changes and destroys, per resource type. */
  readonly summary: PlanSummary;
  /** The human-readable plan (`terraform plan -no-color` output, the same text as `terraform show -no-color` of the saved plan). */
  readonly text: string;
}

/**
 * init and plan -out of one stack in its own working directory (and `show -json` of the saved plan
 * only when its text cannot be summarized: plan-text.ts). `initGate` serializes inits when they share
 * a plugin cache (Terraform does not guarantee concurrent cache writes).
 */
export async function planStack(
  setup: TerraformSetup,
  name: string,
  stackDir: string,
  workDir: string,
  sfnEndpoint: string,
  initGate: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<PlannedStack> {
  prepareWorkDir(stackDir, workDir, sfnEndpoint);
  const step = async (label: string, args: string[]) => {
    const run = await runTerraform(setup, args, workDir);
    if (run.code !== 0) throw new StackPlanError(name, label, `${run.stderr}${run.stderr && run.stdout ? '\n' : ''}${run.stdout}`);
    return run.stdout;
  };
  await initGate(() => step('init', ['init', '-input=false', '-no-color']));
  // plan's own output is the human-readable plan (`terraform show -no-color tfplan` prints the same
  // text, plus nothing, for a saved plan in automation); a `show` for it would load the provider's
  // schema once more (~2 s of CPU per stack), and so would `show -json` for the summary, which the
  // text gives as well.
  const text = await step('plan', ['plan', '-input=false', '-no-color', '-lock=false', '-out=tfplan']);
  const summary = summarizePlanText(text) ?? summarizePlan(JSON.parse(await step('show -json', ['show', '-json', 'tfplan'])));
  return { name, summary, text };
}
