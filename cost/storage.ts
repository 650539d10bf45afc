import { DAYS_PER_MONTH } from './schedule-frequency';
import { isIncremental, supportsCold, type TypeUsage } from './usage';

/** How one vault keeps one rule's recovery points. */
export interface RetentionPlan {
  /** Backups (or copies) a month. */
  readonly backupsPerMonth: number;
  readonly retentionDays: number;
  /** Days after which points move to cold storage (ignored for types without cold storage, or ≥ retention). */
  readonly coldAfterDays?: number;
  /** The vault has no cold tier (the logically air-gapped vault, as modelled): everything stays warm. */
  readonly warmOnly?: boolean;
}

/** Average GiB stored in a month, by tier, and the points behind them. */
export interface StoredData {
  readonly warmGib: number;
  readonly coldGib: number;
  readonly warmPoints: number;
  readonly coldPoints: number;
  /** GiB one backup adds after the first: the change since the previous backup (incremental types) or the whole size. */
  readonly perBackupGib: number;
}

/**
 * Steady-state storage of one type's recovery points under one retention plan.
 *
 * Points retained: retentionDays × backups a day, of which those younger than coldAfterDays are warm.
 * Incremental types: the oldest warm point holds the full data (S), every other warm point what changed
 * since the previous backup, min(S, S × daily change × days between backups). Full types (DynamoDB):
 * S per point. Cold points: EBS moves to the EBS Snapshots archive tier, which keeps a full snapshot
 * per point (re:Post "How am I charged for EBS snapshots", archive tier); others keep their own size
 * (S for full types, the change for incremental ones: an assumption, AWS does not document it).
 * With fewer than one point retained (retention shorter than the interval) the full size is counted
 * for the fraction of the month a point exists.
 */
export function storedData(usage: TypeUsage, plan: RetentionPlan): StoredData {
  const S = usage.gib;
  const perDay = plan.backupsPerMonth / DAYS_PER_MONTH;
  if (perDay <= 0) return { warmGib: 0, coldGib: 0, warmPoints: 0, coldPoints: 0, perBackupGib: 0 };
  const incremental = isIncremental(usage.type);
  const change = Math.min(S, (S * usage.dailyChangePercent) / 100 / perDay);
  const perBackupGib = incremental ? change : S;
  const K = plan.coldAfterDays;
  const cold = !plan.warmOnly && supportsCold(usage.type) && K !== undefined && K < plan.retentionDays;
  const warmDays = cold ? K : plan.retentionDays;
  const warmPoints = warmDays * perDay;
  const coldPoints = cold ? (plan.retentionDays - K) * perDay : 0;
  const warmGib = incremental ? Math.min(warmPoints, 1) * S + Math.max(0, warmPoints - 1) * change : warmPoints * S;
  const coldPointGib = !incremental || usage.type === 'EBS' ? S : change;
  return { warmGib, coldGib: coldPoints * coldPointGib, warmPoints, coldPoints, perBackupGib };
}

/**
 * GiB a month one destination receives from one rule's copies: every backup is copied; a copy of an
 * incremental type carries only what changed since the previous copy once the destination holds one
 * (steady state: the first, full copy is not counted), a full type the whole size.
 */
export function copiedGibPerMonth(usage: TypeUsage, backupsPerMonth: number): number {
  if (backupsPerMonth <= 0) return 0;
  const perDay = backupsPerMonth / DAYS_PER_MONTH;
  const perCopy = isIncremental(usage.type) ? Math.min(usage.gib, (usage.gib * usage.dailyChangePercent) / 100 / perDay) : usage.gib;
  return backupsPerMonth * perCopy;
}
