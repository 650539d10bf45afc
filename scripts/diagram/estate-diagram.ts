import type { EstateConfig } from '../../config/schema';
import { EstateNames, STACK_NAMES, workloadRegion, workloadStackName } from '../../config/naming';
import { RECOVERY_STEPS, type RecoveryStep } from '../../modules/recovery/definition';

/**
 * A Mermaid flowchart of one estate, generated from its (validated) configuration: accounts, vaults,
 * copy paths, event flows and the recovery state machine's steps.
 *
 * Pure and deterministic: the same configuration gives the same text, byte for byte. Every label is
 * escaped with Mermaid entity codes (no raw quote, bracket, brace, parenthesis, pipe, angle bracket,
 * `#` or `&`; lines are joined with `<br/>`), and every node ID is `[A-Z][A-Za-z0-9_]*`, derived from
 * the configuration and unique.
 */

/** Where AWS delivers Health events of global services (as in stacks/workload-stack.ts). */
const GLOBAL_HEALTH_REGION = 'us-east-1';

const ENTITIES: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '&': '#38;',
  '<': '#lt;',
  '>': '#gt;',
  '[': '#91;',
  ']': '#93;',
  '{': '#123;',
  '}': '#125;',
  '(': '#40;',
  ')': '#41;',
  '|': '#124;',
  '`': '#96;',
  ';': '#59;',
};

