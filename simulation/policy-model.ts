/**
 * IAM policy simulation over SYNTHESIZED Terraform (`<outdir>/stacks/<stack>/cdk.tf.json`).
 *
 * `buildPolicyModel(outdir)` reads every stack, resolves Terraform interpolation tokens inside policy
 * JSON to concrete ARNs, and indexes the policies by the ARN they protect (resource policies: vault
 * access policies, key policies, role trust policies, ...) or are attached to (identity policies:
 * inline role policies, customer managed policies). `model.simulate(request)` then evaluates one
 * request with `@cloud-copilot/iam-simulate`, which implements AWS's evaluation logic:
 *
 * - same account: identity OR resource policy allows, no explicit deny (KMS key policies and role trust
 *   policies are stricter: a statement naming only the account root delegates to IAM, so the identity
 *   policy must allow too, and the key/trust policy must allow the account at least);
 * - cross account: the identity policy in the caller's account AND the resource policy must allow;
 * - an explicit deny anywhere (identity, resource, SCP) wins.
 *
 * Extending the model to a new resource type is one line in `POLICY_SOURCES` (where a policy lives
 * and what it protects) and, if its ARN is referenced by tokens, one line in `RESOURCE_TYPES`.
 *
 * AWS managed policies (`aws_iam_role_policy_attachment` with `arn:aws:iam::aws:policy/...`) are NOT
 * simulated: their documents are not in the synthesized output and there is no network access. They
 * are recorded as opaque (`model.opaqueManagedPolicies`, `outcome.unmodelledManagedPolicyArns`); a test
 * that depends on them passes the relevant identity policy explicitly. Attachments of customer managed
 * policies synthesized in the estate (`aws_iam_policy`) ARE simulated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSimulation, type RequestAnalysis, type Simulation } from '@cloud-copilot/iam-simulate';

// ---------------------------------------------------------------------------------------------------
// Policy documents
// ---------------------------------------------------------------------------------------------------

export interface PolicyStatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocumentJson {
  Version?: string;
  Id?: string;
  Statement: PolicyStatementJson[];
}

/** An identity policy supplied by a test for a principal whose policies the estate does not synthesize. */
export interface NamedPolicy {
  name: string;
  policy: PolicyDocumentJson;
}

/** `Action: *`, `Resource: *`: an account administrator (AdministratorAccess-like). */
export const ADMINISTRATOR_ACCESS: NamedPolicy = {
  name: 'AdministratorAccess',
  policy: { Version: '2012-10-17', Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** A named identity policy allowing `actions` on `resources` (default `*`). */
export function allowPolicy(name: string, actions: string | string[], resources: string | string[] = '*'): NamedPolicy {
  return { name, policy: { Version: '2012-10-17', Statement: [{ Sid: 'Allow', Effect: 'Allow', Action: actions, Resource: resources }] } };
}

// ---------------------------------------------------------------------------------------------------
// Extraction tables
// ---------------------------------------------------------------------------------------------------

/** Where a synthesized resource lives and how to read its (token-resolved) attributes. */
export interface ResolvedResource {
  readonly stack: string;
  readonly type: string;
  /** Terraform logical name (`aws_kms_key.<logicalName>`). */
  readonly logicalName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** Attribute value with every resolvable Terraform token replaced (undefined when absent or not a string). */
  attr(key: string): string | undefined;
  /** This resource's own ARN (from `RESOURCE_TYPES`). */
  arn(): string;
  /**
   * ARN of a resource of `type` named `nameOrArn` in this resource's account and region: `nameOrArn`
   * itself when it already is an ARN; the synthesized resource's ARN when one of that name exists in
   * the same stack (so e.g. IAM role paths are honoured); otherwise built from `RESOURCE_TYPES`.
   */
  arnOf(type: string, nameOrArn: string | undefined): string;
}

/** How a policy attribute of a resource type is read. */
export interface PolicySource {
  /** Terraform resource type. */
  readonly type: string;
  /** Attribute holding the policy JSON. */
  readonly attribute: string;
  /**
   * `resource`: resource-based policy (vault, key, trust, queue, bus, topic ...) protecting `target`;
   * `identity`: policy attached to the principal `target`;
   * `managed`: customer managed policy whose ARN is `target`, attached by `aws_iam_*_policy_attachment`.
   */
  readonly kind: 'resource' | 'identity' | 'managed';
  /** ARN of the protected resource / the principal / the managed policy. */
  readonly target: (r: ResolvedResource) => string;
}

/**
 * Every policy the harness reads. Adding a resource type that carries a policy is one line here.
 */
export const POLICY_SOURCES: PolicySource[] = [
  { type: 'aws_backup_vault_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_backup_vault', r.attr('backup_vault_name')) },
  { type: 'aws_kms_key', attribute: 'policy', kind: 'resource', target: (r) => r.arn() },
  { type: 'aws_iam_role', attribute: 'assume_role_policy', kind: 'resource', target: (r) => r.arn() },
  { type: 'aws_iam_role_policy', attribute: 'policy', kind: 'identity', target: (r) => r.arnOf('aws_iam_role', r.attr('role')) },
  { type: 'aws_iam_policy', attribute: 'policy', kind: 'managed', target: (r) => r.arn() },
  { type: 'aws_cloudwatch_event_bus_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_cloudwatch_event_bus', r.attr('event_bus_name') ?? 'default') },
  { type: 'aws_sqs_queue_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_sqs_queue', sqsQueueNameOf(r.attr('queue_url'))) },
  { type: 'aws_sns_topic_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_sns_topic', r.attr('arn')) },
  // Not modelled: aws_lambda_permission (one statement per resource, not a policy document).
];

