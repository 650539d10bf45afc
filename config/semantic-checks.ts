import { DEFAULT_VAULT_LOCK } from './schema';
import { EstateNames } from './naming';

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

function ruleIssues(rule: Record<string, Json>, path: string, lock: Record<string, Json>, lockPath: string): ConfigIssue[] {
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
    issues.push({ path: `${path}.copyRetentionDays`, message: `is ${copyRetention} days but the central vault's lock (${lockPath}.minRetentionDays) requires at least ${min}; copy jobs would fail` });
  }
  if (copyRetention !== undefined && max !== undefined && copyRetention > max) {
    issues.push({ path: `${path}.copyRetentionDays`, message: `is ${copyRetention} days but the central vault's lock (${lockPath}.maxRetentionDays) allows at most ${max}; copy jobs would fail` });
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
  const cidr = str(network.vpcCidr);
  const octets = cidr ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\//.exec(cidr)?.slice(1).map(Number) : undefined;
  if (octets && octets.some((o) => o > 255)) issues.push({ path: 'recovery.network.vpcCidr', message: `"${cidr}" has an octet over 255` });
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
      issues.push(...ruleIssues(rule, rulePath, lock, lockPath));
    });
    issues.push(...alarmIssues(arr(workload.alarms), `${path}.alarms`));
  });

  issues.push(...accountRoleIssues(cfg));

  issues.push(...serverIssues(cfg, recovery));

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
    for (const limited of naming.limitedNames(workloadNames)) {
      if (!limited.pattern.test(limited.name)) {
        issues.push({ path: limited.field, message: `gives the ${limited.what} "${limited.name}" (${limited.name.length} characters, at most ${limited.max}); shorten it` });
      }
    }
  }
  return issues;
}
