import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CONFIG_PATH, loadConfig, parseConfig } from '../../config/load';
import type { EstateConfig } from '../../config/schema';
import { ManifestError, workspaceManifest, type WorkspaceManifest } from '../../scripts/workspaces/manifest';
import { runScript } from '../helpers/run-script';

const ROOT = path.resolve(__dirname, '..', '..');
const THREE_WORKLOADS = path.join(ROOT, '__tests__', 'fixtures', 'three-workloads.json');

function estateWithWorkloads(count: number): EstateConfig {
  const raw = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
  // Listed in reverse so that the manifest's sorting is what puts them in order.
  raw.workloads = Array.from({ length: count }, (_, k) => {
    const i = count - k;
    const accountId = String(400000000000 + i);
    const name = `app-${String(i).padStart(3, '0')}`;
    return {
      name,
      accountId,
      roleArn: `arn:aws:iam::${accountId}:role/terraform-dr`,
      backup: { selectionTag: { key: 'backup-plan', value: name }, rules: [{ name: 'daily', schedule: 'cron(0 17 * * ? *)', retentionDays: 35, copyRetentionDays: 90 }] },
    };
  });
  return parseConfig(raw);
}

/** The config with terraformCloud fields the schema may or may not know yet. */
function withTerraformCloud(config: EstateConfig, extra: Record<string, unknown>): EstateConfig {
  return { ...config, terraformCloud: { ...config.terraformCloud!, ...extra } } as EstateConfig;
}

const byStack = (m: WorkspaceManifest) => Object.fromEntries(m.workspaces.map((w) => [w.stack, w]));

