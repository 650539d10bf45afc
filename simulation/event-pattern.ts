/**
 * A small Amazon EventBridge event-pattern matcher for offline tests.
 *
 * It follows the AWS EventBridge user guide ("Event patterns", "Content filtering", "Comparison
 * operators") and the behaviour of AWS's open-source Event Ruler, which EventBridge is built on:
 *
 * - A pattern is a JSON object. Every field in it must match (AND); a nested object descends into the
 *   event. `$or: [ {...}, {...} ]` at any object level matches when any of its alternatives matches.
 * - A leaf is a non-empty array; the event value matches if it matches ANY element (OR). When the
 *   event value is an array, the leaf matches if ANY of its elements matches. Arrays of objects in the
 *   event are matched element by element: all the fields of a nested pattern must match inside the
 *   same array element (Event Ruler's "array-consistent" matching).
 * - Exact values: strings, numbers (numeric equality), booleans and null. Types never mix: the
 *   string "5" does not match 5, and a missing field does not match null.
 * - Operators: prefix, suffix (both also with `{ "equals-ignore-case": ... }`), equals-ignore-case,
 *   wildcard, anything-but (value, list, or prefix / suffix / equals-ignore-case / wildcard), exists,
 *   numeric, cidr (IPv4 only).
 *
 * Patterns and events may be given as parsed JSON or as JSON text (as in a synthesized
 * `aws_cloudwatch_event_rule.event_pattern`).
 */

type JsonObject = { [key: string]: unknown };

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'exists', 'numeric', 'cidr'] as const;
type Operator = (typeof OPERATORS)[number];

const ANYTHING_BUT_INNER = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] as const;
type AnythingButInner = (typeof ANYTHING_BUT_INNER)[number];

const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

/**
 * Problems with an event pattern, one human-readable message each (prefixed with the field path);
 * an empty list when the pattern is valid.
 */
export function validateEventPattern(pattern: unknown): string[] {
  const parsed = parseJsonText(pattern, 'pattern');
  if (!parsed.ok) return [parsed.problem];
  const problems: string[] = [];
  validateObject(parsed.value, '', problems);
  return problems;
}

