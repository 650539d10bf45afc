import { ListRecoveryPointsByBackupVaultCommand, ListTagsCommand, type RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  CENTRAL_REQUIRED_ACTIONS,
  InvalidInputError,
  NoRecoveryPointsError,
  REQUIRED_ACTIONS,
  backoffDelay,
  locateRecoveryPoints,
  type AssumedCredentials,
  type LocateOptions,
} from '../../../functions/locate-recovery-points/logic';
import { DR_REGION as REGION, WORKLOAD_ACCOUNT as SOURCE } from '../../helpers/functions/estate-ids';
import { locateClients } from '../../helpers/functions/locate-clients';
import { recordLogsAndSleeps } from '../../helpers/functions/recorded-logs';
import { throttledFirst } from '../../helpers/functions/throttled-first';
import { expectLoggedRejection } from '../../helpers/functions/logged-rejection';

const POINT_IN_TIME = '2026-11-20T00:00:00Z';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/acme-central-copy-starter';

const EBS_ARN = `arn:aws:ec2:ap-northeast-2:${SOURCE}:volume/vol-0aaaaaaaaaaaaaaa1`;
const RDS_ARN = `arn:aws:rds:ap-northeast-2:${SOURCE}:db:shop-db`;
const DDB_ARN = `arn:aws:dynamodb:ap-northeast-2:${SOURCE}:table/orders`;
const BUCKET_ARN = 'arn:aws:s3:::shop-assets';
const OTHER_BUCKET_ARN = 'arn:aws:s3:::billing-invoices';
const UNTAGGED_BUCKET_ARN = 'arn:aws:s3:::scratch';
const OTHER_WORKLOAD_ARN = 'arn:aws:ec2:ap-northeast-2:444444444444:volume/vol-0bbbbbbbbbbbbbbb2';

const drSnapshot = (n: number) => `arn:aws:ec2:${REGION}::snapshot/snap-0dr000000000000${n}`;
const centralSnapshot = (n: number) => `arn:aws:ec2:${REGION}::snapshot/snap-0ce000000000000${n}`;
const drRdsSnapshot = (n: number) => `arn:aws:rds:${REGION}:222222222222:snapshot:awsbackup:job-dr-${n}`;
const centralRdsSnapshot = (n: number) => `arn:aws:rds:${REGION}:111111111111:snapshot:awsbackup:job-ce-${n}`;
const drBackupPoint = (n: number) => `arn:aws:backup:${REGION}:222222222222:recovery-point:dr-${n}`;
const centralBackupPoint = (n: number) => `arn:aws:backup:${REGION}:111111111111:recovery-point:ce-${n}`;

const INPUT = {
  workload: 'shop',
  sourceAccountId: SOURCE,
  pointInTime: POINT_IN_TIME,
  rpoMinutes: 1440,
  resourceTypes: ['EBS', 'RDS', 'DynamoDB', 'S3', 'EFS', 'EC2', 'Aurora', 'FSx'],
  restoreVault: { name: 'acme-dr-restore', accountId: '222222222222', region: REGION },
  centralVault: { name: 'acme-central', accountId: '111111111111', region: REGION, copyStarterRoleArn: ROLE_ARN },
};

/** The fields of a point ready in the DR restore vault. */
const IN_DR = { source: 'restoreVault', backupVaultName: 'acme-dr-restore', backupVaultAccountId: '222222222222' } as const;

const CREDENTIALS = { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date('2026-11-20T03:15:00Z') };
const ASSUMED: AssumedCredentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2026-11-20T03:15:00Z') };

// Two distinct clients, each mocked on its own: the DR account's and the central one the factory returns.
const { drBackup, centralBackupClient, sts, drMock, centralMock, stsMock } = locateClients(REGION);

function rp(resourceArn: string, recoveryPointArn: string, resourceType: string, created: string, status: RecoveryPointByBackupVault['Status'] = 'COMPLETED'): RecoveryPointByBackupVault {
  return { ResourceArn: resourceArn, RecoveryPointArn: recoveryPointArn, ResourceType: resourceType, CreationDate: new Date(created), Status: status, BackupVaultName: 'vault' };
}

