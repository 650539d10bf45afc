/**
 * npm run plan [-- --out DIR] [--stacks a,b,workload-*] [--previous DIR]
 *
 * Synthesizes the estate (DR_CONFIG, default config/example.json) in-process, then runs a real
 * `terraform init` + `terraform plan -out` + `terraform show` for every stack, with no AWS credentials
 * and no network, and writes DIR/plan/<stack>.txt (the `terraform show` text of the saved plan) and
 * DIR/plan/summary.md (counts per stack and resource type; security-relevant changes against --previous).
 *
 * How it plans offline, and why this way:
 * - A real `terraform plan` with fake static keys and `skip_credentials_validation`,
 *   `skip_requesting_account_id`, `skip_metadata_api_check`, `skip_region_validation`. Chosen over
 *   `terraform test` + `mock_provider "aws"` (which also needs no credentials) because only a real plan
 *   gives a saved plan file, hence the genuine `terraform show` text and `terraform show -json` (which the
 *   summary counts from), and it runs the real provider's plan-time logic (schema, defaults, tags_all,
 *   CustomizeDiff) instead of mocked values. `terraform test -json` reports only pass/fail per run block:
 *   no plan text, no resource changes.
 * - The synthesized stack that users deploy is never touched: each stack is planned in a temporary
 *   working directory holding a copy of its cdk.tf.json in which (scripts/plan/offline.ts) the `cloud`
 *   (or `backend`) block is removed (local, empty state), and each aws provider loses `assume_role`
 *   (would call STS) and `allowed_account_ids` (the account is never looked up, so the check cannot
 *   pass) and gets the fake keys and skip flags. A copy rather than an `_override.tf.json`: an override
 *   can replace blocks but cannot remove `assume_role`. Other files of the stack (Lambda assets) are
 *   symlinked.
 * - `aws_sfn_state_machine` calls ValidateStateMachineDefinition while planning whenever its definition
 *   is known (ours references subnets, so today it is unknown and skipped): the provider's `sfn`
 *   endpoint points at a local stub (scripts/plan/sfn-stub.ts) that validates the definition with
 *   asl-validator, so the plan never reaches for the network.
 * - Plans start from empty state: every resource is "to add". They prove each stack plans with the
 *   pinned provider and show what it contains; the difference from what is deployed needs credentials
 *   (`cdktf diff`). summary.md's security section compares the synthesized configuration with a previous
 *   synth instead.
 *
 * Stacks are planned concurrently, at most os.cpus().length at a time, the costliest (most provider
 * configurations, then most resources) first. Providers come from one place:
 * TF_PLUGIN_DIR as a filesystem mirror (init symlinks the provider into each working directory: fully
 * offline), else a shared plugin cache in ~/.terraform.d/plugin-cache (init downloads the provider once;
 * inits then run one at a time). AWS_* variables are removed from terraform's environment.
 *
 * Exit status: 0 when every selected stack planned; 1 when any failed (named, with terraform's error),
 * or on a configuration, policy-pack or usage error.
 */
import { ConfigError, EXAMPLE_CONFIG_PATH } from '../config/load';
import { PolicyViolationError } from '../policy/pack';
import { TerraformMissingError } from './plan/offline';
import { parsePlanArgs, USAGE, UsageError } from './plan/options';
import { runPlan } from './plan/run';

async function main(): Promise<number> {
  const options = parsePlanArgs(process.argv.slice(2), process.env, EXAMPLE_CONFIG_PATH);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = await runPlan(options);
  return run.failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const known = e instanceof UsageError || e instanceof ConfigError || e instanceof PolicyViolationError || e instanceof TerraformMissingError;
    process.stderr.write(`${known ? (e as Error).message : (e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