/**
 * Whether `event` matches `pattern`, as EventBridge would decide. Throws on an invalid pattern.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  const problems = validateEventPattern(pattern);
  if (problems.length > 0) {
    throw new Error(`Invalid event pattern:\n  - ${problems.join('\n  - ')}`);
  }
  const parsedPattern = parseJsonText(pattern, 'pattern');
  const parsedEvent = parseJsonText(event, 'event');
  if (!parsedPattern.ok) throw new Error(parsedPattern.problem); // unreachable: validated above
  if (!parsedEvent.ok) throw new Error(parsedEvent.problem);
  return matchObject(parsedPattern.value as JsonObject, isPlainObject(parsedEvent.value) ? parsedEvent.value : undefined);
}

// ---------------------------------------------------------------------------------------------
// Validation

function validateObject(node: unknown, path: string, problems: string[]): void {
  const where = path || 'pattern';
  if (!isPlainObject(node)) {
    problems.push(`${where}: must be a JSON object, got ${describe(node)}`);
    return;
  }
  const keys = Object.keys(node);
  if (keys.length === 0) {
    problems.push(`${where}: must not be an empty object`);
    return;
  }
  for (const key of keys) {
    const value = node[key];
    const fieldPath = path ? `${path}.${key}` : key;
    if (key === '$or') {
      validateOr(value, fieldPath, problems);
    } else if (isPlainObject(value)) {
      validateObject(value, fieldPath, problems);
    } else if (Array.isArray(value)) {
      if (value.length === 0) {
        problems.push(`${fieldPath}: empty arrays are not allowed`);
        continue;
      }
      value.forEach((matcher, i) => validateMatcher(matcher, `${fieldPath}[${i}]`, problems));
    } else {
      problems.push(`${fieldPath}: must be an object or an array of values to match, got ${describe(value)}`);
    }
  }
}

function validateOr(value: unknown, path: string, problems: string[]): void {
  if (!Array.isArray(value) || value.length < 2) {
    problems.push(`${path}: $or must be an array of at least two pattern objects, got ${describe(value)}`);
    return;
  }
  value.forEach((alternative, i) => validateObject(alternative, `${path}[${i}]`, problems));
}

function validateMatcher(matcher: unknown, path: string, problems: string[]): void {
  if (matcher === null || typeof matcher === 'string' || typeof matcher === 'boolean') return;
  if (typeof matcher === 'number') {
    if (!Number.isFinite(matcher)) problems.push(`${path}: numbers must be finite`);
    return;
  }
  if (!isPlainObject(matcher)) {
    problems.push(`${path}: match value must be a string, number, true, false, null or an operator object, got ${describe(matcher)}`);
    return;
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1) {
    problems.push(`${path}: a match expression must have exactly one operator, got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
    return;
  }
  const operator = keys[0];
  const operand = matcher[operator];
  const where = `${path}.${operator}`;
  if (!isOperator(operator)) {
    problems.push(`${path}: unknown operator "${operator}" (known: ${OPERATORS.join(', ')})`);
    return;
  }
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (isPlainObject(operand)) {
        const inner = Object.keys(operand);
        if (inner.length !== 1 || inner[0] !== 'equals-ignore-case') {
          problems.push(`${where}: the only operator allowed inside ${operator} is equals-ignore-case, got ${describe(operand)}`);
        } else if (typeof operand['equals-ignore-case'] !== 'string') {
          problems.push(`${where}.equals-ignore-case: must be a string, got ${describe(operand['equals-ignore-case'])}`);
        }
      } else if (typeof operand !== 'string') {
        problems.push(`${where}: must be a string, got ${describe(operand)}`);
      }
      return;
    case 'equals-ignore-case':
      if (typeof operand !== 'string') problems.push(`${where}: must be a string, got ${describe(operand)}`);
      return;
    case 'wildcard':
      validateWildcard(operand, where, problems);
      return;
    case 'anything-but':
      validateAnythingBut(operand, where, problems);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') problems.push(`${where}: must be true or false, got ${describe(operand)}`);
      return;
    case 'numeric':
      validateNumeric(operand, where, problems);
      return;
    case 'cidr':
      if (typeof operand !== 'string') {
        problems.push(`${where}: must be a string, got ${describe(operand)}`);
      } else if (operand.includes(':')) {
        problems.push(`${where}: IPv6 CIDR blocks are not supported by this test matcher ("${operand}")`);
      } else if (parseCidr(operand) === undefined) {
        problems.push(`${where}: malformed IPv4 CIDR "${operand}" (expected a.b.c.d/n with n from 0 to 32)`);
      }
      return;
  }
}

function validateWildcard(operand: unknown, where: string, problems: string[]): void {
  if (typeof operand !== 'string') {
    problems.push(`${where}: must be a string, got ${describe(operand)}`);
    return;
  }
  const compiled = compileWildcard(operand);
  if (typeof compiled === 'string') problems.push(`${where}: ${compiled}`);
}

function validateAnythingBut(operand: unknown, where: string, problems: string[]): void {
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) return;
  if (Array.isArray(operand)) {
    if (operand.length === 0) {
      problems.push(`${where}: empty arrays are not allowed`);
    } else if (!operand.every((v) => typeof v === 'string') && !operand.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      problems.push(`${where}: a list must contain only strings or only numbers, got ${describe(operand)}`);
    }
    return;
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || !isAnythingButInner(keys[0])) {
      problems.push(`${where}: must hold exactly one of ${ANYTHING_BUT_INNER.join(', ')}, got ${describe(operand)}`);
      return;
    }
    const inner = keys[0];
    const value = operand[inner];
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) {
      problems.push(`${where}.${inner}: empty arrays are not allowed`);
      return;
    }
    values.forEach((v) => {
      if (typeof v !== 'string') {
        problems.push(`${where}.${inner}: must be a string or a list of strings, got ${describe(value)}`);
      } else if ((inner === 'prefix' || inner === 'suffix') && v === '') {
        problems.push(`${where}.${inner}: must not be empty`);
      } else if (inner === 'wildcard') {
        validateWildcard(v, `${where}.${inner}`, problems);
      }
    });
    return;
  }
  problems.push(`${where}: must be a string, a number, a list of strings or of numbers, or a prefix/suffix/equals-ignore-case/wildcard object, got ${describe(operand)}`);
}

/** AWS accepts one comparison, or a lower bound (> or >=) followed by an upper bound (< or <=). */
function validateNumeric(operand: unknown, where: string, problems: string[]): void {
  if (!Array.isArray(operand)) {
    problems.push(`${where}: must be an array such as [">", 0, "<=", 5], got ${describe(operand)}`);
    return;
  }
  if (operand.length !== 2 && operand.length !== 4) {
    problems.push(`${where}: must hold one comparison or a lower and an upper bound (2 or 4 elements), got ${operand.length}`);
    return;
  }
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const value = operand[i + 1];
    if (!isNumericOperator(op)) {
      problems.push(`${where}[${i}]: unknown numeric operator ${describe(op)} (known: ${NUMERIC_OPERATORS.join(', ')})`);
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${where}[${i + 1}]: the value of "${op}" must be a number, got ${describe(value)}`);
      return;
    }
  }
  if (operand.length === 4) {
    const [low, lowValue, high, highValue] = operand as [NumericOperator, number, NumericOperator, number];
    if (low !== '>' && low !== '>=') {
      problems.push(`${where}: a range must start with a lower bound (">" or ">="), got "${low}"`);
    } else if (high !== '<' && high !== '<=') {
      problems.push(`${where}: a range must end with an upper bound ("<" or "<="), got "${high}"`);
    } else if (!(lowValue < highValue)) {
      problems.push(`${where}: the lower bound ${lowValue} must be less than the upper bound ${highValue}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

/** `node` is the event object at this level, or undefined when the path does not exist in the event. */
function matchObject(pattern: JsonObject, node: JsonObject | undefined): boolean {
  return Object.keys(pattern).every((key) => {
    const sub = pattern[key];
    if (key === '$or') {
      return (sub as JsonObject[]).some((alternative) => matchObject(alternative, node));
    }
    const child = node !== undefined && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    if (Array.isArray(sub)) {
      return matchLeaf(sub, child);
    }
    // Nested pattern object: descend. An array of objects matches if one element matches the whole
    // sub-pattern; a missing path (or a leaf value where an object was expected) has no fields.
    const candidates: (JsonObject | undefined)[] = Array.isArray(child)
      ? flattenDeep(child).filter(isPlainObject)
      : isPlainObject(child)
        ? [child]
        : [];
    if (candidates.length === 0) candidates.push(undefined);
    return candidates.some((candidate) => matchObject(sub as JsonObject, candidate));
  });
}

function matchLeaf(matchers: unknown[], value: unknown): boolean {
  // The leaf values at this path: none when the field is missing or holds an object (not a leaf),
  // every non-object element when it holds an array (an empty array has none).
  const leaves: unknown[] =
    value === undefined ? [] : Array.isArray(value) ? flattenDeep(value).filter((v) => !isPlainObject(v)) : isPlainObject(value) ? [] : [value];
  return matchers.some((matcher) => {
    if (isPlainObject(matcher) && 'exists' in matcher) {
      return matcher.exists === leaves.length > 0;
    }
    return leaves.some((leaf) => matchValue(matcher, leaf));
  });
}

function matchValue(matcher: unknown, value: unknown): boolean {
  if (!isPlainObject(matcher)) return sameScalar(matcher, value);
  const operator = Object.keys(matcher)[0] as Operator;
  const operand = matcher[operator];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && (isPlainObject(operand) ? lower(value).startsWith(lower(operand['equals-ignore-case'] as string)) : value.startsWith(operand as string));
    case 'suffix':
      return typeof value === 'string' && (isPlainObject(operand) ? lower(value).endsWith(lower(operand['equals-ignore-case'] as string)) : value.endsWith(operand as string));
    case 'equals-ignore-case':
      return typeof value === 'string' && lower(value) === lower(operand as string);
    case 'wildcard':
      return typeof value === 'string' && (compileWildcard(operand as string) as RegExp).test(value);
    case 'anything-but':
      return matchAnythingBut(operand, value);
    case 'numeric':
      return typeof value === 'number' && matchNumeric(operand as unknown[], value);
    case 'cidr':
      return typeof value === 'string' && matchCidr(operand as string, value);
    case 'exists':
      return true; // handled in matchLeaf; never reached for a present leaf
  }
}

/** A present leaf value (null included) that is none of the excluded values. */
function matchAnythingBut(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.every((excluded) => !sameScalar(excluded, value));
  if (!isPlainObject(operand)) return !sameScalar(operand, value);
  const inner = Object.keys(operand)[0] as AnythingButInner;
  const raw = operand[inner];
  const excluded = (Array.isArray(raw) ? raw : [raw]) as string[];
  if (typeof value !== 'string') return true; // a number, boolean or null cannot start with, end with or equal a string
  return excluded.every((x) => {
    switch (inner) {
      case 'prefix':
        return !value.startsWith(x);
      case 'suffix':
        return !value.endsWith(x);
      case 'equals-ignore-case':
        return lower(value) !== lower(x);
      case 'wildcard':
        return !(compileWildcard(x) as RegExp).test(value);
    }
  });
}

function matchNumeric(operand: unknown[], value: number): boolean {
  for (let i = 0; i < operand.length; i += 2) {
    const bound = operand[i + 1] as number;
    switch (operand[i] as NumericOperator) {
      case '=':
        if (!(value === bound)) return false;
        break;
      case '<':
        if (!(value < bound)) return false;
        break;
      case '<=':
        if (!(value <= bound)) return false;
        break;
      case '>':
        if (!(value > bound)) return false;
        break;
      case '>=':
        if (!(value >= bound)) return false;
        break;
    }
  }
  return true;
}

function matchCidr(cidr: string, value: string): boolean {
  const block = parseCidr(cidr);
  const address = parseIpv4(value);
  if (block === undefined || address === undefined) return false;
  const mask = block.bits === 0 ? 0 : (0xffffffff << (32 - block.bits)) >>> 0;
  return ((address & mask) >>> 0) === ((block.address & mask) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Exact-value equality: same JSON type and value (numbers compare numerically). */
function sameScalar(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === null;
  return typeof expected === typeof actual && expected === actual;
}

/**
 * A wildcard pattern as a RegExp, or a problem message. `*` matches any sequence of characters
 * (including none); `\*` is a literal asterisk and `\\` a literal backslash. As in EventBridge,
 * consecutive wildcards and any other backslash escape are rejected.
 */
function compileWildcard(pattern: string): RegExp | string {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') return `invalid escape at position ${i} in wildcard "${pattern}" (only \\* and \\\\ are allowed)`;
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') return `consecutive wildcard characters at position ${i} in "${pattern}"`;
      source += '[\\s\\S]*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

function parseCidr(text: string): { address: number; bits: number } | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const address = parseIpv4(m[1]);
  const bits = Number(m[2]);
  if (address === undefined || bits > 32) return undefined;
  return { address, bits };
}

function parseJsonText(input: unknown, what: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (typeof input !== 'string') return { ok: true, value: input };
  try {
    return { ok: true, value: JSON.parse(input) as unknown };
  } catch (e) {
    return { ok: false, problem: `${what}: not valid JSON (${(e as Error).message})` };
  }
}

function flattenDeep(values: unknown[]): unknown[] {
  return values.flatMap((v) => (Array.isArray(v) ? flattenDeep(v) : [v]));
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOperator(key: string): key is Operator {
  return (OPERATORS as readonly string[]).includes(key);
}

function isAnythingButInner(key: string): key is AnythingButInner {
  return (ANYTHING_BUT_INNER as readonly string[]).includes(key);
}

function isNumericOperator(value: unknown): value is NumericOperator {
  return typeof value === 'string' && (NUMERIC_OPERATORS as readonly string[]).includes(value);
}

function lower(text: string): string {
  return text.toLowerCase();
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
