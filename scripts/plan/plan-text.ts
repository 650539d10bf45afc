import { tallyChanges, type ChangeCounts, type PlanSummary } from './summary';

/**
 * The summary of a plan read from `terraform plan -no-color`'s own text, which the run keeps anyway:
 * `terraform show -json` of the saved plan loads the provider's schema once more (about 2.3 s of CPU
 * per stack, a fifth of `npm run plan`'s terraform time, docs/benchmark.md) only to give the same
 * counts.
 *
 * Every change Terraform renders starts with a header line `  # <address> <action>` (its human plan
 * renderer, internal/command/jsonformat, the same for every 1.x release this project supports), and
 * the text ends with `Plan: A to add, C to change, D to destroy.` or `No changes.`. The headers are
 * counted as `summarizePlan` counts `show -json`'s resource changes; the result is returned only when
 * it adds up to Terraform's own totals line, and undefined otherwise (a header phrasing not known
 * here, a different format), when the caller falls back to `show -json`.
 */
export function summarizePlanText(text: string): PlanSummary | undefined {
  const totals = planTotals(text);
  if (!totals) return undefined;
  const changes: { type: string; delta: ChangeCounts }[] = [];
  for (const line of text.split('\n')) {
    const header = /^ {2}# (\S.*?) (will be created|will be updated in-place|must be replaced|will be replaced, as requested|is tainted, so must be replaced|will be replaced due to changes in replace_triggered_by|will be destroyed)$/.exec(line);
    const type = header ? managedResourceType(header[1]) : undefined;
    if (!header || !type) continue;
    const action = header[2];
    const replaced = action.includes('replace') ? 1 : 0;
    changes.push({ type, delta: { add: action === 'will be created' ? 1 : replaced, change: action === 'will be updated in-place' ? 1 : 0, destroy: action === 'will be destroyed' ? 1 : replaced } });
  }
  const summary = tallyChanges(changes);
  const { total } = summary;
  return total.add === totals.add && total.change === totals.change && total.destroy === totals.destroy ? summary : undefined;
}

/** Terraform's totals line (`Plan: [N to import, ]A to add, C to change, D to destroy.`), zero for `No changes.`. */
function planTotals(text: string): ChangeCounts | undefined {
  const plan = /^Plan: (?:\d+ to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy\.$/m.exec(text);
  if (plan) return { add: Number(plan[1]), change: Number(plan[2]), destroy: Number(plan[3]) };
  if (/^No changes\. /m.test(text)) return { add: 0, change: 0, destroy: 0 };
  return undefined;
}

/**
 * The resource type of a managed resource's address (`module.a["k.1"].aws_iam_role.r[0]` →
 * `aws_iam_role`); undefined for a data source. Module calls and index keys (which may hold dots,
 * spaces and escaped quotes) are skipped as whole steps.
 */
export function managedResourceType(address: string): string | undefined {
  const steps: string[] = [];
  let i = 0;
  while (i < address.length) {
    const name = /^[A-Za-z_][\w-]*/.exec(address.slice(i));
    if (!name) return undefined;
    steps.push(name[0]);
    i += name[0].length;
    if (address[i] === '[') {
      const key = /^\[(?:\d+|"(?:[^"\\]|\\.)*")\]/.exec(address.slice(i));
      if (!key) return undefined;
      i += key[0].length;
    }
    if (i < address.length && address[i++] !== '.') return undefined;
  }
  while (steps[0] === 'module' && steps.length > 2) steps.splice(0, 2);
  if (steps.length !== 2 || steps[0] === 'data' || steps[0] === 'module') return undefined;
  return steps[0];
}
