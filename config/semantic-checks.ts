import { DEFAULT_RESOURCE_TYPES, DEFAULT_RESTORE_TESTING_RESOURCE_TYPES, DEFAULT_VAULT_LOCK } from './schema';
import { EstateNames } from './naming';
import { scheduleExpressionProblem } from './schedule-expression';
import { formatMinutes, worstCaseIntervalMinutes } from './schedule-interval';

/**
 * Rules that relate several fields of the configuration.
 *
 * They run on the raw JSON, alongside the shape checks, so that one run lists every violation even
 * when some fields are malformed: each rule looks only at the fields it needs and skips values of the
 * wrong type (the shape checks already report those).
 */

export interface ConfigIssue {
  /** JSON path such as `workloads[0].backup.rules[0].schedule`. */
  path: string;
  message: string;
  /**
   * Stable identifier of the rule, where a tool needs to tell issues apart (the readiness report uses
   * it as the finding code), e.g. `rpo-not-met`.
   */
  code?: string;
}

type Json = unknown;

const obj = (v: Json): Record<string, Json> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Json>) : undefined;
const arr = (v: Json): Json[] => (Array.isArray(v) ? v : []);
const str = (v: Json): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: Json): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Days AWS Backup requires between moving a recovery point to cold storage and deleting it. */
export const MIN_DAYS_IN_COLD_STORAGE = 90;
/** Longest retention AWS Backup allows for continuous (point-in-time) recovery points. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

function retentionIssues(rule: Record<string, Json>, path: string, retentionKey: string, coldKey: string): ConfigIssue[] {
  const retention = num(rule[retentionKey]);
  const cold = num(rule[coldKey]);
  if (retention === undefined || cold === undefined) return [];
  if (retention < cold + MIN_DAYS_IN_COLD_STORAGE) {
    return [{
      path: `${path}.${retentionKey}`,
      message: `must be at least ${coldKey} + ${MIN_DAYS_IN_COLD_STORAGE} = ${cold + MIN_DAYS_IN_COLD_STORAGE} days (AWS Backup keeps cold-storage recovery points at least ${MIN_DAYS_IN_COLD_STORAGE} days); raise it or remove ${coldKey}`,
    }];
  }
  return [];
}

function ruleIssues(rule: Record<string, Json>, path: string, lock: Record<string, Json>, lockPath: string, vaultWhat = "the central vault's lock"): ConfigIssue[] {
  const issues = [
    ...retentionIssues(rule, path, 'retentionDays', 'coldStorageAfterDays'),
    ...retentionIssues(rule, path, 'copyRetentionDays', 'copyColdStorageAfterDays'),
  ];
  if (rule.continuous === true) {
    const retention = num(rule.retentionDays);
    if (retention !== undefined && retention > MAX_CONTINUOUS_RETENTION_DAYS) {
      issues.push({ path: `${path}.retentionDays`, message: `must be at most ${MAX_CONTINUOUS_RETENTION_DAYS} days for a continuous (point-in-time) rule; lower it or set "continuous": false` });
    }
    if (rule.coldStorageAfterDays !== undefined) {
      issues.push({ path: `${path}.coldStorageAfterDays`, message: 'is not allowed with "continuous": true (continuous recovery points cannot move to cold storage); remove it' });
    }
  }
  const copyRetention = num(rule.copyRetentionDays);
  const min = num(lock.minRetentionDays);
  const max = num(lock.maxRetentionDays);
  if (copyRetention !== undefined && min !== undefined && copyRetention < min) {
    issues.push({ path: `${path}.copyRetentionDays`, message: `is ${copyRetention} days but ${vaultWhat} (${lockPath}.minRetentionDays) requires at least ${min}; copy jobs would fail`, code: 'copy-retention-outside-lock' });
  }
  if (copyRetention !== undefined && max !== undefined && copyRetention > max) {
    issues.push({ path: `${path}.copyRetentionDays`, message: `is ${copyRetention} days but ${vaultWhat} (${lockPath}.maxRetentionDays) allows at most ${max}; copy jobs would fail`, code: 'copy-retention-outside-lock' });
  }
  return issues;
}

function alarmIssues(alarms: Json[], path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  alarms.forEach((a, k) => {
    const alarm = obj(a);
    if (!alarm) return;
    const alarmPath = `${path}[${k}]`;
    const name = str(alarm.name);
    if (name !== undefined && seen.has(name)) issues.push({ path: `${alarmPath}.name`, message: `"${name}" is used twice; alarm names must be unique per workload` });
    if (name !== undefined) seen.add(name);
    if ((alarm.anomalyDetection === undefined) === (alarm.threshold === undefined)) {
      issues.push({ path: alarmPath, message: 'must set exactly one of "anomalyDetection" (ANOMALY_DETECTION_BAND alarm) and "threshold" (static alarm)' });
    }
    const datapoints = num(alarm.datapointsToAlarm);
    const periods = num(alarm.evaluationPeriods) ?? 3;
    if (datapoints !== undefined && datapoints > periods) {
      issues.push({ path: `${alarmPath}.datapointsToAlarm`, message: `must not exceed evaluationPeriods (${periods})` });
    }
  });
  return issues;
}

function serverIssues(cfg: Record<string, Json>, recoveryRegion: string | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const roles = new Map<string, string>();
  let anyServer = false;
  arr(cfg.workloads).forEach((w, i) => {
    arr(obj(w)?.servers).forEach((sv, k) => {
      const server = obj(sv);
      if (!server) return;
      anyServer = true;
      const path = `workloads[${i}].servers[${k}]`;
      const role = str(server.role);
      if (role !== undefined) {
        // The attach function finds the instance by dr:server alone: two workloads must not share a value.
        if (roles.has(role)) issues.push({ path: `${path}.role`, message: `"${role}" is already used by ${roles.get(role)}; dr:server values must be unique across the estate` });
        else roles.set(role, `${path}.role`);
      }
      const size = num(server.size) ?? 1;
      const max = num(server.maxSize);
      if (max !== undefined && max < size) issues.push({ path: `${path}.maxSize`, message: `must be at least size (${size})` });
    });
  });
  const network = obj(obj(cfg.recovery)?.network) ?? {};
  const zones = arr(network.availabilityZones).map(str);
  if (anyServer && zones.length < 2) {
    issues.push({ path: 'recovery.network.availabilityZones', message: 'must list at least two Availability Zones of the recovery region when workloads have servers' });
  }
  zones.forEach((zone, i) => {
    if (zone !== undefined && recoveryRegion !== undefined && !(zone.startsWith(recoveryRegion) && zone.length === recoveryRegion.length + 1)) {
      issues.push({ path: `recovery.network.availabilityZones[${i}]`, message: `"${zone}" is not in the recovery region ${recoveryRegion}` });
    }
  });
  if (new Set(zones).size !== zones.length) issues.push({ path: 'recovery.network.availabilityZones', message: 'lists an Availability Zone twice' });
  issues.push(...serversPerZoneIssues(cfg, new Set(zones.filter((z): z is string => z !== undefined)).size));
  const cidr = str(network.vpcCidr);
  const octets = cidr ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\//.exec(cidr)?.slice(1).map(Number) : undefined;
  if (octets && octets.some((o) => o > 255)) issues.push({ path: 'recovery.network.vpcCidr', message: `"${cidr}" has an octet over 255` });
  return issues;
}

/**
 * A server role of a workload that restores EBS volumes may run at most one instance per zone at
 * recovery: attach-restored-volume attaches a volume to *the* running instance with the volume's
 * `dr:server` in the volume's zone and refuses when it finds several ("expected exactly one, not
 * attaching"). The recovery starts `size` instances, which the Auto Scaling group spreads over the
 * landing zone's zones: more than there are zones puts two in one zone. (`maxSize` is only the
 * group's ceiling: the recovery never runs more than `size`.)
 */
