/**
 * The offline rehearsal with a logically air-gapped vault (`centralVault.kind` airGapped or both): the
 * synthesized state machine restores points of the vault shared with the DR account in place, with no
 * copy job and, without a locked central vault, without assuming the copy-starter role.
 */
import { runRehearsal, type RehearsalResult } from '../../rehearsal/machine';
import { exampleInput } from '../helpers/synth';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const failedChecks = (r: RehearsalResult) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
const vaultOf = (r: RehearsalResult, recoveryPointArn: string) => r.model.recoveryPoints.get(recoveryPointArn)?.vault;
const withKind = (kind: string) => ({ ...exampleInput(), centralVault: { kind } });
/** Types whose restore the in-place path changes; EFS (mount targets) is the recovery's own concern. */
const TYPES = ['EBS', 'RDS', 'DynamoDB'] as const;
type Located = { ready: { recoveryPointArn: string; source: string; backupVaultName: string; backupVaultAccountId: string }[]; toCopy: unknown[] };
const located = (r: RehearsalResult) => r.runner.invocations.filter((i) => i.fn.endsWith('-recovery-locate-recovery-points') && i.output).map((i) => i.output as Located);

describe('rehearsal: restore in place from the air-gapped vault', () => {
  it('airGapped: every resource restored from the shared vault, no copy, no copy-starter, volumes attached', async () => {
    const r = await runRehearsal({ config: withKind('airGapped'), resources: 4, seed: 11, types: TYPES });
    expect(failedChecks(r)).toEqual([]);
    expect(r.recovered).toBe(true);
    expect(r.restores).toHaveLength(4);
    for (const job of r.restores) {
      expect(vaultOf(r, job.recoveryPointArn)).toBe('airGapped');
      expect(job.recoveryPointArn).toMatch(/^arn:aws:backup:ap-northeast-1:111111111111:recovery-point:/);
    }
    expect(r.model.copyJobs.size).toBe(0);
    expect(r.model.stats.byAction.get('sts:assumeRole') ?? 0).toBe(0);
    // Locate said where each point is; prepare-restore read the shared vault, naming its owner.
    const [first] = located(r);
    expect(first.toCopy).toEqual([]);
    for (const p of first.ready) expect(p).toMatchObject({ source: 'airGappedVault', backupVaultName: 'acme-air-gapped', backupVaultAccountId: '111111111111' });
    const prepared = r.runner.invocations.filter((i) => i.fn.endsWith('-recovery-prepare-restore'));
    expect(prepared.length).toBe(4);
    for (const i of prepared) expect(i.input).toMatchObject({ restoreVaultName: 'acme-air-gapped', backupVaultAccountId: '111111111111' });
    // EBS volumes restored from the shared vault carry the recovery point's tags and get attached.
    expect(r.volumes.length).toBeGreaterThan(0);
    for (const v of r.volumes) expect(v).toMatchObject({ attaches: 1, ok: true });
  });

  it('both: a fresh DR copy is restored as before, a resource whose DR copy is stale is restored in place from the shared vault instead of copied', async () => {
    const r = await runRehearsal({ config: withKind('both'), resources: 6, seed: 4, slowCopy: true, types: TYPES });
    expect(failedChecks(r)).toEqual([]);
    const sources = r.restores.map((j) => vaultOf(r, j.recoveryPointArn));
    expect(sources).toContain('dr');
    expect(sources).toContain('airGapped');
    expect(sources).not.toContain('central');
    // The central vault was listed (as the copy-starter role) but nothing had to be copied.
    expect(r.model.stats.byAction.get('sts:assumeRole')).toBeGreaterThan(0);
    expect(r.model.copyJobs.size).toBe(0);
    expect(r.states.CopyToRestoreVault).toBeUndefined();
  });

  it('locked, with the same stale DR copies: copies from the central vault as before', async () => {
    const r = await runRehearsal({ config: withKind('locked'), resources: 6, seed: 4, slowCopy: true, types: TYPES });
    expect(failedChecks(r)).toEqual([]);
    expect(r.model.copyJobs.size).toBeGreaterThan(0);
    expect(r.restores.map((j) => vaultOf(r, j.recoveryPointArn))).not.toContain('airGapped');
  });
});