function throttle(name = 'ThrottlingException'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const { logs, sleeps, logger, sleep } = recordLogsAndSleeps();
let factoryCalls: [AssumedCredentials, string][];

function harness(options: Partial<LocateOptions> = {}, now = () => new Date('2026-11-21T12:00:00Z')) {
  return {
    backup: drBackup,
    sts,
    centralBackup: (credentials: AssumedCredentials, region: string) => {
      factoryCalls.push([credentials, region]);
      return centralBackupClient;
    },
    logger,
    sleep,
    random: () => 0.5,
    now,
    options,
  };
}

const run = (input: unknown, options: Partial<LocateOptions> = {}, now?: () => Date) => locateRecoveryPoints(input, harness(options, now));

/** The whole result for INPUT (workload shop at its point in time): only the points and the oldest time differ between tests. */
const locatedForInput = (ready: unknown[], toCopy: unknown[], oldestRecoveryPointTime: string) => ({ workload: 'shop', pointInTime: '2026-11-20T00:00:00.000Z', ready, toCopy, oldestRecoveryPointTime });

function listInputs(mock: typeof drMock) {
  return mock.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input);
}

function expectNoAwsCall() {
  expect(drMock.calls()).toHaveLength(0);
  expect(centralMock.calls()).toHaveLength(0);
  expect(stsMock.calls()).toHaveLength(0);
  expect(factoryCalls).toEqual([]);
}

/** The vault of `mock` (DR or central) lists exactly these recovery points, in one page. */
const holds = (mock: typeof drMock, ...points: RecoveryPointByBackupVault[]) => mock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: points });

beforeEach(() => {
  drMock.reset();
  centralMock.reset();
  stsMock.reset();
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
  holds(drMock);
  holds(centralMock);
  factoryCalls = [];
});

describe('constants', () => {
  it('exports exactly the IAM actions the logic calls, with its own role and as the copy-starter role', () => {
    expect(REQUIRED_ACTIONS).toEqual(['backup:ListRecoveryPointsByBackupVault', 'backup:ListTags', 'sts:AssumeRole']);
    expect(CENTRAL_REQUIRED_ACTIONS).toEqual(['backup:ListRecoveryPointsByBackupVault', 'backup:ListTags']);
  });
});