function serversPerZoneIssues(cfg: Record<string, Json>, zoneCount: number): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (zoneCount === 0) return issues;
  arr(cfg.workloads).forEach((w, i) => {
    const workload = obj(w);
    if (!workload) return;
    const typesRaw = obj(workload.backup)?.resourceTypes;
    const restoresEbs = Array.isArray(typesRaw) ? typesRaw.includes('EBS') : (DEFAULT_RESOURCE_TYPES as readonly string[]).includes('EBS');
    if (!restoresEbs) return;
    arr(workload.servers).forEach((sv, k) => {
      const server = obj(sv);
      const size = num(server?.size);
      if (!server || size === undefined || size <= zoneCount) return;
      const role = str(server.role) ?? `servers[${k}]`;
      issues.push({
        path: `workloads[${i}].servers[${k}].size`,
        code: 'servers-exceed-zones',
        message:
          `is ${size} but recovery.network.availabilityZones lists ${zoneCount} zone(s) and workloads[${i}] restores EBS volumes (backup.resourceTypes${Array.isArray(typesRaw) ? '' : ', the default'}): ` +
          `with more "${role}" instances than zones, a zone runs two of them and attach-restored-volume refuses to pick one ("2 running instances with dr:server=${role} in <zone> …; expected exactly one, not attaching"), so their volumes stay unattached. ` +
          `Lower size to at most ${zoneCount}, list at least ${size} zones in recovery.network.availabilityZones, or leave EBS out of workloads[${i}].backup.resourceTypes`,
      });
    });
  });
  return issues;
}

