import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CONFIG_PATH, loadConfig, parseConfig } from '../../config/load';
import { RECOVERY_STEPS } from '../../modules/recovery/definition';
import { escapeMermaid, estateDiagram, estateMarkdown } from '../../scripts/diagram/estate-diagram';
import { runScript } from '../helpers/run-script';

const THREE_WORKLOADS = path.join(__dirname, '..', 'fixtures', 'three-workloads.json');

const ID = '[A-Z][A-Za-z0-9_]*';
const LABEL = '"[^"]*"';
const LINE_FORMS: RegExp[] = [
  /^flowchart LR$/,
  /^direction TB$/,
  /^end$/,
  new RegExp(`^subgraph (${ID})\\[(${LABEL})\\]$`),
  new RegExp(`^(${ID})\\[(${LABEL})\\]$`),
  new RegExp(`^(${ID})\\[\\((${LABEL})\\)\\]$`),
  new RegExp(`^(${ID})\\{\\{(${LABEL})\\}\\}$`),
  new RegExp(`^(${ID}) --> (${ID})$`),
  new RegExp(`^(${ID}) -\\.?->\\|(${LABEL})\\| (${ID})$`),
];

/** Label text with its line breaks and entity codes removed: what must not hold a Mermaid-breaking character. */
const residue = (quoted: string) =>
  quoted
    .slice(1, -1)
    .replace(/<br\/>/g, '')
    .replace(/#(?:\d+|[a-z]+);/g, '');

/**
 * A structural check of the generated flowchart (no Mermaid parser is available offline): every line
 * is one of the forms the generator emits, labels are quoted and hold no raw quote, bracket, brace,
 * parenthesis, pipe, angle bracket, `#`, `&`, `;` or control character, subgraphs are balanced, IDs are
 * defined once and every edge joins defined IDs.
 */
function checkMermaid(source: string): { nodes: Set<string>; subgraphs: string[] } {
  const nodes = new Set<string>();
  const subgraphs: string[] = [];
  const edges: [string, string][] = [];
  let depth = 0;
  for (const raw of source.trimEnd().split('\n')) {
    const line = raw.trim();
    const form = LINE_FORMS.findIndex((re) => re.test(line));
    if (form < 0) throw new Error(`not a recognised Mermaid line: ${line}`);
    const m = LINE_FORMS[form].exec(line)!;
    if (line.startsWith('subgraph ')) {
      depth++;
      subgraphs.push(m[1]);
    }
    if (line === 'end') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
    if (form >= 3 && form <= 6) {
      if (nodes.has(m[1])) throw new Error(`ID defined twice: ${m[1]}`);
      nodes.add(m[1]);
    }
    if (form === 7) edges.push([m[1], m[2]]);
    if (form === 8) edges.push([m[1], m[3]]);
    for (const label of line.match(/"[^"]*"/g) ?? []) {
      expect(residue(label)).not.toMatch(/["[\]{}()|<>#&;`\u0000-\u001f]/);
    }
  }
  expect(depth).toBe(0);
  for (const [from, to] of edges) {
    expect(nodes).toContain(from);
    expect(nodes).toContain(to);
  }
  return { nodes, subgraphs };
}

/** Each fragment stands in the diagram; a test lists what one part of the estate must draw. */
function expectFragments(source: string, fragments: string[]): void {
  for (const fragment of fragments) expect(source).toContain(fragment);
}

describe('estateDiagram', () => {
  const example = estateDiagram(loadConfig(EXAMPLE_CONFIG_PATH));
  const three = estateDiagram(loadConfig(THREE_WORKLOADS));

  it('draws the example: accounts, vaults, lock mode', () => {
    expect(example.startsWith('flowchart LR\n')).toBe(true);
    expectFragments(example, [
      'subgraph Acct_workload_shop["workload account 333333333333 · ap-northeast-2 · stack workload-shop"]',
      'subgraph Acct_backup_vault["backup-vault account 111111111111 · ap-northeast-1 · stack backup-vault"]',
      'subgraph Acct_dr["DR account 222222222222 · ap-northeast-1 · stack dr"]',
    ]);
    expect(example).not.toContain('management account');
    expectFragments(example, [
      'Vault_local_shop[("local vault acme-shop-local',
      'Vault_central_ap_northeast_1[("central vault acme-central<br/>ap-northeast-1 · recovery region<br/>Vault Lock governance, retention 7-3650 days',
      'Vault_dr_restore[("restore vault acme-dr-restore',
      'selection backup-plan=shop',
      'rule daily: cron#40;0 17 * * ? *#41;, kept 120 days, cold after 30 days',
    ]);
    expect(example.match(/Vault_central_/g)?.length).toBeGreaterThan(0);
    expect(example).not.toContain('primaryRegionCopy');
  });

  it('draws the copy paths with their retention: every rule to the central vault, the recovery copy to DR', () => {
    expect(example).toContain('Vault_local_shop -->|"copy, rule daily<br/>kept 90 days"| Vault_central_ap_northeast_1');
    expect(example).toContain('Vault_central_ap_northeast_1 -->|"copy by the recovery, CopyToRestoreVault<br/>via acme-central-copy-starter, kept 35 days"| Vault_dr_restore');
  });

  it('draws the event flows: forwarding rules → DR bus → on-call / recovery rule → state machine', () => {
    expectFragments(example, [
      'forwarding rules in ap-northeast-2: acme-health-ebs, acme-health-ec2, acme-health-rds, acme-health-s3, acme-failed-backup-jobs, acme-alarms',
      'Fwd_workload_shop -->|"PutEvents as acme-event-forwarder"| Bus_dr',
      'Fwd_backup_vault -->|"PutEvents as acme-event-forwarder"| Bus_dr',
      'Bus_dr{{"event bus dr-events',
      'Bus_dr --> Rule_incidents',
      'Rule_incidents --> Topic_on_call',
      'Bus_dr --> Rule_recovery_worthy',
      'Rule_recovery_worthy -->|"StartExecution as acme-recovery-events"| Sm_recovery',
    ]);
  });

  it('lists the state machine steps in RECOVERY_STEPS order, chained', () => {
    const positions = RECOVERY_STEPS.map((step, i) => example.indexOf(`Step_${step}["${i + 1}. ${step}`));
    positions.forEach((p) => expect(p).toBeGreaterThan(0));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (let i = 1; i < RECOVERY_STEPS.length; i++) expect(example).toContain(`Step_${RECOVERY_STEPS[i - 1]} --> Step_${RECOVERY_STEPS[i]}`);
    expect(example.indexOf('subgraph Sm_recovery["state machine acme-recovery"]')).toBeLessThan(positions[0]);
  });

  it('draws the three-workload estate: 3 workload accounts in 2 regions, the extra central vaults, the management account', () => {
    const accounts = three.match(/subgraph Acct_workload_\w+\["workload account (\d{12}) · ([a-z0-9-]+) ·/g) ?? [];
    expect(accounts).toHaveLength(3);
    expect(new Set(accounts.map((a) => /· ([a-z0-9-]+) ·/.exec(a)![1]))).toEqual(new Set(['ap-northeast-2', 'us-east-1']));
    for (const id of ['333333333333', '444444444444', '555555555555']) expect(three).toContain(`workload account ${id}`);
    expectFragments(three, [
      'Vault_central_ap_northeast_1[("central vault acme-central<br/>ap-northeast-1 · recovery region<br/>Vault Lock compliance, irreversible after 3 days',
      'Vault_central_ap_northeast_2[("central vault acme-central<br/>ap-northeast-2 · workload region, primaryRegionCopy',
      'Vault_central_us_east_1[("central vault acme-central<br/>us-east-1 · workload region, primaryRegionCopy',
    ]);
    expect(three.match(/\[\("central vault/g)).toHaveLength(3);
    // Each rule copies to the recovery-region vault and to the vault of the workload's own region.
    expectFragments(three, [
      'Vault_local_shop -->|"copy, rule pitr<br/>kept 14 days"| Vault_central_ap_northeast_1',
      'Vault_local_shop -->|"copy, rule pitr<br/>kept 14 days"| Vault_central_ap_northeast_2',
      'Vault_local_analytics -->|"copy, rule weekly<br/>kept 400 days, cold after 30 days"| Vault_central_us_east_1',
    ]);
    expect(three).not.toContain('Vault_local_analytics -->|"copy, rule weekly<br/>kept 400 days, cold after 30 days"| Vault_central_ap_northeast_2');
    expect(three.match(/ -->\|"copy, rule/g)).toHaveLength(8);
    // Only the recovery-region vault feeds the DR restore vault.
    expect(three.match(/-->\|"copy by the recovery/g)).toHaveLength(1);
    expectFragments(three, [
      'subgraph Acct_management["management account 999999999999 · stack organization"]',
      'isCrossAccountBackupEnabled in ap-northeast-1, ap-northeast-2, us-east-1',
      'Bus_dr{{"event bus acme-dr<br/>archive acme-incidents, 90 days"}}',
      'in us-east-1: acme-health-global-iam',
      'forwarding rules in us-east-1: acme-health-ebs, acme-health-ec2, acme-health-rds, acme-health-s3, acme-failed-backup-jobs, acme-alarms, acme-health-global-iam',
      'alarms acme-shop-errors, acme-shop-latency #40;triggers recovery#41;',
      'e-mail dr-oncall@example.com',
    ]);
  });

  describe('centralVault.kind and restore testing', () => {
    /** The example (or the three-workload fixture) with another central vault kind and, optionally, restore testing removed. */
    const variant = (file: string, kind: 'locked' | 'airGapped' | 'both', restoreTesting = true): string => {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        accounts: { backupVault: { primaryRegionCopy?: boolean } };
        centralVault?: { kind: string };
        workloads: { restoreTesting?: unknown }[];
      };
      raw.centralVault = { kind };
      // primaryRegionCopy keeps locked vaults in the workload regions: the configuration rejects it with airGapped.
      if (kind === 'airGapped') delete raw.accounts.backupVault.primaryRegionCopy;
      if (!restoreTesting) for (const w of raw.workloads) delete w.restoreTesting;
      return estateDiagram(parseConfig(raw));
    };
    const AIR_GAPPED_NODE = 'Vault_air_gapped[("logically air-gapped vault acme-air-gapped<br/>ap-northeast-1 · recovery region<br/>compliance lock, retention 7-3650 days<br/>AWS-owned key';
    const RAM_EDGE = 'Vault_air_gapped -->|"AWS RAM share: restore in place<br/>share acme-air-gapped-vault"| Sm_recovery';
    const COPY_TO_AIR_GAPPED = 'Vault_local_shop -->|"copy, rule daily<br/>kept 90 days"| Vault_air_gapped';
    const COPY_TO_CENTRAL = 'Vault_local_shop -->|"copy, rule daily<br/>kept 90 days"| Vault_central_ap_northeast_1';

    it('both (the example): the locked central vault and the air-gapped vault, a copy to each, the RAM share to the recovery', () => {
      expect(variant(EXAMPLE_CONFIG_PATH, 'both')).toBe(example);
      expectFragments(example, [
        AIR_GAPPED_NODE,
        'AWS RAM share acme-air-gapped-vault with the DR account")]',
        'Vault_central_ap_northeast_1[("central vault acme-central',
        COPY_TO_CENTRAL,
        COPY_TO_AIR_GAPPED,
        RAM_EDGE,
        'Role_copy_starter["role acme-central-copy-starter',
        'Sm_recovery -.->|"sts:AssumeRole"| Role_copy_starter',
        'Vault_central_ap_northeast_1 -->|"copy by the recovery, CopyToRestoreVault',
        'Step_CopyToRestoreVault["3. CopyToRestoreVault<br/>central vault to DR restore vault"]',
      ]);
    });

    it('locked: no air-gapped vault, no RAM share', () => {
      const locked = variant(EXAMPLE_CONFIG_PATH, 'locked');
      expect(locked).not.toContain('Vault_air_gapped');
      expect(locked).not.toContain('air-gapped');
      expect(locked).not.toContain('AWS RAM');
      expectFragments(locked, [
        COPY_TO_CENTRAL,
        'Sm_recovery -.->|"sts:AssumeRole"| Role_copy_starter',
        'Vault_central_ap_northeast_1 -->|"copy by the recovery, CopyToRestoreVault',
      ]);
      expect(locked.match(/ -->\|"copy, rule/g)).toHaveLength(1);
      checkMermaid(locked);
    });

    it('airGapped: only the air-gapped vault, no locked vault or copy-starter role, restores in place', () => {
      const airGapped = variant(EXAMPLE_CONFIG_PATH, 'airGapped');
      expectFragments(airGapped, [
        AIR_GAPPED_NODE,
        COPY_TO_AIR_GAPPED,
        RAM_EDGE,
      ]);
      expect(airGapped).not.toContain('Vault_central_');
      expect(airGapped).not.toContain('central vault acme-central');
      expect(airGapped).not.toContain('Role_copy_starter');
      expect(airGapped).not.toContain('copy-starter');
      expect(airGapped).not.toContain('copy by the recovery');
      expect(airGapped).toContain('Step_CopyToRestoreVault["3. CopyToRestoreVault<br/>nothing to copy: restores in place from the air-gapped vault"]');
      expect(airGapped).toContain('Fwd_backup_vault["forwarding rules in ap-northeast-1: ');
      expect(airGapped.match(/ -->\|"copy, rule/g)).toHaveLength(1);
      checkMermaid(airGapped);
      // Workloads in several regions: every rule copies to the one air-gapped vault, in the recovery region.
      const threeAirGapped = variant(THREE_WORKLOADS, 'airGapped');
      expect(threeAirGapped).not.toContain('Vault_central_');
      expect(threeAirGapped.match(/ -->\|"copy, rule [^|]*\| Vault_air_gapped$/gm)).toHaveLength(4);
      expect(threeAirGapped.match(/ -->\|"copy, rule/g)).toHaveLength(4);
      checkMermaid(threeAirGapped);
    });

    it('restore testing: plan names and validate-restore when a workload has restoreTesting, none otherwise', () => {
      expect(example).toContain(
        'RestoreTesting_dr["AWS Backup restore testing<br/>plan acme_shop_restore_test: cron#40;0 5 ? * SUN *#41;, EBS, RDS, DynamoDB, S3, validation 4 h<br/>validated by acme-validate-restore<br/>from acme-dr-restore, acme-air-gapped"]',
      );
      expect(example).toContain('RestoreTesting_dr -->|"failed tests, rule acme-restore-test-failed"| Bus_dr');
      expect(variant(EXAMPLE_CONFIG_PATH, 'locked')).toContain('<br/>from acme-dr-restore"]');
      const off = variant(EXAMPLE_CONFIG_PATH, 'both', false);
      expect(off).not.toContain('RestoreTesting_dr');
      expect(off).not.toContain('restore_test');
      expect(off).not.toContain('validate-restore');
      expect(three).not.toContain('RestoreTesting_dr');
      checkMermaid(off);
    });

    it('the readiness checker in the DR account for every kind: schedule, report bucket, alarms to on-call', () => {
      for (const source of [example, variant(EXAMPLE_CONFIG_PATH, 'locked'), variant(EXAMPLE_CONFIG_PATH, 'airGapped', false)]) {
        expect(source).toContain(
          'Fn_readiness_checker["daily readiness checker acme-recovery-readiness-checker<br/>schedule cron#40;0 6 * * ? *#41; UTC<br/>reports to s3 acme-dr-readiness-222222222222-ap-northeast-1<br/>alarms acme-readiness-shop"]',
        );
        expect(source).toContain('Fn_readiness_checker -->|"alarms when not ready"| Topic_on_call');
      }
      expect(three).toContain('alarms acme-readiness-analytics, acme-readiness-billing, acme-readiness-shop"]');
    });
  });

  it('is deterministic, whatever the order of the workloads', () => {
    expect(estateDiagram(loadConfig(THREE_WORKLOADS))).toBe(three);
    const raw = JSON.parse(JSON.stringify(loadConfig(THREE_WORKLOADS))) as { workloads: unknown[] };
    raw.workloads.reverse();
    expect(estateDiagram(parseConfig(raw))).toBe(three);
  });

  it('emits only Mermaid-safe IDs, balanced subgraphs and escaped labels', () => {
    for (const source of [example, three]) {
      const { nodes, subgraphs } = checkMermaid(source);
      expect(nodes.size).toBeGreaterThan(10);
      expect(subgraphs).toContain('Sm_recovery');
    }
  });

  it('escapes every character that breaks a quoted Mermaid label', () => {
    const hostile = 'a"b[c]{d}(e)|f<g>h#i&j;k`l\nm\u2028n ü 🚀';
    const escaped = escapeMermaid(hostile);
    expect(escaped).not.toMatch(/["[\]{}()|<>`\n\u2028]/);
    expect(escaped.replace(/#(?:\d+|[a-z]+);/g, '')).not.toMatch(/[#&;]/);
    const decoded = escaped.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/#quot;/g, '"').replace(/#lt;/g, '<').replace(/#gt;/g, '>');
    expect(decoded).toBe('a"b[c]{d}(e)|f<g>h#i&j;k`l m n ü 🚀');
  });

  it('wraps the diagram in a Markdown mermaid block', () => {
    const md = estateMarkdown(loadConfig(EXAMPLE_CONFIG_PATH), 'config/example.json');
    expect(md).toContain('```mermaid\nflowchart LR\n');
    expect(md.trimEnd().endsWith('```')).toBe(true);
    expect(md).toContain(example.trimEnd());
  });
});

describe('npm run diagram', () => {
  it('writes the Markdown page of DR_CONFIG to --out', () => {
    const root = path.resolve(__dirname, '..', '..');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dr-diagram-')), 'docs', 'estate.md');
    const r = runScript('scripts/diagram.ts', ['--out', out], { DR_CONFIG: THREE_WORKLOADS });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(estateMarkdown(loadConfig(THREE_WORKLOADS), path.relative(root, THREE_WORKLOADS)));
  });
});
