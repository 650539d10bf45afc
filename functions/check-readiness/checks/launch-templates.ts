/** LaunchTemplates: the launch template of every server role exists. */
import { DescribeLaunchTemplatesCommand } from '@aws-sdk/client-ec2';
import type { WorkloadFacts } from '../input';
import { call, listed, ReadinessError, type CheckResult, type ReadinessClients, type Runtime } from '../runtime';

export async function checkLaunchTemplates(rt: Runtime, clients: ReadinessClients, w: WorkloadFacts): Promise<CheckResult> {
  const wanted = [...new Set(w.servers.map((s) => s.launchTemplateName))].sort();
  const found = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`DescribeLaunchTemplates returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `DescribeLaunchTemplates(${wanted.join(', ')})`, () =>
      clients.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: wanted }], ...(nextToken ? { NextToken: nextToken } : {}) })),
    );
    for (const t of out.LaunchTemplates ?? []) if (t.LaunchTemplateName) found.add(t.LaunchTemplateName);
    nextToken = out.NextToken;
  } while (nextToken);
  const missing = wanted.filter((n) => !found.has(n));
  if (missing.length === 0) return { check: 'LaunchTemplates', ready: true, reason: `all ${wanted.length} launch templates exist`, details: { launchTemplates: wanted } };
  return {
    check: 'LaunchTemplates',
    ready: false,
    reason: `launch templates missing: ${listed(missing, rt.options.maxListedInReason)}`,
    fix: 'Apply the dr stack: its landing zone creates one launch template per server role (someone deleted it, or the stack was never applied).',
    details: { launchTemplates: wanted, missing },
  };
}
