import type { EstateConfig, WorkloadConfig } from '../config/schema';
import { worstCaseIntervalMinutes } from '../config/schedule-interval';
import { priceOf, type PriceTable } from './prices';
import { RESTORE_CHARGED_TYPES, priceUnit, type PriceKey, type PricedResourceType } from './price-keys';
import { runsPerMonth, DAYS_PER_MONTH } from './schedule-frequency';
import { copiedGibPerMonth, storedData, type RetentionPlan } from './storage';
import { workloadUsage, type TypeUsage } from './usage';
import { ASSUMPTIONS, DR_KMS_KEYS, HOURS_PER_MONTH, LANDING_ZONE_GB, DRILL_FIXED_TRANSITIONS, DRILL_JOB_MINUTES, LOG_MIB, QUIET_MONTH_EVENTS, READINESS_SECONDS, READINESS_MEMORY_GB, VALIDATION_SECONDS, VALIDATION_MEMORY_GB } from './assumptions';

export type CostCategory = 'storage' | 'copies' | 'restoreTesting' | 'drills' | 'fixed';
export type VaultRole = 'local' | 'central' | 'central (workload region)' | 'airGapped' | 'drRestore';

/** One priced usage: what was multiplied by which price. */
export interface CostLine {
  /** The workload the cost belongs to; absent for what the estate shares (central keys, DR parts). */
  readonly workload?: string;
  /** `workload:<name>`, `backupVault` or `dr`. */
  readonly account: string;
  readonly accountId: string;
  readonly region: string;
  readonly category: CostCategory;
  readonly vault?: VaultRole;
  readonly tier?: 'warm' | 'cold';
  readonly resourceType?: PricedResourceType;
  readonly rule?: string;
  readonly description: string;
  /** The quantity multiplied, in the price's unit, and how it was computed. */
  readonly usage: { readonly quantity: number; readonly unit: string; readonly basis: string };
  readonly price: { readonly key: PriceKey; readonly region: string; readonly usd: number; readonly unit: string; readonly unconfirmed: boolean };
  readonly monthlyUsd: number;
}

export interface WorkloadCost {
  readonly name: string;
  readonly totalMonthlyUsd: number;
  /** Worst-case RPO from the copies: the most frequent rule's longest gap between backups. */
  readonly worstCaseRpoMinutes: number;
  readonly rpoTargetMinutes: number;
  readonly rtoTargetMinutes: number;
}

