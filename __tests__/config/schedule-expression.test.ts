import { scheduleExpressionProblem } from '../../config/schedule-expression';

describe('scheduleExpressionProblem', () => {
  it.each([
    'cron(0 17 * * ? *)',
    'cron(0 5 ? * SUN *)',
    'cron(30 2 1 * ? *)',
    'cron(0 0/6 * * ? *)',
    'cron(0 3 ? * MON-FRI *)',
    'cron(0 12 L * ? *)',
    'cron(0 12 ? * 6#3 *)',
    'cron(15 10 ? JAN,JUL 2 2026-2030)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(1 hour)',
    'rate(120 minutes)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    ['0 17 * * ? *', /must be cron\(/],
    ['cron(0 17 * * ?)', /has 5 fields; AWS cron expressions have 6/],
    ['cron(0 17 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 17 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(60 17 * * ? *)', /minutes "60" must use values in 0-59/],
    ['cron(0 24 * * ? *)', /hours "24" must use values in 0-23/],
    ['cron(0 1 32 * ? *)', /day-of-month "32"/],
    ['cron(0 1 ? 13 MON *)', /month "13" must use values in 1-12 or JAN-DEC/],
    ['cron(0 1 ? * FUNDAY *)', /day-of-week "FUNDAY"/],
    ['cron(0/15 * * * ? *)', /more than once an hour/],
    ['cron(0,30 * * * ? *)', /more than once an hour/],
    ['cron(0 1/0 * * ? *)', /invalid step "0"/],
    ['rate(30 minutes)', /minimum of one hour/],
    ['rate(2 hour)', /must use "hours"/],
    ['rate(1 days)', /must use "day"/],
    ['rate(0 hours)', /at least 1/],
    ['rate(daily)', /must look like rate\(12 hours\)/],
  ])('rejects %s', (expression, reason) => {
    expect(scheduleExpressionProblem(expression)).toMatch(reason);
  });
});
