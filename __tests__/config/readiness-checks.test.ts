import * as path from 'path';
import { parseConfig } from '../../config/load';
import { mostFrequentRule, rpoIssues, restoreTestingIssues } from '../../config/semantic-checks';
import { FIXTURES, readJson } from '../helpers/synth';
import { expectNothingWritten, issuesOf } from '../helpers/config-rejection';
import { mutated, type Mutable } from '../helpers/mutated-example';

const weekly = { name: 'weekly', schedule: 'cron(0 3 ? * SUN *)', retentionDays: 120, copyRetentionDays: 90 };

describe('targets.rpoMinutes against the backup schedule', () => {
  const cases: [string, (c: Mutable) => void, RegExp[]][] = [
    [
      'an RPO shorter than a daily schedule',
      (c) => (c.workloads[0].targets = { rpoMinutes: 60 }),
      [/^is 60 minutes but the most frequent backup rule, workloads\[0\]\.backup\.rules\[0\]\.schedule "cron\(0 17 \* \* \? \*\)", runs at worst every 1440 minutes \(24 h\)/, /more frequent schedule/, /continuous rule/, /raise targets\.rpoMinutes to at least 1440/],
    ],
    [
      'the default RPO (1440) with a weekly schedule',
      (c) => (c.workloads[0].backup.rules = [weekly]),
      [/^is 1440 minutes \(the default: targets\.rpoMinutes is not set\) but .*rules\[0\]\.schedule "cron\(0 3 \? \* SUN \*\)", runs at worst every 10080 minutes \(7 days\)/],
    ],
    [
      'weekdays only against a 2-day RPO: the weekend gap is 3 days',
      (c) => {
        c.workloads[0].backup.rules[0].schedule = 'cron(0 17 ? * MON-FRI *)';
        c.workloads[0].targets = { rpoMinutes: 2880 };
      },
      [/runs at worst every 4320 minutes \(3 days\)/],
    ],
    [
      'an RPO under 5 minutes even with a continuous rule',
      (c) => {
        c.workloads[0].backup.rules.push({ name: 'pitr', schedule: 'cron(0 * * * ? *)', retentionDays: 14, copyRetentionDays: 14, continuous: true });
        c.workloads[0].targets = { rpoMinutes: 2 };
      },
      [/^is 2 minutes but even continuous backup \(workloads\[0\]\.backup\.rules\[1\]\.continuous\)/],
    ],
  ];

  it.each(cases)('rejects %s at workloads[0].targets.rpoMinutes, naming the rule, and writes nothing', (_what, mutate, messages) => {
    const cfg = mutated(mutate);
    const atPath = issuesOf(cfg).filter((i) => i.path === 'workloads[0].targets.rpoMinutes');
    expect(atPath).toHaveLength(1);
    expect(atPath[0].code).toBe('rpo-not-met');
    for (const m of messages) expect(atPath[0].message).toMatch(m);
    expectNothingWritten(cfg);
  });

  it.each([
    ['an RPO equal to the schedule interval', (c: Mutable) => (c.workloads[0].targets = { rpoMinutes: 1440 })],
    ['a short RPO met by a continuous rule', (c: Mutable) => {
      c.workloads[0].backup.rules.push({ name: 'pitr', schedule: 'cron(0 5 ? * SUN *)', retentionDays: 14, copyRetentionDays: 14, continuous: true });
      c.workloads[0].targets = { rpoMinutes: 15 };
    }],
    ['a weekly rule with a daily one: the most frequent counts', (c: Mutable) => c.workloads[0].backup.rules.push(weekly)],
    ['rate(12 hours) against a 12-hour RPO', (c: Mutable) => {
      c.workloads[0].backup.rules[0].schedule = 'rate(12 hours)';
      c.workloads[0].targets = { rpoMinutes: 720 };
    }],
  ])('accepts %s', (_what, mutate) => {
    expect(() => parseConfig(mutated(mutate))).not.toThrow();
  });

  it('accepts the fixtures: the weekly analytics workload states a 7-day RPO', () => {
    const cfg = parseConfig(readJson(path.join(FIXTURES, 'three-workloads.json')));
    expect(cfg.workloads.map((w) => w.targets.rpoMinutes)).toEqual([1440, 1440, 10080]);
  });

  it('skips rules whose schedule the shape check rejects, and reports nothing for them', () => {
    const issues = issuesOf(mutated((c) => (c.workloads[0].backup.rules[0].schedule = 'daily')));
    expect(issues.map((i) => i.path)).toEqual(['workloads[0].backup.rules[0].schedule']);
    expect(mostFrequentRule([{ schedule: 'daily' }])).toBeUndefined();
    expect(rpoIssues({ workloads: [{ targets: { rpoMinutes: 'x' }, backup: { rules: [weekly] } }] })).toEqual([]);
  });
});

