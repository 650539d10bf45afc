import * as fs from 'fs';
import * as path from 'path';
import { matchesEventPattern, validateEventPattern } from '../../simulation/event-pattern';

// An EC2-style event (the shape used throughout the EventBridge user guide), extended with the
// value types the matcher has to tell apart.
const event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-0abc'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'zero-count': 0,
    'size-text': '5',
    'source-ip': '10.0.0.33',
    'instance-id': 'i-0abc',
    state: 'running',
    flag: true,
    nothing: null,
    blank: '',
    starry: 'a*b',
    tags: ['prod', 'web'],
    'prod-only': ['prod'],
    numbers: [1, 20],
    'empty-list': [],
    nested: { deep: { value: 'x' } },
    volumes: [
      { id: 'vol-1', state: 'in-use', size: 8 },
      { id: 'vol-2', state: 'available', size: 100 },
    ],
  },
};

interface MatchCase {
  name: string;
  pattern: unknown;
  expected: boolean;
}

const d = (detail: Record<string, unknown>) => ({ detail });

const matchCases: MatchCase[] = [
  // Exact values, AND between fields, OR inside a leaf
  { name: 'exact string', pattern: { source: ['aws.ec2'] }, expected: true },
  { name: 'exact string is case-sensitive', pattern: { source: ['AWS.EC2'] }, expected: false },
  { name: 'leaf array is OR', pattern: d({ state: ['stopped', 'running'] }), expected: true },
  { name: 'leaf array with no matching value', pattern: d({ state: ['stopped', 'pending'] }), expected: false },
  { name: 'fields are ANDed (all match)', pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running'] } }, expected: true },
  { name: 'fields are ANDed (one fails)', pattern: { source: ['aws.ec2'], 'detail-type': ['Something Else'] }, expected: false },
  { name: 'number equals number', pattern: d({ 'c-count': [5] }), expected: true },
  { name: 'number equality is numeric (5.0 = 5, 3.018e2 = 301.8)', pattern: '{"detail":{"c-count":[5.0],"x-limit":[3.018e2]}}', expected: true },
  { name: 'string "5" does not match number 5', pattern: d({ 'c-count': ['5'] }), expected: false },
  { name: 'number 5 does not match string "5"', pattern: d({ 'size-text': [5] }), expected: false },
  { name: 'boolean true', pattern: d({ flag: [true] }), expected: true },
  { name: 'string "true" does not match boolean true', pattern: d({ flag: ['true'] }), expected: false },
  { name: 'null matches a null value', pattern: d({ nothing: [null] }), expected: true },
  { name: 'null does not match a missing field', pattern: d({ missing: [null] }), expected: false },
  { name: 'empty string does not match null', pattern: d({ nothing: [''] }), expected: false },
  { name: 'empty string matches empty string', pattern: d({ blank: [''] }), expected: true },
  { name: 'null does not match empty string', pattern: d({ blank: [null] }), expected: false },
  { name: 'exact value on a missing field', pattern: d({ missing: ['running'] }), expected: false },

  // Nested objects
  { name: 'nested objects descend', pattern: d({ nested: { deep: { value: ['x'] } } }), expected: true },
  { name: 'nested objects, wrong value', pattern: d({ nested: { deep: { value: ['y'] } } }), expected: false },
  { name: 'nested path missing from event', pattern: d({ nested: { other: { value: ['x'] } } }), expected: false },
  { name: 'pattern object where the event has a string', pattern: d({ state: { name: ['running'] } }), expected: false },
  { name: 'leaf values do not match an object in the event', pattern: d({ nested: ['x'] }), expected: false },

  // Arrays in events
  { name: 'event array: one element matches', pattern: { resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-0abc'] }, expected: true },
  { name: 'event array: intersection non-empty', pattern: d({ tags: ['dev', 'web'] }), expected: true },
  { name: 'event array: intersection empty', pattern: d({ tags: ['dev'] }), expected: false },
  { name: 'event array: numeric on any element', pattern: d({ numbers: [{ numeric: ['>', 10] }] }), expected: true },
  { name: 'event array: numeric on no element', pattern: d({ numbers: [{ numeric: ['>', 100] }] }), expected: false },
  { name: 'event empty array matches no value', pattern: d({ 'empty-list': [{ prefix: '' }] }), expected: false },
  { name: 'array of objects: field of one element', pattern: d({ volumes: { state: ['available'] } }), expected: true },
  { name: 'array of objects: fields must match in the same element', pattern: d({ volumes: { id: ['vol-1'], state: ['available'] } }), expected: false },
  { name: 'array of objects: both fields in one element', pattern: d({ volumes: { id: ['vol-2'], state: ['available'], size: [{ numeric: ['>=', 100] }] } }), expected: true },

  // prefix / suffix / equals-ignore-case / wildcard
  { name: 'prefix matches', pattern: { time: [{ prefix: '2017-10-02' }] }, expected: true },
  { name: 'prefix does not match', pattern: { time: [{ prefix: '2017-10-03' }] }, expected: false },
  { name: 'prefix is case-sensitive', pattern: { source: [{ prefix: 'AWS.' }] }, expected: false },
  { name: 'prefix only applies to strings', pattern: d({ 'c-count': [{ prefix: '5' }] }), expected: false },
  { name: 'prefix equals-ignore-case', pattern: { source: [{ prefix: { 'equals-ignore-case': 'AWS.E' } }] }, expected: true },
  { name: 'prefix equals-ignore-case, different prefix', pattern: { source: [{ prefix: { 'equals-ignore-case': 'AWS.S3' } }] }, expected: false },
  { name: 'suffix matches', pattern: { source: [{ suffix: 'ec2' }] }, expected: true },
  { name: 'suffix is case-sensitive', pattern: { source: [{ suffix: 'EC2' }] }, expected: false },
  { name: 'suffix equals-ignore-case', pattern: { source: [{ suffix: { 'equals-ignore-case': 'EC2' } }] }, expected: true },
  { name: 'equals-ignore-case matches', pattern: d({ state: [{ 'equals-ignore-case': 'RUNNING' }] }), expected: true },
  { name: 'equals-ignore-case is still equality', pattern: d({ state: [{ 'equals-ignore-case': 'RUN' }] }), expected: false },
  { name: 'equals-ignore-case only applies to strings', pattern: d({ 'c-count': [{ 'equals-ignore-case': '5' }] }), expected: false },
  { name: 'wildcard matches', pattern: { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }, expected: true },
  { name: 'wildcard does not match', pattern: { resources: [{ wildcard: 'arn:aws:s3:*' }] }, expected: false },
  { name: 'wildcard must match the whole value', pattern: d({ state: [{ wildcard: 'run*n' }] }), expected: false },
  { name: 'wildcard * matches an empty sequence', pattern: d({ state: [{ wildcard: 'running*' }] }), expected: true },
  { name: 'wildcard treats regex characters literally', pattern: d({ 'source-ip': [{ wildcard: '10.0.0.3?' }] }), expected: false },
  { name: 'wildcard \\* is a literal asterisk', pattern: d({ starry: [{ wildcard: 'a\\*b' }] }), expected: true },
  { name: 'wildcard \\* does not match another character', pattern: d({ state: [{ wildcard: 'r\\*' }] }), expected: false },

  // anything-but
  { name: 'anything-but string: other value', pattern: d({ state: [{ 'anything-but': 'stopped' }] }), expected: true },
  { name: 'anything-but string: same value', pattern: d({ state: [{ 'anything-but': 'running' }] }), expected: false },
  { name: 'anything-but list: value listed', pattern: d({ state: [{ 'anything-but': ['stopped', 'running'] }] }), expected: false },
  { name: 'anything-but list: value not listed', pattern: d({ state: [{ 'anything-but': ['stopped', 'pending'] }] }), expected: true },
  { name: 'anything-but number: same number', pattern: d({ 'c-count': [{ 'anything-but': 5 }] }), expected: false },
  { name: 'anything-but number list: not listed', pattern: d({ 'x-limit': [{ 'anything-but': [100, 200, 300] }] }), expected: true },
  { name: 'anything-but number vs string "5" (types differ)', pattern: d({ 'size-text': [{ 'anything-but': 5 }] }), expected: true },
  { name: 'anything-but prefix: has the prefix', pattern: d({ state: [{ 'anything-but': { prefix: 'run' } }] }), expected: false },
  { name: 'anything-but prefix: lacks the prefix', pattern: d({ state: [{ 'anything-but': { prefix: 'stop' } }] }), expected: true },
  { name: 'anything-but suffix: has the suffix', pattern: d({ state: [{ 'anything-but': { suffix: 'ing' } }] }), expected: false },
  { name: 'anything-but suffix: lacks the suffix', pattern: d({ state: [{ 'anything-but': { suffix: 'ed' } }] }), expected: true },
  { name: 'anything-but equals-ignore-case', pattern: d({ state: [{ 'anything-but': { 'equals-ignore-case': 'RUNNING' } }] }), expected: false },
  { name: 'anything-but equals-ignore-case list', pattern: d({ state: [{ 'anything-but': { 'equals-ignore-case': ['STOPPED', 'PENDING'] } }] }), expected: true },
  { name: 'anything-but wildcard', pattern: d({ state: [{ 'anything-but': { wildcard: '*unn*' } }] }), expected: false },
  { name: 'anything-but suffix matches a null value', pattern: d({ nothing: [{ 'anything-but': { suffix: '.png' } }] }), expected: true },
  { name: 'anything-but prefix matches a non-string value', pattern: d({ 'c-count': [{ 'anything-but': { prefix: '5' } }] }), expected: true },
  { name: 'anything-but prefix does not match a missing field', pattern: d({ missing: [{ 'anything-but': { prefix: 'x' } }] }), expected: false },
  { name: 'anything-but does not match a missing field', pattern: d({ missing: [{ 'anything-but': 'x' }] }), expected: false },
  { name: 'anything-but matches a null value', pattern: d({ nothing: [{ 'anything-but': 'x' }] }), expected: true },
  { name: 'anything-but on an array: another element differs', pattern: d({ tags: [{ 'anything-but': 'prod' }] }), expected: true },
  { name: 'anything-but on an array: every element excluded', pattern: d({ 'prod-only': [{ 'anything-but': 'prod' }] }), expected: false },
  { name: 'anything-but on an empty array', pattern: d({ 'empty-list': [{ 'anything-but': 'prod' }] }), expected: false },

  // exists
  { name: 'exists true on a present field', pattern: d({ state: [{ exists: true }] }), expected: true },
  { name: 'exists true on a missing field', pattern: d({ missing: [{ exists: true }] }), expected: false },
  { name: 'exists false on a missing field', pattern: d({ missing: [{ exists: false }] }), expected: true },
  { name: 'exists false on a present field', pattern: d({ state: [{ exists: false }] }), expected: false },
  { name: 'exists true on a null value (present)', pattern: d({ nothing: [{ exists: true }] }), expected: true },
  { name: 'exists true on a falsy number', pattern: d({ 'zero-count': [{ exists: true }] }), expected: true },
  { name: 'exists true on an object (not a leaf)', pattern: d({ nested: [{ exists: true }] }), expected: false },
  { name: 'exists false on an object (not a leaf)', pattern: d({ nested: [{ exists: false }] }), expected: true },
  { name: 'exists false below a missing parent', pattern: d({ missing: { child: [{ exists: false }] } }), expected: true },
  { name: 'exists true below a missing parent', pattern: d({ missing: { child: [{ exists: true }] } }), expected: false },
  { name: 'exists false on an empty array', pattern: d({ 'empty-list': [{ exists: false }] }), expected: true },
  { name: 'exists true on an empty array', pattern: d({ 'empty-list': [{ exists: true }] }), expected: false },
  { name: 'exists true on an array of values', pattern: d({ tags: [{ exists: true }] }), expected: true },

  // numeric
  { name: 'numeric range: inside', pattern: d({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }), expected: true },
  { name: 'numeric range: outside', pattern: d({ 'c-count': [{ numeric: ['>', 5, '<=', 10] }] }), expected: false },
  { name: 'numeric <: at the bound', pattern: d({ 'd-count': [{ numeric: ['<', 3] }] }), expected: false },
  { name: 'numeric <=: at the bound', pattern: d({ 'd-count': [{ numeric: ['<=', 3] }] }), expected: true },
  { name: 'numeric =', pattern: d({ 'x-limit': [{ numeric: ['=', 3.018e2] }] }), expected: true },
  { name: 'numeric = other value', pattern: d({ 'x-limit': [{ numeric: ['=', 301] }] }), expected: false },
  { name: 'numeric >= at the bound', pattern: d({ 'x-limit': [{ numeric: ['>=', 301.8] }] }), expected: true },
  { name: 'numeric = 0 on a zero value', pattern: d({ 'zero-count': [{ numeric: ['=', 0] }] }), expected: true },
  { name: 'numeric does not match a numeric string', pattern: d({ 'size-text': [{ numeric: ['=', 5] }] }), expected: false },
  { name: 'numeric does not match a missing field', pattern: d({ missing: [{ numeric: ['>=', 0] }] }), expected: false },

  // cidr
  { name: 'cidr /24 contains the address', pattern: d({ 'source-ip': [{ cidr: '10.0.0.0/24' }] }), expected: true },
  { name: 'cidr /24 does not contain the address', pattern: d({ 'source-ip': [{ cidr: '10.0.1.0/24' }] }), expected: false },
  { name: 'cidr /8', pattern: d({ 'source-ip': [{ cidr: '10.0.0.0/8' }] }), expected: true },
  { name: 'cidr /32 single address', pattern: d({ 'source-ip': [{ cidr: '10.0.0.33/32' }] }), expected: true },
  { name: 'cidr /32 other address', pattern: d({ 'source-ip': [{ cidr: '10.0.0.34/32' }] }), expected: false },
  { name: 'cidr /0 matches any IPv4 address', pattern: d({ 'source-ip': [{ cidr: '0.0.0.0/0' }] }), expected: true },
  { name: 'cidr does not match a non-address string', pattern: d({ state: [{ cidr: '0.0.0.0/0' }] }), expected: false },

  // $or
  { name: '$or: second alternative matches', pattern: { $or: [{ source: ['aws.s3'] }, { detail: { state: ['running'] } }] }, expected: true },
  { name: '$or: no alternative matches', pattern: { $or: [{ source: ['aws.s3'] }, { detail: { state: ['stopped'] } }] }, expected: false },
  { name: '$or is ANDed with sibling fields', pattern: { source: ['aws.s3'], $or: [{ region: ['us-east-1'] }, { account: ['111122223333'] }] }, expected: false },
  { name: '$or nested inside detail', pattern: d({ $or: [{ 'c-count': [{ numeric: ['>', 100] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] }), expected: true },
  { name: '$or alternative with an AND inside', pattern: { $or: [{ source: ['aws.ec2'], region: ['eu-west-1'] }, { source: ['aws.s3'] }] }, expected: false },
  { name: '$or with exists false alternative', pattern: d({ $or: [{ missing: [{ exists: false }] }, { state: ['stopped'] }] }), expected: true },
  { name: 'nested $or inside $or', pattern: { $or: [{ source: ['aws.s3'] }, { $or: [{ region: ['eu-west-1'] }, { detail: { flag: [true] } }] }] }, expected: true },

  // Patterns given as JSON text (as in a synthesized aws_cloudwatch_event_rule.event_pattern)
  { name: 'pattern as JSON text', pattern: JSON.stringify({ source: ['aws.ec2'], detail: { state: ['running'] } }), expected: true },
];

describe('matchesEventPattern', () => {
  it.each(matchCases)('$name', ({ pattern, expected }) => {
    expect(validateEventPattern(pattern)).toEqual([]);
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('accepts the event as JSON text too', () => {
    expect(matchesEventPattern({ source: ['aws.ec2'] }, JSON.stringify(event))).toBe(true);
  });

  it('treats a non-object event as having no fields', () => {
    expect(matchesEventPattern({ source: ['aws.ec2'] }, null)).toBe(false);
    expect(matchesEventPattern({ source: [{ exists: false }] }, 42)).toBe(true);
  });

  it('throws on an invalid pattern, listing the problems', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, event)).toThrow(/Invalid event pattern[\s\S]*source: must be an object or an array/);
  });
});

interface ValidationCase {
  name: string;
  pattern: unknown;
  problem: RegExp;
}

const validationCases: ValidationCase[] = [
  { name: 'pattern is not an object (array)', pattern: ['aws.ec2'], problem: /^pattern: must be a JSON object/ },
  { name: 'pattern is not an object (null)', pattern: null, problem: /^pattern: must be a JSON object/ },
  { name: 'pattern is invalid JSON text', pattern: '{"source": [', problem: /^pattern: not valid JSON/ },
  { name: 'empty pattern', pattern: {}, problem: /^pattern: must not be an empty object/ },
  { name: 'empty nested object', pattern: { detail: {} }, problem: /^detail: must not be an empty object/ },
  { name: 'leaf is a string, not an array', pattern: { source: 'aws.ec2' }, problem: /^source: must be an object or an array/ },
  { name: 'leaf is a number, not an array', pattern: { detail: { count: 5 } }, problem: /^detail\.count: must be an object or an array/ },
  { name: 'leaf is null', pattern: { source: null }, problem: /^source: must be an object or an array/ },
  { name: 'empty array', pattern: { source: [] }, problem: /^source: empty arrays are not allowed/ },
  { name: 'nested array in a leaf', pattern: { source: [['aws.ec2']] }, problem: /^source\[0\]: match value must be/ },
  { name: 'unknown operator', pattern: { source: [{ contains: 'ec2' }] }, problem: /^source\[0\]: unknown operator "contains"/ },
  { name: 'two operators in one object', pattern: { source: [{ prefix: 'a', suffix: 'b' }] }, problem: /exactly one operator, got prefix, suffix/ },
  { name: 'operator object with no operator', pattern: { source: [{}] }, problem: /exactly one operator, got none/ },
  { name: 'prefix is not a string', pattern: { source: [{ prefix: 5 }] }, problem: /^source\[0\]\.prefix: must be a string/ },
  { name: 'prefix with an unknown inner operator', pattern: { source: [{ prefix: { wildcard: 'a*' } }] }, problem: /only operator allowed inside prefix is equals-ignore-case/ },
  { name: 'suffix equals-ignore-case is not a string', pattern: { source: [{ suffix: { 'equals-ignore-case': 1 } }] }, problem: /suffix\.equals-ignore-case: must be a string/ },
  { name: 'equals-ignore-case is not a string', pattern: { source: [{ 'equals-ignore-case': ['a'] }] }, problem: /equals-ignore-case: must be a string/ },
  { name: 'exists is not a boolean', pattern: { source: [{ exists: 'true' }] }, problem: /exists: must be true or false/ },
  { name: 'wildcard with consecutive *', pattern: { source: [{ wildcard: 'aws.**' }] }, problem: /consecutive wildcard characters/ },
  { name: 'wildcard with an invalid escape', pattern: { source: [{ wildcard: 'a\\b' }] }, problem: /invalid escape/ },
  { name: 'anything-but null', pattern: { source: [{ 'anything-but': null }] }, problem: /anything-but: must be a string, a number/ },
  { name: 'anything-but mixed list', pattern: { source: [{ 'anything-but': ['a', 1] }] }, problem: /only strings or only numbers/ },
  { name: 'anything-but list with a boolean', pattern: { source: [{ 'anything-but': [true] }] }, problem: /only strings or only numbers/ },
  { name: 'anything-but empty list', pattern: { source: [{ 'anything-but': [] }] }, problem: /anything-but: empty arrays are not allowed/ },
  { name: 'anything-but unknown inner operator', pattern: { source: [{ 'anything-but': { numeric: ['>', 1] } }] }, problem: /must hold exactly one of prefix, suffix, equals-ignore-case, wildcard/ },
  { name: 'anything-but empty prefix', pattern: { source: [{ 'anything-but': { prefix: '' } }] }, problem: /anything-but\.prefix: must not be empty/ },
  { name: 'numeric is not an array', pattern: { n: [{ numeric: '>5' }] }, problem: /numeric: must be an array/ },
  { name: 'numeric with an odd number of elements', pattern: { n: [{ numeric: ['>', 0, '<'] }] }, problem: /2 or 4 elements/ },
  { name: 'numeric with too many comparisons', pattern: { n: [{ numeric: ['>', 0, '<', 5, '<', 6] }] }, problem: /2 or 4 elements/ },
  { name: 'numeric with an unknown operator', pattern: { n: [{ numeric: ['!=', 5] }] }, problem: /unknown numeric operator "!="/ },
  { name: 'numeric with a string value', pattern: { n: [{ numeric: ['=', '5'] }] }, problem: /the value of "=" must be a number/ },
  { name: 'numeric range starting with an upper bound', pattern: { n: [{ numeric: ['<', 5, '>', 0] }] }, problem: /must start with a lower bound/ },
  { name: 'numeric range with two lower bounds', pattern: { n: [{ numeric: ['>', 0, '>=', 5] }] }, problem: /must end with an upper bound/ },
  { name: 'numeric range with bottom above top', pattern: { n: [{ numeric: ['>', 5, '<', 1] }] }, problem: /lower bound 5 must be less than the upper bound 1/ },
  { name: 'cidr without a mask', pattern: { ip: [{ cidr: '10.0.0.0' }] }, problem: /malformed IPv4 CIDR/ },
  { name: 'cidr with an octet above 255', pattern: { ip: [{ cidr: '300.0.0.0/8' }] }, problem: /malformed IPv4 CIDR/ },
  { name: 'cidr with a mask above 32', pattern: { ip: [{ cidr: '10.0.0.0/33' }] }, problem: /malformed IPv4 CIDR/ },
  { name: 'cidr IPv6 (unsupported here)', pattern: { ip: [{ cidr: '2001:db8::/32' }] }, problem: /IPv6 CIDR blocks are not supported/ },
  { name: '$or with a single alternative', pattern: { $or: [{ source: ['a'] }] }, problem: /^\$or: \$or must be an array of at least two/ },
  { name: '$or that is not an array', pattern: { $or: { source: ['a'] } }, problem: /^\$or: \$or must be an array/ },
  { name: 'invalid leaf inside a $or alternative', pattern: { detail: { $or: [{ a: ['x'] }, { b: 'y' }] } }, problem: /^detail\.\$or\[1\]\.b: must be an object or an array/ },
];

describe('validateEventPattern', () => {
  it.each(validationCases)('$name', ({ pattern, problem }) => {
    const problems = validateEventPattern(pattern);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
    expect(() => matchesEventPattern(pattern, event)).toThrow(/Invalid event pattern/);
  });

  it('reports every problem, not just the first', () => {
    expect(validateEventPattern({ source: 'x', detail: { state: [], n: [{ numeric: ['=', 'a'] }] } })).toHaveLength(3);
  });

  it('accepts a pattern using every operator', () => {
    expect(
      validateEventPattern({
        source: ['aws.ec2', { prefix: 'aws.' }, { suffix: { 'equals-ignore-case': 'EC2' } }],
        detail: {
          state: [{ 'anything-but': { wildcard: ['*init*', 'stop*'] } }, { 'equals-ignore-case': 'x' }, { wildcard: 'r*ing' }],
          count: [{ numeric: ['>=', 0, '<', 10] }, { 'anything-but': [1, 2] }, 3, null, true],
          ip: [{ cidr: '192.168.0.0/16' }],
          gone: [{ exists: false }],
          $or: [{ a: ['1'] }, { b: { c: [{ exists: true }] } }],
        },
      }),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Real sample events. They live in the workspace's shared folder; copies are committed under
// __tests__/fixtures/events so that the tests also run in a fresh clone (CI).

const SHARED_EVENTS_DIR = path.resolve(__dirname, '../../../shared/events');
const FIXTURE_EVENTS_DIR = path.resolve(__dirname, '../fixtures/events');
const SAMPLE_FILES = ['health-s3-get-errors.json', 'restore-completed-rds.json', 'restore-failed-ec2.json'];

function loadEvent(file: string): unknown {
  const dir = fs.existsSync(path.join(SHARED_EVENTS_DIR, file)) ? SHARED_EVENTS_DIR : FIXTURE_EVENTS_DIR;
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
}

describe('sample events', () => {
  const health = loadEvent('health-s3-get-errors.json');
  const restoreCompleted = loadEvent('restore-completed-rds.json');
  const restoreFailed = loadEvent('restore-failed-ec2.json');

  it('has committed fixture copies identical to the shared samples (when the shared folder exists)', () => {
    for (const file of SAMPLE_FILES) {
      const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE_EVENTS_DIR, file), 'utf8')) as unknown;
      if (fs.existsSync(SHARED_EVENTS_DIR)) {
        expect(fixture).toEqual(JSON.parse(fs.readFileSync(path.join(SHARED_EVENTS_DIR, file), 'utf8')));
      } else {
        expect(fixture).toEqual(expect.objectContaining({ version: '0' }));
      }
    }
  });

  const healthPattern = {
    source: ['aws.health'],
    'detail-type': ['AWS Health Event'],
    detail: {
      service: ['S3'],
      eventTypeCategory: ['issue'],
      eventTypeCode: ['AWS_S3_INCREASED_GET_API_ERROR_RATES'],
    },
  };
  const restorePattern = (status: string[]) => ({
    source: ['aws.backup'],
    'detail-type': ['Restore Job State Change'],
    detail: { status },
  });

  const sampleCases: { name: string; pattern: unknown; event: unknown; expected: boolean }[] = [
    { name: 'health: S3 issue pattern matches', pattern: healthPattern, event: health, expected: true },
    {
      name: 'health: scheduledChange variant does not match',
      pattern: { ...healthPattern, detail: { ...healthPattern.detail, eventTypeCategory: ['scheduledChange'] } },
      event: health,
      expected: false,
    },
    {
      name: 'health: event code prefix and a list of codes',
      pattern: { source: ['aws.health'], detail: { service: ['S3'], eventTypeCode: [{ prefix: 'AWS_S3_' }, 'AWS_S3_OPERATIONAL_ISSUE'] } },
      event: health,
      expected: true,
    },
    { name: 'health: other service does not match', pattern: { ...healthPattern, detail: { ...healthPattern.detail, service: ['EC2'] } }, event: health, expected: false },
    { name: 'health: statusCode anything-but closed', pattern: { source: ['aws.health'], detail: { statusCode: [{ 'anything-but': ['closed'] }] } }, event: health, expected: true },
    { name: 'health: description inside an array of objects', pattern: { detail: { eventDescription: { language: ['en_US'] } } }, event: health, expected: true },
    { name: 'health: empty resources array has no value', pattern: { source: ['aws.health'], resources: [{ exists: false }] }, event: health, expected: true },
    { name: 'health: backup pattern does not match', pattern: restorePattern(['COMPLETED']), event: health, expected: false },
    { name: 'restore: COMPLETED matches the completed sample', pattern: restorePattern(['COMPLETED']), event: restoreCompleted, expected: true },
    { name: 'restore: COMPLETED does not match the failed sample', pattern: restorePattern(['COMPLETED']), event: restoreFailed, expected: false },
    { name: 'restore: FAILED/ABORTED matches the failed sample', pattern: restorePattern(['FAILED', 'ABORTED']), event: restoreFailed, expected: true },
    { name: 'restore: FAILED/ABORTED does not match the completed sample', pattern: restorePattern(['FAILED', 'ABORTED']), event: restoreCompleted, expected: false },
    {
      name: 'restore: RDS restores in the DR account',
      pattern: { source: ['aws.backup'], account: ['222222222222'], region: ['ap-northeast-1'], detail: { resourceType: ['RDS'], status: ['COMPLETED'] } },
      event: restoreCompleted,
      expected: true,
    },
    { name: 'restore: resources prefix arn:aws:rds (completed)', pattern: { resources: [{ prefix: 'arn:aws:rds:' }] }, event: restoreCompleted, expected: true },
    { name: 'restore: resources prefix arn:aws:rds (failed EC2)', pattern: { resources: [{ prefix: 'arn:aws:rds:' }] }, event: restoreFailed, expected: false },
    { name: 'restore: createdResourceArn exists (completed)', pattern: { detail: { createdResourceArn: [{ exists: true }] } }, event: restoreCompleted, expected: true },
    { name: 'restore: createdResourceArn exists (failed)', pattern: { detail: { createdResourceArn: [{ exists: true }] } }, event: restoreFailed, expected: false },
    { name: 'restore: statusMessage absent (completed)', pattern: { detail: { statusMessage: [{ exists: false }] } }, event: restoreCompleted, expected: true },
    { name: 'restore: percentDone is the number 0', pattern: { detail: { percentDone: [{ numeric: ['=', 0] }] } }, event: restoreFailed, expected: true },
    {
      name: 'restore: backupSizeInBytes is a string, so numeric does not match',
      pattern: { detail: { backupSizeInBytes: [{ numeric: ['>', 0] }] } },
      event: restoreFailed,
      expected: false,
    },
    { name: 'restore: backupSizeInBytes matches as a string', pattern: { detail: { backupSizeInBytes: ['22548578304'] } }, event: restoreFailed, expected: true },
    {
      name: 'restore: status or state (both documented shapes)',
      pattern: { source: ['aws.backup'], detail: { $or: [{ status: ['FAILED', 'ABORTED'] }, { state: ['FAILED', 'ABORTED'] }] } },
      event: restoreFailed,
      expected: true,
    },
  ];

  it.each(sampleCases)('$name', ({ pattern, event: sample, expected }) => {
    expect(matchesEventPattern(pattern, sample)).toBe(expected);
  });
});
