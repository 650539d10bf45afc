/**
 * Validation of AWS Backup schedule expressions: `cron(min hour day-of-month month day-of-week year)`
 * (EventBridge syntax, six fields) and `rate(value unit)`.
 *
 * AWS only rejects a bad expression when the plan is applied in one workload account; checking it at
 * synth time fails the whole rollout before anything is deployed.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Extra single tokens allowed in this field (e.g. `L`, `LW`). */
  specials?: RegExp;
}

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, specials: /^(L|LW|\d{1,2}W|\?)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, specials: /^(\?|L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
  { name: 'year', min: 1970, max: 2199 },
];

function parseValue(token: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= spec.min && n <= spec.max ? n : undefined;
  }
  const idx = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  return idx >= 0 ? idx + spec.min : undefined;
}

/** Returns undefined when the field is valid, otherwise why it is not. */
function checkField(field: string, spec: FieldSpec): string | undefined {
  if (spec.specials?.test(field.toUpperCase())) return undefined;
  for (const part of field.split(',')) {
    const [range, step, ...extra] = part.split('/');
    if (extra.length > 0) return `${spec.name} "${field}" has more than one "/"`;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) {
      return `${spec.name} "${field}" has an invalid step "${step}"`;
    }
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${spec.name} "${field}" is not a valid range`;
    const values = bounds.map((b) => parseValue(b, spec));
    if (values.some((v) => v === undefined)) {
      const allowed = spec.names ? `${spec.min}-${spec.max} or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : `${spec.min}-${spec.max}`;
      return `${spec.name} "${field}" must use values in ${allowed}`;
    }
  }
  return undefined;
}

/** Returns undefined when `expression` is a valid AWS Backup schedule, otherwise a precise reason. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) {
    const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(rate[1]);
    if (!m) return `"${expression}" must look like rate(12 hours) or rate(1 day)`;
    const value = Number(m[1]);
    if (value < 1) return `rate value in "${expression}" must be at least 1`;
    if ((value === 1) !== !m[2].endsWith('s')) return `"${expression}" must use "${value === 1 ? m[2].replace(/s$/, '') : `${m[2]}s`}" for a value of ${value}`;
    if (m[2].startsWith('minute') && value < 60) return `"${expression}" is more frequent than AWS Backup's minimum of one hour`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return `"${expression}" must be cron(minutes hours day-of-month month day-of-week year) or rate(value unit)`;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return `"${expression}" has ${fields.length} fields; AWS cron expressions have 6 (minutes hours day-of-month month day-of-week year)`;
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = checkField(fields[i], FIELDS[i]);
    if (problem) return `${problem} in "${expression}"`;
  }
  const [minutes, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return `"${expression}" must set exactly one of day-of-month and day-of-week to "?"`;
  }
  if (!/^\d{1,2}$/.test(minutes)) {
    return `"${expression}" runs more than once an hour; AWS Backup's minimum interval is one hour (use a single minute value such as 0)`;
  }
  return undefined;
}
