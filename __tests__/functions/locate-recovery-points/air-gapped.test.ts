import { ListRecoveryPointsByBackupVaultCommand, ListTagsCommand, type RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { InvalidInputError, NoRecoveryPointsError, locateRecoveryPoints, type AssumedCredentials, type Logger } from '../../../functions/locate-recovery-points/logic';
import { locateClients } from '../../helpers/functions/locate-clients';

/**
 * The logically air-gapped vault of the backup-vault account, shared with the DR account through AWS
 * RAM (`centralVault.kind` airGapped or both): locate lists it with the DR account's own client
 * (`BackupVaultAccountId` = the owner) and returns its points as ready to restore in place. Order of
 * preference per resource: a point within the RPO in the DR restore vault, then in the air-gapped
 * vault (no copy), then in the locked central vault (copy first).
 */

const REGION = 'ap-northeast-1';
const SOURCE = '333333333333';
const VAULT_ACCOUNT = '111111111111';
const DR_ACCOUNT = '222222222222';
const POINT_IN_TIME = '2026-11-20T00:00:00Z';
const ROLE_ARN = `arn:aws:iam::${VAULT_ACCOUNT}:role/acme-central-copy-starter`;

const EBS_ARN = `arn:aws:ec2:ap-northeast-2:${SOURCE}:volume/vol-0aaaaaaaaaaaaaaa1`;
const RDS_ARN = `arn:aws:rds:ap-northeast-2:${SOURCE}:db:shop-db`;
const DDB_ARN = `arn:aws:dynamodb:ap-northeast-2:${SOURCE}:table/orders`;
const BUCKET_ARN = 'arn:aws:s3:::shop-assets';
const OTHER_WORKLOAD_ARN = 'arn:aws:ec2:ap-northeast-2:444444444444:volume/vol-0bbbbbbbbbbbbbbb2';

const drPoint = (n: number) => `arn:aws:ec2:${REGION}::snapshot/snap-0dr000000000000${n}`;
/** A logically air-gapped vault keeps every type as an AWS Backup recovery point of its owner. */
const agPoint = (n: number) => `arn:aws:backup:${REGION}:${VAULT_ACCOUNT}:recovery-point:ag-${n}`;
const centralPoint = (n: number) => `arn:aws:ec2:${REGION}::snapshot/snap-0ce000000000000${n}`;

const RESTORE_VAULT = { name: 'acme-dr-restore', accountId: DR_ACCOUNT, region: REGION };
const AIR_GAPPED_VAULT = { name: 'acme-air-gapped', accountId: VAULT_ACCOUNT, region: REGION };
const CENTRAL_VAULT = { name: 'acme-central', accountId: VAULT_ACCOUNT, region: REGION, copyStarterRoleArn: ROLE_ARN };
const IN_DR = { source: 'restoreVault', backupVaultName: 'acme-dr-restore', backupVaultAccountId: DR_ACCOUNT };
const IN_PLACE = { source: 'airGappedVault', backupVaultName: 'acme-air-gapped', backupVaultAccountId: VAULT_ACCOUNT };

/** `both`: all three vaults. */
const BOTH = {
  workload: 'shop',
  sourceAccountId: SOURCE,
  pointInTime: POINT_IN_TIME,
  rpoMinutes: 1440,
  resourceTypes: ['EBS', 'RDS', 'DynamoDB', 'S3'],
  restoreVault: RESTORE_VAULT,
  airGappedVault: AIR_GAPPED_VAULT,
  centralVault: CENTRAL_VAULT,
};
/** `airGapped`: no locked central vault. */
const { centralVault: _none, ...AIR_GAPPED_ONLY } = BOTH;

const CREDENTIALS = { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date('2026-11-20T03:15:00Z') };

const { drBackup, centralBackupClient, sts, drMock, centralMock, stsMock } = locateClients(REGION);

let warnings: Record<string, unknown>[];
let factoryCalls: AssumedCredentials[];

function rp(resourceArn: string, recoveryPointArn: string, resourceType: string, created: string): RecoveryPointByBackupVault {
  return { ResourceArn: resourceArn, RecoveryPointArn: recoveryPointArn, ResourceType: resourceType, CreationDate: new Date(created), Status: 'COMPLETED', BackupVaultName: 'vault' };
}

/** The DR client answers for the restore vault and, by BackupVaultAccountId, for the shared air-gapped vault. */
function vaults(points: { dr?: RecoveryPointByBackupVault[]; airGapped?: RecoveryPointByBackupVault[]; central?: RecoveryPointByBackupVault[] }) {
  drMock.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'acme-dr-restore' }).resolves({ RecoveryPoints: points.dr ?? [] });
  drMock.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'acme-air-gapped', BackupVaultAccountId: VAULT_ACCOUNT }).resolves({ RecoveryPoints: points.airGapped ?? [] });
  centralMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: points.central ?? [] });
}

