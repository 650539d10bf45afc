import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../../config/load';
import { estimateCost } from '../../cost';
import { renderCost } from '../../cost/format';
import { ASSUMPTIONS } from '../../cost/assumptions';
import { EXAMPLE, ROOT } from './helpers';

const DOC = path.join(ROOT, 'docs', 'cost.md');

/** The text between the cost markers of a page, or undefined without them. */
export function pastedTable(text: string): string | undefined {
  const m = /<!-- cost:start -->\n([\s\S]*?)<!-- cost:end -->/.exec(text);
  return m?.[1];
}

describe('docs/cost.md', () => {
  const doc = fs.readFileSync(DOC, 'utf8');

  it('shows the example estate\'s cost exactly as `npm run cost` computes it (paste `npm run -s cost` between the markers)', () => {
    expect(pastedTable(doc)).toBe(renderCost(estimateCost(loadConfig(EXAMPLE))));
  });

  it('lists every assumption of the model', () => {
    for (const a of ASSUMPTIONS) expect(doc).toContain(a);
  });

  it('the check fails on a stale or missing table', () => {
    const current = renderCost(estimateCost(loadConfig(EXAMPLE)));
    const stale = `<!-- cost:start -->\n${current.replace(/\$(\d)/, '$9$1')}<!-- cost:end -->`;
    expect(pastedTable(stale)).not.toBe(current);
    expect(pastedTable('no markers')).toBeUndefined();
  });
});