describe('choosing recovery points', () => {
  it('DR copy within the RPO: ready, the newest per resource, sorted by resource ARN', async () => {
    holds(
      drMock,
      rp(RDS_ARN, drRdsSnapshot(1), 'RDS', '2026-11-19T18:00:00Z'),
      rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-18T18:00:00Z'),
      rp(EBS_ARN, drSnapshot(2), 'EBS', '2026-11-19T18:00:00Z'),
      rp(RDS_ARN, drRdsSnapshot(0), 'RDS', '2026-11-18T18:00:00Z'),
    );

    const ready = [
      { resourceArn: EBS_ARN, resourceType: 'EBS', ...IN_DR, recoveryPointArn: drSnapshot(2), creationDate: '2026-11-19T18:00:00.000Z', stale: false },
      { resourceArn: RDS_ARN, resourceType: 'RDS', ...IN_DR, recoveryPointArn: drRdsSnapshot(1), creationDate: '2026-11-19T18:00:00.000Z', stale: false },
    ];
    await expect(run(INPUT)).resolves.toEqual(locatedForInput(ready, [], '2026-11-19T18:00:00.000Z'));
    expect(listInputs(drMock)).toEqual([{ BackupVaultName: 'acme-dr-restore', ByCreatedBefore: new Date(POINT_IN_TIME) }]);
    expect(listInputs(centralMock)).toEqual([{ BackupVaultName: 'acme-central', ByCreatedBefore: new Date(POINT_IN_TIME) }]);
    expect(logs.warn).toEqual([]);
    expect(logs.error).toEqual([]);
    expect(logs.info.at(-1)).toMatchObject({ message: 'Recovery points located', ready: 2, stale: 0, toCopy: 0 });
  });

  it('a point exactly at the RPO limit is within it', async () => {
    holds(drMock, rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-19T00:00:00Z'));
    holds(centralMock, rp(EBS_ARN, centralSnapshot(1), 'EBS', '2026-11-19T23:00:00Z'));
    const result = await run(INPUT);
    expect(result.ready).toEqual([expect.objectContaining({ recoveryPointArn: drSnapshot(1), stale: false })]);
    expect(result.toCopy).toEqual([]);
  });

  it('stale DR copy and a newer central one: toCopy with the central recovery point', async () => {
    holds(drMock, rp(RDS_ARN, drRdsSnapshot(1), 'RDS', '2026-11-15T18:00:00Z'));
    holds(centralMock, rp(RDS_ARN, centralRdsSnapshot(1), 'RDS', '2026-11-17T18:00:00Z'), rp(RDS_ARN, centralRdsSnapshot(2), 'RDS', '2026-11-19T18:00:00Z'));

    const toCopy = [{ resourceArn: RDS_ARN, resourceType: 'RDS', centralRecoveryPointArn: centralRdsSnapshot(2), creationDate: '2026-11-19T18:00:00.000Z' }];
    await expect(run(INPUT)).resolves.toEqual(locatedForInput([], toCopy, '2026-11-19T18:00:00.000Z'));
  });

  it('resource only in the central vault: toCopy, even beyond the RPO; oldest time over ready and toCopy', async () => {
    holds(drMock, rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-19T18:00:00Z'));
    holds(centralMock, rp(DDB_ARN, centralBackupPoint(1), 'DynamoDB', '2026-11-10T06:00:00Z'), rp(EBS_ARN, centralSnapshot(1), 'EBS', '2026-11-19T18:00:00Z'));

    const ready = [{ resourceArn: EBS_ARN, resourceType: 'EBS', ...IN_DR, recoveryPointArn: drSnapshot(1), creationDate: '2026-11-19T18:00:00.000Z', stale: false }];
    const toCopy = [{ resourceArn: DDB_ARN, resourceType: 'DynamoDB', centralRecoveryPointArn: centralBackupPoint(1), creationDate: '2026-11-10T06:00:00.000Z' }];
    await expect(run(INPUT)).resolves.toEqual(locatedForInput(ready, toCopy, '2026-11-10T06:00:00.000Z'));
  });

  it('stale DR copy and nothing newer centrally: ready with stale=true, and a warning', async () => {
    holds(drMock, rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-15T18:00:00Z'));
    holds(centralMock, rp(EBS_ARN, centralSnapshot(1), 'EBS', '2026-11-15T18:00:00Z'));

    const result = await run(INPUT);
    expect(result.ready).toEqual([{ resourceArn: EBS_ARN, resourceType: 'EBS', ...IN_DR, recoveryPointArn: drSnapshot(1), creationDate: '2026-11-15T18:00:00.000Z', stale: true }]);
    expect(result.toCopy).toEqual([]);
    expect(logs.warn).toEqual([expect.objectContaining({ message: expect.stringContaining('older than the RPO'), resourceArn: EBS_ARN })]);
  });

  it('ignores points after the point in time, incomplete points and types not asked for', async () => {
    holds(
      drMock,
      rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-19T06:00:00Z'),
      rp(EBS_ARN, drSnapshot(2), 'EBS', '2026-11-20T00:00:00.001Z'), // after the point in time, though listed
      rp(EBS_ARN, drSnapshot(3), 'EBS', '2026-11-19T20:00:00Z', 'PARTIAL'),
      rp(EBS_ARN, drSnapshot(4), 'EBS', '2026-11-19T21:00:00Z', 'CREATING'),
      rp(RDS_ARN, drRdsSnapshot(1), 'RDS', '2026-11-19T06:00:00Z'),
      { ...rp(DDB_ARN, drBackupPoint(1), 'DynamoDB', '2026-11-19T06:00:00Z'), CreationDate: undefined },
    );

    const result = await run({ ...INPUT, resourceTypes: ['EBS', 'DynamoDB'] });
    expect(result.ready).toEqual([{ resourceArn: EBS_ARN, resourceType: 'EBS', ...IN_DR, recoveryPointArn: drSnapshot(1), creationDate: '2026-11-19T06:00:00.000Z', stale: false }]);
    expect(result.toCopy).toEqual([]);
    expect(listInputs(drMock)[0].ByCreatedBefore).toEqual(new Date('2026-11-20T00:00:00.000Z'));
  });

  it('uses the injected clock when pointInTime is null or absent', async () => {
    holds(drMock, rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-21T06:00:00Z'));
    const { pointInTime: _omitted, ...withoutPointInTime } = INPUT;
    for (const input of [withoutPointInTime, { ...INPUT, pointInTime: null }]) {
      const result = await run(input, {}, () => new Date('2026-11-21T12:00:00Z'));
      expect(result.pointInTime).toBe('2026-11-21T12:00:00.000Z');
      expect(result.ready).toEqual([expect.objectContaining({ recoveryPointArn: drSnapshot(1), stale: false })]);
    }
    expect(listInputs(drMock).map((i) => i.ByCreatedBefore)).toEqual([new Date('2026-11-21T12:00:00Z'), new Date('2026-11-21T12:00:00Z')]);
  });

  it('normalizes a point in time with an offset to UTC', async () => {
    holds(drMock, rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-19T06:00:00Z'));
    await expect(run({ ...INPUT, pointInTime: '2026-11-20T09:00:00+09:00' })).resolves.toMatchObject({ pointInTime: '2026-11-20T00:00:00.000Z' });
  });
});

describe('which resources belong to the workload', () => {
  it("ignores other accounts' resources and keeps S3 buckets only when tagged dr:workload=<workload> (newest point of each bucket)", async () => {
    holds(
      drMock,
      rp(OTHER_WORKLOAD_ARN, drSnapshot(9), 'EBS', '2026-11-19T18:00:00Z'),
      rp(BUCKET_ARN, drBackupPoint(1), 'S3', '2026-11-18T18:00:00Z'),
      rp(BUCKET_ARN, drBackupPoint(2), 'S3', '2026-11-19T18:00:00Z'),
      rp(OTHER_BUCKET_ARN, drBackupPoint(3), 'S3', '2026-11-19T18:00:00Z'),
      rp(UNTAGGED_BUCKET_ARN, drBackupPoint(4), 'S3', '2026-11-19T18:00:00Z'),
    );
    drMock
      .on(ListTagsCommand, { ResourceArn: drBackupPoint(2) })
      .resolves({ Tags: { 'dr:workload': 'shop', 'dr:estate': 'acme' } })
      .on(ListTagsCommand, { ResourceArn: drBackupPoint(3) })
      .resolves({ Tags: { 'dr:workload': 'billing' } })
      .on(ListTagsCommand, { ResourceArn: drBackupPoint(4) })
      .resolves({ Tags: {} });

    const ready = [{ resourceArn: BUCKET_ARN, resourceType: 'S3', ...IN_DR, recoveryPointArn: drBackupPoint(2), creationDate: '2026-11-19T18:00:00.000Z', stale: false }];
    await expect(run(INPUT)).resolves.toEqual(locatedForInput(ready, [], '2026-11-19T18:00:00.000Z'));
    // One ListTags per bucket, on its newest point; none for account-scoped ARNs.
    expect(drMock.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArn: drBackupPoint(3) },
      { ResourceArn: drBackupPoint(4) },
      { ResourceArn: drBackupPoint(2) },
    ]);
  });

  it('reads S3 tags in the central vault with the central client, across ListTags pages', async () => {
    holds(centralMock, rp(BUCKET_ARN, centralBackupPoint(1), 'S3', '2026-11-19T18:00:00Z'));
    centralMock.on(ListTagsCommand).resolvesOnce({ Tags: { 'dr:estate': 'acme' }, NextToken: 'tags-2' }).resolves({ Tags: { 'dr:workload': 'shop' } });

    const result = await run(INPUT);
    expect(result.toCopy).toEqual([{ resourceArn: BUCKET_ARN, resourceType: 'S3', centralRecoveryPointArn: centralBackupPoint(1), creationDate: '2026-11-19T18:00:00.000Z' }]);
    expect(centralMock.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArn: centralBackupPoint(1) },
      { ResourceArn: centralBackupPoint(1), NextToken: 'tags-2' },
    ]);
    expect(drMock.commandCalls(ListTagsCommand)).toHaveLength(0);
  });
});

describe('listing', () => {
  it('follows NextToken in both vaults', async () => {
    drMock
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-19T06:00:00Z')], NextToken: 'dr-2' })
      .resolvesOnce({ RecoveryPoints: [rp(EBS_ARN, drSnapshot(2), 'EBS', '2026-11-19T12:00:00Z')], NextToken: 'dr-3' })
      .resolves({ RecoveryPoints: [rp(RDS_ARN, drRdsSnapshot(1), 'RDS', '2026-11-10T12:00:00Z')] });
    centralMock
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [], NextToken: 'ce-2' })
      .resolves({ RecoveryPoints: [rp(RDS_ARN, centralRdsSnapshot(1), 'RDS', '2026-11-19T12:00:00Z')] });

    const result = await run(INPUT);
    expect(result.ready).toEqual([expect.objectContaining({ resourceArn: EBS_ARN, recoveryPointArn: drSnapshot(2) })]);
    expect(result.toCopy).toEqual([expect.objectContaining({ resourceArn: RDS_ARN, centralRecoveryPointArn: centralRdsSnapshot(1) })]);
    const before = new Date(POINT_IN_TIME);
    expect(listInputs(drMock)).toEqual([
      { BackupVaultName: 'acme-dr-restore', ByCreatedBefore: before },
      { BackupVaultName: 'acme-dr-restore', ByCreatedBefore: before, NextToken: 'dr-2' },
      { BackupVaultName: 'acme-dr-restore', ByCreatedBefore: before, NextToken: 'dr-3' },
    ]);
    expect(listInputs(centralMock)).toEqual([
      { BackupVaultName: 'acme-central', ByCreatedBefore: before },
      { BackupVaultName: 'acme-central', ByCreatedBefore: before, NextToken: 'ce-2' },
    ]);
  });

  it('fails rather than answer from a partial listing when the pages never end', async () => {
    drMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [], NextToken: 'again' });
    await expect(run(INPUT, { maxPages: 3 })).rejects.toThrow('ListRecoveryPointsByBackupVault(acme-dr-restore in 222222222222, ap-northeast-1) returned more than 3 pages; giving up');
    expect(drMock.calls()).toHaveLength(3);
  });
});

