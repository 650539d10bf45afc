import { TerraformResource, TerraformStack, type IAspect } from 'cdktf';
// The resolver CDKTF uses at synth: references become ${type.name.attr} strings.
import { resolve } from 'cdktf/lib/_tokens';
import type { IConstruct } from 'constructs';
import type { PolicyRule, SynthesizedResource } from './rule';
import { kmsKeyRotation } from './rules/kms-key-rotation';
import { backupVaultCmk } from './rules/backup-vault-cmk';
import { iamNoWildcardAction } from './rules/iam-no-wildcard-action';
import { iamNoWildcardResource } from './rules/iam-no-wildcard-resource';
import { serviceTrustSourceConditions } from './rules/service-trust-source-conditions';
import { crossAccountTrustConditions } from './rules/cross-account-trust-conditions';
import { logGroupRetention } from './rules/log-group-retention';
import { logGroupKms } from './rules/log-group-kms';
import { lambdaDlq } from './rules/lambda-dlq';
import { lambdaXray } from './rules/lambda-xray';
import { lambdaLogRetention } from './rules/lambda-log-retention';
import { lambdaEnvironmentKms } from './rules/lambda-env-kms';
import { lambdaPermissionSourceArn } from './rules/lambda-permission-source-arn';
import { sqsEncryption } from './rules/sqs-encryption';
import { snsKms } from './rules/sns-kms';
import { s3KmsEncryption, s3PublicAccessBlock, s3Versioning } from './rules/s3-bucket-protection';
import { dynamodbPitr } from './rules/dynamodb-pitr';
import { stateMachineLogging, stateMachineXray } from './rules/state-machine-logging';
import { eventTargetDlq } from './rules/event-target-dlq';

/** The estate's policy pack: every rule, each named after the public check it mirrors. */
export const DR_POLICY_PACK: readonly PolicyRule[] = [
  kmsKeyRotation,
  backupVaultCmk,
  iamNoWildcardAction,
  iamNoWildcardResource,
  serviceTrustSourceConditions,
  crossAccountTrustConditions,
  logGroupRetention,
  logGroupKms,
  lambdaDlq,
  lambdaXray,
  lambdaLogRetention,
  lambdaEnvironmentKms,
  lambdaPermissionSourceArn,
  sqsEncryption,
  snsKms,
  s3Versioning,
  s3PublicAccessBlock,
  s3KmsEncryption,
  dynamodbPitr,
  stateMachineLogging,
  stateMachineXray,
  eventTargetDlq,
];

export interface PolicyFinding {
  readonly rule: string;
  readonly ruleName: string;
  readonly path: string;
  readonly finding: string;
  readonly fix: string;
}

/** Where acknowledgements appear in the synthesized resource (`"//"` is a comment key for Terraform). */
export const ACKNOWLEDGEMENT_KEY = 'policy_acknowledgements';
const acknowledgements = new WeakMap<TerraformResource, Record<string, string>>();

/**
 * Suppresses `ruleId` for one resource, with the reason. The acknowledgement is written into the
 * synthesized resource (`"//": { "policy_acknowledgements": { "<rule>": "<reason>" } }`) so that
 * reviewers see it in the pull request.
 */
export function acknowledgePolicy(resource: TerraformResource, ruleId: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`acknowledging ${ruleId} on ${resource.node.path} needs a reason (at least 20 characters) saying why it is safe`);
  const acks = acknowledgements.get(resource) ?? {};
  acks[ruleId] = reason;
  acknowledgements.set(resource, acks);
  resource.addOverride(`//.${ACKNOWLEDGEMENT_KEY}`, { ...acks });
}

type ResourceBlocks = Record<string, Record<string, Record<string, unknown>>>;

function synthesized(resource: TerraformResource): SynthesizedResource {
  const json = resolve(resource, resource.toTerraform()) as { resource: ResourceBlocks };
  const [type] = Object.keys(json.resource);
  const [name] = Object.keys(json.resource[type]);
  return { type, path: resource.node.path, address: `${type}.${name}`, attributes: json.resource[type][name] };
}

/** The same, read from the stack's synthesized JSON (`stack.toTerraform()`) instead of resolving the resource again. */
function fromStackJson(resource: TerraformResource, stackJson: { resource?: ResourceBlocks }): SynthesizedResource {
  const type = resource.terraformResourceType;
  const name = resource.friendlyUniqueId;
  const attributes = stackJson.resource?.[type]?.[name];
  if (!attributes) throw new Error(`${resource.node.path}: ${type}.${name} is missing from the synthesized stack`);
  return { type, path: resource.node.path, address: `${type}.${name}`, attributes };
}

/** Stacks already synthesized to JSON (`stack.toTerraform()`), so that the pack does not resolve every resource again. */
export type SynthesizedStacks = ReadonlyMap<TerraformStack, { resource?: ResourceBlocks }>;

/**
 * Checks resources against the pack. Run it (as an Aspect, or through {@link assertPolicyCompliance})
 * before `app.synth()`: a violation then stops the synth before anything is written.
 */
export class PolicyPack implements IAspect {
  readonly findings: PolicyFinding[] = [];
  private readonly byStack = new Map<TerraformStack, SynthesizedResource[]>();

  private readonly byPath = new Map<string, SynthesizedResource>();

  constructor(
    private readonly rules: readonly PolicyRule[] = DR_POLICY_PACK,
    private readonly synthesizedStacks?: SynthesizedStacks,
  ) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const stack = TerraformStack.of(node);
    let resources = this.byStack.get(stack);
    if (!resources) {
      const stackJson = this.synthesizedStacks?.get(stack);
      const elements = stack.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
      resources = stackJson ? elements.map((r) => fromStackJson(r, stackJson)) : elements.map(synthesized);
      this.byStack.set(stack, resources);
      for (const r of resources) this.byPath.set(r.path, r);
    }
    const resource = this.byPath.get(node.node.path)!;
    const acked = acknowledgements.get(node) ?? {};
    for (const rule of this.rules) {
      if (acked[rule.id]) continue;
      const result = rule.check(resource, resources);
      if (result.status === 'non-compliant') this.findings.push({ rule: rule.id, ruleName: rule.name, path: resource.path, finding: result.finding, fix: rule.fix });
    }
  }
}

export class PolicyViolationError extends Error {
  constructor(readonly findings: PolicyFinding[]) {
    super(
      `Policy pack: ${findings.length} violation${findings.length === 1 ? '' : 's'}\n` +
        findings.map((f) => `  - ${f.path}: ${f.rule} ${f.ruleName}: ${f.finding}. Fix: ${f.fix}`).join('\n') +
        '\nSuppress only with acknowledgePolicy(resource, ruleId, reason), which is written into the synthesized resource.',
    );
    this.name = 'PolicyViolationError';
  }
}

/**
 * Runs the pack over every resource under `scope`; throws {@link PolicyViolationError} listing every
 * finding. With `synthesizedStacks`, resources are read from those stacks' JSON (same attributes).
 */
export function assertPolicyCompliance(scope: IConstruct, rules: readonly PolicyRule[] = DR_POLICY_PACK, synthesizedStacks?: SynthesizedStacks): void {
  const pack = new PolicyPack(rules, synthesizedStacks);
  for (const node of scope.node.findAll()) pack.visit(node);
  if (pack.findings.length > 0) throw new PolicyViolationError(pack.findings);
}