export interface CostEstimate {
  readonly totalMonthlyUsd: number;
  readonly currency: 'USD';
  readonly priceDate: string;
  readonly workloads: WorkloadCost[];
  readonly accounts: { readonly account: string; readonly accountId: string; readonly totalMonthlyUsd: number }[];
  /** What no single workload causes (central vault and DR keys, readiness checker, shared logs). */
  readonly sharedMonthlyUsd: number;
  readonly lines: CostLine[];
  readonly assumptions: readonly string[];
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/** Collects lines, pricing each one from the table (a missing price throws, never prices zero). */
class Lines {
  readonly all: CostLine[] = [];
  constructor(private readonly prices: PriceTable) {}
  add(line: Omit<CostLine, 'price' | 'monthlyUsd' | 'usage'> & { quantity: number; basis: string; key: PriceKey }): void {
    if (line.quantity <= 0) return;
    const usd = priceOf(this.prices, line.region, line.key);
    const { quantity, basis, key, ...rest } = line;
    this.all.push({
      ...rest,
      usage: { quantity, unit: priceUnit(key), basis },
      price: { key, region: line.region, usd, unit: priceUnit(key), unconfirmed: this.prices.unconfirmed?.[line.region]?.includes(key) ?? false },
      monthlyUsd: quantity * usd,
    });
  }
}

/** The vaults every recovery point of a workload is copied to: mirrors `copyDestinationVaultArns` in stacks/workload-stack.ts. */
export function copyDestinations(config: EstateConfig, workloadRegion: string): { vault: VaultRole; region: string }[] {
  const { kind } = config.centralVault;
  const out: { vault: VaultRole; region: string }[] = [];
  if (kind !== 'airGapped') {
    out.push({ vault: 'central', region: config.regions.recovery });
    if (config.accounts.backupVault.primaryRegionCopy) out.push({ vault: 'central (workload region)', region: workloadRegion });
  }
  if (kind !== 'locked') out.push({ vault: 'airGapped', region: config.regions.recovery });
  return out;
}

/** Locked central vault regions, each with its own key (mirrors stacks/backup-vault-stack.ts). */
export function centralVaultRegions(config: EstateConfig): string[] {
  if (config.centralVault.kind === 'airGapped') return [];
  const regions = [config.regions.recovery];
  if (config.accounts.backupVault.primaryRegionCopy) for (const w of config.workloads) regions.push(w.region ?? config.regions.primary);
  return [...new Set(regions)];
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function storageLines(lines: Lines, config: EstateConfig, w: WorkloadConfig, usages: TypeUsage[]): void {
  const region = w.region ?? config.regions.primary;
  const { backupVault } = config.accounts;
  const workloadAccount = { workload: w.name, account: `workload:${w.name}`, accountId: w.accountId };
  for (const rule of w.backup.rules) {
    const perMonth = runsPerMonth(rule.schedule);
    const local: RetentionPlan = { backupsPerMonth: perMonth, retentionDays: rule.retentionDays, coldAfterDays: rule.coldStorageAfterDays };
    for (const u of usages) {
      const vaults: { vault: VaultRole; region: string; plan: RetentionPlan; account: string; accountId: string }[] = [
        { vault: 'local', region, plan: local, ...workloadAccount },
        ...copyDestinations(config, region).map((d) => ({
          ...d,
          plan: { backupsPerMonth: perMonth, retentionDays: rule.copyRetentionDays, coldAfterDays: rule.copyColdStorageAfterDays, warmOnly: d.vault === 'airGapped' },
          account: 'backupVault',
          accountId: backupVault.id,
        })),
      ];
      for (const v of vaults) {
        const s = storedData(u, v.plan);
        const points = `${fmt(v.plan.backupsPerMonth)} backups/month × ${v.plan.retentionDays} days retained`;
        const base = { workload: w.name, account: v.account, accountId: v.accountId, region: v.region, category: 'storage' as const, vault: v.vault, resourceType: u.type, rule: rule.name };
        lines.add({
          ...base,
          tier: 'warm',
          description: `${u.type} recovery points, ${v.vault} vault, warm`,
          quantity: s.warmGib,
          basis: `${fmt(s.warmPoints)} warm points (${points}); ${u.gib} GiB at ${u.dailyChangePercent} %/day${u.assumed ? ' (default)' : ''}`,
          key: v.vault === 'airGapped' ? (`backup.airGapped.${u.type}` as PriceKey) : (`backup.warm.${u.type}` as PriceKey),
        });
        lines.add({
          ...base,
          tier: 'cold',
          description: `${u.type} recovery points, ${v.vault} vault, cold`,
          quantity: s.coldGib,
          basis: `${fmt(s.coldPoints)} cold points after ${v.plan.coldAfterDays} days (${points})`,
          key: `backup.cold.${u.type}` as PriceKey,
        });
        if (v.vault !== 'local' && v.region !== region) {
          lines.add({
            ...workloadAccount,
            region,
            category: 'copies',
            vault: v.vault,
            resourceType: u.type,
            rule: rule.name,
            description: `${u.type} copies ${region} → ${v.region} (${v.vault} vault), data transfer`,
            quantity: copiedGibPerMonth(u, perMonth),
            basis: `${fmt(perMonth)} copies/month × ${fmt(s.perBackupGib)} GiB each`,
            key: 'transfer.crossRegion',
          });
        }
      }
    }
  }
}

function restoreTestingLines(lines: Lines, config: EstateConfig, w: WorkloadConfig, usages: TypeUsage[]): void {
  if (!w.restoreTesting) return;
  const { dr } = config.accounts;
  const region = config.regions.recovery;
  const tests = runsPerMonth(w.restoreTesting.schedule);
  const base = { workload: w.name, account: 'dr', accountId: dr.id, region, category: 'restoreTesting' as const };
  const tested = usages.filter((u) => (w.restoreTesting!.resourceTypes as readonly string[]).includes(u.type));
  for (const u of tested) {
    lines.add({ ...base, resourceType: u.type, description: `${u.type} restore test jobs`, quantity: tests, basis: `${fmt(tests)} tests/month × 1 job`, key: 'restoreTesting.job' });
    if ((RESTORE_CHARGED_TYPES as readonly string[]).includes(u.type)) {
      lines.add({ ...base, resourceType: u.type, description: `${u.type} data restored by restore tests`, quantity: tests * u.gib, basis: `${fmt(tests)} tests/month × ${u.gib} GiB`, key: `restore.${u.type}` as PriceKey });
    }
  }
  const jobs = tests * tested.length;
  const arch = config.recovery.functions.architecture;
  lines.add({ ...base, description: 'validate-restore function, requests', quantity: jobs, basis: `${fmt(jobs)} restore test jobs/month`, key: 'lambda.request' });
  lines.add({ ...base, description: 'validate-restore function, compute', quantity: jobs * VALIDATION_SECONDS * VALIDATION_MEMORY_GB, basis: `${fmt(jobs)} runs × ${VALIDATION_SECONDS} s × ${VALIDATION_MEMORY_GB} GB`, key: `lambda.gbSecond.${arch}` as PriceKey });
}

function drillLines(lines: Lines, config: EstateConfig, w: WorkloadConfig, usages: TypeUsage[]): void {
  if (!w.recovery.drillSchedule) return;
  const { dr } = config.accounts;
  const region = config.regions.recovery;
  const drills = runsPerMonth(w.recovery.drillSchedule);
  const base = { workload: w.name, account: 'dr', accountId: dr.id, region, category: 'drills' as const };
  const { pollSeconds, copyRetentionDays } = config.recovery.stateMachine;
  const transitions = DRILL_FIXED_TRANSITIONS + 3 * Math.ceil((DRILL_JOB_MINUTES * 60) / pollSeconds);
  lines.add({ ...base, description: 'recovery state machine, state transitions', quantity: drills * transitions, basis: `${fmt(drills)} drills/month × ${transitions} transitions`, key: 'stepFunctions.transition' });
  lines.add({ ...base, description: 'drill schedule invocations', quantity: drills, basis: `${fmt(drills)} drills/month`, key: 'scheduler.invocation' });
  // Without an air-gapped vault, recovery copies the central point into the DR restore vault first (docs/vaults.md).
  const copies = config.centralVault.kind === 'locked';
  for (const u of usages) {
    if (copies) {
      lines.add({ ...base, vault: 'drRestore', tier: 'warm', resourceType: u.type, description: `${u.type} drill copies kept in the DR restore vault`, quantity: (drills * u.gib * copyRetentionDays) / DAYS_PER_MONTH, basis: `${fmt(drills)} drills/month × ${u.gib} GiB × ${copyRetentionDays} days kept`, key: `backup.warm.${u.type}` as PriceKey });
    }
    if ((RESTORE_CHARGED_TYPES as readonly string[]).includes(u.type)) {
      lines.add({ ...base, resourceType: u.type, description: `${u.type} data restored by drills`, quantity: drills * u.gib, basis: `${fmt(drills)} drills/month × ${u.gib} GiB`, key: `restore.${u.type}` as PriceKey });
    }
  }
}

function fixedLines(lines: Lines, config: EstateConfig): void {
  const { dr, backupVault } = config.accounts;
  const recovery = config.regions.recovery;
  for (const w of config.workloads) {
    const region = w.region ?? config.regions.primary;
    lines.add({ workload: w.name, account: `workload:${w.name}`, accountId: w.accountId, region, category: 'fixed', description: 'KMS key of the local vault', quantity: 1, basis: '1 key', key: 'kms.key' });
    lines.add({ workload: w.name, account: 'dr', accountId: dr.id, region: recovery, category: 'fixed', description: 'events forwarded to the DR bus', quantity: QUIET_MONTH_EVENTS, basis: `${QUIET_MONTH_EVENTS} events/month (assumed quiet month)`, key: 'eventBridge.customEvent' });
  }
  for (const region of centralVaultRegions(config)) {
    lines.add({ account: 'backupVault', accountId: backupVault.id, region, category: 'fixed', description: 'KMS key of the locked central vault', quantity: 1, basis: '1 key', key: 'kms.key' });
  }
  const dr0 = { account: 'dr', accountId: dr.id, region: recovery, category: 'fixed' as const };
  lines.add({ ...dr0, description: 'KMS keys (restore vault, functions, on-call topic)', quantity: DR_KMS_KEYS, basis: `${DR_KMS_KEYS} keys`, key: 'kms.key' });
  const runs = runsPerMonth(config.readiness.schedule);
  const arch = config.recovery.functions.architecture;
  lines.add({ ...dr0, description: 'readiness checker schedule', quantity: runs, basis: `${fmt(runs)} runs/month`, key: 'scheduler.invocation' });
  lines.add({ ...dr0, description: 'readiness checker, requests', quantity: runs, basis: `${fmt(runs)} runs/month`, key: 'lambda.request' });
  lines.add({ ...dr0, description: 'readiness checker, compute', quantity: runs * READINESS_SECONDS * READINESS_MEMORY_GB, basis: `${fmt(runs)} runs × ${READINESS_SECONDS} s × ${READINESS_MEMORY_GB} GB`, key: `lambda.gbSecond.${arch}` as PriceKey });
  const ingestedGb = (runs * LOG_MIB.readinessRun) / 1024;
  lines.add({ ...dr0, description: 'function logs, ingestion', quantity: ingestedGb, basis: `${fmt(runs)} runs × ${LOG_MIB.readinessRun} MiB`, key: 'logs.ingestion' });
  const retention = config.recovery.functions.logRetentionDays;
  lines.add({ ...dr0, description: 'function logs, storage', quantity: (ingestedGb * retention) / DAYS_PER_MONTH, basis: `${fmt(ingestedGb)} GB/month kept ${retention} days`, key: 'logs.storage' });
  landingZoneLines(lines, config);
}

/** Whether the DR stack creates the landing zone: as stacks/dr-stack.ts decides it, when any workload has servers. */
export function hasLandingZone(config: EstateConfig): boolean {
  return config.workloads.some((w) => w.servers.length > 0);
}

/**
 * The landing zone's always-on network (modules/recovery-landing-zone.ts), in the recovery Region of
 * the DR account: one interface endpoint per distinct service of `recovery.network.interfaceEndpoints`
 * in a subnet of every Availability Zone, billed per endpoint and zone hour, and the data they process;
 * the VPC flow log to a CloudWatch Logs group kept `recovery.functions.logRetentionDays`. The S3
 * gateway endpoint is free and there is no NAT gateway, so neither has a line.
 */
function landingZoneLines(lines: Lines, config: EstateConfig): void {
  if (!hasLandingZone(config)) return;
  const { dr } = config.accounts;
  const { network, functions } = config.recovery;
  const lz = { account: 'dr', accountId: dr.id, region: config.regions.recovery, category: 'fixed' as const };
  const endpoints = [...new Set(network.interfaceEndpoints)].sort();
  const zones = network.availabilityZones.length;
  lines.add({
    ...lz,
    description: 'landing zone: interface VPC endpoints',
    quantity: endpoints.length * zones * HOURS_PER_MONTH,
    basis: `${endpoints.length} endpoints (${endpoints.join(', ')}) × ${zones} Availability Zones × ${HOURS_PER_MONTH} h`,
    key: 'vpcEndpoint.interfaceHour',
  });
  if (endpoints.length > 0) {
    lines.add({ ...lz, description: 'landing zone: interface endpoint data processed', quantity: LANDING_ZONE_GB.endpointData, basis: `${LANDING_ZONE_GB.endpointData} GB/month (assumed, idle landing zone)`, key: 'vpcEndpoint.dataProcessed' });
  }
  const flowLogGb = LANDING_ZONE_GB.flowLogs;
  lines.add({ ...lz, description: 'landing zone: VPC flow logs, ingestion', quantity: flowLogGb, basis: `${flowLogGb} GB/month (assumed, idle landing zone) delivered to CloudWatch Logs`, key: 'logs.vendedIngestion' });
  const retention = functions.logRetentionDays;
  lines.add({ ...lz, description: 'landing zone: VPC flow logs, storage', quantity: (flowLogGb * retention) / DAYS_PER_MONTH, basis: `${fmt(flowLogGb)} GB/month kept ${retention} days`, key: 'logs.storage' });
}

/**
 * Monthly cost of the estate: storage by vault and tier, copies and their transfer, restore testing,
 * drills and the always-on DR parts, each line naming its price and usage. `prices` defaults to the
 * table shipped in cost/prices/ with the estate file's `prices` laid over it (see cost/index.ts).
 */
export function estimateWith(config: EstateConfig, prices: PriceTable): CostEstimate {
  const lines = new Lines(prices);
  config.workloads.forEach((w, i) => {
    const usages = workloadUsage(w, i);
    storageLines(lines, config, w, usages);
    restoreTestingLines(lines, config, w, usages);
    drillLines(lines, config, w, usages);
  });
  fixedLines(lines, config);
  const sum = (ls: CostLine[]) => round(ls.reduce((t, l) => t + l.monthlyUsd, 0));
  const accountIds = new Map<string, string>();
  for (const l of lines.all) accountIds.set(l.account, l.accountId);
  return {
    totalMonthlyUsd: sum(lines.all),
    currency: 'USD',
    priceDate: prices.date,
    workloads: config.workloads.map((w) => ({
      name: w.name,
      totalMonthlyUsd: sum(lines.all.filter((l) => l.workload === w.name)),
      worstCaseRpoMinutes: Math.min(...w.backup.rules.map((r) => worstCaseIntervalMinutes(r.schedule))),
      rpoTargetMinutes: w.targets.rpoMinutes,
      rtoTargetMinutes: w.targets.rtoMinutes,
    })),
    accounts: [...accountIds].map(([account, accountId]) => ({ account, accountId, totalMonthlyUsd: sum(lines.all.filter((l) => l.account === account)) })),
    sharedMonthlyUsd: sum(lines.all.filter((l) => l.workload === undefined)),
    lines: lines.all,
    assumptions: ASSUMPTIONS,
  };
}