/** Location and names from which ARNs and token attributes are derived. */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly logicalName: string;
  /** The resource's name (`nameAttribute`, default `name`), token-resolved; the logical name if absent. */
  readonly name: string;
  attr(key: string): string | undefined;
}

export interface ResourceType {
  /** Attribute holding the resource's name. Default `name`. */
  readonly nameAttribute?: string;
  /** Not regional (IAM, S3 bucket names): a name identifies the resource in any region of the account. */
  readonly global?: boolean;
  readonly arn: (c: ArnContext) => string;
  /** Token attributes other than `arn` and the name attribute (e.g. `key_id`, `url`, `id`). */
  readonly attributes?: Record<string, (c: ArnContext) => string>;
}

const iamPath = (c: ArnContext): string => {
  const p = c.attr('path') ?? '/';
  return p.endsWith('/') ? p : `${p}/`;
};

/**
 * How to derive the ARN (and other token attributes) of resources referenced as
 * `${<type>.<name>.<attribute>}`. KMS keys get a deterministic fake key id: their logical name.
 */
export const RESOURCE_TYPES: Record<string, ResourceType> = {
  aws_iam_role: { global: true, arn: (c) => `arn:${c.partition}:iam::${c.account}:role${iamPath(c)}${c.name}`, attributes: { id: (c) => c.name, unique_id: (c) => `AROA${c.logicalName}` } },
  aws_iam_policy: { global: true, arn: (c) => `arn:${c.partition}:iam::${c.account}:policy${iamPath(c)}${c.name}` },
  aws_kms_key: { arn: (c) => `arn:${c.partition}:kms:${c.region}:${c.account}:key/${c.logicalName}`, attributes: { key_id: (c) => c.logicalName, id: (c) => c.logicalName } },
  aws_kms_alias: { arn: (c) => `arn:${c.partition}:kms:${c.region}:${c.account}:${c.name}` },
  aws_backup_vault: { arn: (c) => `arn:${c.partition}:backup:${c.region}:${c.account}:backup-vault:${c.name}`, attributes: { id: (c) => c.name } },
  // Same `backup-vault:` ARN form; its access policy is an aws_backup_vault_policy naming it, like a standard vault's.
  aws_backup_logically_air_gapped_vault: { arn: (c) => `arn:${c.partition}:backup:${c.region}:${c.account}:backup-vault:${c.name}`, attributes: { id: (c) => c.name } },
  aws_cloudwatch_event_bus: { arn: (c) => `arn:${c.partition}:events:${c.region}:${c.account}:event-bus/${c.name}`, attributes: { id: (c) => c.name } },
  aws_sqs_queue: {
    arn: (c) => `arn:${c.partition}:sqs:${c.region}:${c.account}:${c.name}`,
    attributes: { url: (c) => sqsUrl(c), id: (c) => sqsUrl(c) },
  },
  aws_sns_topic: { arn: (c) => `arn:${c.partition}:sns:${c.region}:${c.account}:${c.name}`, attributes: { id: (c) => RESOURCE_TYPES.aws_sns_topic.arn(c) } },
  aws_lambda_function: { nameAttribute: 'function_name', arn: (c) => `arn:${c.partition}:lambda:${c.region}:${c.account}:function:${c.name}` },
  aws_sfn_state_machine: { arn: (c) => `arn:${c.partition}:states:${c.region}:${c.account}:stateMachine:${c.name}` },
  // AWS appends a UUID to a connection's ARN: the logical name stands in for it.
  aws_cloudwatch_event_connection: { arn: (c) => `arn:${c.partition}:events:${c.region}:${c.account}:connection/${c.name}/${c.logicalName}` },
  aws_s3_bucket: { global: true, nameAttribute: 'bucket', arn: (c) => `arn:${c.partition}:s3:::${c.name}`, attributes: { id: (c) => c.name } },
};

/** Data sources referenced as `${data.<type>.<name>.<attribute>}`. */
const DATA_SOURCES: Record<string, Record<string, (c: ArnContext) => string>> = {
  aws_caller_identity: { account_id: (c) => c.account, id: (c) => c.account },
  aws_partition: { partition: (c) => c.partition, dns_suffix: (c) => dnsSuffixOf(c.partition) },
  aws_region: { name: (c) => c.region, region: (c) => c.region, id: (c) => c.region },
};

function sqsUrl(c: ArnContext): string {
  return `https://sqs.${c.region}.${dnsSuffixOf(c.partition)}/${c.account}/${c.name}`;
}

function sqsQueueNameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.startsWith('arn:') ? url : url.split('/').pop();
}