describe('central vault as the copy-starter role', () => {
  it('assumes the copy-starter role and lists the central vault with a client built from its credentials', async () => {
    await expect(run(INPUT)).rejects.toThrow(NoRecoveryPointsError);
    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleArn: ROLE_ARN, RoleSessionName: 'locate-shop', DurationSeconds: 900 }]);
    expect(factoryCalls).toEqual([[ASSUMED, REGION]]);
    expect(listInputs(centralMock)).toEqual([{ BackupVaultName: 'acme-central', ByCreatedBefore: new Date(POINT_IN_TIME) }]);
    expect(listInputs(drMock)).toEqual([{ BackupVaultName: 'acme-dr-restore', ByCreatedBefore: new Date(POINT_IN_TIME) }]);
  });

  it('passes the central vault region to the factory', async () => {
    holds(centralMock, rp(EBS_ARN, centralSnapshot(1), 'EBS', '2026-11-19T18:00:00Z'));
    await run({ ...INPUT, centralVault: { ...INPUT.centralVault, region: 'ap-northeast-3' } });
    expect(factoryCalls).toEqual([[ASSUMED, 'ap-northeast-3']]);
  });

  it('fails clearly, without a retry, when the role cannot be assumed', async () => {
    stsMock.on(AssumeRoleCommand).rejects(Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' }));
    await expect(run(INPUT)).rejects.toThrow(`AssumeRole(${ROLE_ARN}) failed: AccessDenied: User is not authorized to perform: sts:AssumeRole`);
    expect(stsMock.calls()).toHaveLength(1);
    expect(factoryCalls).toEqual([]);
    expect(sleeps).toEqual([]);
    expect(logs.error).toEqual([expect.objectContaining({ message: 'Recovery points not located', workload: 'shop' })]);
  });

  it('fails when AssumeRole returns no credentials', async () => {
    stsMock.on(AssumeRoleCommand).resolves({});
    await expect(run(INPUT)).rejects.toThrow(`AssumeRole(${ROLE_ARN}) returned no credentials`);
    expect(factoryCalls).toEqual([]);
  });
});

