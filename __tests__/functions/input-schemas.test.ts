/**
 * The input schemas of the functions the recovery state machine invokes: each required field missing
 * or mistyped is refused with an InvalidInputError naming the field (table-driven), and the shared
 * pieces (functions/input-schemas.ts) parse what they promise.
 */
import { parseCleanupInput, type CleanupPayload } from '../../functions/cleanup-drill/input';
import { parseLocateInput, type LocatePayload } from '../../functions/locate-recovery-points/input';
import { parsePrepareRestoreInput, type PrepareRestorePayload } from '../../functions/prepare-restore/input';
import { parseReportInput, type RecoveryReportPayload } from '../../functions/report-recovery/input';
import { InvalidInputError } from '../../functions/input-values';
import { arnParts, fieldOf, ISO_TIMESTAMP } from '../../functions/input-schemas';

const REGION = 'ap-northeast-1';
const ROLE = 'arn:aws:iam::111111111111:role/acme-central-copy-starter';
const RP_ARN = `arn:aws:backup:${REGION}:222222222222:recovery-point:0123abcd-0123-4567-89ab-0123456789ab`;
const VOLUME_ARN = `arn:aws:ec2:${REGION}:222222222222:volume/vol-0123456789abcdef0`;

// Typed as the Payload types: the test inputs are checked against the same contract as the state machine's.
const LOCATE: LocatePayload = {
  workload: 'shop',
  sourceAccountId: '333333333333',
  pointInTime: '2026-11-20T00:00:00Z',
  rpoMinutes: 1440,
  resourceTypes: ['EBS', 'RDS'],
  restoreVault: { name: 'acme-dr-restore', accountId: '222222222222', region: REGION },
  centralVault: { name: 'acme-central', accountId: '111111111111', region: REGION, copyStarterRoleArn: ROLE },
};
const PREPARE: PrepareRestorePayload = {
  workload: 'shop',
  executionName: 'drill-2026-11-20',
  recoveryPointArn: RP_ARN,
  resourceType: 'EBS',
  resourceArn: VOLUME_ARN,
  restoreVaultName: 'acme-dr-restore',
  target: { availabilityZones: [`${REGION}a`], subnetIds: [], securityGroupIds: [], nameSuffix: 'dr' },
};
const REPORT: RecoveryReportPayload = {
  workload: 'shop',
  mode: 'drill',
  executionArn: `arn:aws:states:${REGION}:222222222222:execution:acme-recovery:drill-1`,
  outcome: 'recovered',
  startedAt: '2026-11-20T03:00:00Z',
};
const CLEANUP: CleanupPayload = { mode: 'drill', executionName: 'drill-1', accountId: '222222222222', region: REGION, restores: [] };

type Case = readonly [field: string, value: unknown, message: string];

/** `input` with `path` (dotted) set to `value`; `undefined` deletes it. */
function withField(input: object, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(input) as Record<string, unknown>;
  const keys = path.split('.');
  let at = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[keys[keys.length - 1]];
  else at[keys[keys.length - 1]] = value;
  return copy;
}

function expectRefused(parse: (input: unknown) => unknown, input: unknown, message: string): void {
  let error: unknown;
  try {
    parse(input);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as Error).message).toBe(message);
}

