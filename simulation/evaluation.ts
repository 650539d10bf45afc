/**
 * Evaluation of one request with `@cloud-copilot/iam-simulate`: the request and its outcome, the
 * request context derived from it, and `evaluatePolicies` (explicit policies, no model).
 */
import type { RequestAnalysis, Simulation } from '@cloud-copilot/iam-simulate';
import { principalTypeOf } from './arns';
import './resource-type-memo';
import { runStrictSimulation } from './simulation-memo';
import type { NamedPolicy, PolicyDocumentJson } from './policy-documents';

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
  /**
   * The resource-based policy of a resource the synthesized output does not create (a customer's own
   * key, say), used only when the model knows none for it. Not a synthesized statement.
   */
  resourcePolicy?: NamedPolicy | PolicyDocumentJson;
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
  const response = await runStrictSimulation(simulation);
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

export function requestContext(
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