function accountRoleIssues(cfg: Record<string, Json>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, string>();
  const claim = (id: Json, path: string) => {
    const account = str(id);
    if (account === undefined) return;
    const earlier = seen.get(account);
    if (earlier !== undefined) {
      issues.push({ path, message: `account ${account} is already used by ${earlier}; every workload, the backup-vault account, the DR account and the management account must be separate accounts` });
    } else {
      seen.set(account, path);
    }
  };
  const accounts = obj(cfg.accounts) ?? {};
  for (const role of ['backupVault', 'dr', 'management']) {
    const account = obj(accounts[role]);
    if (!account) continue;
    claim(account.id, `accounts.${role}.id`);
    issues.push(...roleArnAccountIssues(account.roleArn, account.id, `accounts.${role}`, 'id'));
  }
  arr(cfg.workloads).forEach((w, i) => {
    const workload = obj(w);
    if (!workload) return;
    claim(workload.accountId, `workloads[${i}].accountId`);
    issues.push(...roleArnAccountIssues(workload.roleArn, workload.accountId, `workloads[${i}]`, 'accountId'));
  });
  return issues;
}

function roleArnAccountIssues(roleArn: Json, accountId: Json, path: string, idField: string): ConfigIssue[] {
  const arn = str(roleArn);
  const id = str(accountId);
  const arnAccount = arn ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined;
  if (arnAccount && id && /^\d{12}$/.test(id) && arnAccount !== id) {
    return [{ path: `${path}.roleArn`, message: `is a role in account ${arnAccount} but ${path}.${idField} is ${id}; Terraform must assume a role in the account it deploys to` }];
  }
  return [];
}

/** Shortest retention AWS accepts for a logically air-gapped vault (modules/air-gapped-vault.ts). */
export const AIR_GAPPED_VAULT_MIN_RETENTION_DAYS = 7;

/**
 * `centralVault.kind` airGapped or both: the logically air-gapped vault takes its retention range from
 * `vaultLock`, whose minimum AWS requires to be at least 7 days; and with airGapped there is no locked
 * central vault for `primaryRegionCopy` to keep in the workload regions.
 */
function airGappedVaultIssues(cfg: Record<string, Json>): ConfigIssue[] {
  const kind = str(obj(cfg.centralVault)?.kind) ?? 'locked';
  if (kind !== 'airGapped' && kind !== 'both') return [];
  const issues: ConfigIssue[] = [];
  const min = num(obj(cfg.vaultLock)?.minRetentionDays);
  if (min !== undefined && min < AIR_GAPPED_VAULT_MIN_RETENTION_DAYS) {
    issues.push({
      path: 'vaultLock.minRetentionDays',
      message: `is ${min} days but the logically air-gapped vault (centralVault.kind "${kind}") takes its retention range from vaultLock and AWS requires at least ${AIR_GAPPED_VAULT_MIN_RETENTION_DAYS}; raise it`,
    });
  }
  if (kind === 'airGapped' && obj(obj(cfg.accounts)?.backupVault)?.primaryRegionCopy === true) {
    issues.push({
      path: 'accounts.backupVault.primaryRegionCopy',
      message: 'keeps a locked central vault in each workload region, but centralVault.kind "airGapped" has no locked central vault; set centralVault.kind to "both" or remove primaryRegionCopy',
    });
  }
  return issues;
}