describe.each([
  [
    'locate-recovery-points',
    parseLocateInput,
    LOCATE,
    [
      ['workload', undefined, 'Invalid input: workload is missing'],
      ['workload', 7, 'Invalid input: workload must be a string, got number'],
      ['sourceAccountId', undefined, 'Invalid input: sourceAccountId is missing'],
      ['sourceAccountId', 333333333333, 'Invalid input: sourceAccountId must be a string, got number'],
      ['rpoMinutes', undefined, 'Invalid input: rpoMinutes is missing'],
      ['rpoMinutes', '1440', 'Invalid input: rpoMinutes must be a number, got string'],
      ['resourceTypes', undefined, 'Invalid input: resourceTypes is missing'],
      ['resourceTypes', 'EBS', 'Invalid input: resourceTypes must be an array of AWS Backup resource types, got string'],
      ['restoreVault', undefined, 'Invalid input: restoreVault is missing'],
      ['restoreVault', 'acme-dr-restore', 'Invalid input: restoreVault must be an object, got string'],
      ['restoreVault.name', undefined, 'Invalid input: restoreVault.name is missing'],
      ['restoreVault.accountId', undefined, 'Invalid input: restoreVault.accountId is missing'],
      ['restoreVault.region', 1, 'Invalid input: restoreVault.region must be a string, got number'],
      ['centralVault.copyStarterRoleArn', undefined, 'Invalid input: centralVault.copyStarterRoleArn is missing'],
      ['pointInTime', 1, 'Invalid input: pointInTime must be an ISO 8601 date-time string or null, got number'],
    ] as Case[],
  ],
  [
    'prepare-restore',
    parsePrepareRestoreInput,
    PREPARE,
    [
      ['workload', undefined, 'Invalid input: workload is missing'],
      ['workload', 7, 'Invalid input: workload must be a string, got number'],
      ['executionName', undefined, 'Invalid input: executionName is missing'],
      ['executionName', ['x'], 'Invalid input: executionName must be a string, got array'],
      ['recoveryPointArn', undefined, 'Invalid input: recoveryPointArn is missing'],
      ['recoveryPointArn', {}, 'Invalid input: recoveryPointArn must be a string, got object'],
      ['resourceType', undefined, 'Invalid input: resourceType is missing'],
      ['resourceType', 3, 'Invalid input: resourceType must be a string, got number'],
      ['resourceArn', undefined, 'Invalid input: resourceArn is missing'],
      ['resourceArn', null, 'Invalid input: resourceArn is missing'],
      ['restoreVaultName', undefined, 'Invalid input: restoreVaultName is missing'],
      ['restoreVaultName', true, 'Invalid input: restoreVaultName must be a string, got boolean'],
      ['target', undefined, 'Invalid input: target is missing'],
      ['target', [], 'Invalid input: target must be an object, got array'],
      ['target.availabilityZones', undefined, 'Invalid input: target.availabilityZones is missing'],
      ['target.nameSuffix', undefined, 'Invalid input: target.nameSuffix is missing'],
      ['target.nameSuffix', 1, 'Invalid input: target.nameSuffix must be a string, got number'],
      ['backupVaultAccountId', 1, 'Invalid input: backupVaultAccountId must be a string, got number'],
    ] as Case[],
  ],
  [
    'report-recovery',
    parseReportInput,
    REPORT,
    [
      ['workload', undefined, 'Invalid input: "workload" is missing'],
      ['workload', 7, 'Invalid input: "workload" must be a non-empty string, got number 7'],
      ['mode', undefined, 'Invalid input: "mode" is missing'],
      ['mode', 1, 'Invalid input: "mode" must be "failover" or "drill", got number 1'],
      ['executionArn', undefined, 'Invalid input: "executionArn" is missing'],
      ['executionArn', [], 'Invalid input: "executionArn" must be a non-empty string, got an array'],
      ['outcome', undefined, 'Invalid input: "outcome" is missing'],
      ['outcome', true, 'Invalid input: "outcome" must be "recovered" or "failed", got boolean true'],
      ['startedAt', undefined, 'Invalid input: "startedAt" is missing'],
      ['startedAt', 1, 'Invalid input: "startedAt" must be an ISO 8601 timestamp such as 2026-11-20T03:00:00Z, got number 1'],
      ['restores', {}, 'Invalid input: "restores" must be an array, got an object'],
      ['steps', [{ name: 3 }], 'Invalid input: "steps[0].name" must be a non-empty string, got number 3'],
    ] as Case[],
  ],
  [
    'cleanup-drill',
    parseCleanupInput,
    CLEANUP,
    [
      ['mode', undefined, 'Invalid input: "mode" is missing; only "drill" is cleaned up'],
      ['mode', 1, 'Invalid input: "mode" must be "drill" (a failover is never cleaned up), got number 1'],
      ['executionName', undefined, 'Invalid input: "executionName" is missing'],
      ['executionName', 1, 'Invalid input: "executionName" must be a non-empty string, got number 1'],
      ['accountId', undefined, 'Invalid input: "accountId" is missing'],
      ['accountId', {}, 'Invalid input: "accountId" must be a non-empty string, got an object'],
      ['region', undefined, 'Invalid input: "region" is missing'],
      ['region', 1, 'Invalid input: "region" must be a non-empty string, got number 1'],
      ['restores', undefined, 'Invalid input: "restores" is missing (an empty array when nothing was restored)'],
      ['restores', 'none', 'Invalid input: "restores" must be an array, got "none"'],
      ['autoScalingGroups', {}, 'Invalid input: "autoScalingGroups" must be an array of names, got an object'],
    ] as Case[],
  ],
] as const)('%s input', (_name, parse, valid, cases) => {
  it('parses the valid input', () => {
    expect(() => parse(valid)).not.toThrow();
  });

  it.each(cases)('refuses %s = %p, naming it', (field, value, message) => {
    expectRefused(parse, withField(valid, field, value), message);
  });
});

