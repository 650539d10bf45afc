import * as path from 'path';
import { Testing } from 'cdktf';
import { parseConfig, ConfigError } from '../../config/load';
import { assertPolicyCompliance } from '../../policy/pack';
import { CENTRAL_VAULT_KINDS, type CentralVaultKind } from '../../config/schema';
import { estateFor, exampleInput, FIXTURES, policyOf, readJson, resourcesOf, statement, type SynthesizedStack } from '../helpers/synth';

/**
 * `centralVault.kind` across the stacks: the logically air-gapped vault and its RAM share
 * (backup-vault), the copy actions (workloads), RAM sharing in the organization, and where the
 * recovery looks (DR). `locked` is today's estate, unchanged but for the readiness checker's reader role.
 */

const VAULT = '111111111111';
const DR = '222222222222';
const REC = 'ap-northeast-1';
const CENTRAL = `arn:aws:backup:${REC}:${VAULT}:backup-vault:acme-central`;
const AIR_GAPPED = `arn:aws:backup:${REC}:${VAULT}:backup-vault:acme-air-gapped`;
const AIR_GAPPED_POINTS = `arn:aws:backup:${REC}:${VAULT}:recovery-point:*`;

/** The example without `centralVault`: the default kind. */
const lockedByDefault = () => {
  const { centralVault: _omitted, ...input } = exampleInput();
  return input;
};
const exampleWith = (kind: CentralVaultKind, extra: Record<string, unknown> = {}) => ({ ...exampleInput(), centralVault: { kind, ...extra } });
/** The three-workloads fixture (management account, primaryRegionCopy, which airGapped cannot have). */
function threeWith(kind: CentralVaultKind, extra: Record<string, unknown> = {}): Record<string, any> {
  const raw = readJson<Record<string, any>>(path.join(FIXTURES, 'three-workloads.json'));
  if (kind === 'airGapped') raw.accounts.backupVault.primaryRegionCopy = false;
  return { ...raw, centralVault: { kind, ...extra } };
}
const synthOf = (stack: Parameters<typeof Testing.synth>[0]): SynthesizedStack => JSON.parse(Testing.synth(stack));

type Plan = { rule: { rule_name: string; copy_action: { destination_vault_arn: string; lifecycle: Record<string, unknown> }[] }[] };
const copyActions = (stack: SynthesizedStack) => (resourcesOf(stack, 'aws_backup_plan')[0] as unknown as Plan).rule.map((r) => r.copy_action);

/** The recovery state machine's definition and the inline policies of the DR stack, by role name fragment. */
function drView(input: unknown) {
  const dr = synthOf(estateFor(input).dr);
  // The recovery machine (the example also has the failback machine).
  const machine = resourcesOf(dr, 'aws_sfn_state_machine').find((m) => m.name === 'acme-recovery')!;
  const definition = JSON.parse(machine.definition as string) as { States: Record<string, any> };
  /** A state by name wherever it is (top level, Parallel branches, Map processors): the definition's layout may change. */
  const state = (name: string): any => {
    const search = (states: Record<string, any> | undefined): any => {
      for (const [key, st] of Object.entries(states ?? {})) {
        if (key === name) return st;
        const nested = [st.ItemProcessor?.States, st.Iterator?.States, ...(st.Branches ?? []).map((b: { States: Record<string, any> }) => b.States)];
        for (const n of nested) {
          const found = search(n);
          if (found) return found;
        }
      }
      return undefined;
    };
    const found = search(definition.States);
    if (!found) throw new Error(`no state ${name} in the recovery definition`);
    return found;
  };
  const inline = (roleFragment: string) => {
    // The state machine's policy is "recover"; each function's is "function" on a role named after it.
    const found = resourcesOf(dr, 'aws_iam_role_policy').filter((p) => (roleFragment === 'StateMachine' ? p.name === 'recover' : String(p.role).includes(roleFragment)));
    if (found.length !== 1) throw new Error(`expected one inline policy of a role matching ${roleFragment}, found ${found.length}`);
    return policyOf(found[0]);
  };
  return { definition, state, inline };
}