describe('restoreTesting.resourceTypes against backup.resourceTypes', () => {
  it('rejects a tested type that is not backed up, at its index, and writes nothing', () => {
    const cfg = mutated((c) => {
      c.workloads[0].backup.resourceTypes = ['EBS', 'S3'];
      c.workloads[0].restoreTesting = { resourceTypes: ['EBS', 'RDS'] };
    });
    const issues = issuesOf(cfg).filter((i) => i.path.startsWith('workloads[0].restoreTesting'));
    expect(issues).toEqual([
      {
        path: 'workloads[0].restoreTesting.resourceTypes[1]',
        code: 'restore-testing-type-not-backed-up',
        message: expect.stringMatching(/^includes "RDS", which is not in workloads\[0\]\.backup\.resourceTypes \(EBS, S3\): .*Add RDS to backup\.resourceTypes or remove it from restoreTesting\.resourceTypes$/),
      },
    ]);
    expectNothingWritten(cfg);
  });

  it('checks the default tested types against the configured backup types', () => {
    const issues = restoreTestingIssues({ workloads: [{ backup: { resourceTypes: ['S3', 'EFS'] }, restoreTesting: {} }] });
    expect(issues.map((i) => [i.path, i.message.match(/"(\w+)"/)?.[1]])).toEqual([
      ['workloads[0].restoreTesting.resourceTypes', 'EBS'],
      ['workloads[0].restoreTesting.resourceTypes', 'RDS'],
      ['workloads[0].restoreTesting.resourceTypes', 'DynamoDB'],
    ]);
    expect(issues[0].message).toMatch(/^\(default EBS, RDS, DynamoDB, S3\) includes "EBS"/);
  });

  it('accepts tested types within the default backup types', () => {
    expect(() => parseConfig(mutated((c) => (c.workloads[0].restoreTesting = { resourceTypes: ['EBS', 'Aurora'] })))).not.toThrow();
  });
});

describe('the air-gapped vault', () => {
  it.each([
    ['airGapped', /the air-gapped vault's retention range \(vaultLock\.minRetentionDays\) requires at least 30/],
    ['both', /the central vault's lock \(and the air-gapped vault's retention range\) \(vaultLock\.minRetentionDays\) requires at least 30/],
    ['locked', /the central vault's lock \(vaultLock\.minRetentionDays\) requires at least 30/],
  ])('kind %s: copy retention below vaultLock.minRetentionDays names the vault that rejects the copy', (kind, message) => {
    const cfg = mutated((c) => {
      c.centralVault = { kind };
      c.vaultLock.minRetentionDays = 30;
      c.workloads[0].backup.rules[0].copyRetentionDays = 14;
    });
    const issues = issuesOf(cfg).filter((i) => i.path === 'workloads[0].backup.rules[0].copyRetentionDays');
    expect(issues).toEqual([{ path: 'workloads[0].backup.rules[0].copyRetentionDays', code: 'copy-retention-outside-lock', message: expect.stringMatching(message) }]);
    expectNothingWritten(cfg);
  });

  it('copy retention above vaultLock.maxRetentionDays with kind airGapped', () => {
    const cfg = mutated((c) => {
      c.centralVault = { kind: 'airGapped' };
      c.vaultLock.maxRetentionDays = 60;
    });
    const issues = issuesOf(cfg).filter((i) => i.path === 'workloads[0].backup.rules[0].copyRetentionDays');
    expect(issues.map((i) => i.message)).toEqual([expect.stringMatching(/is 90 days but the air-gapped vault's retention range \(vaultLock\.maxRetentionDays\) allows at most 60; copy jobs would fail/)]);
  });

  it('accepts governance mode with kind airGapped (the air-gapped vault is compliance mode regardless)', () => {
    expect(() => parseConfig(mutated((c) => (c.centralVault = { kind: 'airGapped' })))).not.toThrow();
  });
});

describe('readiness.schedule', () => {
  const { parseConfig } = require('../../config/load') as typeof import('../../config/load');
  const base = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, '../../config/example.json'), 'utf8'));

  it('accepts a daily schedule', () => {
    expect(() => parseConfig({ ...base, readiness: { schedule: 'cron(0 6 * * ? *)' } })).not.toThrow();
  });

  it('rejects a weekly schedule, naming the field and the limit', () => {
    expect(() => parseConfig({ ...base, readiness: { schedule: 'cron(0 6 ? * MON *)' } })).toThrow(/readiness\.schedule[\s\S]*7 days/);
  });

  it('rejects a malformed expression with the schedule checker\'s reason', () => {
    expect(() => parseConfig({ ...base, readiness: { schedule: 'cron(0 25 * * ? *)' } })).toThrow(/readiness\.schedule[\s\S]*hours/);
  });
});
