/**
 * Authorization as AWS decides it, for every call of a rehearsal: the caller's identity policies
 * (inline, customer managed and the AWS managed excerpts of `simulation/aws-managed-policies.ts`),
 * the resource's policy (vault access policy, key policy, trust policy, bus, topic, queue policy),
 * cross-account rules and explicit denies, with the request context AWS sets. Every policy is read
 * from a synthesized output directory (`cdk.tf.json` of every stack), never from source constants,
 * and evaluated with `@cloud-copilot/iam-simulate` (through `simulation/policy-model`).
 *
 * A denied call throws {@link AccessDeniedError}, whose message reads like a CloudTrail record: step,
 * principal, action, resource, key (for KMS), what made the call, and the kind of denial.
 */
import type { PolicyDocumentJson, PolicyModel, SimulationOutcome, SimulationRequest } from '../simulation/policy-model';
import { AWS_MANAGED_POLICY_EXCERPTS } from '../simulation/aws-managed-policies';
import { encryptionContextOf, withEncryptionContextDecided } from '../simulation/encryption-context';
import { withRamShares } from '../simulation/ram-shares';
import { ModelError } from './dr-account';

/** One IAM request a modelled call makes (the API action itself, or a call a service makes for the caller). */
export interface IamRequest {
  readonly action: string;
  /** ARN, or `*` for actions without resource-level permissions (Service Authorization Reference). */
  readonly resource: string;
  /** The resource whose policy governs the request when it is not `resource` (the vault of a recovery point). */
  readonly policyResource?: string;
  /** Account of a `*` resource: the account the call is made in. */
  readonly resourceAccount?: string;
  /** The API call that made this request on the caller's behalf (`ec2:AttachVolume` for its `kms:CreateGrant`). */
  readonly onBehalfOf?: string;
  readonly viaService?: string;
  readonly grantIsForAwsResource?: boolean;
  readonly passedToService?: string;
  readonly sourceAccount?: string;
  readonly sourceArn?: string;
  readonly context?: Record<string, string | string[] | undefined>;
  /** Identity policies AWS manages and the estate cannot see (service-linked roles). */
  readonly identityPolicies?: PolicyDocumentJson[];
}

/** One evaluated request, as the rehearsal's evidence (docs table, minimality check). */
export interface Evaluation {
  readonly step: string;
  readonly principal: string;
  readonly request: IamRequest;
  readonly allowed: boolean;
  /** `<policy id>#<statement>` of the statements that allowed it (or denied it explicitly). */
  readonly statements: readonly string[];
  readonly denial?: string;
}

/** An AWS `AccessDenied`, with the fields CloudTrail records. */
export class AccessDeniedError extends ModelError {
  constructor(
    service: string,
    readonly step: string,
    readonly principal: string,
    readonly request: IamRequest,
    readonly reason: string,
  ) {
    super(service, service === 'sts' ? 'AccessDenied' : 'AccessDeniedException', formatDenial(step, principal, request, reason));
  }
}

function formatDenial(step: string, principal: string, r: IamRequest, reason: string): string {
  const key = r.action.startsWith('kms:') ? ` key=${r.resource}` : '';
  const via = r.onBehalfOf ? ` onBehalfOf=${r.onBehalfOf}${r.viaService ? ` via=${r.viaService}` : ''}` : '';
  return `AccessDenied step=${step} principal=${principal} action=${r.action} resource=${r.resource}${key}${via}: ${reason}`;
}

/** Why AWS denied it, from the evaluation's analysis. */
export function denialReason(outcome: SimulationOutcome, request: IamRequest): string {
  const a = outcome.analysis;
  if (outcome.result === 'ExplicitlyDenied') {
    const where = outcome.decisive.map((d) => `${d.policyType} policy ${d.policyId} statement ${d.statement}`).join(', ');
    return `explicit deny in ${where || 'a policy'}`;
  }
  const identity = a.identityAnalysis?.result;
  const resource = a.resourceAnalysis?.result;
  const isKey = request.action.startsWith('kms:');
  const resourceKind = isKey ? 'key policy' : request.action.startsWith('sts:') ? 'trust policy' : 'resource policy';
  const resourceId = outcome.resourcePolicyId ?? request.policyResource ?? request.resource;
  const identityAllows = identity === 'Allowed';
  const resourceAllows = resource === 'Allowed' || resource === 'AllowedForAccount';
  if (!outcome.resourcePolicyId && outcome.sameAccount === false) return `${resourceKind} missing: the resource is in another account and no policy of its lets the principal in`;
  if (resource === 'ImplicitlyDenied' || resource === 'DeniedForAccount' || (!resourceAllows && outcome.resourcePolicyId && (isKey || !outcome.sameAccount))) {
    return `${resourceKind} ${resourceId} does not allow the principal${identityAllows ? ' (its identity policy does)' : ''}`;
  }
  if (!identityAllows) {
    const ids = outcome.identityPolicyIds.length > 0 ? outcome.identityPolicyIds.join(', ') : 'none';
    return `no identity-based policy allows the action (identity policies evaluated: ${ids})${resource === 'AllowedForAccount' ? `; the ${resourceKind} delegates to IAM` : ''}`;
  }
  return `denied (identity ${identity ?? 'n/a'}, ${resourceKind} ${resource ?? 'n/a'})`;
}

/** AWS's default key policy: the key's account root, so that IAM policies decide. */
function defaultKeyPolicy(keyArn: string): PolicyDocumentJson {
  const account = keyArn.split(':')[4];
  return { Version: '2012-10-17', Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] } as unknown as PolicyDocumentJson;
}