describe('centralVault.kind locked (default): the estate of before', () => {
  it('is the default', () => {
    expect(parseConfig(lockedByDefault()).centralVault).toEqual({ kind: 'locked', shareWith: 'drAccount' });
  });

  it('creates no air-gapped vault, no RAM share and no RAM sharing in the organization', () => {
    const estate = estateFor(readJson(path.join(FIXTURES, 'three-workloads.json')));
    const vaultStack = synthOf(estate.backupVault);
    for (const type of ['aws_backup_logically_air_gapped_vault', 'aws_ram_resource_share', 'aws_ram_resource_association', 'aws_ram_principal_association']) {
      expect(resourcesOf(vaultStack, type)).toEqual([]);
    }
    expect(estate.backupVault.airGappedVault).toBeUndefined();
    expect(resourcesOf(synthOf(estate.organization!), 'aws_ram_sharing_with_organization')).toEqual([]);
    expect(Object.keys(vaultStack.output ?? {}).sort()).toEqual(['central_vault_arn', 'copy_starter_role_arn']);
  });

  it('copies to the central vault(s) only, and recovers through the copy-starter role as before', () => {
    const estate = estateFor(readJson(path.join(FIXTURES, 'three-workloads.json')));
    expect(estate.workloads.map((w) => w.copyDestinationVaultArns)).toEqual([
      [CENTRAL, `arn:aws:backup:ap-northeast-2:${VAULT}:backup-vault:acme-central`],
      [CENTRAL, `arn:aws:backup:ap-northeast-2:${VAULT}:backup-vault:acme-central`],
      [CENTRAL, `arn:aws:backup:us-east-1:${VAULT}:backup-vault:acme-central`],
    ]);
    const { state, inline } = drView(lockedByDefault());
    const locate = state('LocateData').Parameters.Payload;
    expect(Object.keys(locate)).not.toContain('airGappedVault');
    expect(locate.centralVault).toEqual({ name: 'acme-central', accountId: VAULT, region: REC, copyStarterRoleArn: `arn:aws:iam::${VAULT}:role/acme-central-copy-starter` });
    const prepare = state('PrepareRestore').Parameters.Payload;
    expect(prepare.restoreVaultName).toBe('acme-dr-restore');
    expect(Object.keys(prepare)).not.toContain('backupVaultAccountId.$');
    expect(JSON.stringify(inline('LocateRecoveryPoints'))).not.toContain('air-gapped');
    expect(statement(inline('StateMachine'), 'AssumeCentralCopyStarter').Resource).toBe(`arn:aws:iam::${VAULT}:role/acme-central-copy-starter`);
  });
});

describe('centralVault.kind airGapped', () => {
  const input = () => exampleWith('airGapped');

  it('creates the air-gapped vault in the recovery region with the lock range, shared with the DR account only; no locked vault, key or copy path', () => {
    const estate = estateFor(input());
    const out = synthOf(estate.backupVault);
    expect(resourcesOf(out, 'aws_backup_logically_air_gapped_vault')).toEqual([expect.objectContaining({ name: 'acme-air-gapped', min_retention_days: 7, max_retention_days: 3650 })]);
    expect(resourcesOf(out, 'aws_backup_logically_air_gapped_vault')[0]).not.toHaveProperty('provider');
    for (const type of ['aws_backup_vault', 'aws_backup_vault_lock_configuration', 'aws_kms_key']) expect(resourcesOf(out, type)).toEqual([]);
    expect(resourcesOf(out, 'aws_iam_role').map((r) => r.name)).not.toEqual(expect.arrayContaining(['acme-central-copy-starter']));
    expect(resourcesOf(out, 'aws_iam_role').map((r) => r.name)).not.toContain('acme-central-copy-service');
    expect(resourcesOf(out, 'aws_ram_resource_share')).toEqual([expect.objectContaining({ name: 'acme-air-gapped-vault', allow_external_principals: false })]);
    expect(resourcesOf(out, 'aws_ram_principal_association').map((a) => a.principal)).toEqual([DR]);
    expect(estate.backupVault.airGappedVault!.vaultArn).toBe(AIR_GAPPED);
    expect(Object.keys(out.output ?? {}).sort()).toEqual(['air_gapped_vault_arn', 'air_gapped_vault_share_arn']);
    // Incident forwarding (vault changes, failed copy jobs) still runs in the recovery region.
    expect(resourcesOf(out, 'aws_cloudwatch_event_rule').map((r) => r.name).sort()).toEqual(['acme-alarms', 'acme-failed-backup-jobs', 'acme-vault-changes']);
  });

  it('copies every recovery point to the air-gapped vault only, with the rule lifecycle', () => {
    const estate = estateFor(input());
    expect(estate.workloads[0].copyDestinationVaultArns).toEqual([AIR_GAPPED]);
    expect(copyActions(synthOf(estate.workloads[0]))).toEqual([[{ destination_vault_arn: AIR_GAPPED, lifecycle: { delete_after: 90 } }]]);
  });

  it('recovers from the shared vault in place: locate gets the air-gapped vault and no central vault, restores name the vault of each point', () => {
    const { state, inline } = drView(input());
    const locate = state('LocateData').Parameters.Payload;
    expect(locate.airGappedVault).toEqual({ name: 'acme-air-gapped', accountId: VAULT, region: REC });
    expect(Object.keys(locate)).not.toContain('centralVault');
    const prepare = state('PrepareRestore').Parameters.Payload;
    expect(prepare).toMatchObject({ 'restoreVaultName.$': '$.point.backupVaultName', 'backupVaultAccountId.$': '$.point.backupVaultAccountId' });
    expect(Object.keys(prepare)).not.toContain('restoreVaultName');
    // The restore Map restores every ready point, wherever it is; only toCopy goes through the copy Map.
    expect(state('RestoreData').ItemsPath).toBe('$.located.Payload.ready');
    // (CopyToRestoreVault is in the copy branch of CopyAndBuild, beside BuildInfrastructure.)
    expect(state('CopyToRestoreVault').ItemsPath).toBe('$.located.Payload.toCopy');

    const locatePolicy = inline('LocateRecoveryPoints');
    expect(statement(locatePolicy, 'ListSharedAirGappedVault')).toEqual({ Sid: 'ListSharedAirGappedVault', Effect: 'Allow', Action: ['backup:ListRecoveryPointsByBackupVault'], Resource: AIR_GAPPED });
    expect(statement(locatePolicy, 'ListSharedAirGappedVaultPoints')).toMatchObject({ Action: ['backup:ListTags'], Resource: AIR_GAPPED_POINTS });
    expect(locatePolicy.Statement.map((s) => s.Sid)).not.toContain('AssumeCentralCopyStarter');
    expect(statement(inline('PrepareRestore'), 'ReadSharedAirGappedVaultPoints')).toMatchObject({
      Action: ['backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags'],
      Resource: AIR_GAPPED_POINTS,
    });
    expect(statement(inline('AttachRestoredVolume'), 'ReadSharedAirGappedRecoveryPointTags')).toMatchObject({ Action: 'backup:ListTags', Resource: AIR_GAPPED_POINTS });
    const machine = inline('StateMachine');
    expect(statement(machine, 'RestoreInPlaceFromAirGappedVault')).toMatchObject({ Action: 'backup:StartRestoreJob', Resource: AIR_GAPPED_POINTS });
    expect(machine.Statement.map((s) => s.Sid)).not.toContain('AssumeCentralCopyStarter');
  });

  it('enables RAM sharing within the organization in the management account', () => {
    const estate = estateFor(threeWith('airGapped', {}));
    expect(resourcesOf(synthOf(estate.organization!), 'aws_ram_sharing_with_organization')).toHaveLength(1);
  });
});