function run(input: unknown) {
  const logger: Logger = { info: () => undefined, warn: (message, ...attributes) => void warnings.push(Object.assign({ message }, ...attributes)), error: () => undefined };
  return locateRecoveryPoints(input, {
    backup: drBackup,
    sts,
    centralBackup: (credentials) => {
      factoryCalls.push(credentials);
      return centralBackupClient;
    },
    logger,
    sleep: async () => undefined,
    random: () => 0.5,
    now: () => new Date('2026-11-21T12:00:00Z'),
  });
}

const listInputs = (mock: typeof drMock) => mock.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input);

beforeEach(() => {
  drMock.reset();
  centralMock.reset();
  stsMock.reset();
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
  drMock.on(ListRecoveryPointsByBackupVaultCommand).rejects(new Error('unexpected vault'));
  vaults({});
  warnings = [];
  factoryCalls = [];
});

describe('order of preference per resource', () => {
  it('a DR copy within the RPO wins over fresher points in the air-gapped and central vaults', async () => {
    vaults({
      dr: [rp(EBS_ARN, drPoint(1), 'EBS', '2026-11-19T06:00:00Z')],
      airGapped: [rp(EBS_ARN, agPoint(1), 'EBS', '2026-11-19T18:00:00Z')],
      central: [rp(EBS_ARN, centralPoint(1), 'EBS', '2026-11-19T20:00:00Z')],
    });
    const result = await run(BOTH);
    expect(result.ready).toEqual([{ resourceArn: EBS_ARN, resourceType: 'EBS', recoveryPointArn: drPoint(1), ...IN_DR, creationDate: '2026-11-19T06:00:00.000Z', stale: false }]);
    expect(result.toCopy).toEqual([]);
  });

  it('without a fresh DR copy, a fresh air-gapped point is restored in place, even when the central vault has a newer one (no copy)', async () => {
    vaults({
      dr: [rp(EBS_ARN, drPoint(1), 'EBS', '2026-11-15T06:00:00Z')],
      airGapped: [rp(EBS_ARN, agPoint(1), 'EBS', '2026-11-19T06:00:00Z'), rp(EBS_ARN, agPoint(0), 'EBS', '2026-11-18T06:00:00Z')],
      central: [rp(EBS_ARN, centralPoint(1), 'EBS', '2026-11-19T20:00:00Z')],
    });
    await expect(run(BOTH)).resolves.toEqual({
      workload: 'shop',
      pointInTime: '2026-11-20T00:00:00.000Z',
      ready: [{ resourceArn: EBS_ARN, resourceType: 'EBS', recoveryPointArn: agPoint(1), ...IN_PLACE, creationDate: '2026-11-19T06:00:00.000Z', stale: false }],
      toCopy: [],
      oldestRecoveryPointTime: '2026-11-19T06:00:00.000Z',
    });
    expect(warnings).toEqual([]);
  });

  it('the central vault is copied from only when neither the DR nor the air-gapped vault has a point within the RPO', async () => {
    vaults({
      airGapped: [rp(RDS_ARN, `arn:aws:backup:${REGION}:${VAULT_ACCOUNT}:recovery-point:ag-rds`, 'RDS', '2026-11-10T06:00:00Z')],
      central: [rp(RDS_ARN, `arn:aws:rds:${REGION}:${VAULT_ACCOUNT}:snapshot:awsbackup:job-1`, 'RDS', '2026-11-19T06:00:00Z')],
    });
    const result = await run(BOTH);
    expect(result.ready).toEqual([]);
    expect(result.toCopy).toEqual([{ resourceArn: RDS_ARN, resourceType: 'RDS', centralRecoveryPointArn: `arn:aws:rds:${REGION}:${VAULT_ACCOUNT}:snapshot:awsbackup:job-1`, creationDate: '2026-11-19T06:00:00.000Z' }]);
  });

  it('nothing within the RPO: the newest point anywhere; equal dates prefer DR, then the air-gapped vault', async () => {
    vaults({
      dr: [rp(EBS_ARN, drPoint(1), 'EBS', '2026-11-10T00:00:00Z'), rp(DDB_ARN, drPoint(2), 'DynamoDB', '2026-11-12T00:00:00Z')],
      airGapped: [rp(EBS_ARN, agPoint(1), 'EBS', '2026-11-12T00:00:00Z'), rp(DDB_ARN, agPoint(2), 'DynamoDB', '2026-11-12T00:00:00Z'), rp(RDS_ARN, agPoint(3), 'RDS', '2026-11-12T00:00:00Z')],
      central: [rp(EBS_ARN, centralPoint(1), 'EBS', '2026-11-11T00:00:00Z'), rp(RDS_ARN, `arn:aws:rds:${REGION}:${VAULT_ACCOUNT}:snapshot:awsbackup:job-9`, 'RDS', '2026-11-13T00:00:00Z')],
    });
    const result = await run(BOTH);
    expect(result.ready).toEqual([
      { resourceArn: DDB_ARN, resourceType: 'DynamoDB', recoveryPointArn: drPoint(2), ...IN_DR, creationDate: '2026-11-12T00:00:00.000Z', stale: true },
      { resourceArn: EBS_ARN, resourceType: 'EBS', recoveryPointArn: agPoint(1), ...IN_PLACE, creationDate: '2026-11-12T00:00:00.000Z', stale: true },
    ]);
    expect(result.toCopy).toEqual([expect.objectContaining({ resourceArn: RDS_ARN, creationDate: '2026-11-13T00:00:00.000Z' })]);
    expect(warnings.map((w) => [w.resourceArn, w.source])).toEqual([
      [EBS_ARN, 'airGappedVault'],
      [DDB_ARN, 'restoreVault'],
    ]);
  });
});

