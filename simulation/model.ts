/**
 * `PolicyModel`: the synthesized policies indexed by the ARN they protect or are attached to, their
 * mutations (a new model each), and `simulate`, which evaluates a request against them.
 */
import { accountOfArn, expectsResourcePolicy, isRecoveryPointArn, isServicePrincipal, regionOfArn, roleArnOfPrincipal, sameRoleIgnoringPath } from './arns';
import { evaluatePolicies, requestContext, type SimulationOutcome, type SimulationRequest } from './evaluation';
import { named, type PolicyDocumentJson } from './policy-documents';
import { TokenResolver, type ModelResource } from './resource-resolution';
import type { PolicySource } from './resource-tables';

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

// The class has every field of ModelData (declaration merging): one list of fields, not two.
export interface PolicyModel extends ModelData {}

/** Synthesized policies indexed for simulation. Immutable: mutations return a new model. */
export class PolicyModel {
  constructor(data: ModelData) {
    Object.assign(this, data);
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
    const synthesizedResourcePolicy = candidate && candidate.id.endsWith('.assume_role_policy') && service !== 'sts' ? undefined : candidate;
    const resourcePolicy = synthesizedResourcePolicy ?? (req.resourcePolicy ? ((p) => ({ id: p.name, document: p.policy }))(named(req.resourcePolicy, 'supplied-resource-policy')) : undefined);
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

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
