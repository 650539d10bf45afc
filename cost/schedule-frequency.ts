/**
 * How often a schedule runs on average, per month: what the cost model multiplies (backups, copies,
 * restore tests, drills), where `config/schedule-interval.ts` gives the worst case (the RPO).
 *
 * `rate(n unit)`: 30.4375 days (an average month) divided by the interval. `cron(...)`: the runs in
 * the 28 years 2001-2028 (one full cycle of the calendar, leap years included) divided by their 336
 * months; a year field that lists years counts those years only. `at(...)` (one run) is 0 per month.
 * Supports the EventBridge syntax the configuration accepts: lists, ranges, steps, names, `?`, `L`,
 * `LW`, `nW`, `nL` and `n#k`. Throws on what it cannot read (the configuration is validated first).
 */

export const DAYS_PER_MONTH = 30.4375;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function values(field: string, min: number, max: number, names?: string[]): Set<number> {
  const one = (t: string): number => {
    if (/^\d+$/.test(t)) return Number(t);
    const i = names?.indexOf(t.toUpperCase()) ?? -1;
    if (i < 0) throw new Error(`"${t}" is not a value between ${min} and ${max}`);
    return i + min;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let [from, to] = range === '*' || range === '?' ? [min, max] : range.includes('-') ? range.split('-').map(one) : [one(range), stepText === undefined ? one(range) : max];
    if (from > to) to += max - min + 1; // wrapping range such as FRI-MON
    for (let v = from; v <= to; v += step) out.add(((v - min) % (max - min + 1)) + min);
  }
  return out;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekdayOf = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

/** Does day `d` of month `m` of `y` match the day-of-month field? */
function domMatches(field: string, y: number, m: number, d: number): boolean {
  const f = field.toUpperCase();
  const last = daysIn(y, m);
  if (f === '?' || f === '*') return true;
  if (f === 'L') return d === last;
  if (f === 'LW') {
    let w = last;
    while (weekdayOf(y, m, w) === 1 || weekdayOf(y, m, w) === 7) w--;
    return d === w;
  }
  const near = /^(\d{1,2})W$/.exec(f);
  if (near) {
    const target = Math.min(Number(near[1]), last);
    const wd = weekdayOf(y, m, target);
    const nearest = wd === 7 ? (target === 1 ? 3 : target - 1) : wd === 1 ? (target === last ? target - 2 : target + 1) : target;
    return d === nearest;
  }
  return values(f, 1, 31).has(d);
}

function dowMatches(field: string, y: number, m: number, d: number): boolean {
  const f = field.toUpperCase();
  if (f === '?' || f === '*') return true;
  const wd = weekdayOf(y, m, d);
  const num = (t: string) => (/^\d$/.test(t) ? Number(t) : WEEKDAYS.indexOf(t) + 1);
  if (f === 'L') return wd === 7;
  const lastOf = /^(\w+)L$/.exec(f);
  if (lastOf) return wd === num(lastOf[1]) && d + 7 > daysIn(y, m);
  const nth = /^(\w+)#([1-5])$/.exec(f);
  if (nth) return wd === num(nth[1]) && Math.ceil(d / 7) === Number(nth[2]);
  return values(f, 1, 7, WEEKDAYS).has(wd);
}

const memo = new Map<string, number>();

/** Average runs per month of a `rate(...)`, `cron(...)` or `at(...)` expression. */
export function runsPerMonth(expression: string): number {
  const cached = memo.get(expression);
  if (cached !== undefined) return cached;
  const result = compute(expression.trim());
  memo.set(expression, result);
  return result;
}

function compute(expression: string): number {
  if (/^at\(/i.test(expression)) return 0;
  const rate = /^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$/i.exec(expression);
  if (rate) {
    const unit = rate[2].toLowerCase();
    const minutes = Number(rate[1]) * (unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 1440);
    return (DAYS_PER_MONTH * 1440) / minutes;
  }
  const cron = /^cron\((.*)\)$/i.exec(expression);
  if (!cron) throw new Error(`"${expression}" is neither cron(...), rate(...) nor at(...)`);
  const [minute, hour, dom, month, dow, year] = cron[1].trim().split(/\s+/);
  const perDay = values(minute, 0, 59).size * values(hour, 0, 23).size;
  const months = values(month, 1, 12, MONTHS);
  const years = year === undefined || year === '*' ? Array.from({ length: 28 }, (_, i) => 2001 + i) : [...values(year, 1970, 2199)];
  let days = 0;
  for (const y of years) {
    for (let m = 1; m <= 12; m++) {
      if (!months.has(m)) continue;
      for (let d = 1; d <= daysIn(y, m); d++) if (domMatches(dom, y, m, d) && dowMatches(dow, y, m, d)) days++;
    }
  }
  return (days * perDay) / (years.length * 12);
}
