import * as fs from 'fs';
import * as path from 'path';
import { parseStrictArgs } from '../scripts/cli-args';
import { ConfigError, parseConfig } from '../config/load';
import { estimateCost } from './index';
import { renderCost, renderLines, renderWhatIf } from './format';
import { MissingPriceError, DEFAULT_PRICES, withOverrides, type PriceTable } from './prices';
import { PriceListError, readPriceListFile } from './price-list';
import { UsageError } from './usage';
import { applyWhatIf, parseWhatIf, WhatIfError } from './what-if';

export const USAGE = `Usage: npm run cost -- [--config FILE] [--json] [--lines] [--prices FILE] [--what-if PATH=VALUE ...]

Estimates what the estate in FILE costs a month (AWS Backup storage by vault and tier, copies and
cross-Region transfer, restore testing, drills, keys and the DR account's always-on parts), per
workload, per account and in total, from the configuration and the dated price table in cost/prices/
(docs/cost.md). No AWS call is made. Exit status 0, or 1 with a message naming the field on an invalid
configuration, option or missing price.

  --config FILE       estate configuration (default: $DR_CONFIG, else config/example.json)
  --json              print { totalMonthlyUsd, workloads, accounts, lines, ... } as JSON
  --lines             also print every line with its usage and price
  --prices FILE       prices in the AWS Price List API's JSON (aws pricing get-products), laid over the table
  --what-if P=V       change the raw configuration at path P (value parsed as JSON, else text) and print
                      cost and worst-case RPO before and after; repeatable
  -h, --help          this text`;

export class CliUsageError extends Error {}

export interface CostRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run cost` with `argv` (without node and script); pure apart from reading files. */
export function runCost(argv: string[], env: NodeJS.ProcessEnv, defaultConfig: string): CostRun {
  try {
    return { exitCode: 0, stdout: run(argv, env, defaultConfig), stderr: '' };
  } catch (e) {
    if (e instanceof CliUsageError || e instanceof ConfigError || e instanceof MissingPriceError || e instanceof PriceListError || e instanceof UsageError || e instanceof WhatIfError) {
      return { exitCode: 1, stdout: '', stderr: `${e.message}\n` };
    }
    throw e;
  }
}

function run(argv: string[], env: NodeJS.ProcessEnv, defaultConfig: string): string {
  const values = parseStrictArgs(
    argv,
    { config: { type: 'string' }, json: { type: 'boolean' }, lines: { type: 'boolean' }, prices: { type: 'string' }, 'what-if': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    USAGE,
    CliUsageError,
  );
  if (values.help) return `${USAGE}\n`;
  const file = path.resolve(values.config ?? (env.DR_CONFIG || defaultConfig));
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot be read as JSON (${(e as Error).message}); set DR_CONFIG or --config to your estate configuration` }]);
  }
  const prices: PriceTable = values.prices ? withOverrides(DEFAULT_PRICES, readPriceListFile(path.resolve(values.prices))) : DEFAULT_PRICES;
  const before = estimateCost(parseConfig(raw, file), prices);
  const changes = (values['what-if'] ?? []).map(parseWhatIf);
  if (changes.length === 0) {
    if (values.json) return `${JSON.stringify(before, null, 2)}\n`;
    return values.lines ? `${renderCost(before)}\n${renderLines(before)}` : renderCost(before);
  }
  const changed = changes.reduce((r, c) => applyWhatIf(r, c), raw);
  const after = estimateCost(parseConfig(changed, `${file} with --what-if ${changes.map((c) => c.path).join(', ')}`), prices);
  if (values.json) return `${JSON.stringify({ changes: changes.map((c) => ({ path: c.path, value: c.value })), before, after }, null, 2)}\n`;
  return renderWhatIf(before, after, changes.map((c) => `${c.path} = ${JSON.stringify(c.value)}`));
}
