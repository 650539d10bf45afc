/**
 * Worst-case interval between consecutive runs of an AWS Backup schedule expression: the oldest a
 * recovery point can be just before the next backup, hence the best recovery point objective (RPO) a
 * rule with that schedule can meet.
 *
 * `rate(value unit)` runs every `value` units. `cron(minutes hours day-of-month month day-of-week year)`
 * (EventBridge syntax: lists, ranges, `*`, `?`, steps `a/n` and `a-b/n`, month and weekday names,
 * `L`, `LW`, `nW`, `nL`, `n#k`) is evaluated by enumerating its firing days month by month over a long
 * window, then taking the largest gap between consecutive firings:
 *
 * - Year `*`: 2000-01-01 to 2040-12-31. Weekday-based rules (`SUN#1`, `6L`, weekends) repeat with the
 *   calendar, which repeats within 28 years, so 41 years hold every case, including the wrap from
 *   December into January and leap years.
 * - A year field that lists years: only those years. Gaps between them count (a year skipped is a gap);
 *   before the first and after the last firing nothing is counted.
 *
 * Times are evaluated as wall-clock times of the schedule's time zone without daylight saving shifts:
 * where `scheduleTimezone` observes daylight saving, one interval a year is up to one hour longer or
 * shorter than computed here.
 *
 * Cost: at most 12 × (years in the window) months, each a few set look-ups; results are memoized per
 * expression, so validating 200 workloads that share a schedule costs one computation.
 */

import { sharedAcrossRegistries } from './shared-across-registries';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MINUTES_PER_DAY = 1440;
const DEFAULT_FIRST_YEAR = 2000;
const DEFAULT_LAST_YEAR = 2040;

/** Parses one field (list of `*`, values, ranges and steps) into the set of values it allows. */
function parseList(field: string, min: number, max: number, names?: string[]): Set<number> {
  const value = (token: string): number => {
    if (/^\d+$/.test(token)) return Number(token);
    const idx = names?.indexOf(token.toUpperCase()) ?? -1;
    if (idx < 0) throw new Error(`"${token}" is not a value between ${min} and ${max}`);
    return idx + min;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      // `a/n` means from a to the end of the field, every n.
      to = stepText === undefined ? from : max;
    }
    if (from < min || from > max || to < min || to > max) throw new Error(`"${part}" is outside ${min}-${max}`);
    if (from <= to) {
      for (let v = from; v <= to; v += step) out.add(v);
    } else {
      // A wrapping range such as FRI-MON.
      const span = max - min + 1;
      for (let offset = 0; offset <= to + span - from; offset += step) out.add(((from - min + offset) % span) + min);
    }
  }
  return out;
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday ... 7 = Saturday, as in cron. */
const weekday = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const isWeekday = (year: number, month: number, day: number): boolean => {
  const d = weekday(year, month, day);
  return d >= 2 && d <= 6;
};

/** The weekday nearest to `day` in the same month (`15W`), never crossing into another month. */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const target = Math.min(day, last);
  const d = weekday(year, month, target);
  if (d === 7) return target === 1 ? 3 : target - 1; // Saturday: Friday before, or Monday after the 1st
  if (d === 1) return target === last ? target - 2 : target + 1; // Sunday: Monday after, or Friday before the last day
  return target;
}

type DaySelector = (year: number, month: number) => number[];

function dayOfMonthSelector(field: string): DaySelector {
  const upper = field.toUpperCase();
  if (upper === 'L') return (y, m) => [daysInMonth(y, m)];
  if (upper === 'LW') {
    return (y, m) => {
      let d = daysInMonth(y, m);
      while (!isWeekday(y, m, d)) d--;
      return [d];
    };
  }
  const w = /^(\d{1,2})W$/.exec(upper);
  if (w) return (y, m) => [nearestWeekday(y, m, Number(w[1]))];
  const days = parseList(field, 1, 31);
  return (y, m) => {
    const last = daysInMonth(y, m);
    return [...days].filter((d) => d <= last);
  };
}

function dayOfWeekSelector(field: string): DaySelector {
  const upper = field.toUpperCase();
  const weekdayValue = (token: string): number => (/^\d$/.test(token) ? Number(token) : WEEKDAYS.indexOf(token) + 1);
  const last = /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)?L$/.exec(upper);
  if (last) {
    // `L` alone is the last day of the week (Saturday), every week; `6L` the last Friday of the month.
    if (last[1] === undefined) return dayOfWeekSelector('7');
    const target = weekdayValue(last[1]);
    return (y, m) => {
      let d = daysInMonth(y, m);
      while (weekday(y, m, d) !== target) d--;
      return [d];
    };
  }
  const nth = /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)#([1-5])$/.exec(upper);
  if (nth) {
    const target = weekdayValue(nth[1]);
    const n = Number(nth[2]);
    return (y, m) => {
      const first = ((target - weekday(y, m, 1) + 7) % 7) + 1;
      const day = first + (n - 1) * 7;
      return day <= daysInMonth(y, m) ? [day] : [];
    };
  }
  const weekdays = parseList(field, 1, 7, WEEKDAYS);
  return (y, m) => {
    const out: number[] = [];
    for (let d = 1; d <= daysInMonth(y, m); d++) if (weekdays.has(weekday(y, m, d))) out.push(d);
    return out;
  };
}

