import * as fs from 'fs';
import type { PriceOverride } from './prices';
import { PRICED_RESOURCE_TYPES, type PriceKey } from './price-keys';

/**
 * Reads prices from the AWS Price List API's own JSON, as
 * `aws pricing get-products --service-code AWSBackup --region us-east-1` prints it:
 * `{ "PriceList": ["<product JSON>", ...] }`, each product with `product.attributes` (`regionCode`,
 * `usagetype`, `servicecode`) and `terms.OnDemand.<offer>.priceDimensions.<rate>.pricePerUnit.USD`.
 * Several such outputs (AWSBackup, AmazonEC2, AmazonRDS, awskms, AmazonVPC, AmazonCloudWatch, ...) may be concatenated into one
 * `PriceList`. The usage type's region prefix (`APN2-`, `USE1-`, none in some us-east-1 types) is
 * ignored: the product's `regionCode` names the region. Products that map to no price key are
 * skipped; of tiered prices the first tier (beginRange 0) is taken.
 */

export class PriceListError extends Error {
  constructor(source: string, message: string) {
    super(`Price List ${source}: ${message}`);
    this.name = 'PriceListError';
  }
}

const TYPES = PRICED_RESOURCE_TYPES.join('|');
/** Usage-type suffix → price keys; `$1` is the resource type where the pattern captures one. */
const RULES: { service?: string; pattern: RegExp; keys: (type: string) => PriceKey[]; max?: boolean }[] = [
  { pattern: new RegExp(`(?:^|-)WarmStorage-ByteHrs-(${TYPES})$`), keys: (t) => [`backup.warm.${t}` as PriceKey] },
  { pattern: new RegExp(`(?:^|-)WarmStorage-ByteHrs-(${TYPES})-LAGV$`), keys: (t) => (t === 'EBS' ? ['backup.airGapped.EBS', 'backup.airGapped.EC2'] : [`backup.airGapped.${t}` as PriceKey]) },
  { pattern: /(?:^|-)ColdStorage-ByteHrs-(EBS|EFS|DynamoDB)$/, keys: (t) => [`backup.cold.${t}` as PriceKey] },
  { pattern: /(?:^|-)Restore-(?:Warm)?Bytes-(EFS|DynamoDB|S3)$/, keys: (t) => [`restore.${t}` as PriceKey] },
  { pattern: new RegExp(`(?:^|-)CrossRegion-WarmBytes-(${TYPES})$`), keys: () => ['transfer.crossRegion'], max: true },
  { pattern: /(?:^|-)RestoreTesting-Jobs$/, keys: () => ['restoreTesting.job'] },
  { service: 'AmazonEC2', pattern: /(?:^|-)EBS:SnapshotUsage$/, keys: () => ['backup.warm.EBS', 'backup.warm.EC2'] },
  { service: 'AmazonEC2', pattern: /(?:^|-)EBS:SnapshotArchiveStorage$/, keys: () => ['backup.cold.EBS'] },
  { service: 'AmazonRDS', pattern: /(?:^|-)RDS:ChargedBackupUsage$/, keys: () => ['backup.warm.RDS'] },
  { service: 'AmazonRDS', pattern: /(?:^|-)Aurora:BackupUsage$/, keys: () => ['backup.warm.Aurora'] },
  { service: 'awskms', pattern: /(?:^|-)KMS-Keys$/, keys: () => ['kms.key'] },
  { service: 'AmazonStates', pattern: /(?:^|-)StateTransition$/, keys: () => ['stepFunctions.transition'] },
  { service: 'AWSLambda', pattern: /(?:^|-)Lambda-GB-Second-ARM$/, keys: () => ['lambda.gbSecond.arm64'] },
  { service: 'AWSLambda', pattern: /(?:^|-)Lambda-GB-Second$/, keys: () => ['lambda.gbSecond.x86_64'] },
  { service: 'AWSLambda', pattern: /(?:^|-)Request$/, keys: () => ['lambda.request'] },
  { service: 'AmazonCloudWatch', pattern: /(?:^|-)DataProcessing-Bytes$/, keys: () => ['logs.ingestion'] },
  { service: 'AmazonCloudWatch', pattern: /(?:^|-)TimedStorage-ByteHrs$/, keys: () => ['logs.storage'] },
  // VPC flow logs delivered to CloudWatch Logs are vended logs (first tier; delivery to S3 is another usage type).
  { service: 'AmazonCloudWatch', pattern: /(?:^|-)VendedLog-Bytes$/, keys: () => ['logs.vendedIngestion'] },
  // Interface endpoints only: Gateway Load Balancer endpoints are `VpcEndpoint-GWLBE-*`, which these do not match.
  { service: 'AmazonVPC', pattern: /(?:^|-)VpcEndpoint-Hours$/, keys: () => ['vpcEndpoint.interfaceHour'] },
  { service: 'AmazonVPC', pattern: /(?:^|-)VpcEndpoint-Bytes$/, keys: () => ['vpcEndpoint.dataProcessed'] },
  { service: 'AWSEvents', pattern: /(?:^|-)Event-64K-Chunks$/, keys: () => ['eventBridge.customEvent'] },
];

