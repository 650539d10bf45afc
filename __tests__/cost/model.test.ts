import { estimateCost, MissingPriceError, UsageError, copyDestinations } from '../../cost';
import { readPriceListFile } from '../../cost/price-list';
import { withOverrides } from '../../cost/prices';
import { parseConfig, ConfigError } from '../../config/load';
import { copyDestinationVaultArns } from '../../stacks/workload-stack';
import { EstateNames } from '../../config/naming';
import { exampleRaw, roundPrices, smallEstate, PRICE_LIST_FIXTURE } from './helpers';
import type { CostEstimate } from '../../cost';

const daily = 30.4375;
const sumOf = (e: CostEstimate, f: (l: CostEstimate['lines'][number]) => boolean) => e.lines.filter(f).reduce((t, l) => t + l.monthlyUsd, 0);

describe('estimateCost, hand-computed', () => {
  it('prices a locked central vault in another Region: local + central storage, transfer, keys', () => {
    // EBS 100 GiB at 2 %/day, 10 daily points in each vault: 118 GiB × $0.05 twice; the copies
    // carry 30.4375 × 2 GiB a month × $0.02; keys: local, central, 3 in the DR account.
    const e = estimateCost(smallEstate(), roundPrices());
    expect(sumOf(e, (l) => l.vault === 'local')).toBeCloseTo(118 * 0.05);
    expect(sumOf(e, (l) => l.vault === 'central' && l.category === 'storage')).toBeCloseTo(118 * 0.05);
    expect(sumOf(e, (l) => l.category === 'copies')).toBeCloseTo(daily * 2 * 0.02);
    expect(sumOf(e, (l) => l.price.key === 'kms.key')).toBeCloseTo(5);
    expect(e.totalMonthlyUsd).toBeCloseTo(118 * 0.05 * 2 + daily * 2 * 0.02 + 5, 2);
    expect(e.workloads).toEqual([expect.objectContaining({ name: 'shop', worstCaseRpoMinutes: 1440 })]);
    // Every line names its price and usage.
    const transfer = e.lines.find((l) => l.category === 'copies')!;
    expect(transfer).toMatchObject({ region: 'ap-northeast-2', account: 'workload:shop', price: { key: 'transfer.crossRegion', region: 'ap-northeast-2', usd: 0.02, unit: 'GB' }, usage: { unit: 'GB' } });
    expect(transfer.usage.quantity).toBeCloseTo(60.875);
  });

  it('prices a full type (DynamoDB) ten times an incremental one of the same size here', () => {
    const full = estimateCost(smallEstate((r) => { r.workloads[0].backup.resourceTypes = ['DynamoDB']; r.workloads[0].estimate = { DynamoDB: { gib: 100, dailyChangePercent: 2 } }; }), roundPrices());
    expect(sumOf(full, (l) => l.vault === 'local')).toBeCloseTo(1000 * 0.05);
    expect(sumOf(full, (l) => l.category === 'copies')).toBeCloseTo(daily * 100 * 0.02);
  });

  it('splits warm and cold by coldStorageAfterDays for a type with cold storage', () => {
    const e = estimateCost(smallEstate((r) => Object.assign(r.workloads[0].backup.rules[0], { retentionDays: 120, coldStorageAfterDays: 30 })), roundPrices());
    expect(sumOf(e, (l) => l.vault === 'local' && l.tier === 'warm')).toBeCloseTo(158 * 0.05);
    expect(sumOf(e, (l) => l.vault === 'local' && l.tier === 'cold')).toBeCloseTo(9000 * 0.01);
    expect(sumOf(e, (l) => l.vault === 'central' && l.tier === 'cold')).toBe(0);
  });

  it('charges no transfer for the same-Region copy of primaryRegionCopy, and one more key', () => {
    const e = estimateCost(smallEstate((r) => (r.accounts.backupVault.primaryRegionCopy = true)), roundPrices());
    const sameRegion = e.lines.filter((l) => l.vault === 'central (workload region)');
    expect(sameRegion.map((l) => [l.category, l.region])).toEqual([['storage', 'ap-northeast-2']]);
    expect(sumOf(e, (l) => l.category === 'copies')).toBeCloseTo(daily * 2 * 0.02);
    expect(sumOf(e, (l) => l.price.key === 'kms.key')).toBeCloseTo(6);
  });

  it.each([
    // kind, air-gapped storage, central storage, transfers, keys
    ['locked', 0, 118 * 0.05, 1, 5],
    ['airGapped', 118 * 0.04, 0, 1, 4],
    ['both', 118 * 0.04, 118 * 0.05, 2, 5],
  ])('centralVault.kind %s copies to the vaults the stacks create', (kind, airGapped, central, transfers, keys) => {
    const e = estimateCost(smallEstate((r) => (r.centralVault = { kind })), roundPrices());
    expect(sumOf(e, (l) => l.vault === 'airGapped' && l.category === 'storage')).toBeCloseTo(airGapped as number);
    expect(sumOf(e, (l) => l.vault === 'central' && l.category === 'storage')).toBeCloseTo(central as number);
    expect(sumOf(e, (l) => l.category === 'copies')).toBeCloseTo((transfers as number) * daily * 2 * 0.02);
    expect(sumOf(e, (l) => l.price.key === 'kms.key')).toBeCloseTo(keys as number);
  });

  it('follows the stacks: copy destinations match copyDestinationVaultArns for every kind', () => {
    for (const kind of ['locked', 'airGapped', 'both']) {
      for (const primaryRegionCopy of kind === 'airGapped' ? [false] : [false, true]) {
        const config = smallEstate((r) => { r.centralVault = { kind }; r.accounts.backupVault.primaryRegionCopy = primaryRegionCopy; });
        const names = new EstateNames(config);
        const expected = copyDestinationVaultArns(config, 'ap-northeast-2');
        const ours = copyDestinations(config, 'ap-northeast-2').map((d) => (d.vault === 'airGapped' ? names.airGappedVaultArn : names.centralVaultArn(d.region)));
        expect(ours).toEqual(expected);
      }
    }
  });

  it('prices restore testing: jobs per test and restore charges of the types AWS charges', () => {
    // Weekly tests (1461/336 a month) of EBS and DynamoDB (20 GiB): 2 jobs × $1 each, and 20 GiB of
    // DynamoDB restored × $0.10 per test; EBS restores are free.
    const tests = 1461 / 336;
    const e = estimateCost(
      smallEstate((r) => {
        r.workloads[0].backup.resourceTypes = ['EBS', 'DynamoDB'];
        r.workloads[0].estimate = { DynamoDB: { gib: 20 } };
        r.workloads[0].restoreTesting = { schedule: 'cron(0 5 ? * SUN *)', resourceTypes: ['EBS', 'DynamoDB'] };
      }),
      roundPrices(),
    );
    expect(sumOf(e, (l) => l.category === 'restoreTesting')).toBeCloseTo(tests * (2 * 1 + 20 * 0.1));
    expect(e.lines.filter((l) => l.price.key.startsWith('restore.')).map((l) => l.price.key)).toEqual(['restore.DynamoDB']);
  });

  it('uses the documented default (100 GiB, 2 %/day) for a protected type without an estimate', () => {
    const e = estimateCost(smallEstate((r) => delete r.workloads[0].estimate), roundPrices());
    expect(sumOf(e, (l) => l.vault === 'local')).toBeCloseTo(118 * 0.05);
    expect(e.lines.find((l) => l.vault === 'local')!.usage.basis).toContain('(default)');
  });

  it('lets the estate file\'s prices override the table', () => {
    const e = estimateCost(smallEstate((r) => (r.prices = { regions: { 'ap-northeast-2': { 'backup.warm.EBS': 1 } } })), roundPrices());
    expect(sumOf(e, (l) => l.vault === 'local')).toBeCloseTo(118);
  });

  it('changes with the Price List fixture (AWS Price List API format)', () => {
    const config = smallEstate((r) => {
      r.workloads[0].backup.resourceTypes = ['DynamoDB'];
      r.workloads[0].estimate = { DynamoDB: { gib: 10, dailyChangePercent: 5 } };
      r.centralVault = { kind: 'both' };
    });
    const base = estimateCost(config, roundPrices());
    const fromFile = readPriceListFile(PRICE_LIST_FIXTURE);
    expect(fromFile.regions['ap-northeast-2']).toEqual({ 'backup.warm.DynamoDB': 0.2, 'backup.cold.DynamoDB': 0.05, 'transfer.crossRegion': 0.1 });
    expect(fromFile.regions['ap-northeast-1']).toEqual({ 'backup.airGapped.DynamoDB': 0.2, 'restore.DynamoDB': 0.3 });
    const priced = estimateCost(config, withOverrides(roundPrices(), fromFile));
    // Local: 10 full points of 10 GiB at $0.20 instead of $0.05; air-gapped 100 GiB at $0.20 instead of
    // $0.04; both transfers 304.375 GiB at $0.10 instead of $0.02; central (Tokyo, not in the file) unchanged.
    expect(sumOf(priced, (l) => l.vault === 'local')).toBeCloseTo(100 * 0.2);
    expect(sumOf(priced, (l) => l.vault === 'airGapped' && l.category === 'storage')).toBeCloseTo(100 * 0.2);
    expect(sumOf(priced, (l) => l.category === 'copies')).toBeCloseTo(2 * daily * 10 * 0.1);
    expect(priced.totalMonthlyUsd - base.totalMonthlyUsd).toBeCloseTo(100 * 0.15 + 100 * 0.16 + 2 * daily * 10 * 0.08, 1);
  });
});

