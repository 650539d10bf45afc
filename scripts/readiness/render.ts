import { formatMinutes } from '../../config/schedule-interval';
import type { Finding, LockReadiness, MonthlyCost, ReadinessReport, VaultReadiness, WorkloadReadiness } from './report';

/** Text and JSON renderings of the readiness report. */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const minutes = (m: number) => `${formatMinutes(m)} (${m} min)`;
const yesNo = (synthesized: boolean | null, where: string) => (synthesized === null ? 'not checked (no synthesized output)' : synthesized ? `present in ${where}` : `MISSING from ${where}`);

function lockText(lock: LockReadiness): string {
  return `${lock.mode}${lock.changeableForDays !== undefined ? ` (fixed after ${lock.changeableForDays} days)` : ''}, retention ${lock.minRetentionDays}-${lock.maxRetentionDays} days`;
}

export function vaultText(vault: VaultReadiness): string {
  const parts: string[] = [];
  if (vault.locked) parts.push(`locked ${vault.locked.name} (${vault.locked.regions.join(', ')}): Vault Lock ${lockText(vault.locked.lock)}`);
  if (vault.airGapped) parts.push(`air-gapped ${vault.airGapped.name} (${vault.airGapped.region}): always ${lockText(vault.airGapped.lock)}, shared with ${vault.airGapped.shareWith === 'drAccount' ? 'the DR account' : 'the organization'}`);
  return `kind ${vault.kind}: ${parts.join(' + ')}`;
}

/** A two-column Markdown table with padded columns: readable in a terminal, pastes into a pull request. */
export function table(header: [string, string], rows: [string, string][]): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const all = [header, ...rows].map(([a, b]) => [escape(a), escape(b)] as const);
  const width = Math.max(...all.map(([a]) => a.length));
  const line = ([a, b]: readonly [string, string]) => `| ${a.padEnd(width)} | ${b} |`;
  return [line(all[0]), `|${'-'.repeat(width + 2)}|${'-'.repeat(Math.max(3, Math.min(60, Math.max(...all.map(([, b]) => b.length)) + 2)))}|`, ...all.slice(1).map(line)].join('\n');
}

function hopText(h: WorkloadReadiness['copyPath'][number]): string {
  const note = h.kind === 'dr-restore' ? ', at recovery' : h.kind === 'air-gapped' ? ', air-gapped, shared with the DR account' : '';
  return `${h.vault} (${h.accountId}, ${h.region}${note})`;
}

/** Copies to several central vaults happen side by side (one copy action each): `local → a + b → DR`. */
function copyPathText(path: WorkloadReadiness['copyPath']): string {
  const stages: string[][] = [];
  let previous: string | undefined;
  for (const hop of path) {
    const stage = hop.kind === 'air-gapped' ? 'central' : hop.kind;
    if (stage === previous) stages[stages.length - 1].push(hopText(hop));
    else stages.push([hopText(hop)]);
    previous = stage;
  }
  return stages.map((s) => s.join(' + ')).join(' → ');
}

function scheduleRow(w: WorkloadReadiness): string {
  const s = w.schedule;
  if (s.workloadRegionRpoMinutes === null) return 'no valid schedule';
  const verdict = s.meetsTarget ? `meets RPO ${formatMinutes(w.targets.rpoMinutes)}` : `DOES NOT meet RPO ${formatMinutes(w.targets.rpoMinutes)}`;
  if (s.continuousRule) {
    return `${formatMinutes(s.workloadRegionRpoMinutes)} in ${w.region} (continuous rule ${s.continuousRule}); ${s.recoveryRegionRpoMinutes === null ? 'never' : formatMinutes(s.recoveryRegionRpoMinutes)} from the copies (rule ${s.mostFrequentRule}): ${verdict}`;
  }
  return `${minutes(s.workloadRegionRpoMinutes)}, rule ${s.mostFrequentRule}: ${verdict}`;
}

/** `$1,234.56 a month (estimate, prices of <date>; npm run cost)`, or why there is no estimate. */
export function costText(cost: MonthlyCost): string {
  if ('error' in cost) return `no estimate: ${cost.error}`;
  const usd = cost.usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `$${usd} a month (estimate, prices of ${cost.priceDate}; npm run cost)`;
}