describe('centralVault.kind both', () => {
  it('keeps the locked central vault and its copy path, and adds the air-gapped vault', () => {
    const estate = estateFor(exampleWith('both'));
    const out = synthOf(estate.backupVault);
    expect(resourcesOf(out, 'aws_backup_vault').map((v) => v.name)).toEqual(['acme-central']);
    expect(resourcesOf(out, 'aws_backup_logically_air_gapped_vault').map((v) => v.name)).toEqual(['acme-air-gapped']);
    expect(resourcesOf(out, 'aws_iam_role').map((r) => r.name)).toEqual(expect.arrayContaining(['acme-central-copy-starter', 'acme-central-copy-service', 'acme-central-vault-reader']));
    // Two vault policies, the same shape.
    const policies = resourcesOf(out, 'aws_backup_vault_policy').map((p) => policyOf(p));
    expect(policies).toHaveLength(2);
    expect(policies[0]).toEqual(policies[1]);
  });

  it('copies each recovery point to both (one copy action each, each with the lifecycle), keeping the same-region copy with primaryRegionCopy', () => {
    const estate = estateFor(threeWith('both'));
    const shop = estate.workloads.find((w) => w.workload.name === 'shop')!;
    const regional = `arn:aws:backup:ap-northeast-2:${VAULT}:backup-vault:acme-central`;
    expect(shop.copyDestinationVaultArns).toEqual([CENTRAL, regional, AIR_GAPPED]);
    const actions = copyActions(synthOf(shop));
    expect(actions).toHaveLength(2);
    for (const ruleActions of actions) {
      expect(ruleActions.map((a) => a.destination_vault_arn)).toEqual([CENTRAL, regional, AIR_GAPPED]);
      for (const a of ruleActions) expect(a.lifecycle).toEqual(expect.objectContaining({ delete_after: expect.any(Number) }));
    }
    // The air-gapped vault stays in the recovery region only.
    expect(resourcesOf(synthOf(estate.backupVault), 'aws_backup_logically_air_gapped_vault')).toHaveLength(1);
  });

  it('locate looks in the restore vault, the shared vault and the central vault', () => {
    const { state, inline } = drView(exampleWith('both'));
    const locate = state('LocateData').Parameters.Payload;
    expect(locate.airGappedVault).toEqual({ name: 'acme-air-gapped', accountId: VAULT, region: REC });
    expect(locate.centralVault).toMatchObject({ name: 'acme-central', copyStarterRoleArn: `arn:aws:iam::${VAULT}:role/acme-central-copy-starter` });
    expect(inline('LocateRecoveryPoints').Statement.map((s) => s.Sid)).toEqual(expect.arrayContaining(['AssumeCentralCopyStarter', 'ListSharedAirGappedVault']));
  });

  it('with shareWith organization, shares the vault with every account of the estate that restores (AWS RAM shares this type with accounts only)', () => {
    const estate = estateFor(threeWith('both', { shareWith: 'organization' }));
    const principals = resourcesOf(synthOf(estate.backupVault), 'aws_ram_principal_association').map((a) => a.principal);
    expect(principals).toEqual([DR, '333333333333', '444444444444', '555555555555']);
    for (const p of principals) expect(p).toMatch(/^\d{12}$/);
  });
});

