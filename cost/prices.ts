import builtIn from './prices/2026-12-02.json';
import { PRICE_KEYS, awsUsageType, priceUnit, type PriceKey } from './price-keys';

/** Prices per region (region code → key → USD per unit), with where they come from. */
export interface PriceTable {
  /** When the figures were compiled (YYYY-MM-DD). */
  readonly date: string;
  readonly sources: readonly string[];
  readonly note?: string;
  readonly regions: Readonly<Record<string, Partial<Record<PriceKey, number>>>>;
  /** Keys, per region, whose figure could not be confirmed against an AWS pricing page. */
  readonly unconfirmed?: Readonly<Record<string, readonly string[]>>;
}

/** A partial table laid over another (the estate file's `prices`, or a Price List file). */
export interface PriceOverride {
  readonly date?: string;
  readonly source?: string;
  readonly regions: Readonly<Record<string, Partial<Record<PriceKey, number>>>>;
}

/** The price table shipped with the project (cost/prices/<date>.json). */
export const DEFAULT_PRICES: PriceTable = builtIn as PriceTable;

/** Thrown when a line needs a price the table does not have: never priced as zero. */
export class MissingPriceError extends Error {
  constructor(
    readonly region: string,
    readonly key: PriceKey,
  ) {
    super(
      `no price for ${key} (AWS usage type ${awsUsageType(key)}, per ${priceUnit(key)}) in region ${region}; ` +
        'add it under "prices.regions" in the estate file or pass a Price List file with --prices',
    );
    this.name = 'MissingPriceError';
  }
}

/** The price of `key` in `region`, or {@link MissingPriceError}. */
export function priceOf(table: PriceTable, region: string, key: PriceKey): number {
  const value = table.regions[region]?.[key];
  if (value === undefined) throw new MissingPriceError(region, key);
  return value;
}

/** `base` with every price of `override` laid over it; overridden figures are no longer "unconfirmed". */
export function withOverrides(base: PriceTable, override: PriceOverride | undefined): PriceTable {
  if (!override) return base;
  const regions: Record<string, Partial<Record<PriceKey, number>>> = {};
  for (const [region, prices] of Object.entries(base.regions)) regions[region] = { ...prices };
  const unconfirmed: Record<string, string[]> = {};
  for (const [region, keys] of Object.entries(base.unconfirmed ?? {})) unconfirmed[region] = [...keys];
  for (const [region, prices] of Object.entries(override.regions)) {
    regions[region] = { ...regions[region], ...prices };
    if (unconfirmed[region]) unconfirmed[region] = unconfirmed[region].filter((k) => !(k in prices));
  }
  return {
    date: override.date ?? base.date,
    sources: override.source ? [override.source, ...base.sources] : base.sources,
    note: base.note,
    regions,
    unconfirmed,
  };
}

export function isPriceKey(key: string): key is PriceKey {
  return (PRICE_KEYS as readonly string[]).includes(key);
}
