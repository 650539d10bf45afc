import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../../config/load';
import type { EstateConfig } from '../../config/schema';
import { PRICE_KEYS, type PriceKey } from '../../cost/price-keys';
import type { PriceTable } from '../../cost/prices';

export const ROOT = path.join(__dirname, '..', '..');
export const EXAMPLE = path.join(ROOT, 'config', 'example.json');
export const PRICE_LIST_FIXTURE = path.join(ROOT, '__tests__', 'fixtures', 'pricing', 'aws-backup-get-products.json');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Raw = any;

export function exampleRaw(): Raw {
  return JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
}

/**
 * One workload in ap-northeast-2 protecting only `types`, one daily rule keeping 10 days locally and
 * 10 days in the copies, no cold storage, a locked central vault in ap-northeast-1, no restore testing,
 * no failback (it costs nothing until it runs; its key and subnets are the workload region's).
 */
export function smallEstate(mutate: (raw: Raw) => void = () => {}): EstateConfig {
  const raw = exampleRaw();
  const w = raw.workloads[0];
  delete w.failback;
  w.backup.resourceTypes = ['EBS'];
  w.backup.rules = [{ name: 'daily', schedule: 'cron(0 17 * * ? *)', retentionDays: 10, copyRetentionDays: 10 }];
  w.estimate = { EBS: { gib: 100, dailyChangePercent: 2 } };
  delete w.restoreTesting;
  raw.centralVault = { kind: 'locked' };
  mutate(raw);
  return parseConfig(raw, 'test');
}

/**
 * Round prices for hand computation in both regions: every backup price $0.05, air-gapped $0.04,
 * cold $0.01, restore $0.10, restore test job $1, transfer $0.02, KMS $1; the small DR parts $0
 * (stated, not missing).
 */
export function roundPrices(regions = ['ap-northeast-2', 'ap-northeast-1']): PriceTable {
  const one: Partial<Record<PriceKey, number>> = {};
  for (const key of PRICE_KEYS) {
    one[key] = key.startsWith('backup.warm') ? 0.05 : key.startsWith('backup.airGapped') ? 0.04 : key.startsWith('backup.cold') ? 0.01 : key.startsWith('restore.') ? 0.1 : key === 'restoreTesting.job' ? 1 : key === 'transfer.crossRegion' ? 0.02 : key === 'kms.key' ? 1 : 0;
  }
  return { date: '2000-01-01', sources: ['test'], regions: Object.fromEntries(regions.map((r) => [r, { ...one }])) };
}
