import { runRehearsal, type RehearsalOptions } from '../../rehearsal/machine';
import { statedReason, statementUses, UNEXERCISED_STATEMENTS, type StatementUse } from '../../rehearsal/minimality';
import { exampleInput, synthEstate } from '../helpers/synth';

/**
 * Least privilege, both ways: the mutation suite (authorization.test.ts) shows that what the recovery
 * needs is granted; this shows that what is granted is needed. For each role the recovery uses, every
 * statement of its policy is needed by a request of some scenario of the estate (removing it denies
 * that request, which fails the scenario), or carries a stated reason in rehearsal/minimality.ts.
 */
const ALL_TYPES = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'EFS', 'S3'] as const;
const ESTATES: { kind: 'both' | 'locked' | 'airGapped'; scenarios: Partial<RehearsalOptions>[] }[] = [
  { kind: 'both', scenarios: [{ trigger: 'event' }, { mode: 'drill', resources: 12, types: ALL_TYPES }] },
  { kind: 'locked', scenarios: [{ slowCopy: true, trigger: 'event' }, { slowCopy: true, mode: 'drill', resources: 12, types: ALL_TYPES }] },
  { kind: 'airGapped', scenarios: [{ resources: 12, types: ALL_TYPES, trigger: 'event' }, { mode: 'drill', resources: 12, types: ALL_TYPES }] },
];
const RECOVERY_ROLES = ['recovery-orchestrator', 'recovery-locate-recovery-points', 'recovery-prepare-restore', 'attach-restored-volume', 'recovery-report-recovery', 'recovery-cleanup-drill'];
const isFunction = (role: string) => !/recovery-orchestrator$|central-copy-starter$/.test(role);

const results: Record<string, StatementUse[]> = {};

beforeAll(async () => {
  for (const estate of ESTATES) {
    const config = { ...exampleInput(), centralVault: { kind: estate.kind } };
    const synthDir = synthEstate(config);
    const runs = [];
    for (const scenario of estate.scenarios) runs.push(await runRehearsal({ config, synthDir, seed: 2, ...scenario }));
    for (const r of runs) expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    const evaluations = runs.flatMap((r) => r.model.authorizer.evaluations);
    const roles = [...new Set(evaluations.map((e) => e.principal))].filter((p) => /^arn:aws:iam::\d{12}:role\/acme-/.test(p)).sort();
    for (const name of RECOVERY_ROLES) expect(roles).toContain(`arn:aws:iam::222222222222:role/acme-${name}`);
    results[estate.kind] = await statementUses(runs[0].synthesized.policies, roles, evaluations, (role, sid) => statedReason('acme', role, sid, isFunction(role)));
  }
}, 600_000);

const label = (u: StatementUse) => `${u.role.split('/').pop()} ${u.sid}`;

describe.each(ESTATES.map((e) => e.kind))('every statement of the recovery roles is needed or has a stated reason (centralVault.kind %s)', (kind) => {
  it('lists the needed statements with the request that needs each', () => {
    const needed = results[kind].filter((u) => u.needed);
    expect(needed.length).toBeGreaterThan(20);
    for (const u of needed) expect(u.needed).toEqual({ step: expect.any(String), action: expect.stringMatching(/^[a-z0-9-]+:[A-Za-z]+$/), resource: expect.any(String) });
  });

  it('every other statement carries a stated reason', () => {
    const unexplained = results[kind].filter((u) => !u.needed && !u.reason).map(label);
    expect(unexplained).toEqual([]);
  });
});

it('no stated reason is stale: each names a statement that some estate does not need', () => {
  const all = Object.values(results).flat();
  const explainedSomewhere = new Set(all.filter((u) => !u.needed && u.reason).map((u) => `${u.role.split('/').pop()?.slice('acme-'.length)} ${u.sid}`));
  for (const [role, reasons] of Object.entries(UNEXERCISED_STATEMENTS)) {
    for (const sid of Object.keys(reasons)) {
      const used = [...explainedSomewhere].some((k) => (role === '*function*' ? k.endsWith(` ${sid}`) : k === `${role} ${sid}`));
      expect({ role, sid, used }).toEqual({ role, sid, used: true });
    }
  }
});