export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function dnsSuffixOf(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

// ---------------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------------

export interface ModelResource {
  /** `<type>.<logicalName>`, unique within its stack. */
  readonly address: string;
  readonly stack: string;
  readonly type: string;
  readonly logicalName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** Derived ARN (types in `RESOURCE_TYPES` only). */
  readonly arn?: string;
  /** Raw synthesized attributes (tokens unresolved). */
  readonly attributes: Record<string, unknown>;
}

export interface ModelPolicy {
  /** `<stack>/<type>.<logicalName>.<attribute>`: stable id, used to mutate the model. */
  readonly id: string;
  readonly stack: string;
  readonly kind: PolicySource['kind'];
  /** ARN of the protected resource (resource), principal (identity) or the policy itself (managed). */
  readonly target: string;
  readonly document: PolicyDocumentJson;
}

export interface PolicyAttachment {
  readonly id: string;
  readonly roleArn: string;
  readonly policyArn: string;
}

export interface BuildOptions {
  /** The AWS Organization every estate account belongs to (default principal org of those accounts). */
  readonly organizationId?: string;
  /** Org member accounts besides those with a stack (e.g. an org account the estate does not manage). */
  readonly extraOrganizationAccounts?: string[];
}

interface RawStack {
  provider?: { aws?: Record<string, unknown>[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

interface StackData {
  name: string;
  raw: RawStack;
  /** Provider key (`aws`, `aws.<alias>`) → account and region. */
  providers: Map<string, { account: string; region: string }>;
}

/** A request to simulate. Only `principalArn`, `action` and `resourceArn` are required. */
export interface SimulationRequest {
  /**
   * IAM role/user ARN, assumed-role session ARN, account root, or a service principal
   * (`backup.amazonaws.com`).
   */
  principalArn: string;
  /** Default: the account in `principalArn` (none for service principals). */
  principalAccount?: string;
  /**
   * `aws:PrincipalOrgID`. Default: the model's organization when the principal account is an org
   * member (an estate account or `extraOrganizationAccounts`), absent otherwise. `null`: absent.
   */
  principalOrgId?: string | null;
  action: string;
  resourceArn: string;
  /** Default: the account in `resourceArn`, else in `policyResourceArn`. */
  resourceAccount?: string;
  /**
   * The resource whose resource-based policy governs the request, when it is not `resourceArn` itself:
   * the vault holding a recovery point. Required for `backup:*` requests on recovery points.
   */
  policyResourceArn?: string;
  /** Identity policies of the principal besides the synthesized ones (e.g. `ADMINISTRATOR_ACCESS`). */
  identityPolicies?: Array<NamedPolicy | PolicyDocumentJson>;
  /** Use the synthesized identity policies of `principalArn` (default true). */
  synthesizedIdentityPolicies?: boolean;
  /** Service control policies on the principal's account (all must allow, any deny wins). */
  serviceControlPolicies?: Array<NamedPolicy | PolicyDocumentJson>;
  /** `aws:SourceAccount` (service principals acting for an account). */
  sourceAccount?: string;
  /** `aws:SourceArn`. */
  sourceArn?: string;
  /** `kms:ViaService`, e.g. `backup.ap-northeast-1.amazonaws.com`. */
  viaService?: string;
  /** `kms:CallerAccount`. Default: the principal's account (kms actions only). */
  callerAccount?: string;
  /** `kms:GrantIsForAWSResource`. */
  grantIsForAwsResource?: boolean;
  /** `iam:PassedToService`. */
  passedToService?: string;
  /** Any other context keys; overrides the derived ones. `undefined` removes a derived key. */
  context?: Record<string, string | string[] | undefined>;
  /** Do not fail when the governing resource is an estate vault/key/role the model does not know. */
  allowUnknownResource?: boolean;
}

export type Decision = 'Allowed' | 'Denied';

export interface DecisiveStatement {
  /** Model policy id (synthesized) or the name of a policy the request supplied. */
  readonly policyId: string;
  readonly policyType: 'identity' | 'resource' | 'scp';
  /** Sid, or 1-based index for statements without one. */
  readonly statement: string;
  readonly effect: 'Allow' | 'Deny';
  readonly synthesized: boolean;
}

export interface SimulationOutcome {
  readonly decision: Decision;
  /** The library's result. */
  readonly result: 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
  readonly sameAccount: boolean;
  /** Id of the synthesized resource policy that was evaluated, if any. */
  readonly resourcePolicyId?: string;
  /** Identity policies evaluated (model ids and supplied names). */
  readonly identityPolicyIds: string[];
  /** Allow statements that granted an Allowed request, or deny statements of an ExplicitlyDenied one. */
  readonly decisive: DecisiveStatement[];
  /** AWS managed policies attached to the principal that were not simulated. */
  readonly unmodelledManagedPolicyArns: string[];
  /** Context keys passed to the library. */
  readonly context: Record<string, string | string[]>;
  /** Context keys the library dropped because they do not apply to the action. */
  readonly ignoredContextKeys: string[];
  readonly analysis: RequestAnalysis;
}

const TOKEN = /\$\{(data\.)?([a-zA-Z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-zA-Z0-9_]+)\}/g;

/** Everything a `PolicyModel` holds. */
export interface ModelData {
  readonly outdir: string;
  readonly organizationId: string | undefined;
  /** Accounts treated as members of `organizationId`. */
  readonly organizationAccounts: ReadonlySet<string>;
  /** Stack name → its default provider's account and region. */
  readonly stacks: ReadonlyMap<string, { account: string; region: string }>;
  readonly resources: readonly ModelResource[];
  readonly policies: readonly ModelPolicy[];
  readonly attachments: readonly PolicyAttachment[];
  /** `${...}` tokens in policies that could not be resolved (should be empty). */
  readonly unresolvedTokens: readonly { policyId: string; token: string }[];
}

/** Synthesized policies indexed for simulation. Immutable: mutations return a new model. */
export class PolicyModel implements ModelData {
  readonly outdir: string;
  readonly organizationId: string | undefined;
  readonly organizationAccounts: ReadonlySet<string>;
  readonly stacks: ReadonlyMap<string, { account: string; region: string }>;
  readonly resources: readonly ModelResource[];
  readonly policies: readonly ModelPolicy[];
  readonly attachments: readonly PolicyAttachment[];
  readonly unresolvedTokens: readonly { policyId: string; token: string }[];

  constructor(data: ModelData) {
    this.outdir = data.outdir;
    this.organizationId = data.organizationId;
    this.organizationAccounts = data.organizationAccounts;
    this.stacks = data.stacks;
    this.resources = data.resources;
    this.policies = data.policies;
    this.attachments = data.attachments;
    this.unresolvedTokens = data.unresolvedTokens;
  }

  /** Accounts with a stack in the estate. */
  get estateAccounts(): Set<string> {
    return new Set([...this.stacks.values()].map((s) => s.account));
  }

  /** Attachments of AWS managed (or otherwise unsynthesized) policies: recorded, not simulated. */
  get opaqueManagedPolicies(): PolicyAttachment[] {
    const managed = new Set(this.policies.filter((p) => p.kind === 'managed').map((p) => p.target));
    return this.attachments.filter((a) => !managed.has(a.policyArn));
  }

  resourceByArn(arn: string): ModelResource | undefined {
    return this.resources.find((r) => r.arn === arn);
  }

  policyById(id: string): ModelPolicy {
    const found = this.policies.find((p) => p.id === id);
    if (!found) throw new Error(`no policy ${id}; known: ${this.policies.map((p) => p.id).join(', ')}`);
    return found;
  }

  /** The resource-based policy protecting `arn` (vault policy, key policy, trust policy, ...). */
  resourcePolicyOf(arn: string): ModelPolicy | undefined {
    const found = this.policies.filter((p) => p.kind === 'resource' && p.target === arn);
    if (found.length > 1) throw new Error(`${arn} has ${found.length} resource policies: ${found.map((p) => p.id).join(', ')}`);
    return found[0];
  }

  /** Synthesized identity policies of a role (inline policies and attached customer managed policies). */
  identityPoliciesOf(principalArn: string): ModelPolicy[] {
    const roleArn = roleArnOfPrincipal(principalArn);
    const matches = (target: string) => target === roleArn || (roleArn !== undefined && sameRoleIgnoringPath(target, roleArn));
    const inline = this.policies.filter((p) => p.kind === 'identity' && matches(p.target));
    const attached = this.attachments.filter((a) => matches(a.roleArn)).map((a) => a.policyArn);
    const managed = this.policies.filter((p) => p.kind === 'managed' && attached.includes(p.target));
    return [...inline, ...managed];
  }

  /** A token-resolved attribute of a synthesized resource (e.g. a vault's `kms_key_arn`). */
  resolvedAttribute(resource: ModelResource, key: string): string | undefined {
    const value = resource.attributes[key];
    return typeof value === 'string' ? this.resolveIn(resource, value) : undefined;
  }

  /** `text` (a nested attribute's value, say) with its Terraform tokens resolved in `resource`'s stack. */
  resolveIn(resource: ModelResource, text: string): string {
    return this.resolver().resolveString(resource.stack, text, []);
  }

  /** The KMS key ARN of a synthesized backup vault. */
  vaultKeyArn(vaultArn: string): string {
    const vault = this.resourceByArn(vaultArn);
    if (!vault || vault.type !== 'aws_backup_vault') throw new Error(`no synthesized backup vault ${vaultArn}`);
    const key = this.resolvedAttribute(vault, 'kms_key_arn');
    if (!key) throw new Error(`vault ${vaultArn} has no kms_key_arn`);
    return key;
  }

  /** A copy of the model with one policy's document replaced by `edit(document)`. */
  withPolicy(policyId: string, edit: (doc: PolicyDocumentJson) => PolicyDocumentJson): PolicyModel {
    this.policyById(policyId);
    const policies = this.policies.map((p) => (p.id === policyId ? { ...p, document: edit(clone(p.document)) } : p));
    return new PolicyModel({ ...this, policies });
  }

  /** A copy of the model without the given statements (by Sid, or 1-based index); fails on unknown ones. */
  withoutStatements(policyId: string, ...statements: string[]): PolicyModel {
    return this.withPolicy(policyId, (doc) => {
      const keep = doc.Statement.filter((s, i) => !statements.includes(s.Sid ?? String(i + 1)));
      if (keep.length !== doc.Statement.length - statements.length) {
        throw new Error(`${policyId} does not contain all of ${statements.join(', ')}`);
      }
      return { ...doc, Statement: keep };
    });
  }

  /** Simulates one request against the synthesized policies (plus those the request supplies). */
  async simulate(req: SimulationRequest): Promise<SimulationOutcome> {
    const isService = isServicePrincipal(req.principalArn);
    const principalAccount = req.principalAccount ?? (isService ? undefined : accountOfArn(req.principalArn));
    const governing = req.policyResourceArn ?? req.resourceArn;
    const resourceAccount = req.resourceAccount ?? (accountOfArn(req.resourceArn) || accountOfArn(governing));
    if (!resourceAccount) throw new Error(`resourceAccount is required for ${req.resourceArn}`);
    const service = req.action.split(':')[0].toLowerCase();

    if (service === 'backup' && isRecoveryPointArn(req.resourceArn) && !req.policyResourceArn) {
      throw new Error(`${req.action} on ${req.resourceArn}: pass policyResourceArn (the vault holding the recovery point), whose access policy governs it`);
    }
    // A role's trust policy governs assuming it (sts:AssumeRole*), nothing else: iam:PassRole and the
    // other IAM actions on a role are decided by identity policies alone.
    const candidate = governing === '*' ? undefined : this.resourcePolicyOf(governing);
    const resourcePolicy = candidate && candidate.id.endsWith('.assume_role_policy') && service !== 'sts' ? undefined : candidate;
    if (!resourcePolicy && !req.allowUnknownResource && this.estateAccounts.has(resourceAccount) && expectsResourcePolicy(service, governing)) {
      const prefix = governing.split(':').slice(0, 3).join(':');
      const known = this.resources.filter((r) => r.arn?.startsWith(`${prefix}:`)).map((r) => r.arn);
      throw new Error(`${governing} is an estate resource the model does not know (typo?); known: ${known.join(', ')}`);
    }

    const synthesizedIdentity = req.synthesizedIdentityPolicies === false || isService ? [] : this.identityPoliciesOf(req.principalArn);
    const supplied = (req.identityPolicies ?? []).map((p, i) => named(p, `supplied-identity-${i + 1}`));
    const roleArn = this.roleArnOf(req.principalArn);
    const opaque = isService ? [] : this.opaqueManagedPolicies.filter((a) => a.roleArn === roleArn || (roleArn !== undefined && sameRoleIgnoringPath(a.roleArn, roleArn)));

    const orgId = req.principalOrgId === null ? undefined : req.principalOrgId ?? (principalAccount && this.organizationAccounts.has(principalAccount) ? this.organizationId : undefined);
    const context = requestContext(req, { isService, principalArn: roleArn ?? req.principalArn, principalAccount, orgId, resourceRegion: regionOfArn(req.resourceArn) || regionOfArn(governing), service });

    const outcome = await evaluatePolicies({
      principal: req.principalArn,
      action: req.action,
      resourceArn: req.resourceArn,
      resourceAccount,
      identityPolicies: [...synthesizedIdentity.map((p) => ({ name: p.id, policy: p.document })), ...supplied],
      resourcePolicy: resourcePolicy ? { name: resourcePolicy.id, policy: resourcePolicy.document } : undefined,
      serviceControlPolicies: (req.serviceControlPolicies ?? []).map((p, i) => named(p, `supplied-scp-${i + 1}`)),
      context,
      synthesizedPolicyIds: new Set(this.policies.map((p) => p.id)),
    });
    return { ...outcome, unmodelledManagedPolicyArns: opaque.map((a) => a.policyArn) };
  }

  /**
   * The value of `aws:PrincipalArn` for a role or assumed-role session: the role ARN, with the path of
   * the synthesized role of that name when there is one (a session ARN does not show the path).
   */
  roleArnOf(principalArn: string): string | undefined {
    const roleArn = roleArnOfPrincipal(principalArn);
    if (!roleArn) return undefined;
    const synthesized = this.resources.find((r) => r.type === 'aws_iam_role' && r.arn !== undefined && sameRoleIgnoringPath(r.arn, roleArn));
    return roleArn === principalArn || !synthesized ? roleArn : synthesized.arn;
  }

  private resolver(): TokenResolver {
    return new TokenResolver(this.resources);
  }
}

/** `model.simulate(request)` as a function. */
export function simulate(model: PolicyModel, request: SimulationRequest): Promise<SimulationOutcome> {
  return model.simulate(request);
}

/** Low-level: evaluates one request against explicit policies (no model). */
export async function evaluatePolicies(input: {
  principal: string;
  action: string;
  resourceArn: string;
  resourceAccount: string;
  identityPolicies: NamedPolicy[];
  resourcePolicy?: NamedPolicy;
  serviceControlPolicies?: NamedPolicy[];
  context: Record<string, string | string[]>;
  /** Ids of synthesized policies, to mark decisive statements as synthesized. */
  synthesizedPolicyIds?: ReadonlySet<string>;
}): Promise<Omit<SimulationOutcome, 'unmodelledManagedPolicyArns'>> {
  const simulation: Simulation = {
    request: {
      principal: input.principal,
      action: input.action,
      resource: { resource: input.resourceArn, accountId: input.resourceAccount },
      contextVariables: input.context,
    },
    identityPolicies: input.identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: input.serviceControlPolicies?.length ? [{ orgIdentifier: 'account', policies: input.serviceControlPolicies }] : [],
    resourceControlPolicies: [],
    resourcePolicy: input.resourcePolicy?.policy,
  };
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    throw new Error(`simulation of ${input.action} on ${input.resourceArn} failed: ${JSON.stringify(response.errors)}`);
  }
  // `*` for an action whose resource types are all optional (cloudwatch:PutMetricData without a
  // dataset) is one request on `*`, as IAM evaluates it: the library returns it as a one-element wildcard.
  // A denied one comes back with no result at all: nothing in any policy matched it.
  const noneMatched = { analysis: { result: response.overallResult, sameAccount: true, identityAnalysis: { result: response.overallResult, allowStatements: [], denyStatements: [], unmatchedStatements: [] } } as unknown as RequestAnalysis, ignoredContextKeys: [] as string[] };
  const single =
    response.resultType === 'single'
      ? response.result
      : response.resultType === 'wildcard' && input.resourceArn === '*'
        ? (response.results[0] ?? (response.overallResult !== 'Allowed' ? noneMatched : undefined))
        : undefined;
  if (!single) {
    throw new Error(`${input.resourceArn} contains a wildcard; simulate a concrete resource ARN`);
  }
  const analysis = single.analysis;
  const synthesized = input.synthesizedPolicyIds ?? new Set<string>();
  const decisive: DecisiveStatement[] = [];
  const add = (policyType: DecisiveStatement['policyType'], list: { policyId?: string; explain: { identifier: string; effect: string } }[] | undefined, fallbackId?: string) => {
    for (const s of list ?? []) {
      const policyId = s.policyId ?? fallbackId ?? '?';
      decisive.push({ policyId, policyType, statement: s.explain.identifier, effect: s.explain.effect as 'Allow' | 'Deny', synthesized: synthesized.has(policyId) });
    }
  };
  const resourceId = input.resourcePolicy?.name;
  if (response.overallResult === 'Allowed') {
    add('identity', analysis.identityAnalysis?.allowStatements);
    add('resource', analysis.resourceAnalysis?.allowStatements, resourceId);
  } else if (response.overallResult === 'ExplicitlyDenied') {
    add('identity', analysis.identityAnalysis?.denyStatements);
    add('resource', analysis.resourceAnalysis?.denyStatements, resourceId);
    for (const ou of analysis.scpAnalysis?.ouAnalysis ?? []) add('scp', ou.denyStatements);
  }
  return {
    decision: response.overallResult === 'Allowed' ? 'Allowed' : 'Denied',
    result: response.overallResult,
    sameAccount: analysis.sameAccount,
    resourcePolicyId: input.resourcePolicy && synthesized.has(input.resourcePolicy.name) ? input.resourcePolicy.name : undefined,
    identityPolicyIds: input.identityPolicies.map((p) => p.name),
    decisive,
    context: input.context,
    ignoredContextKeys: single.ignoredContextKeys ?? [],
    analysis,
  };
}

/** Reads every stack of a synthesized estate and builds the policy model. */
export function buildPolicyModel(outdir: string, options: BuildOptions = {}): PolicyModel {
  const stacksDir = path.join(outdir, 'stacks');
  const stacks: StackData[] = fs
    .readdirSync(stacksDir)
    .sort()
    .filter((s) => fs.existsSync(path.join(stacksDir, s, 'cdk.tf.json')))
    .map((name) => {
      const raw = JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8')) as RawStack;
      const providers = new Map<string, { account: string; region: string }>();
      for (const p of raw.provider?.aws ?? []) {
        const allowed = p.allowed_account_ids as string[] | undefined;
        const assumed = (p.assume_role as { role_arn?: string }[] | undefined)?.[0]?.role_arn;
        const account = allowed?.[0] ?? (assumed ? accountOfArn(assumed) : undefined);
        if (!account) throw new Error(`stack ${name}: provider ${JSON.stringify(p.alias ?? 'aws')} has no allowed_account_ids; cannot place its resources in an account`);
        providers.set(p.alias ? `aws.${p.alias}` : 'aws', { account, region: p.region as string });
      }
      if (!providers.has('aws')) throw new Error(`stack ${name}: no default aws provider`);
      return { name, raw, providers };
    });

  const resources: ModelResource[] = [];
  for (const stack of stacks) {
    for (const [blockKind, block] of [['resource', stack.raw.resource], ['data', stack.raw.data]] as const) {
      for (const [type, byName] of Object.entries(block ?? {})) {
        for (const [logicalName, attributes] of Object.entries(byName)) {
          const loc = stack.providers.get((attributes.provider as string | undefined) ?? 'aws');
          if (!loc) throw new Error(`stack ${stack.name}: ${type}.${logicalName} uses unknown provider ${String(attributes.provider)}`);
          resources.push({
            address: blockKind === 'data' ? `data.${type}.${logicalName}` : `${type}.${logicalName}`,
            stack: stack.name,
            type: blockKind === 'data' ? `data.${type}` : type,
            logicalName,
            account: loc.account,
            region: loc.region,
            partition: partitionOfRegion(loc.region),
            attributes,
          });
        }
      }
    }
  }
  const stackLocations = new Map(stacks.map((s) => [s.name, s.providers.get('aws')!]));
  const resolver = new TokenResolver(resources);
  // ARNs (computed after every resource is known, since names may be tokens).
  const withArns: ModelResource[] = resources.map((r) => (RESOURCE_TYPES[r.type] ? { ...r, arn: resolver.arnOfResource(r, []) } : r));
  const finalResolver = new TokenResolver(withArns);

  const policies: ModelPolicy[] = [];
  const unresolvedTokens: { policyId: string; token: string }[] = [];
  for (const source of POLICY_SOURCES) {
    for (const r of withArns.filter((x) => x.type === source.type)) {
      const raw = r.attributes[source.attribute];
      if (raw === undefined) continue;
      const id = `${r.stack}/${r.address}.${source.attribute}`;
      if (typeof raw !== 'string') throw new Error(`${id} is not a JSON string`);
      const unresolved: string[] = [];
      const text = finalResolver.resolveString(r.stack, raw, unresolved);
      for (const token of unresolved) unresolvedTokens.push({ policyId: id, token });
      let document: PolicyDocumentJson;
      try {
        document = JSON.parse(text) as PolicyDocumentJson;
      } catch (e) {
        throw new Error(`${id} is not valid JSON after token resolution: ${(e as Error).message}`);
      }
      if (!Array.isArray(document.Statement)) document = { ...document, Statement: [document.Statement as unknown as PolicyStatementJson] };
      const target = source.target(finalResolver.view(r));
      policies.push({ id, stack: r.stack, kind: source.kind, target, document });
    }
  }

  const attachments: PolicyAttachment[] = [];
  for (const r of withArns.filter((x) => x.type === 'aws_iam_role_policy_attachment')) {
    const view = finalResolver.view(r);
    attachments.push({
      id: `${r.stack}/${r.address}`,
      roleArn: view.arnOf('aws_iam_role', view.attr('role')),
      policyArn: view.attr('policy_arn') ?? '',
    });
  }

  const accounts = new Set([...stackLocations.values()].map((s) => s.account));
  for (const a of options.extraOrganizationAccounts ?? []) accounts.add(a);
  return new PolicyModel({ outdir, organizationId: options.organizationId, organizationAccounts: accounts, stacks: stackLocations, resources: withArns, policies, attachments, unresolvedTokens });
}

// ---------------------------------------------------------------------------------------------------
// Token resolution
// ---------------------------------------------------------------------------------------------------

class TokenResolver {
  constructor(private readonly resources: readonly ModelResource[]) {}

  private find(stack: string, type: string, logicalName: string): ModelResource | undefined {
    return this.resources.find((r) => r.stack === stack && r.type === type && r.logicalName === logicalName);
  }

  private context(r: ModelResource, seen: string[]): ArnContext {
    const nameAttribute = RESOURCE_TYPES[r.type]?.nameAttribute ?? 'name';
    const attr = (key: string) => {
      const v = r.attributes[key];
      return typeof v === 'string' ? this.resolveString(r.stack, v, [], [...seen, `${r.stack}/${r.address}`]) : undefined;
    };
    return { partition: r.partition, region: r.region, account: r.account, logicalName: r.logicalName, name: attr(nameAttribute) ?? r.logicalName, attr };
  }

  arnOfResource(r: ModelResource, seen: string[]): string {
    if (r.arn) return r.arn;
    const spec = RESOURCE_TYPES[r.type];
    if (!spec) throw new Error(`no ARN rule for ${r.type} (add it to RESOURCE_TYPES)`);
    return spec.arn(this.context(r, seen));
  }

  /** Value of `${<type>.<name>.<attribute>}` in `stack`, or undefined when not derivable. */
  private tokenValue(stack: string, isData: boolean, type: string, logicalName: string, attribute: string, seen: string[]): string | undefined {
    const fullType = isData ? `data.${type}` : type;
    const r = this.find(stack, fullType, logicalName);
    if (!r) return undefined;
    const key = `${r.stack}/${r.address}`;
    if (seen.includes(key)) throw new Error(`circular token reference through ${key}`);
    const c = this.context(r, seen);
    if (isData) return DATA_SOURCES[type]?.[attribute]?.(c);
    const spec = RESOURCE_TYPES[type];
    if (attribute === 'arn' && spec) return this.arnOfResource(r, [...seen, key]);
    if (spec?.attributes?.[attribute]) return spec.attributes[attribute](c);
    if (attribute === (spec?.nameAttribute ?? 'name')) return c.name;
    // A literal attribute of the referenced resource (e.g. `${aws_iam_role.X.description}`).
    const literal = r.attributes[attribute];
    return typeof literal === 'string' ? this.resolveString(stack, literal, [], [...seen, key]) : undefined;
  }

  resolveString(stack: string, text: string, unresolved: string[], seen: string[] = []): string {
    return text.replace(TOKEN, (token, data: string | undefined, type: string, logicalName: string, attribute: string) => {
      const value = this.tokenValue(stack, !!data, type, logicalName, attribute, seen);
      if (value === undefined) {
        unresolved.push(token);
        return token;
      }
      return value;
    });
  }

  view(r: ModelResource): ResolvedResource {
    const self = this;
    const c = this.context(r, []);
    return {
      stack: r.stack,
      type: r.type,
      logicalName: r.logicalName,
      account: r.account,
      region: r.region,
      partition: r.partition,
      attr: c.attr,
      arn: () => self.arnOfResource(r, []),
      arnOf(type: string, nameOrArn: string | undefined): string {
        if (!nameOrArn) throw new Error(`${r.stack}/${r.address}: no ${type} name to derive an ARN from`);
        if (nameOrArn.startsWith('arn:')) return nameOrArn;
        const spec = RESOURCE_TYPES[type];
        if (!spec) throw new Error(`no ARN rule for ${type} (add it to RESOURCE_TYPES)`);
        const nameAttribute = spec.nameAttribute ?? 'name';
        // Same name in the same account and (for regional types) the same region, e.g. one central
        // vault per region with the same name in one stack.
        const existing = self.resources.find(
          (x) =>
            x.stack === r.stack &&
            x.type === type &&
            x.account === r.account &&
            (spec.global || x.region === r.region) &&
            self.context(x, []).attr(nameAttribute) === nameOrArn,
        );
        if (existing) return self.arnOfResource(existing, []);
        return spec.arn({ partition: r.partition, region: r.region, account: r.account, logicalName: nameOrArn, name: nameOrArn, attr: () => undefined });
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Request context
// ---------------------------------------------------------------------------------------------------

function requestContext(
  req: SimulationRequest,
  d: { isService: boolean; principalArn: string; principalAccount?: string; orgId?: string; resourceRegion?: string; service: string },
): Record<string, string | string[]> {
  const ctx: Record<string, string | string[] | undefined> = {
    'aws:SecureTransport': 'true',
    'aws:PrincipalIsAWSService': d.isService ? 'true' : 'false',
  };
  if (d.isService) {
    ctx['aws:PrincipalServiceName'] = req.principalArn;
  } else {
    ctx['aws:PrincipalArn'] = d.principalArn;
    if (d.principalAccount) ctx['aws:PrincipalAccount'] = d.principalAccount;
    if (d.orgId) ctx['aws:PrincipalOrgID'] = d.orgId;
    ctx['aws:PrincipalType'] = principalTypeOf(req.principalArn);
  }
  if (d.resourceRegion) ctx['aws:RequestedRegion'] = d.resourceRegion;
  if (req.sourceAccount !== undefined) ctx['aws:SourceAccount'] = req.sourceAccount;
  if (req.sourceArn !== undefined) ctx['aws:SourceArn'] = req.sourceArn;
  if (d.service === 'kms') {
    const caller = req.callerAccount ?? d.principalAccount;
    if (caller) ctx['kms:CallerAccount'] = caller;
  }
  if (req.viaService !== undefined) ctx['kms:ViaService'] = req.viaService;
  if (req.grantIsForAwsResource !== undefined) ctx['kms:GrantIsForAWSResource'] = String(req.grantIsForAwsResource);
  if (req.passedToService !== undefined) ctx['iam:PassedToService'] = req.passedToService;
  for (const [k, v] of Object.entries(req.context ?? {})) ctx[k] = v;
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(ctx)) if (v !== undefined) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// ARN helpers
// ---------------------------------------------------------------------------------------------------

export function isServicePrincipal(principal: string): boolean {
  return !principal.startsWith('arn:') && /\.amazonaws\.com(\.cn)?$/.test(principal);
}

export function accountOfArn(arn: string): string {
  return arn.startsWith('arn:') ? (arn.split(':')[4] ?? '') : '';
}

function regionOfArn(arn: string): string {
  return arn.startsWith('arn:') ? (arn.split(':')[3] ?? '') : '';
}

function isBackupVaultArn(arn: string): boolean {
  return /^arn:[^:]+:backup:[^:]*:\d{12}:backup-vault:/.test(arn);
}

/**
 * A recovery point: `arn:…:backup:…:recovery-point:…` for resources AWS Backup fully manages, the
 * service's own ARN otherwise (`arn:aws:rds:…:snapshot:awsbackup:…`, `arn:aws:ec2:…::snapshot/…`).
 */
function isRecoveryPointArn(arn: string): boolean {
  return arn.startsWith('arn:') && (/:recovery-point:/.test(arn) || !/^arn:[^:]+:backup:/.test(arn));
}

/** Estate resources that always carry a resource policy the request must be evaluated against. */
function expectsResourcePolicy(service: string, arn: string): boolean {
  if (isBackupVaultArn(arn)) return true;
  if (/^arn:[^:]+:kms:[^:]*:\d{12}:key\//.test(arn)) return true;
  return service === 'sts' && /^arn:[^:]+:iam::\d{12}:role\//.test(arn);
}

/** The IAM role ARN of a role or assumed-role session principal (the value of `aws:PrincipalArn`). */
function roleArnOfPrincipal(principal: string): string | undefined {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  if (session) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  return /^arn:[^:]+:iam::\d{12}:role\//.test(principal) ? principal : undefined;
}

function sameRoleIgnoringPath(a: string, b: string): boolean {
  const parts = (arn: string) => {
    const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    return m ? `${m[1]}/${m[2]}` : undefined;
  };
  const pa = parts(a);
  return pa !== undefined && pa === parts(b);
}

function principalTypeOf(principal: string): string {
  if (/:root$/.test(principal)) return 'Account';
  if (/:user\//.test(principal)) return 'User';
  if (/:assumed-role\/|:role\//.test(principal)) return 'AssumedRole';
  return 'Unknown';
}

function named(p: NamedPolicy | PolicyDocumentJson, fallback: string): NamedPolicy {
  return 'policy' in p && 'name' in p ? p : { name: fallback, policy: p as PolicyDocumentJson };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