describe('the shared vault', () => {
  it('is listed with the DR account client, naming its owner account; S3 tags are read there too', async () => {
    vaults({ airGapped: [rp(BUCKET_ARN, agPoint(7), 'S3', '2026-11-19T06:00:00Z'), rp(OTHER_WORKLOAD_ARN, agPoint(8), 'EBS', '2026-11-19T06:00:00Z')] });
    drMock.on(ListTagsCommand, { ResourceArn: agPoint(7) }).resolves({ Tags: { 'dr:workload': 'shop' } });
    const result = await run(AIR_GAPPED_ONLY);
    expect(result.ready).toEqual([{ resourceArn: BUCKET_ARN, resourceType: 'S3', recoveryPointArn: agPoint(7), ...IN_PLACE, creationDate: '2026-11-19T06:00:00.000Z', stale: false }]);
    expect(listInputs(drMock)).toEqual([
      { BackupVaultName: 'acme-dr-restore', ByCreatedBefore: new Date(POINT_IN_TIME) },
      { BackupVaultName: 'acme-air-gapped', BackupVaultAccountId: VAULT_ACCOUNT, ByCreatedBefore: new Date(POINT_IN_TIME) },
    ]);
    expect(drMock.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([{ ResourceArn: agPoint(7) }]);
  });

  it('without a central vault (kind airGapped) nothing is assumed or copied', async () => {
    vaults({ airGapped: [rp(EBS_ARN, agPoint(1), 'EBS', '2026-11-19T06:00:00Z')] });
    const result = await run(AIR_GAPPED_ONLY);
    expect(result.toCopy).toEqual([]);
    expect(stsMock.calls()).toHaveLength(0);
    expect(factoryCalls).toEqual([]);
    expect(centralMock.calls()).toHaveLength(0);
  });

  it('names every vault it looked in when none has a point of the workload', async () => {
    await expect(run(BOTH)).rejects.toThrow(NoRecoveryPointsError);
    await expect(run(BOTH)).rejects.toThrow(
      `in restore vault acme-dr-restore (${DR_ACCOUNT}, ${REGION}), air-gapped vault acme-air-gapped (${VAULT_ACCOUNT}, ${REGION}) or central vault acme-central (${VAULT_ACCOUNT}, ${REGION})`,
    );
    await expect(run(AIR_GAPPED_ONLY)).rejects.toThrow(`in restore vault acme-dr-restore (${DR_ACCOUNT}, ${REGION}) or air-gapped vault acme-air-gapped (${VAULT_ACCOUNT}, ${REGION})`);
  });
});

describe('invalid input', () => {
  it.each([
    ['neither a central nor an air-gapped vault', { ...AIR_GAPPED_ONLY, airGappedVault: undefined }, 'Invalid input: centralVault is missing (and so is airGappedVault)'],
    ['an air-gapped vault in another region (it is restored from in place)', { ...BOTH, airGappedVault: { ...AIR_GAPPED_VAULT, region: 'ap-northeast-3' } }, "Invalid input: airGappedVault.region must be the restore vault's region ap-northeast-1"],
    ['an air-gapped vault without an account', { ...BOTH, airGappedVault: { ...AIR_GAPPED_VAULT, accountId: undefined } }, 'Invalid input: airGappedVault.accountId is missing'],
    ['an air-gapped vault that is not an object', { ...BOTH, airGappedVault: 'acme-air-gapped' }, 'Invalid input: airGappedVault must be an object, got string'],
  ])('refuses %s, without any AWS call', async (_what, input, message) => {
    await expect(run(input)).rejects.toThrow(InvalidInputError);
    await expect(run(input)).rejects.toThrow(message);
    expect(drMock.calls()).toHaveLength(0);
    expect(stsMock.calls()).toHaveLength(0);
  });
});
