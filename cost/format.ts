import { formatMinutes } from '../config/schedule-interval';
import type { CostEstimate, CostLine } from './model';

const usd = (n: number) => `$${n.toFixed(2)}`;
const table = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === head.length - 1 ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** The group a line is summed into in the per-workload table. */
function item(l: CostLine): string {
  if (l.category === 'storage') return `storage: ${l.vault} vault, ${l.tier}`;
  if (l.category === 'copies') return `copies: cross-Region transfer to ${l.vault} vault`;
  if (l.category === 'restoreTesting') return 'restore testing';
  if (l.category === 'drills') return 'recovery drills';
  return `fixed: ${l.description}`;
}

function grouped(lines: CostLine[]): string[][] {
  const sums = new Map<string, { account: string; region: string; total: number }>();
  for (const l of lines) {
    const key = `${item(l)}\u0000${l.account}\u0000${l.region}`;
    const s = sums.get(key) ?? { account: l.account, region: l.region, total: 0 };
    s.total += l.monthlyUsd;
    sums.set(key, s);
  }
  return [...sums].map(([key, s]) => [key.split('\u0000')[0], s.account, s.region, usd(s.total)]);
}

/** The report `npm run cost` prints (markdown tables; docs/cost.md embeds it). */
export function renderCost(estimate: CostEstimate): string {
  const out: string[] = [];
  for (const w of estimate.workloads) {
    out.push(`### Workload ${w.name}: ${usd(w.totalMonthlyUsd)} a month (worst-case RPO ${formatMinutes(w.worstCaseRpoMinutes)}, target ${formatMinutes(w.rpoTargetMinutes)}; RTO target ${formatMinutes(w.rtoTargetMinutes)})`, '');
    out.push(table(['Item', 'Account', 'Region', 'USD/month'], grouped(estimate.lines.filter((l) => l.workload === w.name))), '');
  }
  out.push(`### Shared by the estate: ${usd(estimate.sharedMonthlyUsd)} a month`, '');
  out.push(table(['Item', 'Account', 'Region', 'USD/month'], grouped(estimate.lines.filter((l) => l.workload === undefined))), '');
  out.push('### Per account', '');
  out.push(table(['Account', 'Account ID', 'USD/month'], estimate.accounts.map((a) => [a.account, a.accountId, usd(a.totalMonthlyUsd)])), '');
  out.push(`**Estate total: ${usd(estimate.totalMonthlyUsd)} a month** (prices of ${estimate.priceDate}, USD, on-demand).`);
  const unconfirmed = [...new Set(estimate.lines.filter((l) => l.price.unconfirmed).map((l) => `${l.price.key} (${l.price.region})`))];
  if (unconfirmed.length > 0) out.push('', `Estimated, not confirmed against an AWS pricing page: ${unconfirmed.join(', ')}.`);
  return `${out.join('\n')}\n`;
}

/** Every line with its price and usage (`npm run cost -- --lines`). */
export function renderLines(estimate: CostEstimate): string {
  const rows = estimate.lines.map((l) => [l.workload ?? '(shared)', l.description, `${l.usage.quantity.toFixed(3)} ${l.usage.unit} (${l.usage.basis})`, `${l.price.key} ${l.price.region} $${l.price.usd}/${l.price.unit}${l.price.unconfirmed ? ' (estimated)' : ''}`, usd(l.monthlyUsd)]);
  return `${table(['Workload', 'Line', 'Usage', 'Price', 'USD/month'], rows)}\n`;
}

/** Before/after of a --what-if: cost and worst-case RPO per workload and in total. */
export function renderWhatIf(before: CostEstimate, after: CostEstimate, changes: string[]): string {
  const rows = after.workloads.map((w) => {
    const b = before.workloads.find((x) => x.name === w.name);
    return [w.name, b ? usd(b.totalMonthlyUsd) : '-', usd(w.totalMonthlyUsd), b ? formatMinutes(b.worstCaseRpoMinutes) : '-', formatMinutes(w.worstCaseRpoMinutes)];
  });
  rows.push(['estate total', usd(before.totalMonthlyUsd), usd(after.totalMonthlyUsd), '', '']);
  const delta = after.totalMonthlyUsd - before.totalMonthlyUsd;
  return `What if ${changes.join(', ')}:\n\n${table(['Workload', 'USD/month before', 'after', 'worst-case RPO before', 'after'], rows)}\n\nChange: ${delta >= 0 ? '+' : '-'}${usd(Math.abs(delta))} a month.\n`;
}