/** Whose retention range a copy must fit, by `centralVault.kind` (wording of the copy-retention issues). */
function copyRetentionVaultDescription(kind: string | undefined): string {
  if (kind === 'airGapped') return "the air-gapped vault's retention range";
  if (kind === 'both') return "the central vault's lock (and the air-gapped vault's retention range)";
  return "the central vault's lock";
}

/** `workloads[].targets.rpoMinutes` when the configuration does not set it (schema default). */
export const DEFAULT_RPO_MINUTES = 1440;
/**
 * Shortest RPO a continuous (point-in-time) rule is credited with: AWS Backup restores a continuous
 * backup to any second up to about five minutes before the latest activity.
 */
export const CONTINUOUS_RPO_MINUTES = 5;

/** The most frequent rule of a workload and its worst-case interval (schedule-interval.ts). */
export interface MostFrequentRule {
  /** Index in `backup.rules`. */
  readonly index: number;
  readonly schedule: string;
  readonly intervalMinutes: number;
}

/**
 * The rule with the shortest worst-case interval between runs, among rules whose schedule is valid
 * (invalid ones are reported by the shape check). Several rules together may run more often than the
 * most frequent alone; counting only that one is the conservative reading.
 */
export function mostFrequentRule(rules: readonly Json[]): MostFrequentRule | undefined {
  let best: MostFrequentRule | undefined;
  rules.forEach((r, index) => {
    const schedule = str(obj(r)?.schedule);
    if (schedule === undefined || scheduleExpressionProblem(schedule) !== undefined) return;
    const intervalMinutes = worstCaseIntervalMinutes(schedule);
    if (!best || intervalMinutes < best.intervalMinutes) best = { index, schedule, intervalMinutes };
  });
  return best;
}

/**
 * `workloads[i].targets.rpoMinutes` (default 1440) must be reachable: at least the worst-case interval
 * of the workload's most frequent rule, or, with a continuous rule, at least 5 minutes.
 */
export function rpoIssues(cfg: Record<string, Json>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  arr(cfg.workloads).forEach((w, i) => {
    const workload = obj(w);
    if (!workload) return;
    const targets = obj(workload.targets);
    const isDefault = targets?.rpoMinutes === undefined;
    const rpo = isDefault ? DEFAULT_RPO_MINUTES : num(targets?.rpoMinutes);
    if (rpo === undefined) return;
    const rules = arr(obj(workload.backup)?.rules);
    const path = `workloads[${i}].targets.rpoMinutes`;
    const stated = `is ${rpo} minutes${isDefault ? ' (the default: targets.rpoMinutes is not set)' : ''}`;
    const continuous = rules.findIndex((r) => obj(r)?.continuous === true);
    if (continuous >= 0) {
      if (rpo < CONTINUOUS_RPO_MINUTES) {
        issues.push({
          path,
          code: 'rpo-not-met',
          message: `${stated} but even continuous backup (workloads[${i}].backup.rules[${continuous}].continuous) restores to at best about ${CONTINUOUS_RPO_MINUTES} minutes before an incident; raise targets.rpoMinutes to at least ${CONTINUOUS_RPO_MINUTES}`,
        });
      }
      return;
    }
    const best = mostFrequentRule(rules);
    if (!best || rpo >= best.intervalMinutes) return;
    const every = Number.isFinite(best.intervalMinutes) ? `runs at worst every ${best.intervalMinutes} minutes (${formatMinutes(best.intervalMinutes)})` : 'never runs twice';
    issues.push({
      path,
      code: 'rpo-not-met',
      message:
        `${stated} but the most frequent backup rule, workloads[${i}].backup.rules[${best.index}].schedule "${best.schedule}", ${every}: ` +
        'the newest recovery point can be that old when disaster strikes. Use a more frequent schedule, add a continuous rule ("continuous": true, for S3, RDS and Aurora), ' +
        `or raise targets.rpoMinutes${Number.isFinite(best.intervalMinutes) ? ` to at least ${best.intervalMinutes}` : ''}`,
    });
  });
  return issues;
}

