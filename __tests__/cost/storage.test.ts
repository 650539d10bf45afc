import { copiedGibPerMonth, storedData } from '../../cost/storage';
import { runsPerMonth, DAYS_PER_MONTH } from '../../cost/schedule-frequency';
import type { TypeUsage } from '../../cost/usage';

const usage = (type: TypeUsage['type'], gib = 100, dailyChangePercent = 2): TypeUsage => ({ type, gib, dailyChangePercent, assumed: false });
const daily = DAYS_PER_MONTH;

describe('storedData: recovery points retained, by tier', () => {
  it('stores an incremental type (EBS) as one full point plus the daily change of every other point', () => {
    // 10 daily points: 100 GiB + 9 × 2 GiB.
    const s = storedData(usage('EBS'), { backupsPerMonth: daily, retentionDays: 10 });
    expect(s.warmPoints).toBeCloseTo(10);
    expect(s.warmGib).toBeCloseTo(118);
    expect(s.coldGib).toBe(0);
  });

  it('stores a full type (DynamoDB) whole in every point', () => {
    expect(storedData(usage('DynamoDB'), { backupsPerMonth: daily, retentionDays: 10 }).warmGib).toBeCloseTo(1000);
  });

  it('counts the change since the previous backup for less frequent backups (weekly: 7 days of change)', () => {
    // 35 days of weekly points = 5 points: 100 + 4 × 14.
    const s = storedData(usage('EFS'), { backupsPerMonth: daily / 7, retentionDays: 35 });
    expect(s.warmGib).toBeCloseTo(156);
  });

  it('moves EBS points to the archive tier as full snapshots after coldStorageAfterDays', () => {
    // 120 days, cold after 30: warm 100 + 29 × 2 = 158; cold 90 points × 100 GiB.
    const s = storedData(usage('EBS'), { backupsPerMonth: daily, retentionDays: 120, coldAfterDays: 30 });
    expect(s.warmGib).toBeCloseTo(158);
    expect(s.coldPoints).toBeCloseTo(90);
    expect(s.coldGib).toBeCloseTo(9000);
  });

  it('keeps EFS cold points at their incremental size', () => {
    const s = storedData(usage('EFS'), { backupsPerMonth: daily, retentionDays: 120, coldAfterDays: 30 });
    expect(s.coldGib).toBeCloseTo(180);
  });

  it('ignores the lifecycle for types without cold storage (RDS) and in a warm-only vault', () => {
    expect(storedData(usage('RDS'), { backupsPerMonth: daily, retentionDays: 120, coldAfterDays: 30 })).toMatchObject({ coldGib: 0 });
    expect(storedData(usage('RDS'), { backupsPerMonth: daily, retentionDays: 120, coldAfterDays: 30 }).warmGib).toBeCloseTo(338);
    expect(storedData(usage('EBS'), { backupsPerMonth: daily, retentionDays: 120, coldAfterDays: 30, warmOnly: true }).warmGib).toBeCloseTo(338);
  });
});

describe('copiedGibPerMonth', () => {
  it('copies the daily change of an incremental type and the whole of a full type', () => {
    expect(copiedGibPerMonth(usage('EBS'), daily)).toBeCloseTo(60.875);
    expect(copiedGibPerMonth(usage('DynamoDB'), daily)).toBeCloseTo(3043.75);
  });
});

describe('runsPerMonth', () => {
  it.each([
    ['cron(0 17 * * ? *)', 30.4375],
    ['cron(0 * * * ? *)', 730.5],
    ['rate(12 hours)', 60.875],
    ['cron(0 5 ? * SUN *)', 1461 / 336],
    ['cron(0 3 ? * SUN#1 *)', 1],
    ['cron(0 5 ? * MON-FRI *)', (10227 * 5) / 7 / 336],
    ['at(2027-01-01T00:00:00)', 0],
  ])('%s runs %d times a month on average', (expression, expected) => {
    expect(runsPerMonth(expression)).toBeCloseTo(expected, 1);
  });
});
