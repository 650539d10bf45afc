import * as fs from 'fs';
import * as path from 'path';
import type { Construct } from 'constructs';
import { App, Aspects, TerraformStack } from 'cdktf';
// The class of CDKTF's references (`${aws_x.name.attr}`), to notice references between stacks.
import { ref } from 'cdktf/lib/tfExpression';
import type { EstateConfig } from './config/schema';
import { loadConfig } from './config/load';
import { DR_POLICY_PACK, assertPolicyCompliance, type SynthesizedStacks } from './policy/pack';
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
  let synthesized: Map<TerraformStack, Record<string, unknown>> | undefined;
  try {
    synthesized = synthesizeInMemory(app);
    assertPolicyCompliance(app, DR_POLICY_PACK, synthesized as SynthesizedStacks | undefined);
  } catch (e) {
    if (!outdirExisted) fs.rmSync(app.outdir, { recursive: true, force: true });
    throw e;
  }
  if (!synthesized) return app.synth();
  writeSynthesized(app, synthesized);
}

/**
 * app.synth() with the JSON computed by synthesizeInMemory(): CDKTF would otherwise resolve every
 * element twice more (its "preparing" pass for cross-stack references, of which there are none, then
 * toTerraform()). Own properties shadow the two methods for this one call.
 */
function writeSynthesized(app: App, synthesized: Map<TerraformStack, Record<string, unknown>>): void {
  const stacks = [...synthesized].map(([stack, json]) => [stack as unknown as { prepareStack?: () => void; toTerraform?: () => unknown }, json] as const);
  for (const [stack, json] of stacks) {
    stack.prepareStack = () => undefined;
    stack.toTerraform = () => json;
  }
  try {
    app.synth();
  } finally {
    for (const [stack] of stacks) {
      delete stack.prepareStack;
      delete stack.toTerraform;
    }
  }
}

/**
 * Every stack's JSON (`stack.toTerraform()`, what `app.synth()` writes), computed once, for the policy
 * pack and for writing. Undefined when that shortcut would not give what `app.synth()` writes: with
 * Aspects (app.synth() invokes them first) or a reference from one stack to another (CDKTF's
 * preparing pass turns it into an output and a remote state).
 */
function synthesizeInMemory(app: App): Map<TerraformStack, Record<string, unknown>> | undefined {
  const constructs = app.node.findAll();
  if (constructs.some((c) => Aspects.of(c).all.length > 0)) return undefined;
  const stacks = constructs.filter((c): c is TerraformStack => TerraformStack.isStack(c));
  for (const stack of stacks) stack.ensureBackendExists();
  const reference = Object.getPrototypeOf(ref('', undefined)) as { resolve(this: { originStack?: TerraformStack }, context: { scope: Construct }): unknown };
  const resolveReference = reference.resolve;
  let crossStack = false;
  reference.resolve = function (context) {
    if (this.originStack && this.originStack !== TerraformStack.of(context.scope)) crossStack = true;
    return resolveReference.call(this, context);
  };
  try {
    const synthesized = new Map(stacks.map((stack) => [stack, stack.toTerraform() as Record<string, unknown>]));
    return crossStack ? undefined : synthesized;
  } finally {
    reference.resolve = resolveReference;
  }
}