describe('failures', () => {
  it('throws NoRecoveryPoints naming the workload, both vaults and the point in time when nothing is found', async () => {
    holds(drMock, rp(OTHER_WORKLOAD_ARN, drSnapshot(1), 'EBS', '2026-11-19T18:00:00Z'));
    const promise = run(INPUT);
    await expect(promise).rejects.toThrow(NoRecoveryPointsError);
    await expect(promise).rejects.toMatchObject({
      name: 'NoRecoveryPoints',
      message:
        'no completed recovery point of workload "shop" (account 333333333333; types EBS, RDS, DynamoDB, S3, EFS, EC2, Aurora, FSx) created at or before 2026-11-20T00:00:00.000Z ' +
        'in restore vault acme-dr-restore (222222222222, ap-northeast-1) or central vault acme-central (111111111111, ap-northeast-1)',
    });
    expect(logs.error).toEqual([expect.objectContaining({ message: 'Recovery points not located', errorMessage: expect.stringContaining('workload "shop"') })]);
  });

  it('refuses a restore vault in another region than its Backup client, without any AWS call', async () => {
    await expect(run({ ...INPUT, restoreVault: { ...INPUT.restoreVault, region: 'us-east-1' } })).rejects.toThrow(
      'restore vault acme-dr-restore is in us-east-1 but this function works in ap-northeast-1',
    );
    expectNoAwsCall();
  });
});

