/**
 * Policy collection from a synthesized estate: every stack's providers (account and region), its
 * resources and data sources, their ARNs, the policies of `POLICY_SOURCES` with their tokens resolved,
 * and the role policy attachments, as a `PolicyModel`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { accountOfArn, partitionOfRegion } from './arns';
import { PolicyModel, type ModelPolicy, type PolicyAttachment } from './model';
import type { PolicyDocumentJson, PolicyStatementJson } from './policy-documents';
import { TokenResolver, type ModelResource } from './resource-resolution';
import { POLICY_SOURCES, RESOURCE_TYPES } from './resource-tables';

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