describe('parsed values', () => {
  it('gives the logic the types it reads: dates, deduplicated lists, absent optionals dropped', () => {
    const located = parseLocateInput({ ...LOCATE, resourceTypes: ['EBS', 'EBS', 'RDS'], airGappedVault: null });
    expect(located).toEqual({ ...LOCATE, pointInTime: new Date('2026-11-20T00:00:00Z'), resourceTypes: ['EBS', 'RDS'] });
    expect('airGappedVault' in located).toBe(false);
    const prepared = parsePrepareRestoreInput({ ...PREPARE, backupVaultAccountId: '', drAccountId: '222222222222', target: { ...PREPARE.target, subnetIds: null, recoveryBucketName: '' } });
    expect(prepared).toStrictEqual({ ...PREPARE, target: { availabilityZones: [`${REGION}a`], subnetIds: [], securityGroupIds: [], fileSystemSecurityGroupIds: [], nameSuffix: 'dr' } });
    expect(parseReportInput(REPORT)).toMatchObject({ executionRegion: REGION, startedAt: new Date('2026-11-20T03:00:00Z'), recoveryPointTimes: [], restores: [], steps: [] });
    const cleanup = parseCleanupInput({ ...CLEANUP, restores: [{ resourceType: 'EBS', createdResourceArn: VOLUME_ARN }, { resourceType: 'RDS', createdResourceArn: null }], autoScalingGroups: ['a', 'a'] });
    expect(cleanup).toMatchObject({ restores: [{ resourceType: 'EBS', arn: { text: VOLUME_ARN, service: 'ec2', account: '222222222222', resource: 'volume/vol-0123456789abcdef0' } }], restoresWithoutResource: [1], autoScalingGroups: ['a'] });
  });

  it('says which field of a nested list is wrong', () => {
    expect(fieldOf(['target', 'subnetIds', 1])).toBe('target.subnetIds[1]');
    expect(fieldOf([])).toBe('');
  });

  it.each([
    ['2026-11-20T03:00:00Z', true],
    ['2026-11-20T03:00:00.123+09:00', true],
    ['2026-11-20T03:00+0900', true],
    ['2026-11-20T03:00:00', false],
    ['2026-11-20', false],
  ])('ISO timestamp %s: %p', (value, valid) => {
    expect(ISO_TIMESTAMP.test(value)).toBe(valid);
  });

  it('splits ARNs, global and account-less ones included', () => {
    expect(arnParts('arn:aws:s3:::shop-assets')).toEqual({ partition: 'aws', service: 's3', region: '', account: '', resource: 'shop-assets' });
    expect(arnParts('vol-0123')).toBeUndefined();
    expect(arnParts('arn:aws:ec2:ap-northeast-1:2222:volume/vol-1')).toBeUndefined();
  });
});