describe('throttling', () => {
  it('retries throttled calls with growing, jittered backoff, then succeeds', async () => {
    throttledFirst(drMock.on(ListRecoveryPointsByBackupVaultCommand), throttle('ThrottlingException'), throttle('TooManyRequestsException')).resolves({
      RecoveryPoints: [rp(EBS_ARN, drSnapshot(1), 'EBS', '2026-11-19T18:00:00Z')],
    });
    stsMock.on(AssumeRoleCommand).rejectsOnce(throttle('Throttling')).resolves({ Credentials: CREDENTIALS });
    throttledFirst(centralMock.on(ListRecoveryPointsByBackupVaultCommand), throttle('LimitExceededException'), throttle('RequestLimitExceeded')).resolves({ RecoveryPoints: [] });

    await expect(run(INPUT)).resolves.toMatchObject({ ready: [expect.objectContaining({ recoveryPointArn: drSnapshot(1) })], toCopy: [] });
    // random() = 0.5: 3/4 of 250, 500 ms, then 250 ms for AssumeRole, then 250, 500 for the central listing.
    expect(sleeps).toEqual([188, 375, 188, 188, 375]);
    expect(logs.warn.map((l) => [l.operation, l.errorCode, l.attempt])).toEqual([
      ['ListRecoveryPointsByBackupVault(acme-dr-restore in 222222222222, ap-northeast-1)', 'ThrottlingException', 1],
      ['ListRecoveryPointsByBackupVault(acme-dr-restore in 222222222222, ap-northeast-1)', 'TooManyRequestsException', 2],
      [`AssumeRole(${ROLE_ARN})`, 'Throttling', 1],
      ['ListRecoveryPointsByBackupVault(acme-central in 111111111111, ap-northeast-1)', 'LimitExceededException', 1],
      ['ListRecoveryPointsByBackupVault(acme-central in 111111111111, ap-northeast-1)', 'RequestLimitExceeded', 2],
    ]);
    expect(logs.error).toEqual([]);
  });

  it('gives up after a bounded number of attempts with a clear error', async () => {
    drMock.on(ListRecoveryPointsByBackupVaultCommand).rejects(throttle());
    await expect(run(INPUT)).rejects.toThrow('ListRecoveryPointsByBackupVault(acme-dr-restore in 222222222222, ap-northeast-1) was throttled (ThrottlingException) on all 6 attempts; giving up');
    expect(drMock.calls()).toHaveLength(6);
    expect(sleeps).toEqual([188, 375, 750, 1500, 3000]);
    expect(stsMock.calls()).toHaveLength(0);
  });

  it('jitter stays within [half, full] of the capped exponential delay', () => {
    const options = { baseBackoffMs: 100, maxBackoffMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0, options))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0.999999, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('invalid input', () => {
  const { centralVault, restoreVault } = INPUT;
  it.each([
    ['not an object', 'shop', 'Invalid input: input must be an object, got string'],
    ['no workload', { ...INPUT, workload: undefined }, 'Invalid input: workload is missing'],
    ['a workload of another type', { ...INPUT, workload: 7 }, 'Invalid input: workload must be a string, got number'],
    ['an invalid workload name', { ...INPUT, workload: 'Shop!' }, 'Invalid input: workload must be a workload name'],
    ['an invalid source account', { ...INPUT, sourceAccountId: '3333' }, 'Invalid input: sourceAccountId must be a 12-digit AWS account ID, got "3333"'],
    ['a pointInTime that is not a date', { ...INPUT, pointInTime: 'yesterday' }, 'Invalid input: pointInTime must be an ISO 8601 date-time'],
    ['a pointInTime without a time zone', { ...INPUT, pointInTime: '2026-11-20T00:00:00' }, 'Invalid input: pointInTime must be an ISO 8601 date-time'],
    ['a numeric pointInTime', { ...INPUT, pointInTime: 1789862400000 }, 'Invalid input: pointInTime must be an ISO 8601 date-time string or null, got number'],
    ['no rpoMinutes', { ...INPUT, rpoMinutes: undefined }, 'Invalid input: rpoMinutes is missing'],
    ['a string rpoMinutes', { ...INPUT, rpoMinutes: '1440' }, 'Invalid input: rpoMinutes must be a number, got string'],
    ['a zero rpoMinutes', { ...INPUT, rpoMinutes: 0 }, 'Invalid input: rpoMinutes must be greater than 0'],
    ['empty resourceTypes', { ...INPUT, resourceTypes: [] }, 'Invalid input: resourceTypes must list at least one'],
    ['a resourceTypes string', { ...INPUT, resourceTypes: 'EBS' }, 'Invalid input: resourceTypes must be an array of AWS Backup resource types, got string'],
    ['a non-string resource type', { ...INPUT, resourceTypes: ['EBS', 3] }, 'Invalid input: resourceTypes[1] must be an AWS Backup resource type such as "EBS", got number'],
    ['no restoreVault', { ...INPUT, restoreVault: undefined }, 'Invalid input: restoreVault is missing'],
    ['a restoreVault without name', { ...INPUT, restoreVault: { ...restoreVault, name: '' } }, 'Invalid input: restoreVault.name is missing'],
    ['a restoreVault region that is not one', { ...INPUT, restoreVault: { ...restoreVault, region: 'tokyo' } }, 'Invalid input: restoreVault.region must be an AWS Region'],
    ['a centralVault array', { ...INPUT, centralVault: [] }, 'Invalid input: centralVault must be an object, got array'],
    ['a centralVault account that is not one', { ...INPUT, centralVault: { ...centralVault, accountId: 1111 } }, 'Invalid input: centralVault.accountId must be a string, got number'],
    ['no copyStarterRoleArn', { ...INPUT, centralVault: { ...centralVault, copyStarterRoleArn: undefined } }, 'Invalid input: centralVault.copyStarterRoleArn is missing'],
    ['a copyStarterRoleArn that is no role', { ...INPUT, centralVault: { ...centralVault, copyStarterRoleArn: 'acme-central-copy-starter' } }, 'Invalid input: centralVault.copyStarterRoleArn must be an IAM role ARN'],
    [
      'a copy-starter role of another account',
      { ...INPUT, centralVault: { ...centralVault, copyStarterRoleArn: 'arn:aws:iam::222222222222:role/acme-central-copy-starter' } },
      "Invalid input: centralVault.copyStarterRoleArn must be a role of the central vault's account 111111111111",
    ],
  ])('throws a logged InvalidInputError naming the field for %s, without any AWS call', async (_name, input, message) => {
    await expectLoggedRejection(run(input), InvalidInputError, message, logs.error, 'Recovery points not located');
    expectNoAwsCall();
  });

  it('exposes the culprit field on the error', async () => {
    await expect(run({ ...INPUT, restoreVault: { ...restoreVault, accountId: 'x' } })).rejects.toMatchObject({ name: 'InvalidInputError', field: 'restoreVault.accountId' });
  });
});