/** A cron expression's six fields, parsed: the times of a firing day and the days that fire. */
export interface CronCalendar {
  /** Minutes after midnight (UTC) of each run on a firing day, ascending. */
  readonly timesOfDay: number[];
  readonly months: ReadonlySet<number>;
  /** The days of `month` (1-12) of `year` on which it fires. */
  readonly daysOf: (year: number, month: number) => number[];
  /** The years named by the year field; undefined for `*` (every year). */
  readonly years: number[] | undefined;
}

/** Parses the six fields of an AWS cron expression (minutes, hours, day of month, month, day of week, year). */
export function cronCalendar(fields: string[]): CronCalendar {
  const [minuteField, hourField, domField, monthField, dowField, yearField] = fields;
  const minutes = [...parseList(minuteField, 0, 59)].sort((a, b) => a - b);
  const hours = [...parseList(hourField, 0, 23)].sort((a, b) => a - b);
  const selectDays: DaySelector = domField === '?' ? dayOfWeekSelector(dowField) : dowField === '?' ? dayOfMonthSelector(domField) : intersect(dayOfMonthSelector(domField), dayOfWeekSelector(dowField));
  return {
    timesOfDay: hours.flatMap((h) => minutes.map((m) => h * 60 + m)),
    months: parseList(monthField, 1, 12, MONTHS),
    daysOf: (y, m) => [...new Set(selectDays(y, m))].sort((a, b) => a - b),
    years: yearField === undefined || yearField === '*' ? undefined : [...parseList(yearField, 1970, 2199)].sort((a, b) => a - b),
  };
}

/** Largest gap, in minutes, between consecutive runs of a cron expression's six fields. */
function cronWorstCase(fields: string[]): number {
  const calendar = cronCalendar(fields);
  const times = calendar.timesOfDay;
  if (times.length === 0) return Infinity;
  // Gaps inside one firing day (the same every day), and from the last run of a day to the first of the next.
  let intraDay = 0;
  for (let i = 1; i < times.length; i++) intraDay = Math.max(intraDay, times[i] - times[i - 1]);
  const firstTime = times[0];
  const lastTime = times[times.length - 1];
  const years = calendar.years ?? range(DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR);

  let previousDay: number | undefined;
  let worst = 0;
  let firingDays = 0;
  for (const year of years) {
    for (let month = 1; month <= 12; month++) {
      if (!calendar.months.has(month)) continue;
      for (const day of calendar.daysOf(year, month)) {
        const dayNumber = Date.UTC(year, month - 1, day) / 86_400_000;
        if (previousDay !== undefined) {
          worst = Math.max(worst, (dayNumber - previousDay) * MINUTES_PER_DAY - lastTime + firstTime);
        }
        previousDay = dayNumber;
        firingDays++;
      }
    }
  }
  if (firingDays === 0) return Infinity;
  if (firingDays === 1 && times.length === 1) return Infinity;
  return Math.max(worst, intraDay);
}

function intersect(a: DaySelector, b: DaySelector): DaySelector {
  return (y, m) => {
    const other = new Set(b(y, m));
    return a(y, m).filter((d) => other.has(d));
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Answers of perExpression, by `<name>` and expression, shared by the module registries of the
 * process: a cron expression's worst case walks 41 years of days, and the test files of a worker ask
 * it for the same few schedules.
 */
const answers = sharedAcrossRegistries<Pick<Map<string, number>, 'get' | 'set'>>('__drScheduleAnswers', () => new Map());

/**
 * `fn` of a schedule expression, computed once per expression (trimmed before `fn` sees it): a
 * configuration names the same few schedules for every workload. `name` tells apart the functions
 * that share the memo: each must be a pure function of the expression.
 */
export function perExpression(name: string, fn: (expression: string) => number): (expression: string) => number {
  return (expression) => {
    const key = `${name}\n${expression}`;
    const cached = answers.get(key);
    if (cached !== undefined) return cached;
    const result = fn(expression.trim());
    answers.set(key, result);
    return result;
  };
}

/** The interval of a `rate(n minutes|hours|days)` expression in minutes; undefined for any other expression. */
export function rateMinutes(expression: string): number | undefined {
  const rate = /^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$/i.exec(expression);
  if (!rate) return undefined;
  const value = Number(rate[1]);
  if (value < 1) throw new Error(`"${expression}": a rate must be at least 1`);
  const unit = rate[2].toLowerCase();
  return value * (unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : MINUTES_PER_DAY);
}

/**
 * Worst-case interval in minutes between consecutive runs of an AWS Backup schedule expression
 * (`rate(12 hours)`, `cron(0 5 ? * MON-FRI *)`, ...). `Infinity` when it never runs twice (a year field
 * with a single run). Throws on an expression it cannot parse; validate with
 * `scheduleExpressionProblem` first for a user-facing message.
 */
export const worstCaseIntervalMinutes = perExpression('worstCaseIntervalMinutes', compute);

function compute(expression: string): number {
  const rate = rateMinutes(expression);
  if (rate !== undefined) return rate;
  const cron = /^cron\((.*)\)$/i.exec(expression);
  if (!cron) throw new Error(`"${expression}" is neither cron(...) nor rate(...)`);
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`"${expression}" has ${fields.length} fields; cron expressions have 6`);
  try {
    return cronWorstCase(fields);
  } catch (e) {
    throw new Error(`"${expression}": ${(e as Error).message}`);
  }
}

/** `1440` → `24 h`, `4320` → `3 days`, `90` → `1 h 30 min`, `Infinity` → `never again`. */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return 'never again';
  if (minutes >= MINUTES_PER_DAY && minutes % MINUTES_PER_DAY === 0 && minutes > MINUTES_PER_DAY) return `${minutes / MINUTES_PER_DAY} days`;
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