describe('the readiness checker reader role, for every kind', () => {
  it.each(CENTRAL_VAULT_KINDS.map((k) => [k]))('%s: trusted by the readiness checker role of the DR account only, read actions only, on the vaults of the kind', (kind) => {
    const estate = estateFor(threeWith(kind as CentralVaultKind, {}), );
    const out = synthOf(estate.backupVault);
    const role = resourcesOf(out, 'aws_iam_role').find((r) => r.name === 'acme-central-vault-reader')!;
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      {
        Sid: 'DrReadinessCheckerOnly',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DR}:root` },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${DR}:role/acme-recovery-readiness-checker` },
          StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
        },
      },
    ]);
    const policy = policyOf(resourcesOf(out, 'aws_iam_role_policy').find((p) => p.name === 'read-vaults')!);
    const actions = policy.Statement.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(['backup:DescribeBackupVault', 'backup:DescribeRecoveryPoint', 'backup:ListRecoveryPointsByBackupVault']);
    for (const s of policy.Statement) expect(s.Effect).toBe('Allow');
    const vaults = statement(policy, 'ListAndDescribeVaults').Resource;
    const locked = kind === 'airGapped' ? [] : [CENTRAL, `arn:aws:backup:ap-northeast-2:${VAULT}:backup-vault:acme-central`, `arn:aws:backup:us-east-1:${VAULT}:backup-vault:acme-central`];
    expect(vaults).toEqual([...locked, ...(kind === 'locked' ? [] : [AIR_GAPPED])]);
    const points: string[] = statement(policy, 'DescribeRecoveryPoints').Resource;
    expect(points).toContain(AIR_GAPPED_POINTS);
    for (const p of points) expect(p).toMatch(new RegExp(`^arn:aws:(backup|ec2|rds|fsx):[a-z0-9-]+:(${VAULT})?:`));
  });
});

describe('configuration rules of the air-gapped vault', () => {
  const problems = (raw: unknown) => {
    try {
      parseConfig(raw);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.issues.map((i) => `${i.path}: ${i.message}`);
    }
  };

  it('needs a lock minimum of at least 7 days (the air-gapped vault takes its range from vaultLock)', () => {
    const lock = { mode: 'governance', minRetentionDays: 3, maxRetentionDays: 3650 };
    for (const kind of ['airGapped', 'both'] as const) {
      expect(problems({ ...exampleWith(kind), vaultLock: lock })).toEqual(expect.arrayContaining([expect.stringMatching(/^vaultLock\.minRetentionDays: is 3 days .*at least 7/)]));
    }
    expect(problems({ ...exampleWith('locked'), vaultLock: lock })).toEqual([]);
  });

  it('refuses primaryRegionCopy with airGapped (no locked vault to keep in the workload regions), accepts it with both', () => {
    const airGapped = threeWith('airGapped');
    airGapped.accounts.backupVault.primaryRegionCopy = true;
    expect(problems(airGapped)).toEqual([expect.stringMatching(/^accounts\.backupVault\.primaryRegionCopy: .*"both"/)]);
    expect(problems(threeWith('both'))).toEqual([]);
  });
});

describe('the policy pack', () => {
  const cases: [string, unknown][] = [...CENTRAL_VAULT_KINDS.map((k): [string, unknown] => [`example, ${k}`, exampleWith(k)]), ['three workloads, both, shared with the organization', threeWith('both', { shareWith: 'organization' })]];
  it.each(cases)(
    'passes for %s',
    (_name, input) => {
      expect(() => assertPolicyCompliance(estateFor(input).app)).not.toThrow();
    },
  );
});
