import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../../config/load';
import { costOutcome, estimateCost } from '../../cost';
import { changedLines, COST_FILE, readPreviousCost, renderCostSection } from '../../scripts/plan/cost-diff';
import { renderSummary } from '../../scripts/plan/summary';
import { exampleInput, tempDir } from '../helpers/synth';

/** The example with every rule's retention (and copy retention) doubled. */
function retentionDoubled(): Record<string, any> {
  const raw = exampleInput() as Record<string, any>;
  for (const rule of raw.workloads[0].backup.rules) {
    rule.retentionDays *= 2;
    if (rule.copyRetentionDays) rule.copyRetentionDays *= 2;
  }
  return raw;
}

/** A previous `npm run plan` output directory holding the estimate of `raw`, as runPlan writes it. */
function previousPlanOf(raw: unknown): string {
  const dir = tempDir('dr-previous-plan-');
  fs.mkdirSync(path.join(dir, 'plan'));
  const outcome = costOutcome(parseConfig(raw));
  if (!('estimate' in outcome)) throw new Error(outcome.error);
  fs.writeFileSync(path.join(dir, 'plan', COST_FILE), JSON.stringify(outcome.estimate));
  return dir;
}

describe('npm run plan: the monthly cost and its change against --previous', () => {
  it('shows the change when retention doubled, with the lines that changed, largest first', () => {
    const before = estimateCost(parseConfig(exampleInput()));
    const after = estimateCost(parseConfig(retentionDoubled()));
    expect(after.totalMonthlyUsd).toBeGreaterThan(before.totalMonthlyUsd);

    const section = renderCostSection(costOutcome(parseConfig(retentionDoubled())), readPreviousCost(previousPlanOf(exampleInput()))).join('\n');
    const delta = after.totalMonthlyUsd - before.totalMonthlyUsd;
    expect(section).toContain(`Monthly cost change: $${before.totalMonthlyUsd.toFixed(2)} → $${after.totalMonthlyUsd.toFixed(2)}, **+$${delta.toFixed(2)}**`);
    const changes = changedLines(before, after);
    expect(changes.length).toBeGreaterThan(0);
    // Storage grows with retention; nothing else (keys, transfer of new copies) does.
    for (const c of changes) expect(c.line).toMatch(/storage/);
    expect(changes.reduce((n, c) => n + c.afterUsd - c.beforeUsd, 0)).toBeCloseTo(delta, 2);
    const deltas = changes.map((c) => Math.abs(c.afterUsd - c.beforeUsd));
    expect(deltas).toEqual([...deltas].sort((a, b) => b - a));
    expect(section).toContain(`| ${changes[0].line} | $${changes[0].beforeUsd.toFixed(2)} | $${changes[0].afterUsd.toFixed(2)} |`);
  });

  it('says what is missing: no --previous, a previous synth without a plan, a price missing now', () => {
    const now = costOutcome(parseConfig(exampleInput()));
    expect(renderCostSection(now).join('\n')).toMatch(/No previous plan given \(`--previous DIR`\)/);
    expect(renderCostSection(now, readPreviousCost(tempDir())).join('\n')).toMatch(/No cost change: no plan\/cost\.json in .*a plain synth has none/);
    const unpriced = exampleInput() as Record<string, any>;
    unpriced.regions.primary = 'eu-north-1';
    unpriced.workloads[0].region = undefined;
    delete unpriced.workloads[0].failback; // its key is one of the example's workload region
    const missing = costOutcome(parseConfig(unpriced));
    expect(missing).toEqual({ error: expect.stringMatching(/eu-north-1/) });
    expect(renderCostSection(missing).join('\n')).toMatch(/^## Monthly cost\n\nNo estimate: .*eu-north-1/);
  });

  it('puts the section in the summary after the stack totals', () => {
    const cost = renderCostSection(costOutcome(parseConfig(exampleInput())));
    const md = renderSummary({ config: 'c.json', out: 'out', terraformVersion: '1.11.4', seconds: 1, stacks: [], cost });
    expect(md.indexOf('## Monthly cost')).toBeGreaterThan(md.indexOf('| **total** |'));
    expect(md.indexOf('## Monthly cost')).toBeLessThan(md.indexOf('## Security-relevant changes'));
  });
});