/** One line of a label, escaped for use inside `"..."` in Mermaid (node, subgraph or edge label). */
export function escapeMermaid(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/[#"&<>[\]{}()|`;]/g, (c) => ENTITIES[c]);
}

/** A quoted Mermaid label from lines of plain text. */
function label(...lines: string[]): string {
  return `"${lines.map(escapeMermaid).join('<br/>')}"`;
}

/** Deterministic, Mermaid-safe, unique node IDs. */
class Ids {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  id(kind: string, ...parts: string[]): string {
    const key = [kind, ...parts].join('\u0000');
    const known = this.byKey.get(key);
    if (known) return known;
    const base = [kind, ...parts].map((p) => p.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')).filter((p) => p !== '').join('_');
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }
}

const STEP_NOTES: Partial<Record<RecoveryStep, string>> = {
  Approve: 'event-triggered runs that require approval',
  CopyToRestoreVault: 'central vault to DR restore vault',
  FailoverTraffic: 'failover mode with recovery.failover',
  Verify: 'with recovery.healthAlarmName, then report',
  CleanupDrill: 'drill mode only',
};

function lockDescription(config: EstateConfig): string {
  const lock = config.vaultLock;
  const range = `retention ${lock.minRetentionDays}-${lock.maxRetentionDays} days`;
  return lock.mode === 'compliance'
    ? `Vault Lock compliance, irreversible after ${lock.changeableForDays ?? '?'} days, ${range}`
    : `Vault Lock governance, ${range}`;
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** The Mermaid source (starting with `flowchart LR`) of the estate's diagram. */
export function estateDiagram(config: EstateConfig): string {
  const names = new EstateNames(config);
  const ids = new Ids();
  const out: string[] = ['flowchart LR'];
  const edges: string[] = [];
  const add = (indent: number, line: string) => out.push(`${'  '.repeat(indent)}${line}`);
  const { backupVault, dr, management } = config.accounts;
  const recoveryRegion = config.regions.recovery;
  const workloads = [...config.workloads].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const workloadRegions = [...new Set(workloads.map((w) => workloadRegion(config, w)))].sort();
  const globalHealth = Object.keys(config.detection.health.globalServices).sort();
  const regionalHealth = Object.keys(config.detection.health.services).sort();

  const busId = ids.id('Bus', 'dr');
  const centralId = (region: string) => ids.id('Vault', 'central', region);
  // centralVault.kind: the locked central vault(s) for locked and both, the logically air-gapped vault
  // (recovery region, shared with the DR account through AWS RAM) for airGapped and both.
  const { kind } = config.centralVault;
  const locked = kind !== 'airGapped';
  const airGapped = kind !== 'locked';
  const centralRegions = locked ? [recoveryRegion, ...(backupVault.primaryRegionCopy ? workloadRegions.filter((r) => r !== recoveryRegion) : [])] : [];
  const airGappedId = ids.id('Vault', 'air_gapped');

  // Workload accounts.
  for (const w of workloads) {
    const region = workloadRegion(config, w);
    const stack = workloadStackName(w.name);
    add(1, `subgraph ${ids.id('Acct', 'workload', w.name)}[${label(`workload account ${w.accountId} · ${region} · stack ${stack}`)}]`);
    add(2, 'direction TB');
    const planId = ids.id('Plan', w.name);
    const localId = ids.id('Vault', 'local', w.name);
    add(2, `${planId}[${label(
      `backup plan ${names.workloadPlanName(w.name)}`,
      `selection ${w.backup.selectionTag.key}=${w.backup.selectionTag.value}`,
      `types ${w.backup.resourceTypes.join(', ')}`,
      ...w.backup.rules.map((r) => `rule ${r.name}: ${r.schedule}${r.continuous ? ', continuous' : ''}, kept ${days(r.retentionDays)}${r.coldStorageAfterDays !== undefined ? `, cold after ${days(r.coldStorageAfterDays)}` : ''}`),
    )}]`);
    add(2, `${localId}[(${label(`local vault ${names.workloadVaultName(w.name)}`, `${region} · CMK · deny-delete policy`)})]`);
    const forwardId = ids.id('Fwd', 'workload', w.name);
    const global = globalHealth.map((s) => names.eventRuleName(`health-global-${s.toLowerCase()}`));
    const regional = [
      ...regionalHealth.map((s) => names.eventRuleName(`health-${s.toLowerCase()}`)),
      names.eventRuleName('failed-backup-jobs'),
      names.eventRuleName('alarms'),
      ...(region === GLOBAL_HEALTH_REGION ? global : []),
    ];
    const alarms = [...w.alarms].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((a) => `${names.alarmNamePrefix(w.name)}${a.name}${a.triggersRecovery ? ' (triggers recovery)' : ''}`);
    add(2, `${forwardId}[${label(
      `forwarding rules in ${region}: ${regional.join(', ')}`,
      ...(global.length > 0 && region !== GLOBAL_HEALTH_REGION ? [`in ${GLOBAL_HEALTH_REGION}: ${global.join(', ')}`] : []),
      ...(alarms.length > 0 ? [`alarms ${alarms.join(', ')}`] : []),
      `DLQ ${names.eventForwardingDlqName}`,
    )}]`);
    add(2, `${planId} --> ${localId}`);
    add(1, 'end');
    const destinations = [
      ...(locked ? [centralId(recoveryRegion), ...(backupVault.primaryRegionCopy && region !== recoveryRegion ? [centralId(region)] : [])] : []),
      ...(airGapped ? [airGappedId] : []),
    ];
    for (const destination of destinations) {
      for (const r of w.backup.rules) {
        edges.push(`${localId} -->|${label(
          `copy, rule ${r.name}`,
          `kept ${days(r.copyRetentionDays)}${r.copyColdStorageAfterDays !== undefined ? `, cold after ${days(r.copyColdStorageAfterDays)}` : ''}`,
        )}| ${destination}`);
      }
    }
    edges.push(`${forwardId} -->|${label(`PutEvents as ${names.eventForwarderRoleName}`)}| ${busId}`);
  }

  // Backup-vault account.
  add(1, `subgraph ${ids.id('Acct', 'backup_vault')}[${label(`backup-vault account ${backupVault.id} · ${recoveryRegion} · stack ${STACK_NAMES.backupVault}`)}]`);
  add(2, 'direction TB');
  for (const region of centralRegions) {
    const isRecovery = region === recoveryRegion;
    add(2, `${centralId(region)}[(${label(
      `central vault ${names.centralVaultName}`,
      `${region}${isRecovery ? ' · recovery region' : ' · workload region, primaryRegionCopy'}`,
      lockDescription(config),
      'CMK · org-only CopyIntoBackupVault · deny-delete except break-glass',
    )})]`);
  }
  if (airGapped) {
    const sharedWith = config.centralVault.shareWith === 'organization' ? 'the DR and workload accounts' : 'the DR account';
    add(2, `${airGappedId}[(${label(
      `logically air-gapped vault ${names.airGappedVaultName}`,
      `${recoveryRegion} · recovery region`,
      `compliance lock, retention ${config.vaultLock.minRetentionDays}-${config.vaultLock.maxRetentionDays} days`,
      'AWS-owned key · org-only CopyIntoBackupVault · deny-delete except break-glass',
      `AWS RAM share ${names.airGappedVaultShareName} with ${sharedWith}`,
    )})]`);
  }
  const starterId = ids.id('Role', 'copy_starter');
  if (locked) {
    add(2, `${starterId}[${label(`role ${names.centralCopyStarterRoleName}`, `StartCopyJob for ${names.recoveryRolePrefix}* roles of the DR account`)}]`);
  }
  const vaultForwardId = ids.id('Fwd', 'backup_vault');
  add(2, `${vaultForwardId}[${label(
    `forwarding rules in ${(locked ? centralRegions : [recoveryRegion]).join(', ')}: ${['vault-changes', 'failed-backup-jobs', 'alarms'].map((p) => names.eventRuleName(p)).join(', ')}`,
  )}]`);
  add(1, 'end');
  edges.push(`${vaultForwardId} -->|${label(`PutEvents as ${names.eventForwarderRoleName}`)}| ${busId}`);

  // DR account.
  const restoreId = ids.id('Vault', 'dr_restore');
  const smId = ids.id('Sm', 'recovery');
  add(1, `subgraph ${ids.id('Acct', 'dr')}[${label(`DR account ${dr.id} · ${recoveryRegion} · stack ${STACK_NAMES.dr}`)}]`);
  add(2, 'direction TB');
  add(2, `${restoreId}[(${label(`restore vault ${names.drRestoreVaultName}`, 'CMK · CopyIntoBackupVault from the backup-vault account only')})]`);
  add(2, `${busId}{{${label(`event bus ${names.drEventBusName}`, `archive ${config.name}-incidents, ${days(config.detection.archiveRetentionDays)}`)}}}`);
  const incidentsId = ids.id('Rule', 'incidents');
  const recoveryRuleId = ids.id('Rule', 'recovery_worthy');
  const topicId = ids.id('Topic', 'on_call');
  add(2, `${incidentsId}[${label(`rule ${config.name}-incidents-to-on-call`)}]`);
  add(2, `${topicId}[${label(`SNS ${config.name}-dr-on-call`, ...config.detection.onCall.emailAddresses.map((e) => `e-mail ${e}`))}]`);
  add(2, `${recoveryRuleId}[${label(`rule ${config.name}-recovery-worthy`, 'Health issues, alarms with triggersRecovery')}]`);
  add(2, `subgraph ${smId}[${label(`state machine ${config.name}-recovery`)}]`);
  add(3, 'direction TB');
  const stepIds = RECOVERY_STEPS.map((step) => ids.id('Step', step));
  RECOVERY_STEPS.forEach((step, i) => {
    const note = step === 'CopyToRestoreVault' && !locked ? 'nothing to copy: restores in place from the air-gapped vault' : STEP_NOTES[step];
    add(3, `${stepIds[i]}[${label(`${i + 1}. ${step}`, ...(note ? [note] : []))}]`);
  });
  for (let i = 1; i < stepIds.length; i++) add(3, `${stepIds[i - 1]} --> ${stepIds[i]}`);
  add(2, 'end');
  const restoreTested = workloads.filter((w) => w.restoreTesting);
  const restoreTestingId = ids.id('RestoreTesting', 'dr');
  if (restoreTested.length > 0) {
    add(2, `${restoreTestingId}[${label(
      'AWS Backup restore testing',
      ...restoreTested.map((w) => `plan ${names.restoreTestingPlanName(w.name)}: ${w.restoreTesting!.schedule}, ${w.restoreTesting!.resourceTypes.join(', ')}, validation ${w.restoreTesting!.validationWindowHours} h`),
      `validated by ${config.name}-validate-restore`,
      `from ${[names.drRestoreVaultName, ...(airGapped ? [names.airGappedVaultName] : [])].join(', ')}`,
    )}]`);
  }
  const readinessId = ids.id('Fn', 'readiness_checker');
  add(2, `${readinessId}[${label(
    `daily readiness checker ${names.readinessCheckerRoleName}`,
    `schedule ${config.readiness.schedule} UTC`,
    `reports to s3 ${names.readinessReportBucketName}`,
    `alarms ${workloads.map((w) => `${config.name}-readiness-${w.name}`).join(', ')}`,
  )}]`);
  add(1, 'end');
  edges.push(`${busId} --> ${incidentsId}`);
  edges.push(`${incidentsId} --> ${topicId}`);
  edges.push(`${busId} --> ${recoveryRuleId}`);
  edges.push(`${recoveryRuleId} -->|${label(`StartExecution as ${config.name}-recovery-events`)}| ${smId}`);
  if (locked) {
    edges.push(`${smId} -.->|${label('sts:AssumeRole')}| ${starterId}`);
    edges.push(`${centralId(recoveryRegion)} -->|${label(
      'copy by the recovery, CopyToRestoreVault',
      `via ${names.centralCopyStarterRoleName}, kept ${days(config.recovery.stateMachine.copyRetentionDays)}`,
    )}| ${restoreId}`);
  }
  if (airGapped) edges.push(`${airGappedId} -->|${label('AWS RAM share: restore in place', `share ${names.airGappedVaultShareName}`)}| ${smId}`);
  if (restoreTested.length > 0) edges.push(`${restoreTestingId} -->|${label(`failed tests, rule ${names.eventRuleName('restore-test-failed')}`)}| ${busId}`);
  edges.push(`${readinessId} -->|${label('alarms when not ready')}| ${topicId}`);

  // Management account.
  if (management) {
    const settingRegions = [...new Set([recoveryRegion, ...workloadRegions])].sort();
    add(1, `subgraph ${ids.id('Acct', 'management')}[${label(`management account ${management.id} · stack ${STACK_NAMES.organization}`)}]`);
    add(2, `${ids.id('Org', 'settings')}[${label('AWS Backup global settings', `isCrossAccountBackupEnabled in ${settingRegions.join(', ')}`)}]`);
    add(1, 'end');
  }

  for (const edge of edges) add(1, edge);
  return `${out.join('\n')}\n`;
}

/** A Markdown page with the diagram in a ```mermaid block. */
export function estateMarkdown(config: EstateConfig, source?: string): string {
  return [
    `# Estate ${config.name}`,
    '',
    `Generated by \`npm run diagram\`${source ? ` from \`${source}\`` : ''}; do not edit.`,
    '',
    '```mermaid',
    estateDiagram(config).trimEnd(),
    '```',
    '',
  ].join('\n');
}
