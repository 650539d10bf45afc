import { estimateCost, MissingPriceError, readPriceList } from '../../cost';
import { hasLandingZone } from '../../cost/model';
import { HOURS_PER_MONTH, LANDING_ZONE_GB } from '../../cost/assumptions';
import type { CostEstimate, PriceTable } from '../../cost';
import { roundPrices, smallEstate, type Raw } from './helpers';

const DAYS_PER_MONTH = 30.4375;
const landingZone = (e: CostEstimate) => e.lines.filter((l) => l.description.startsWith('landing zone:'));
const sumOf = (lines: CostEstimate['lines']) => lines.reduce((t, l) => t + l.monthlyUsd, 0);

/** Round prices plus round landing zone prices: $0.01 per endpoint-AZ-hour, $0.02/GB processed, $0.50/GB vended logs, $0.03/GB-month stored. */
function prices(): PriceTable {
  const table = roundPrices();
  for (const region of Object.values(table.regions) as Record<string, number>[]) {
    Object.assign(region, { 'vpcEndpoint.interfaceHour': 0.01, 'vpcEndpoint.dataProcessed': 0.02, 'logs.vendedIngestion': 0.5, 'logs.storage': 0.03 });
  }
  return table;
}

/** The small estate (one workload with one server role, as the example) with this landing zone network. */
const estate = (network: Raw, mutate: (raw: Raw) => void = () => {}) =>
  smallEstate((r) => {
    r.recovery = { ...r.recovery, network: { ...r.recovery.network, ...network }, functions: { ...r.recovery.functions, logRetentionDays: 30 } };
    mutate(r);
  });

