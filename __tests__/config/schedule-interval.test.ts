import { formatMinutes, perExpression, worstCaseIntervalMinutes } from '../../config/schedule-interval';
import { scheduleExpressionProblem } from '../../config/schedule-expression';

const DAY = 1440;

describe('worstCaseIntervalMinutes', () => {
  it.each([
    ['daily at 17:00', 'cron(0 17 * * ? *)', DAY],
    ['hourly', 'cron(0 * * * ? *)', 60],
    ['every 12 hours', 'cron(0 0/12 * * ? *)', 720],
    ['twice a day at uneven hours: the longer gap counts', 'cron(0 6,9 * * ? *)', 21 * 60],
    ['every 6 hours between 0 and 18', 'cron(30 0-18/6 * * ? *)', 6 * 60],
    ['weekdays only: Friday to Monday', 'cron(0 5 ? * MON-FRI *)', 3 * DAY],
    ['weekdays by number', 'cron(0 5 ? * 2-6 *)', 3 * DAY],
    ['weekends only: Sunday to Saturday', 'cron(0 5 ? * SAT,SUN *)', 6 * DAY],
    ['a wrapping weekday range FRI-MON: Monday to Friday', 'cron(0 5 ? * FRI-MON *)', 4 * DAY],
    ['weekly on Sunday', 'cron(0 3 ? * SUN *)', 7 * DAY],
    ['monthly on the 1st: 31-day months', 'cron(0 0 1 * ? *)', 31 * DAY],
    ['on the 31st: only months that have one (Aug to Oct is 61 days)', 'cron(0 0 31 * ? *)', 61 * DAY],
    ['on the last day of the month: Jan 31 to Mar 31 in no case longer than 31 days', 'cron(0 0 L * ? *)', 31 * DAY],
    ['first Sunday of the month: up to 5 weeks apart', 'cron(0 3 ? * SUN#1 *)', 35 * DAY],
    ['first Sunday by number', 'cron(0 3 ? * 1#1 *)', 35 * DAY],
    ['last Friday of the month', 'cron(0 3 ? * 6L *)', 35 * DAY],
    ['nearest weekday to the 15th: Friday the 14th to the 15th of a 31-day month', 'cron(0 3 15W * ? *)', 32 * DAY],
    ['last weekday of the month: Friday before a Sunday month end to the 31st', 'cron(0 3 LW * ? *)', 33 * DAY],
    ['quarterly on the 1st', 'cron(0 0 1 1/3 ? *)', 92 * DAY],
    ['yearly on January 1st', 'cron(0 0 1 JAN ? *)', 366 * DAY],
    ['February 29th: only leap years', 'cron(0 0 29 2 ? *)', (3 * 365 + 366) * DAY],
    ['rate(1 day)', 'rate(1 day)', DAY],
    ['rate(12 hours)', 'rate(12 hours)', 720],
    ['rate(90 minutes)', 'rate(90 minutes)', 90],
    ['rate(7 days)', 'rate(7 days)', 7 * DAY],
  ])('%s: %s → %d minutes', (_what, expression, expected) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
    expect(worstCaseIntervalMinutes(expression)).toBe(expected);
  });

  it('counts the gap between listed years and nothing after the last one', () => {
    expect(worstCaseIntervalMinutes('cron(0 0 1 1 ? 2030,2032)')).toBe((365 + 365) * DAY);
    expect(worstCaseIntervalMinutes('cron(0 0 1 1 ? 2030)')).toBe(Infinity);
  });

  it('is fast enough for 200 workloads and memoizes per expression', () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) worstCaseIntervalMinutes(`cron(${i % 60} 3 ? * SUN#1 *)`);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).toBeLessThan(2000);
  });

  it('rejects what it cannot parse', () => {
    expect(() => worstCaseIntervalMinutes('daily')).toThrow(/neither cron/);
    expect(() => worstCaseIntervalMinutes('cron(0 17 * *)')).toThrow(/4 fields/);
    expect(() => worstCaseIntervalMinutes('cron(0 25 * * ? *)')).toThrow(/outside 0-23/);
  });
});

describe('formatMinutes', () => {
  it.each([
    [30, '30 min'],
    [60, '1 h'],
    [90, '1 h 30 min'],
    [1440, '24 h'],
    [4320, '3 days'],
    [Infinity, 'never again'],
  ])('%d → %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});

describe('perExpression', () => {
  it('computes once per name and expression, shared by every module registry of the process (the test files of a worker)', () => {
    const calls: string[] = [];
    const name = `test-${Math.random()}`;
    const length = perExpression(name, (e) => (calls.push(e), e.length));
    expect(length(' rate(1 hour) ')).toBe('rate(1 hour)'.length);
    expect(length(' rate(1 hour) ')).toBe('rate(1 hour)'.length);
    expect(calls).toEqual(['rate(1 hour)']);
    // Another function under another name is not answered from the first one's memo.
    expect(perExpression(`${name}-other`, () => 7)(' rate(1 hour) ')).toBe(7);
    // Another registry (a fresh module instance) finds the answer already there.
    let fresh: typeof perExpression | undefined;
    jest.isolateModules(() => {
      fresh = (require('../../config/schedule-interval') as typeof import('../../config/schedule-interval')).perExpression;
    });
    expect(fresh!(name, () => -1)(' rate(1 hour) ')).toBe('rate(1 hour)'.length);
    expect(fresh!(name, () => -1)('rate(2 hours)')).toBe(-1);
  });
});