export interface PriceListMatch {
  readonly region: string;
  readonly usagetype: string;
  readonly key: PriceKey;
  readonly usd: number;
}

interface Product {
  serviceCode?: string;
  product?: { attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { beginRange?: string; pricePerUnit?: { USD?: string } }> }> };
}

function onDemandUsd(p: Product): number | undefined {
  const dims = Object.values(p.terms?.OnDemand ?? {}).flatMap((t) => Object.values(t.priceDimensions ?? {}));
  const first = dims.find((d) => (d.beginRange ?? '0') === '0') ?? dims[0];
  const usd = first?.pricePerUnit?.USD;
  return usd === undefined || !Number.isFinite(Number(usd)) ? undefined : Number(usd);
}

/** Prices found in a parsed Price List document, and the products they came from. */
export function readPriceList(doc: unknown, source = '(inline)'): PriceOverride & { matches: PriceListMatch[] } {
  const list = (doc as { PriceList?: unknown })?.PriceList;
  if (!Array.isArray(list)) throw new PriceListError(source, 'has no "PriceList" array (expected the output of `aws pricing get-products`)');
  const regions: Record<string, Partial<Record<PriceKey, number>>> = {};
  const matches: PriceListMatch[] = [];
  list.forEach((item, i) => {
    let p: Product;
    try {
      p = (typeof item === 'string' ? JSON.parse(item) : item) as Product;
    } catch (e) {
      throw new PriceListError(source, `PriceList[${i}] is not a JSON product (${(e as Error).message})`);
    }
    const attributes = p.product?.attributes ?? {};
    const { regionCode, usagetype } = attributes;
    const service = attributes.servicecode ?? p.serviceCode;
    if (!regionCode || !usagetype) return;
    const rule = RULES.find((r) => (!r.service || r.service === service) && r.pattern.test(usagetype));
    if (!rule) return;
    const usd = onDemandUsd(p);
    if (usd === undefined) throw new PriceListError(source, `PriceList[${i}] (${regionCode} ${usagetype}) has no OnDemand pricePerUnit.USD`);
    const type = rule.pattern.exec(usagetype)?.[1] ?? '';
    for (const key of rule.keys(type)) {
      const prices = (regions[regionCode] ??= {});
      const previous = prices[key];
      prices[key] = previous !== undefined && rule.max ? Math.max(previous, usd) : usd;
      matches.push({ region: regionCode, usagetype, key, usd });
    }
  });
  if (matches.length === 0) throw new PriceListError(source, 'has no product whose usage type maps to a price of the cost model (docs/cost.md lists them)');
  return { source, regions, matches };
}

/** Reads and parses a Price List file (`--prices FILE`). */
export function readPriceListFile(file: string): PriceOverride & { matches: PriceListMatch[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PriceListError(file, `cannot be read (${(e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PriceListError(file, `is not valid JSON (${(e as Error).message})`);
  }
  return readPriceList(doc, file);
}