/** Every `workloads[i].restoreTesting.resourceTypes` entry must be backed up (`backup.resourceTypes`, defaults included). */
export function restoreTestingIssues(cfg: Record<string, Json>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  arr(cfg.workloads).forEach((w, i) => {
    const workload = obj(w);
    const testing = obj(workload?.restoreTesting);
    if (!workload || !testing) return;
    const backupRaw = obj(workload.backup)?.resourceTypes;
    const backedUp = Array.isArray(backupRaw) ? backupRaw.map(str) : [...DEFAULT_RESOURCE_TYPES];
    const backedUpText = `workloads[${i}].backup.resourceTypes (${backedUp.filter((t) => t !== undefined).join(', ')}${Array.isArray(backupRaw) ? '' : ', the default'})`;
    const testedRaw = testing.resourceTypes;
    const tested = Array.isArray(testedRaw) ? testedRaw.map(str) : [...DEFAULT_RESTORE_TESTING_RESOURCE_TYPES];
    tested.forEach((type, k) => {
      if (type === undefined || backedUp.includes(type)) return;
      issues.push({
        path: Array.isArray(testedRaw) ? `workloads[${i}].restoreTesting.resourceTypes[${k}]` : `workloads[${i}].restoreTesting.resourceTypes`,
        code: 'restore-testing-type-not-backed-up',
        message: `${Array.isArray(testedRaw) ? '' : `(default ${DEFAULT_RESTORE_TESTING_RESOURCE_TYPES.join(', ')}) `}includes "${type}", which is not in ${backedUpText}: restore testing would never find a ${type} recovery point. Add ${type} to backup.resourceTypes or remove it from restoreTesting.resourceTypes`,
      });
    });
  });
  return issues;
}

/**
 * `workloads[i].recovery.infrastructure.kind` terraformCloud needs the top-level `terraformCloud`: the
 * recovery calls the runs API of `terraformCloud.hostname` (default app.terraform.io).
 */
export function infrastructureIssues(cfg: Record<string, Json>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (obj(cfg.terraformCloud)) return issues;
  arr(cfg.workloads).forEach((w, i) => {
    const infrastructure = obj(obj(obj(w)?.recovery)?.infrastructure);
    if (str(infrastructure?.kind) !== 'terraformCloud') return;
    issues.push({
      path: `workloads[${i}].recovery.infrastructure.kind`,
      code: 'terraform-cloud-not-configured',
      message:
        'is "terraformCloud" but the top-level "terraformCloud" is not set: BuildInfrastructure queues its run through the runs API of terraformCloud.hostname ' +
        '(default app.terraform.io). Add "terraformCloud": { "organization": "<your organization>" } or use "kind": "autoScaling"',
    });
  });
  return issues;
}

/** `workloads[i].recovery.fsx` only means something for a workload whose backups include FSx. */
export function fsxIssues(cfg: Record<string, Json>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  arr(cfg.workloads).forEach((w, i) => {
    const workload = obj(w);
    if (!obj(obj(workload?.recovery)?.fsx)) return;
    const typesRaw = obj(workload?.backup)?.resourceTypes;
    const types: readonly unknown[] = Array.isArray(typesRaw) ? typesRaw : DEFAULT_RESOURCE_TYPES;
    if (types.includes('FSx')) return;
    issues.push({
      path: `workloads[${i}].recovery.fsx`,
      code: 'fsx-not-backed-up',
      message: `is set but workloads[${i}].backup.resourceTypes${Array.isArray(typesRaw) ? '' : ' (the default)'} does not include FSx: nothing would use it. Add "FSx" to the resource types or remove recovery.fsx`,
    });
  });
  return issues;
}

/**
 * `workloads[].failback`: the restore key must be in the workload's account and region (the failback
 * role restores there), a scaleDown freeze needs server roles to scale, and a DNS switch back needs the
 * health alarm that verifies it.
 */
