import type { SecurityDiff } from './security-diff';

export interface ChangeCounts {
  add: number;
  change: number;
  destroy: number;
}

export interface PlanSummary {
  readonly total: ChangeCounts;
  /** Per managed resource type, sorted by type; types with nothing to do are left out. */
  readonly byType: { type: string; counts: ChangeCounts }[];
}

interface PlanJson {
  resource_changes?: { mode?: string; type: string; change: { actions: string[] } }[];
}

/**
 * Counts of `terraform show -json` resource changes, as Terraform's "Plan: X to add, Y to change,
 * Z to destroy" line counts them: a replacement is one add and one destroy; no-op, read and forget
 * are not counted.
 */
export function summarizePlan(plan: unknown): PlanSummary {
  return tallyChanges(
    ((plan as PlanJson).resource_changes ?? [])
      .filter((rc) => rc.mode === undefined || rc.mode === 'managed')
      .map((rc) => {
        const actions = rc.change.actions;
        return {
          type: rc.type,
          delta: {
            add: actions.includes('create') ? 1 : 0,
            change: actions.length === 1 && actions[0] === 'update' ? 1 : 0,
            destroy: actions.includes('delete') ? 1 : 0,
          },
        };
      }),
  );
}

/** The total and per-type counts of resource changes (each one's add, change and destroy); changes that count nothing are left out. */
export function tallyChanges(changes: Iterable<{ readonly type: string; readonly delta: ChangeCounts }>): PlanSummary {
  const total: ChangeCounts = { add: 0, change: 0, destroy: 0 };
  const byType = new Map<string, ChangeCounts>();
  for (const { type, delta } of changes) {
    if (delta.add + delta.change + delta.destroy === 0) continue;
    const counts = byType.get(type) ?? { add: 0, change: 0, destroy: 0 };
    for (const k of ['add', 'change', 'destroy'] as const) {
      counts[k] += delta[k];
      total[k] += delta[k];
    }
    byType.set(type, counts);
  }
  return {
    total,
    byType: [...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, counts]) => ({ type, counts })),
  };
}

/** `(+12 ~0 -0)` */
export function shortCounts(c: ChangeCounts): string {
  return `(+${c.add} ~${c.change} -${c.destroy})`;
}

export interface StackOutcome {
  readonly name: string;
  readonly seconds: number;
  readonly summary?: PlanSummary;
  /** Terraform's error when the stack failed to plan. */
  readonly error?: string;
}

export interface SummaryInput {
  readonly config: string;
  readonly out: string;
  readonly terraformVersion: string;
  readonly seconds: number;
  readonly stacks: StackOutcome[];
  /** undefined: no `--previous` given. */
  readonly security?: SecurityDiff;
  readonly previous?: string;
  /** The "Monthly cost" section's lines (cost-diff.ts), after the totals. */
  readonly cost?: string[];
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function renderSummary(input: SummaryInput): string {
  const lines: string[] = [];
  const planned = input.stacks.filter((s) => s.summary);
  const failed = input.stacks.filter((s) => s.error !== undefined);
  lines.push('# Offline plan', '');
  lines.push(
    `Configuration ${code(input.config)}, synthesized into ${code(input.out)}; ${planned.length} of ${input.stacks.length} stacks planned ` +
      `in ${input.seconds.toFixed(1)}s with Terraform ${input.terraformVersion}.`,
    '',
  );
  lines.push(
    'Planned offline: fake credentials, no provider role assumption, local empty state. Every resource is therefore "to add": ' +
      'these plans show what each stack would create and that the provider accepts it, not the difference from what is deployed ' +
      '(that is `cdktf diff <stack>` with credentials).',
    '',
  );
  lines.push('| stack | add | change | destroy | plan |', '|---|---:|---:|---:|---|');
  const total: ChangeCounts = { add: 0, change: 0, destroy: 0 };
  for (const s of input.stacks) {
    if (s.summary) {
      const c = s.summary.total;
      total.add += c.add;
      total.change += c.change;
      total.destroy += c.destroy;
      lines.push(`| ${s.name} | ${c.add} | ${c.change} | ${c.destroy} | [${s.name}.txt](${s.name}.txt) |`);
    } else {
      lines.push(`| ${s.name} | – | – | – | **failed** |`);
    }
  }
  lines.push(`| **total** | **${total.add}** | **${total.change}** | **${total.destroy}** | |`, '');
  if (input.cost) lines.push(...input.cost);

  for (const s of planned) {
    lines.push(`## ${s.name}`, '');
    if (s.summary!.byType.length === 0) {
      lines.push('No changes.', '');
      continue;
    }
    lines.push('| resource type | add | change | destroy |', '|---|---:|---:|---:|');
    for (const { type, counts } of s.summary!.byType) lines.push(`| ${code(type)} | ${counts.add} | ${counts.change} | ${counts.destroy} |`);
    lines.push('');
  }

  if (failed.length > 0) {
    lines.push('## Failed stacks', '');
    for (const s of failed) lines.push(`### ${s.name}`, '', '```', s.error!.trim(), '```', '');
  }

  lines.push('## Security-relevant changes', '');
  if (!input.security) {
    lines.push('No previous synth given (`--previous DIR`): nothing to compare with.', '');
  } else {
    lines.push(
      `Synthesized configuration compared with the previous synth ${code(input.previous ?? '')}, by resource address, for ` +
        `${input.security.types.map(code).join(', ')}.`,
      '',
    );
    for (const stack of input.security.stacks) {
      const status = stack.status === 'added' ? ' (new stack)' : stack.status === 'removed' ? ' (stack removed)' : '';
      lines.push(`### ${stack.name}${status}`, '');
      if (stack.changes.length === 0) {
        lines.push('No security-relevant changes.', '');
        continue;
      }
      for (const c of stack.changes) {
        const label = c.label ? ` (${code(c.label)})` : '';
        lines.push(`- **${c.kind}** ${code(c.address)}${label}${c.details.length === 1 ? `: ${c.details[0]}` : ''}`);
        if (c.details.length > 1) for (const d of c.details) lines.push(`  - ${d}`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