describe('the DR landing zone, hand-computed', () => {
  it('prices N interface endpoints × 2 AZs × 730 h, the data they process and the flow logs, as shared fixed DR lines', () => {
    const config = estate({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], interfaceEndpoints: ['ssm', 'ec2', 'kms'] });
    const e = estimateCost(config, prices());
    const lines = landingZone(e);
    expect(lines.map((l) => [l.description, l.price.key])).toEqual([
      ['landing zone: interface VPC endpoints', 'vpcEndpoint.interfaceHour'],
      ['landing zone: interface endpoint data processed', 'vpcEndpoint.dataProcessed'],
      ['landing zone: VPC flow logs, ingestion', 'logs.vendedIngestion'],
      ['landing zone: VPC flow logs, storage', 'logs.storage'],
    ]);
    for (const l of lines) {
      expect(l).toMatchObject({ account: 'dr', accountId: config.accounts.dr.id, region: 'ap-northeast-1', category: 'fixed' });
      expect(l.workload).toBeUndefined();
    }
    // 3 endpoints × 2 AZs × 730 h = 4380 endpoint-AZ-hours × $0.01 = $43.80.
    const endpoints = lines[0];
    expect(HOURS_PER_MONTH).toBe(730);
    expect(endpoints.usage).toEqual({ quantity: 4380, unit: 'endpoint-AZ-hour', basis: '3 endpoints (ec2, kms, ssm) × 2 Availability Zones × 730 h' });
    expect(endpoints.price).toEqual({ key: 'vpcEndpoint.interfaceHour', region: 'ap-northeast-1', usd: 0.01, unit: 'endpoint-AZ-hour', unconfirmed: false });
    expect(endpoints.monthlyUsd).toBeCloseTo(43.8);
    // 1 GB processed × $0.02; 1 GB of flow logs × $0.50, kept 30 days: 30/30.4375 GB-month × $0.03.
    expect(LANDING_ZONE_GB).toEqual({ endpointData: 1, flowLogs: 1 });
    expect(lines[1].monthlyUsd).toBeCloseTo(0.02);
    expect(lines[2].monthlyUsd).toBeCloseTo(0.5);
    expect(lines[3].usage.quantity).toBeCloseTo(30 / DAYS_PER_MONTH);
    expect(lines[3].monthlyUsd).toBeCloseTo((30 / DAYS_PER_MONTH) * 0.03);
    expect(sumOf(lines)).toBeCloseTo(43.8 + 0.02 + 0.5 + (30 / DAYS_PER_MONTH) * 0.03);
    // Shared, not the workload's: the workload costs what it costs without servers; the DR account and the total carry the lines.
    const noLandingZone = estimateCost(estate({}, (r) => (r.workloads[0].servers = [])), prices());
    expect(e.workloads[0].totalMonthlyUsd).toBe(noLandingZone.workloads[0].totalMonthlyUsd);
    const dr = (x: CostEstimate) => x.accounts.find((a) => a.account === 'dr')!.totalMonthlyUsd;
    expect(dr(e) - dr(noLandingZone)).toBeCloseTo(sumOf(lines), 2);
    expect(e.totalMonthlyUsd - noLandingZone.totalMonthlyUsd).toBeCloseTo(sumOf(lines), 2);
    expect(e.sharedMonthlyUsd - noLandingZone.sharedMonthlyUsd).toBeCloseTo(sumOf(lines), 2);
  });

  it('counts a service listed twice once, as the module creates it once, and scales with the Availability Zones', () => {
    const two = estimateCost(estate({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], interfaceEndpoints: ['ssm', 'ssm', 'sts'] }), prices());
    const three = estimateCost(estate({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'], interfaceEndpoints: ['ssm', 'sts'] }), prices());
    expect(landingZone(two)[0].usage.quantity).toBe(2 * 2 * 730);
    expect(landingZone(three)[0].usage.quantity).toBe(2 * 3 * 730);
    expect(three.totalMonthlyUsd - two.totalMonthlyUsd).toBeCloseTo(2 * 730 * 0.01, 2);
  });

  it('prices the default endpoints with the shipped table: 8 × 2 AZs × 730 h × $0.014 in ap-northeast-1, flagged estimated', () => {
    const e = estimateCost(estate({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'] }, (r) => delete r.recovery.network.interfaceEndpoints));
    const [endpoints] = landingZone(e);
    expect(endpoints.usage.quantity).toBe(8 * 2 * 730);
    expect(endpoints.price).toMatchObject({ usd: 0.014, unconfirmed: true });
    expect(endpoints.monthlyUsd).toBeCloseTo(163.52);
  });

  it('has no endpoint lines without interface endpoints, but still the flow logs', () => {
    const e = estimateCost(estate({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], interfaceEndpoints: [] }), prices());
    expect(landingZone(e).map((l) => l.price.key)).toEqual(['logs.vendedIngestion', 'logs.storage']);
  });

  it('has no landing zone line when no workload has servers (the DR stack creates none then)', () => {
    const config = estate({}, (r) => (r.workloads[0].servers = []));
    expect(hasLandingZone(config)).toBe(false);
    expect(landingZone(estimateCost(config, prices()))).toEqual([]);
    expect(hasLandingZone(estate({}))).toBe(true);
  });
});

describe('the DR landing zone, prices', () => {
  const without = (key: string): PriceTable => {
    const table = prices();
    delete (table.regions['ap-northeast-1'] as Record<string, number>)[key];
    return table;
  };

  it.each([
    ['vpcEndpoint.interfaceHour', 'VpcEndpoint-Hours \\(AmazonVPC\\), per endpoint-AZ-hour'],
    ['vpcEndpoint.dataProcessed', 'VpcEndpoint-Bytes \\(AmazonVPC\\), per GB'],
    ['logs.vendedIngestion', 'VendedLog-Bytes \\(AmazonCloudWatch\\), per GB'],
  ])('fails on a Region without %s, naming the Region and the usage type, never pricing zero', (key, usage) => {
    const config = estate({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'] });
    expect(() => estimateCost(config, without(key))).toThrow(MissingPriceError);
    expect(() => estimateCost(config, without(key))).toThrow(new RegExp(`no price for ${key.replace('.', '\\.')} \\(AWS usage type ${usage}\\) in region ap-northeast-1`));
    // Without a landing zone the price is not needed.
    expect(() => estimateCost(estate({}, (r) => (r.workloads[0].servers = [])), without(key))).not.toThrow();
  });

  it('the shipped table has the landing zone prices in every Region it covers', () => {
    for (const recovery of ['ap-northeast-1', 'us-east-1']) {
      const e = estimateCost(estate({ availabilityZones: [`${recovery}a`, `${recovery}c`] }, (r) => (r.regions.recovery = recovery)));
      expect(landingZone(e).map((l) => l.region)).toEqual([recovery, recovery, recovery, recovery]);
    }
  });

  it('reads the landing zone prices from the AWS Price List (AmazonVPC, AmazonCloudWatch)', () => {
    const product = (servicecode: string, regionCode: string, usagetype: string, usd: string, beginRange = '0') =>
      JSON.stringify({ product: { attributes: { servicecode, regionCode, usagetype } }, terms: { OnDemand: { a: { priceDimensions: { b: { beginRange, pricePerUnit: { USD: usd } } } } } } });
    const read = readPriceList({
      PriceList: [
        product('AmazonVPC', 'ap-northeast-1', 'APN1-VpcEndpoint-Hours', '0.0140000000'),
        product('AmazonVPC', 'ap-northeast-1', 'APN1-VpcEndpoint-Bytes', '0.0100000000'),
        product('AmazonVPC', 'ap-northeast-1', 'APN1-VpcEndpoint-GWLBE-Hours', '0.0140000000'),
        product('AmazonVPC', 'us-east-1', 'USE1-VpcEndpoint-Hours', '0.0100000000'),
        product('AmazonCloudWatch', 'ap-northeast-1', 'APN1-VendedLog-Bytes', '0.7600000000'),
      ],
    });
    expect(read.regions).toEqual({
      'ap-northeast-1': { 'vpcEndpoint.interfaceHour': 0.014, 'vpcEndpoint.dataProcessed': 0.01, 'logs.vendedIngestion': 0.76 },
      'us-east-1': { 'vpcEndpoint.interfaceHour': 0.01 },
    });
  });
});
