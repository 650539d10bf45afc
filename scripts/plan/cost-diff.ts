import * as fs from 'fs';
import * as path from 'path';
import type { CostEstimate, CostLine, CostOutcome } from '../../cost';

/**
 * The monthly cost in the plan summary, and its change against `--previous` in the manner of
 * Infracost's diff: the estimate of the planned configuration is written to `<out>/plan/cost.json`,
 * and a previous plan's `plan/cost.json` is what it is compared with (Terraform cannot know AWS
 * Backup's usage, the configuration does: docs/cost.md).
 */
export const COST_FILE = 'cost.json';

/** The previous plan's estimate: `<previous>/plan/cost.json`, or why it cannot be read. */
export function readPreviousCost(previous: string): CostOutcome {
  const file = path.join(previous, 'plan', COST_FILE);
  if (!fs.existsSync(file)) return { error: `no ${path.join('plan', COST_FILE)} in ${previous} (it is written by \`npm run plan\`; a plain synth has none)` };
  try {
    return { estimate: JSON.parse(fs.readFileSync(file, 'utf8')) as CostEstimate };
  } catch (e) {
    return { error: `${file}: ${(e as Error).message}` };
  }
}

/** What identifies a line between two estimates: everything but the amounts. */
function lineKey(l: CostLine): string {
  return [l.workload ?? '(shared)', l.account, l.region, l.category, l.vault, l.tier, l.resourceType, l.rule, l.price.key].filter((part) => part !== undefined).join(' · ');
}

export interface LineChange {
  readonly line: string;
  readonly beforeUsd: number;
  readonly afterUsd: number;
}

/** Lines whose monthly amount changed (added and removed lines included), largest change first. */
export function changedLines(before: CostEstimate, after: CostEstimate): LineChange[] {
  const sums = (e: CostEstimate) => {
    const m = new Map<string, number>();
    for (const l of e.lines) m.set(lineKey(l), (m.get(lineKey(l)) ?? 0) + l.monthlyUsd);
    return m;
  };
  const [b, a] = [sums(before), sums(after)];
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  return keys
    .map((line) => ({ line, beforeUsd: b.get(line) ?? 0, afterUsd: a.get(line) ?? 0 }))
    .filter((c) => Math.abs(c.afterUsd - c.beforeUsd) >= 0.005)
    .sort((x, y) => Math.abs(y.afterUsd - y.beforeUsd) - Math.abs(x.afterUsd - x.beforeUsd) || (x.line < y.line ? -1 : 1));
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${usd(Math.abs(n))}`;

/** The summary's "Monthly cost" section: the estimate, and with a previous plan the change and the lines that changed. */
export function renderCostSection(current: CostOutcome, previous?: CostOutcome, maxLines = 15): string[] {
  const lines = ['## Monthly cost', ''];
  if ('error' in current) return [...lines, `No estimate: ${current.error}`, ''];
  const now = current.estimate;
  lines.push(`Estimated **${usd(now.totalMonthlyUsd)} a month** (prices of ${now.priceDate}, on-demand; \`npm run cost\` for the lines, docs/cost.md for the model).`, '');
  if (!previous) return [...lines, 'No previous plan given (`--previous DIR`): no cost change to show.', ''];
  if ('error' in previous) return [...lines, `No cost change: ${previous.error}.`, ''];
  const before = previous.estimate;
  const delta = now.totalMonthlyUsd - before.totalMonthlyUsd;
  const percent = before.totalMonthlyUsd > 0 ? ` (${delta >= 0 ? '+' : '−'}${((100 * Math.abs(delta)) / before.totalMonthlyUsd).toFixed(1)}%)` : '';
  lines.push(`Monthly cost change: ${usd(before.totalMonthlyUsd)} → ${usd(now.totalMonthlyUsd)}, **${signed(delta)}**${percent}.`, '');
  const changes = changedLines(before, now);
  if (changes.length === 0) return [...lines, 'No line changed.', ''];
  lines.push('| line | before | after | change |', '|---|---:|---:|---:|');
  for (const c of changes.slice(0, maxLines)) lines.push(`| ${c.line} | ${usd(c.beforeUsd)} | ${usd(c.afterUsd)} | ${signed(c.afterUsd - c.beforeUsd)} |`);
  if (changes.length > maxLines) lines.push('', `… and ${changes.length - maxLines} more changed lines.`);
  return [...lines, ''];
}
