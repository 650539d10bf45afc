/**
 * The cost model of the estate (docs/cost.md): what Backup & Restore costs a month, per workload and
 * account, from the configuration and a dated price table.
 *
 *   estimateCost(config)            the shipped prices with the estate file's `prices` laid over them
 *   estimateCost(config, prices)    exactly `prices` (e.g. from readPriceListFile), then `prices` of the file
 */
import type { EstateConfig } from '../config/schema';
import { estimateWith, type CostEstimate } from './model';
import { DEFAULT_PRICES, MissingPriceError, withOverrides, type PriceTable } from './prices';
import { UsageError } from './usage';

export function estimateCost(config: EstateConfig, prices: PriceTable = DEFAULT_PRICES): CostEstimate {
  return estimateWith(config, withOverrides(prices, config.prices));
}

/** An estimate, or why there is none, for reports that show everything else anyway (readiness, plan). */
export type CostOutcome = { readonly estimate: CostEstimate } | { readonly error: string };

/** {@link estimateCost}, with a missing price or an estimate for an unprotected type as the reason there is no estimate. */
export function costOutcome(config: EstateConfig, prices?: PriceTable): CostOutcome {
  try {
    return { estimate: estimateCost(config, prices) };
  } catch (e) {
    if (e instanceof MissingPriceError || e instanceof UsageError) return { error: e.message };
    throw e;
  }
}

export type { CostEstimate, CostLine, CostCategory, VaultRole, WorkloadCost } from './model';
export { copyDestinations, centralVaultRegions } from './model';
export { DEFAULT_PRICES, MissingPriceError, priceOf, withOverrides, type PriceTable, type PriceOverride } from './prices';
export { PRICE_KEYS, type PriceKey } from './price-keys';
export { readPriceList, readPriceListFile, PriceListError } from './price-list';
export { UsageError, workloadUsage, DEFAULT_USAGE } from './usage';
export { runsPerMonth } from './schedule-frequency';
export { ASSUMPTIONS } from './assumptions';
