/**
 * How often a schedule runs on average, per month: what the cost model multiplies (backups, copies,
 * restore tests, drills), where `config/schedule-interval.ts` gives the worst case (the RPO). Both read
 * cron expressions with the same parser (`cronCalendar`).
 *
 * `rate(n unit)`: 30.4375 days (an average month) divided by the interval. `cron(...)`: the runs in
 * the 28 years 2001-2028 (one full cycle of the calendar, leap years included) divided by their 336
 * months; a year field that lists years counts those years only. `at(...)` (one run) is 0 per month.
 * Throws on what it cannot read (the configuration is validated first).
 */
import { cronCalendar, perExpression, rateMinutes } from '../config/schedule-interval';

export const DAYS_PER_MONTH = 30.4375;
const CALENDAR_CYCLE = Array.from({ length: 28 }, (_, i) => 2001 + i);

/** Average runs per month of a `rate(...)`, `cron(...)` or `at(...)` expression. */
export const runsPerMonth = perExpression('runsPerMonth', compute);

function compute(expression: string): number {
  if (/^at\(/i.test(expression)) return 0;
  const minutes = rateMinutes(expression);
  if (minutes !== undefined) return (DAYS_PER_MONTH * 1440) / minutes;
  const cron = /^cron\((.*)\)$/i.exec(expression);
  if (!cron) throw new Error(`"${expression}" is neither cron(...), rate(...) nor at(...)`);
  const calendar = cronCalendar(cron[1].trim().split(/\s+/));
  const years = calendar.years ?? CALENDAR_CYCLE;
  let days = 0;
  for (const y of years) {
    for (let m = 1; m <= 12; m++) if (calendar.months.has(m)) days += calendar.daysOf(y, m).length;
  }
  return (days * calendar.timesOfDay.length) / (years.length * 12);
}