export function failbackIssues(cfg: Record<string, Json>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const primary = str(obj(cfg.regions)?.primary);
  arr(cfg.workloads).forEach((w, i) => {
    const workload = obj(w);
    const failback = obj(workload?.failback);
    if (!workload || !failback) return;
    const path = `workloads[${i}].failback`;
    const key = /^arn:aws(?:-cn|-us-gov)?:kms:([a-z0-9-]+):(\d{12}):key\//.exec(str(failback.kmsKeyArn) ?? '');
    const accountId = str(workload.accountId);
    const region = str(workload.region) ?? primary;
    if (key && accountId !== undefined && key[2] !== accountId) {
      issues.push({ path: `${path}.kmsKeyArn`, message: `is a key of account ${key[2]} but failback restores into the workload account workloads[${i}].accountId (${accountId}); name a key of that account` });
    }
    if (key && region !== undefined && key[1] !== region) {
      issues.push({ path: `${path}.kmsKeyArn`, message: `is a key in ${key[1]} but failback restores into the workload region (${region}${workload.region === undefined ? ', from regions.primary' : ''}); name a key of that region` });
    }
    // AWS Backup's restore role passes the profile's role to EC2 in the workload account: a role of another account cannot be passed.
    const profileRole = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\//.exec(str(obj(failback.instanceProfile)?.roleArn) ?? '');
    if (profileRole && accountId !== undefined && profileRole[1] !== accountId) {
      issues.push({ path: `${path}.instanceProfile.roleArn`, message: `is a role of account ${profileRole[1]} but restored instances run in the workload account workloads[${i}].accountId (${accountId}); name the role of an instance profile of that account` });
    }
    const freeze = obj(failback.freeze);
    if (arr(workload.servers).length === 0) {
      if (freeze?.kind === 'scaleDown') {
        issues.push({ path: `${path}.freeze.kind`, message: `is "scaleDown" but workloads[${i}].servers lists no server role to scale down; use "runbook" or "none"` });
      } else if (failback.freeze === undefined) {
        issues.push({ path: `${path}.freeze`, message: `is not set, so writes would be frozen by scaling down (the default), but workloads[${i}].servers lists no server role to scale down; set { "kind": "runbook", "documentName": … } or { "kind": "none" }` });
      }
    }
    if (failback.dnsRecord !== undefined && str(obj(workload.recovery)?.healthAlarmName) === undefined) {
      issues.push({ path: `${path}.dnsRecord`, message: `is set but workloads[${i}].recovery.healthAlarmName is not: failback verifies the switched record with the workload's health alarm; set it or remove dnsRecord` });
    }
  });
  return issues;
}