export interface AuthorizerOptions {
  /** AWS managed policy ARN → the statements to evaluate (default: the excerpts shipped with the project). */
  readonly managedPolicies?: Record<string, PolicyDocumentJson>;
}

/**
 * Decisions by request, per policy model and managed policy set: a decision depends on nothing else,
 * so the rehearsals of one synthesized estate (a test file runs dozens) share them.
 */
const decisionCaches = new WeakMap<PolicyModel, WeakMap<object, Map<string, Promise<SimulationOutcome>>>>();

function decisionCacheFor(policies: PolicyModel, managed: object): Map<string, Promise<SimulationOutcome>> {
  let byManaged = decisionCaches.get(policies);
  if (!byManaged) decisionCaches.set(policies, (byManaged = new WeakMap()));
  let cache = byManaged.get(managed);
  if (!cache) byManaged.set(managed, (cache = new Map()));
  return cache;
}

/**
 * Evaluates the rehearsal's calls against a synthesized estate. Decisions are cached per request
 * (principal, action, resource, context): a rehearsal repeats the same poll hundreds of times.
 */
export class Authorizer {
  readonly evaluations: Evaluation[] = [];
  private readonly cache: Map<string, Promise<SimulationOutcome>>;
  private readonly managed: Record<string, PolicyDocumentJson>;
  /** The synthesized policies, with AWS RAM shares as the resource policies they act as. */
  readonly policies: PolicyModel;
  /** Keys the configuration names but the estate does not synthesize, which keep AWS's default key policy. */
  private readonly defaultPolicyKeys = new Set<string>();

  constructor(policies: PolicyModel, options: AuthorizerOptions = {}) {
    this.policies = withRamShares(policies);
    this.managed = options.managedPolicies ?? AWS_MANAGED_POLICY_EXCERPTS;
    this.cache = decisionCacheFor(policies, this.managed);
  }

  /**
   * `keyArn` (of the configuration, not synthesized: `failback.kmsKeyArn`) keeps AWS's default key
   * policy, which lets its account's IAM policies decide
   * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
   */
  assumeDefaultKeyPolicy(keyArn: string): void {
    if (!this.policies.resourcePolicyOf(keyArn)) this.defaultPolicyKeys.add(keyArn);
  }

  /** Throws {@link AccessDeniedError} unless every request is allowed. */
  async authorize(step: string, principal: string, requests: readonly IamRequest[]): Promise<void> {
    for (const request of requests) await this.authorizeOne(step, principal, request);
  }

  private async authorizeOne(step: string, principal: string, request: IamRequest): Promise<void> {
    const outcome = await this.evaluate(principal, request);
    const statements = outcome.decisive.map((d) => `${d.policyId}#${d.statement}`);
    if (outcome.decision === 'Allowed') {
      this.evaluations.push({ step, principal, request, allowed: true, statements });
      return;
    }
    const reason = denialReason(outcome, request);
    this.evaluations.push({ step, principal, request, allowed: false, statements, denial: reason });
    throw new AccessDeniedError(request.action.split(':')[0], step, principal, request, reason);
  }

  evaluate(principal: string, request: IamRequest): Promise<SimulationOutcome> {
    const defaultKey = request.action.startsWith('kms:') && this.defaultPolicyKeys.has(request.resource);
    const key = JSON.stringify([principal, request, ...(defaultKey ? ['default key policy'] : [])]);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.policiesFor(request).simulate(this.simulationRequest(principal, request));
      this.cache.set(key, pending);
    }
    return pending;
  }

  /** The policies with the key policy's encryption-context conditions decided for this request (see encryption-context.ts). */
  private policiesFor(r: IamRequest): PolicyModel {
    const context = encryptionContextOf(r.context);
    if (Object.keys(context).length === 0 || !r.action.startsWith('kms:')) return this.policies;
    const keyPolicy = this.policies.resourcePolicyOf(r.resource);
    return keyPolicy ? this.policies.withPolicy(keyPolicy.id, (doc) => withEncryptionContextDecided(doc, context)) : this.policies;
  }

  private simulationRequest(principal: string, r: IamRequest): SimulationRequest {
    const roleArn = this.policies.roleArnOf(principal);
    const managed = this.policies.opaqueManagedPolicies
      .filter((a) => a.roleArn === roleArn)
      .flatMap((a) => {
        const excerpt = this.managed[a.policyArn.replace(/^arn:aws[a-z-]*:/, 'arn:aws:')];
        return excerpt ? [{ name: a.policyArn, policy: excerpt }] : [];
      });
    const supplied = (r.identityPolicies ?? []).map((policy, i) => ({ name: `aws-managed-${i + 1}`, policy }));
    return {
      principalArn: principal,
      action: r.action,
      resourceArn: r.resource,
      ...(r.policyResource ? { policyResourceArn: r.policyResource } : {}),
      ...(r.resourceAccount ? { resourceAccount: r.resourceAccount } : {}),
      ...(r.viaService ? { viaService: r.viaService } : {}),
      ...(r.grantIsForAwsResource !== undefined ? { grantIsForAwsResource: r.grantIsForAwsResource } : {}),
      ...(r.passedToService ? { passedToService: r.passedToService } : {}),
      ...(r.sourceAccount ? { sourceAccount: r.sourceAccount } : {}),
      ...(r.sourceArn ? { sourceArn: r.sourceArn } : {}),
      ...(r.context ? { context: r.context } : {}),
      ...(r.action.startsWith('kms:') && this.defaultPolicyKeys.has(r.resource) ? { resourcePolicy: defaultKeyPolicy(r.resource) } : {}),
      identityPolicies: [...managed, ...supplied],
      // Resources the estate does not synthesize (restored volumes, instances, jobs) carry no policy.
      allowUnknownResource: true,
    };
  }
}