describe('errors', () => {
  it('fails on a Region without a price, naming the Region and the usage type, never pricing zero', () => {
    const config = smallEstate((r) => (r.workloads[0].region = 'us-west-2'));
    expect(() => estimateCost(config, roundPrices())).toThrow(MissingPriceError);
    expect(() => estimateCost(config, roundPrices())).toThrow(/no price for backup\.warm\.EBS \(AWS usage type EBS:SnapshotUsage, per GB-month\) in region us-west-2/);
    // The shipped table has no us-west-2 either.
    expect(() => estimateCost(config)).toThrow(/in region us-west-2/);
  });

  it('rejects an estimate for a type the workload does not protect, naming its path', () => {
    const config = smallEstate((r) => (r.workloads[0].estimate = { FSx: { gib: 5 } }));
    expect(() => estimateCost(config, roundPrices())).toThrow(UsageError);
    expect(() => estimateCost(config, roundPrices())).toThrow(/^workloads\[0\]\.estimate\.FSx: FSx is not in backup\.resourceTypes/);
  });

  it.each([
    [{ EBS: { gib: -5 } }, 'workloads[0].estimate.EBS.gib', /more than 0 GiB/],
    [{ EBS: { dailyChangePercent: 150 } }, 'workloads[0].estimate.EBS.dailyChangePercent', /at most 100 %/],
    [{ EBS: { size: 1 } }, 'workloads[0].estimate.EBS', /unknown field\(s\) "size"/],
    [{ Redshift: { gib: 1 } }, 'workloads[0].estimate', /unknown field\(s\) "Redshift"/],
  ])('validates estimate %j with a message naming %s', (estimate, path, message) => {
    const raw = exampleRaw();
    raw.workloads[0].estimate = estimate;
    try {
      parseConfig(raw, 'test');
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const issue = (e as ConfigError).issues.find((i) => i.path === path);
      expect(issue?.message).toMatch(message);
    }
  });

  it('validates the prices override, naming the key', () => {
    const raw = exampleRaw();
    raw.prices = { regions: { 'ap-northeast-2': { 'backup.warm.EBZ': 1, 'kms.key': -1 } } };
    expect(() => parseConfig(raw, 'test')).toThrow(/prices\.regions\.ap-northeast-2/);
  });
});