describe('workspaceManifest', () => {
  it('lists the example estate: backup-vault (wave 1), dr (2), workload-shop (3)', () => {
    const m = workspaceManifest(loadConfig(EXAMPLE_CONFIG_PATH));
    expect(m.estate).toBe('acme');
    expect(m.organization).toBe('acme');
    expect(m.project).toBe('disaster-recovery');
    expect(m.executionMode).toBe('remote');
    expect(m.waveSize).toBe(25);
    expect(m.workspaces).toEqual([
      {
        stack: 'backup-vault',
        workspace: 'dr-backup-vault',
        organization: 'acme',
        project: 'disaster-recovery',
        role: 'backup-vault',
        wave: 1,
        tags: ['dr', 'estate:acme', 'role:backup-vault', 'wave:1'],
        executionMode: 'remote',
        workingDirectory: 'cdktf.out/stacks/backup-vault',
      },
      {
        stack: 'dr',
        workspace: 'dr-dr',
        organization: 'acme',
        project: 'disaster-recovery',
        role: 'dr',
        wave: 2,
        tags: ['dr', 'estate:acme', 'role:dr', 'wave:2'],
        executionMode: 'remote',
        workingDirectory: 'cdktf.out/stacks/dr',
      },
      {
        stack: 'workload-shop',
        workspace: 'dr-workload-shop',
        organization: 'acme',
        project: 'disaster-recovery',
        role: 'workload',
        workload: 'shop',
        wave: 3,
        tags: ['dr', 'estate:acme', 'role:workload', 'wave:3'],
        executionMode: 'remote',
        workingDirectory: 'cdktf.out/stacks/workload-shop',
      },
    ]);
    expect(m.waves).toEqual([
      { wave: 1, workspaces: ['dr-backup-vault'] },
      { wave: 2, workspaces: ['dr-dr'] },
      { wave: 3, workspaces: ['dr-workload-shop'] },
    ]);
  });

  it('lists the three-workload estate: organization in wave 0, workloads sorted by name in wave 3', () => {
    const m = workspaceManifest(loadConfig(THREE_WORKLOADS));
    expect(m.workspaces.map((w) => [w.workspace, w.wave])).toEqual([
      ['dr-organization', 0],
      ['dr-backup-vault', 1],
      ['dr-dr', 2],
      ['dr-workload-analytics', 3],
      ['dr-workload-billing', 3],
      ['dr-workload-shop', 3],
    ]);
    expect(byStack(m).organization.tags).toEqual(['dr', 'estate:acme', 'role:organization', 'wave:0']);
    expect(byStack(m).organization.role).toBe('organization');
    expect(m.workspaces.every((w) => w.workingDirectory === `cdktf.out/stacks/${w.stack}`)).toBe(true);
  });

  it('puts 200 workloads in 8 waves of 25 (waves 3-10), sorted by name', () => {
    const m = workspaceManifest(estateWithWorkloads(200));
    const workloads = m.workspaces.filter((w) => w.role === 'workload');
    expect(workloads).toHaveLength(200);
    expect(workloads.map((w) => w.workload)).toEqual(Array.from({ length: 200 }, (_, i) => `app-${String(i + 1).padStart(3, '0')}`));
    const waves = m.waves.filter((w) => w.wave >= 3);
    expect(waves.map((w) => w.wave)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(waves.every((w) => w.workspaces.length === 25)).toBe(true);
    expect(waves[0].workspaces[0]).toBe('dr-workload-app-001');
    expect(waves[7].workspaces[24]).toBe('dr-workload-app-200');
    expect(byStack(m)['workload-app-026'].wave).toBe(4);
    expect(byStack(m)['workload-app-026'].tags).toContain('wave:4');
    expect(m.waves.map((w) => w.wave)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(m.workspaces.map((w) => w.workspace)).size).toBe(202);
  });

  it('honours the wave size', () => {
    const config = estateWithWorkloads(200);
    expect(workspaceManifest(config, { waveSize: 10 }).waves.filter((w) => w.wave >= 3)).toHaveLength(20);
    expect(workspaceManifest(config, { waveSize: 200 }).waves.filter((w) => w.wave >= 3)).toHaveLength(1);
    expect(workspaceManifest(config, { waveSize: 30 }).waves.at(-1)).toEqual({ wave: 9, workspaces: Array.from({ length: 20 }, (_, i) => `dr-workload-app-${181 + i}`) });
    for (const bad of [0, -1, 2.5, Number.NaN]) expect(() => workspaceManifest(config, { waveSize: bad })).toThrow(ManifestError);
  });

  it('reads terraformCloud.executionMode and .tags when present, and checks them', () => {
    const config = loadConfig(EXAMPLE_CONFIG_PATH);
    const m = workspaceManifest(withTerraformCloud(config, { executionMode: 'agent', tags: ['team:platform', 'dr'] }));
    expect(m.executionMode).toBe('agent');
    expect(m.workspaces.every((w) => w.executionMode === 'agent')).toBe(true);
    expect(byStack(m).dr.tags).toEqual(['dr', 'estate:acme', 'role:dr', 'wave:2', 'team:platform']);
    expect(() => workspaceManifest(withTerraformCloud(config, { executionMode: 'cloud' }))).toThrow(/terraformCloud\.executionMode/);
    expect(() => workspaceManifest(withTerraformCloud(config, { tags: ['Bad Tag'] }))).toThrow(/terraformCloud\.tags\[0\]/);
    expect(() => workspaceManifest(withTerraformCloud(config, { tags: 'dr' }))).toThrow(/terraformCloud\.tags/);
  });

  it('carries hostname, leaves out an absent project, and uses the stacks directory given', () => {
    const config = loadConfig(EXAMPLE_CONFIG_PATH);
    const m = workspaceManifest({ ...config, terraformCloud: { organization: 'acme', workspacePrefix: '', hostname: 'tfe.example.com' } } as EstateConfig, { stacksDir: 'build/stacks/' });
    expect(m.hostname).toBe('tfe.example.com');
    expect('project' in m).toBe(false);
    expect(byStack(m).dr).toMatchObject({ workspace: 'dr', hostname: 'tfe.example.com', workingDirectory: 'build/stacks/dr' });
    expect('project' in byStack(m).dr).toBe(false);
  });

  it('refuses an estate without terraformCloud', () => {
    const { terraformCloud: _omitted, ...config } = loadConfig(EXAMPLE_CONFIG_PATH);
    expect(() => workspaceManifest(config as EstateConfig)).toThrow(/terraformCloud is not set/);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(workspaceManifest(loadConfig(THREE_WORKLOADS)))).toBe(JSON.stringify(workspaceManifest(loadConfig(THREE_WORKLOADS))));
  });
});

describe('npm run workspaces', () => {
  it('writes the manifest of DR_CONFIG to --out', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dr-ws-')), 'nested', 'workspaces.json');
    const r = runScript('scripts/workspaces.ts', ['--out', out, '--wave-size', '2'], { DR_CONFIG: THREE_WORKLOADS });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(out, 'utf8')) as WorkspaceManifest;
    expect(manifest.waves.map((w) => w.wave)).toEqual([0, 1, 2, 3, 4]);
    expect(manifest).toEqual(JSON.parse(JSON.stringify(workspaceManifest(loadConfig(THREE_WORKLOADS), { waveSize: 2 }))));
  });

  it('exits 1 on a bad wave size', () => {
    const r = runScript('scripts/workspaces.ts', ['--wave-size', '0', '--out', path.join(os.tmpdir(), 'never.json')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--wave-size "0"');
  });
});