export function semanticIssues(raw: Json): ConfigIssue[] {
  const cfg = obj(raw);
  if (!cfg) return [];
  const issues: ConfigIssue[] = [];
  const regions = obj(cfg.regions) ?? {};
  const primary = str(regions.primary);
  const recovery = str(regions.recovery);
  const lockRaw = obj(cfg.vaultLock);
  const lock = lockRaw ?? DEFAULT_VAULT_LOCK;
  const lockPath = lockRaw ? 'vaultLock' : 'vaultLock (default)';
  const vaultWhat = copyRetentionVaultDescription(str(obj(cfg.centralVault)?.kind));

  if (lockRaw) {
    const min = num(lockRaw.minRetentionDays);
    const max = num(lockRaw.maxRetentionDays);
    if (min !== undefined && max !== undefined && min > max) {
      issues.push({ path: 'vaultLock.maxRetentionDays', message: `must be at least vaultLock.minRetentionDays (${min})` });
    }
    if (lockRaw.mode === 'governance' && lockRaw.changeableForDays !== undefined) {
      issues.push({ path: 'vaultLock.changeableForDays', message: 'is only allowed with "mode": "compliance" (setting it makes the lock compliance mode, irreversible after that many days); remove it or set the mode to compliance explicitly' });
    }
    if (lockRaw.mode === 'compliance' && lockRaw.changeableForDays === undefined) {
      issues.push({ path: 'vaultLock.changeableForDays', message: 'is required with "mode": "compliance": the number of days (at least 3) before the lock becomes irreversible' });
    }
  }

  const names = new Map<string, number>();
  arr(cfg.workloads).forEach((w, i) => {
    const workload = obj(w);
    if (!workload) return;
    const path = `workloads[${i}]`;
    const name = str(workload.name);
    if (name !== undefined) {
      if (names.has(name)) issues.push({ path: `${path}.name`, message: `"${name}" is already used by workloads[${names.get(name)}]; workload names must be unique` });
      else names.set(name, i);
    }
    const region = str(workload.region) ?? primary;
    if (region !== undefined && recovery !== undefined && region === recovery) {
      issues.push({
        path: workload.region !== undefined ? `${path}.region` : 'regions.recovery',
        message: `the recovery region must differ from the workload's region (${region}${workload.region === undefined ? ', from regions.primary' : ''}); a regional outage would take both down`,
      });
    }
    const backup = obj(workload.backup) ?? {};
    const ruleNames = new Set<string>();
    arr(backup.rules).forEach((r, j) => {
      const rule = obj(r);
      if (!rule) return;
      const rulePath = `${path}.backup.rules[${j}]`;
      const ruleName = str(rule.name);
      if (ruleName !== undefined && ruleNames.has(ruleName)) issues.push({ path: `${rulePath}.name`, message: `"${ruleName}" is used twice in this plan; rule names must be unique per workload` });
      if (ruleName !== undefined) ruleNames.add(ruleName);
      issues.push(...ruleIssues(rule, rulePath, lock, lockPath, vaultWhat));
    });
    issues.push(...alarmIssues(arr(workload.alarms), `${path}.alarms`));
  });

  issues.push(...accountRoleIssues(cfg));

  issues.push(...airGappedVaultIssues(cfg));

  issues.push(...rpoIssues(cfg), ...restoreTestingIssues(cfg));

  issues.push(...serverIssues(cfg, recovery), ...infrastructureIssues(cfg), ...fsxIssues(cfg), ...failbackIssues(cfg));

  const health = obj(obj(cfg.detection)?.health);
  const noHealth = health !== undefined && obj(health.services) !== undefined && Object.keys(obj(health.services)!).length === 0 && Object.keys(obj(health.globalServices) ?? {}).length === 0;
  const recoveryAlarms = arr(cfg.workloads).some((w) => arr(obj(w)?.alarms).some((a) => obj(a)?.triggersRecovery === true));
  if (noHealth && !recoveryAlarms) {
    issues.push({ path: 'detection.health.services', message: 'is empty and no alarm sets "triggersRecovery": nothing could ever start recovery; list at least one AWS Health service or mark an alarm' });
  }

  const estateName = str(cfg.name);
  if (estateName !== undefined && primary !== undefined && recovery !== undefined) {
    const tfc = obj(cfg.terraformCloud);
    const naming = new EstateNames({
      name: estateName,
      regions: { primary: primary as never, recovery: recovery as never },
      accounts: { backupVault: { id: '000000000000', roleArn: '', primaryRegionCopy: false }, dr: { id: '000000000000', roleArn: '' } },
      breakGlassRoleName: str(cfg.breakGlassRoleName) ?? 'dr-break-glass',
      terraformCloud: tfc ? { workspacePrefix: str(tfc.workspacePrefix) ?? '' } : undefined,
    });
    const workloadNames = arr(cfg.workloads).map((w) => str(obj(w)?.name) ?? 'x');
    const health = obj(obj(cfg.detection)?.health) ?? {};
    for (const [group, prefix] of [['services', 'health-'], ['globalServices', 'health-global-']] as const) {
      for (const service of Object.keys(obj(health[group]) ?? {})) {
        const ruleName = `${estateName}-${prefix}${service.toLowerCase()}`;
        if (ruleName.length > 64) issues.push({ path: `detection.health.${group}.${service}`, message: `gives the EventBridge rule name "${ruleName}" (${ruleName.length} characters, at most 64); shorten the service key or the estate name` });
      }
    }
    const restoreTested = new Set(arr(cfg.workloads).filter((w) => obj(w)?.restoreTesting !== undefined).map((w) => str(obj(w)?.name) ?? 'x'));
    const failingBack = new Set(arr(cfg.workloads).filter((w) => obj(w)?.failback !== undefined).map((w) => str(obj(w)?.name) ?? 'x'));
    for (const limited of naming.limitedNames(workloadNames, restoreTested, failingBack)) {
      if (!limited.pattern.test(limited.name)) {
        issues.push({ path: limited.field, message: `gives the ${limited.what} "${limited.name}" (${limited.name.length} characters, at most ${limited.max}); shorten it` });
      }
    }
  }
  return issues;
}