function workloadRows(w: WorkloadReadiness): [string, string][] {
  const rows: [string, string][] = [
    ['targets', `RTO ${minutes(w.targets.rtoMinutes)} · RPO ${minutes(w.targets.rpoMinutes)}`],
    [
      'backup rules',
      w.schedule.rules.map((r) => `${r.name} ${r.schedule}${r.continuous ? ' continuous' : ''}: at worst every ${r.worstCaseIntervalMinutes === null ? '(never again)' : formatMinutes(r.worstCaseIntervalMinutes)}`).join('; '),
    ],
    ['worst-case RPO', scheduleRow(w)],
    ['monthly cost', costText(w.monthlyCost)],
    ['copy path', copyPathText(w.copyPath)],
    ['vault', vaultText(w.vault)],
    [
      'restore testing',
      w.restoreTesting
        ? `on: ${w.restoreTesting.schedule}, ${w.restoreTesting.resourceTypes.join(', ')}, points of the last ${w.restoreTesting.selectionWindowDays} days from ${w.restoreTesting.vaults.join(' or ')}, kept ${w.restoreTesting.validationWindowHours} h; plan ${w.restoreTesting.planName} ${yesNo(w.restoreTesting.synthesized, 'the synthesized output')}`
        : 'off',
    ],
    [
      'servers',
      w.servers.length === 0
        ? 'none'
        : w.servers
            .map((s) => `${s.role}: ${s.size} × ${s.instanceType}, AMI parameter ${s.amiParameter} (${s.amiId}), launch template ${s.launchTemplateName} ${yesNo(s.synthesized, 'stack dr')}`)
            .join('; '),
    ],
    ['recovery state machine', `${w.recoveryStateMachine.name} ${yesNo(w.recoveryStateMachine.synthesized, 'stack dr')}`],
    [
      'failback',
      w.failback.configured
        ? `configured: role ${w.failback.roleName}, freeze ${w.failback.freeze}, ${w.failback.dnsSwitch ? 'DNS switched back' : 'no DNS switch'}, DR cleanup after ${w.failback.graceHours} h and a second approval`
        : `not configured (workloads[].failback needs: ${w.failback.needs.join('; ')})`,
    ],
    ['Resilience Hub', w.resilienceHubPolicy ? `policy ${w.resilienceHubPolicy.name}, tier ${w.resilienceHubPolicy.tier}, ${yesNo(w.resilienceHubPolicy.synthesized, `stack ${w.stack}`)}` : 'off (readiness.resilienceHubPolicies)'],
    ['findings', w.findings.length === 0 ? 'none' : `${plural(w.findings.filter((f) => f.severity === 'error').length, 'error')}, ${plural(w.findings.filter((f) => f.severity === 'warning').length, 'warning')}`],
  ];
  return rows;
}

function findingLines(findings: Finding[]): string[] {
  return findings.map((f) => `  ${f.severity === 'error' ? 'ERROR  ' : 'WARNING'} [${f.code}] ${f.path ? `${f.path}: ` : ''}${f.message}`);
}

/** The report as text: an estate table, a table per workload with its findings, and the verdict. */
export function renderText(report: ReadinessReport): string {
  const out: string[] = [];
  out.push(`DR readiness of estate ${report.estate}`);
  out.push(`configuration ${report.configPath} · synthesized output ${report.outDir ?? '(none)'}`);
  out.push('');
  out.push(
    table(['estate', report.estate], [
      ['recovery', `region ${report.recovery.region} · DR account ${report.recovery.drAccountId} · backup-vault account ${report.recovery.backupVaultAccountId}`],
      ['central vault', vaultText(report.vault)],
      ['cross-account backup', report.crossAccountOptIn.managedByStack ? `switched on by the organization stack in ${report.crossAccountOptIn.regions.join(', ')}` : `not managed here (no accounts.management); needed in ${report.crossAccountOptIn.regions.join(', ')}`],
      ['workloads', String(report.workloads.length)],
      ['monthly cost', costText(report.monthlyCost)],
    ]),
  );
  if (report.findings.length > 0) {
    out.push('', 'Estate findings:', ...findingLines(report.findings));
  }
  for (const w of report.workloads) {
    out.push('', `Workload ${w.name} · account ${w.accountId} · ${w.region} · stack ${w.stack}`, '');
    out.push(table(['check', 'value'], workloadRows(w)));
    if (w.findings.length > 0) out.push('', `Findings of ${w.name}:`, ...findingLines(w.findings));
  }
  const { errors, warnings, ready } = report.summary;
  out.push('', `${ready ? 'READY' : 'NOT READY'}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${ready ? '' : ' (errors would break a recovery; fix them first)'}`);
  return `${out.join('\n')}\n`;
}

/** The report as JSON (numbers in minutes; `null` where a value does not exist). */
export function renderJson(report: ReadinessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
