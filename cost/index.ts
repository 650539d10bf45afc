/**
 * The cost model of the estate (docs/cost.md): what Backup & Restore costs a month, per workload and
 * account, from the configuration and a dated price table.
 *
 *   estimateCost(config)            the shipped prices with the estate file's `prices` laid over them
 *   estimateCost(config, prices)    exactly `prices` (e.g. from readPriceListFile), then `prices` of the file
 */
import type { EstateConfig } from '../config/schema';
import { estimateWith, type CostEstimate } from './model';
import { DEFAULT_PRICES, withOverrides, type PriceTable } from './prices';

export function estimateCost(config: EstateConfig, prices: PriceTable = DEFAULT_PRICES): CostEstimate {
  return estimateWith(config, withOverrides(prices, config.prices));
}

export type { CostEstimate, CostLine, CostCategory, VaultRole, WorkloadCost } from './model';
export { copyDestinations, centralVaultRegions } from './model';
export { DEFAULT_PRICES, MissingPriceError, priceOf, withOverrides, type PriceTable, type PriceOverride } from './prices';
export { PRICE_KEYS, type PriceKey } from './price-keys';
export { readPriceList, readPriceListFile, PriceListError } from './price-list';
export { UsageError, workloadUsage, DEFAULT_USAGE } from './usage';
export { runsPerMonth } from './schedule-frequency';
export { ASSUMPTIONS } from './assumptions';
