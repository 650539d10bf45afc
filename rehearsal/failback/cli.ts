/** `npm run rehearse -- --mode failback`: the recovery's outcome, then the failback's timeline, RTO, RPO and checks. */
import { offset } from '../clock';
import { formatTimeline } from '../driver/timeline';
import type { CliOptions } from '../run';
import { runFailbackRehearsal } from './run';

const duration = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? 'n/a' : `${offset(seconds).slice(1)} (${Math.round(seconds)} s)`);

export async function mainFailback(options: CliOptions, out: (line: string) => void): Promise<number> {
  const { failback: _failback, mode: _mode, ...rest } = options;
  out('Recovery (failover):');
  out('    time    step                 detail');
  let inFailback = false;
  const result = await runFailbackRehearsal({
    ...rest,
    onTimeline: (entry) => {
      if (!options.quiet || !entry.step.startsWith(' ')) out(formatTimeline([entry]));
    },
    onFailbackTimeline: (entry) => {
      if (!inFailback) {
        inFailback = true;
        out('');
        out('Failback:');
        out('    time    step                 detail');
      }
      if (!options.quiet || !entry.step.startsWith(' ')) out(formatTimeline([entry]));
    },
  });
  const r = result.recovery;
  out('');
  out(`Workload ${r.workload}, failover: execution ${r.execution.status}; RTO ${duration(r.rtoSeconds)}, RPO ${duration(r.rpoSeconds)}`);
  if (!result.failback) {
    for (const c of r.checks.filter((x) => !x.ok)) out(`FAIL  ${c.name}: ${c.detail}`);
    out('');
    out(`NOT RECOVERED: workload ${r.workload}: nothing to fail back`);
    return 1;
  }
  const f = result.failback;
  out(`Failback: execution ${f.execution.status}${f.execution.error ? ` (${f.execution.error}: ${f.execution.cause})` : ''}`);
  out(`Failback RTO (approval → release of the freeze, traffic back): ${duration(f.rtoSeconds)}`);
  out(`Failback RPO (freeze window, frozenAt → backupsCompletedAt): ${duration(f.rpoSeconds)}${f.rpo?.frozenAt ? ` (${f.rpo.frozenAt} → ${f.rpo.backupsCompletedAt ?? '?'})` : ''}`);
  out(`AWS calls: ${f.stats.calls} (${f.stats.throttled} throttled, ${f.stats.retries} state machine retries, ${f.stats.denied} denied)`);
  if (f.report) out(`Report: "${f.report.subject}"`);
  for (const d of f.denials) out(`  DENIED ${d}`);
  out('');
  for (const c of f.checks) out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
  out('');
  out(result.failedBack ? `FAILED BACK: workload ${r.workload} runs in ${f.workloadAccount.estate.region} again` : `NOT FAILED BACK: workload ${r.workload}${f.failedStep ? ` (failed step ${f.failedStep})` : ''}`);
  return result.failedBack ? 0 : 1;
}
