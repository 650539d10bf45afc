import * as fs from 'fs';
import * as path from 'path';
import { loadConfig, parseConfig, formatPath } from '../../config/load';
import { EXAMPLE_CONFIG, tempDir } from '../helpers/synth';
import { expectNothingWritten, issuesOf } from '../helpers/config-rejection';
import { mutated, type Mutable } from '../helpers/mutated-example';

describe('loadConfig', () => {
  it('accepts the bundled example and fills in documented defaults', () => {
    const cfg = loadConfig(EXAMPLE_CONFIG);
    expect(cfg.workloads[0].name).toBe('shop');
    expect(cfg.workloads[0].backup.resourceTypes).toEqual(['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS']);
    expect(cfg.workloads[0].backup.rules[0]).toMatchObject({ startWindowMinutes: 60, completionWindowMinutes: 10080, continuous: false });
    expect(cfg.workloads[0].guardrails).toEqual({ awsConfigRules: false, auditFramework: false });
    expect(cfg.breakGlassRoleName).toBe('dr-break-glass');
    expect(cfg.accounts.backupVault.primaryRegionCopy).toBe(false);
  });

  it('defaults the vault lock to governance mode when the config has none', () => {
    const cfg = parseConfig(mutated((c) => delete c.vaultLock));
    expect(cfg.vaultLock).toEqual({ mode: 'governance', minRetentionDays: 7, maxRetentionDays: 3650 });
  });

  it('formats JSON paths the way users read them', () => {
    expect(formatPath(['workloads', 0, 'backup', 'rules', 1, 'schedule'])).toBe('workloads[0].backup.rules[1].schedule');
    expect(formatPath([])).toBe('');
  });

  it('explains a missing file and invalid JSON', () => {
    expect(() => loadConfig('/nonexistent/estate.json')).toThrow(/cannot read the file .*set DR_CONFIG/);
    const dir = tempDir();
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{ "name": ');
    expect(() => loadConfig(file)).toThrow(/is not valid JSON/);
  });
});

describe('malformed configurations', () => {
  const cases: [string, (c: Mutable) => void, string, RegExp][] = [
    ['a short account ID', (c) => (c.accounts.dr.id = '22222222222'), 'accounts.dr.id', /12-digit AWS account ID/],
    ['an unknown region', (c) => (c.regions.recovery = 'ap-northeast-9'), 'regions.recovery', /must be an AWS Region name/],
    ['a workload in the recovery region', (c) => (c.workloads[0].region = 'ap-northeast-1'), 'workloads[0].region', /recovery region must differ/],
    ['a recovery region equal to the primary region', (c) => { delete c.workloads[0].region; c.regions.recovery = 'ap-northeast-2'; }, 'regions.recovery', /recovery region must differ .*from regions.primary/],
    ['duplicate workload names', (c) => c.workloads.push({ ...structuredClone(c.workloads[0]), accountId: '444444444444', roleArn: 'arn:aws:iam::444444444444:role/terraform-dr' }), 'workloads[1].name', /already used by workloads\[0\]/],
    ['the same account in two workloads', (c) => c.workloads.push({ ...structuredClone(c.workloads[0]), name: 'other' }), 'workloads[1].accountId', /already used by workloads\[0\].accountId/],
    ['the DR account reused as backup-vault account', (c) => { c.accounts.backupVault.id = '222222222222'; c.accounts.backupVault.roleArn = 'arn:aws:iam::222222222222:role/terraform-dr'; }, 'accounts.dr.id', /already used by accounts.backupVault.id/],
    ['a role ARN in another account', (c) => (c.workloads[0].roleArn = 'arn:aws:iam::999999999999:role/terraform-dr'), 'workloads[0].roleArn', /role in account 999999999999 but workloads\[0\].accountId is 333333333333/],
    ['an invalid cron expression', (c) => (c.workloads[0].backup.rules[0].schedule = 'cron(0 17 * * * *)'), 'workloads[0].backup.rules[0].schedule', /exactly one of day-of-month and day-of-week/],
    ['retention shorter than cold storage + 90 days', (c) => (c.workloads[0].backup.rules[0].retentionDays = 100), 'workloads[0].backup.rules[0].retentionDays', /at least coldStorageAfterDays \+ 90 = 120 days/],
    ['copy retention below the vault lock minimum', (c) => (c.workloads[0].backup.rules[0].copyRetentionDays = 3), 'workloads[0].backup.rules[0].copyRetentionDays', /vaultLock.minRetentionDays\) requires at least 7/],
    ['copy retention above the vault lock maximum', (c) => (c.vaultLock.maxRetentionDays = 60), 'workloads[0].backup.rules[0].copyRetentionDays', /vaultLock.maxRetentionDays\) allows at most 60/],
    ['changeableForDays with governance mode', (c) => (c.vaultLock.changeableForDays = 3), 'vaultLock.changeableForDays', /only allowed with "mode": "compliance"/],
    ['compliance mode without changeableForDays', (c) => (c.vaultLock.mode = 'compliance'), 'vaultLock.changeableForDays', /is required with "mode": "compliance"/],
    ['changeableForDays under 3', (c) => { c.vaultLock.mode = 'compliance'; c.vaultLock.changeableForDays = 1; }, 'vaultLock.changeableForDays', /at least 3/],
    ['a workload name too long for the derived vault name', (c) => { c.name = 'acme-platform-estate'; c.workloads[0].name = 'a-very-long-workload-name-here'; }, 'workloads[0].name', /gives the AWS Backup vault name \(2-50 characters\) "acme-platform-estate-a-very-long-workload-name-here-local" \(57 characters, at most 50\)/],
    ['an estate name with capitals', (c) => (c.name = 'Acme'), 'name', /must start with a lowercase letter/],
    ['a misspelt field', (c) => (c.workloads[0].backup.rules[0].retentionDay = 35), 'workloads[0].backup.rules[0]', /unknown field\(s\) "retentionDay"/],
    ['a missing organization ID', (c) => delete c.organizationId, 'organizationId', /is required/],
    ['an empty rule list', (c) => (c.workloads[0].backup.rules = []), 'workloads[0].backup.rules', /at least one backup rule/],
    ['a continuous rule kept longer than 35 days', (c) => { c.workloads[0].backup.rules[0].continuous = true; delete c.workloads[0].backup.rules[0].coldStorageAfterDays; }, 'workloads[0].backup.rules[0].retentionDays', /at most 35 days for a continuous/],
    ['an alarm with both anomaly detection and a threshold', (c) => (c.workloads[0].alarms = [{ name: 'lat', namespace: 'AWS/ELB', metricName: 'Latency', anomalyDetection: {}, threshold: { value: 1, comparison: 'GreaterThanThreshold' } }]), 'workloads[0].alarms[0]', /exactly one of "anomalyDetection"/],
    ['an alarm needing more datapoints than it evaluates', (c) => (c.workloads[0].alarms = [{ name: 'lat', namespace: 'AWS/ELB', metricName: 'Latency', anomalyDetection: {}, evaluationPeriods: 2, datapointsToAlarm: 3 }]), 'workloads[0].alarms[0].datapointsToAlarm', /must not exceed evaluationPeriods \(2\)/],
    ['an alarm period CloudWatch does not support', (c) => (c.workloads[0].alarms = [{ name: 'lat', namespace: 'AWS/ELB', metricName: 'Latency', anomalyDetection: {}, periodSeconds: 90 }]), 'workloads[0].alarms[0].periodSeconds', /10, 20, 30 or a multiple of 60/],
    ['the default event bus as DR bus', (c) => (c.detection = { eventBusName: 'default' }), 'detection.eventBusName', /must not be "default"/],
    ['a malformed on-call e-mail address', (c) => (c.detection = { onCall: { emailAddresses: ['oncall'] } }), 'detection.onCall.emailAddresses[0]', /must be an e-mail address/],
    ['a lowercase Health event code', (c) => (c.detection = { health: { services: { S3: ['aws_s3_operational_issue'] } } }), 'detection.health.services.S3[0]', /AWS Health event type code/],
    ['no recovery trigger at all', (c) => (c.detection = { health: { services: {} } }), 'detection.health.services', /nothing could ever start recovery/],
    ['a retry policy beyond EventBridge limits', (c) => (c.detection = { delivery: { maximumRetryAttempts: 200 } }), 'detection.delivery.maximumRetryAttempts', /185/],
    ['an unknown resource type', (c) => (c.workloads[0].backup.resourceTypes = ['EBS', 'Redshift']), 'workloads[0].backup.resourceTypes[1]', /must be one of EBS, EC2/],
    // recovery.infrastructure (Terraform Cloud for BuildInfrastructure)
    ['a Terraform Cloud workspace given by name', (c) => (c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: 'dr-workload-shop' } }), 'workloads[0].recovery.infrastructure.workspaceId', /^must be a Terraform Cloud workspace ID: "ws-" and 16 letters or digits, such as "ws-3oKnEEBcNjpFSNbF" .*not the workspace name$/],
    ['a Terraform Cloud workspace ID one character short', (c) => (c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: 'ws-3oKnEEBcNjpFSNb' } }), 'workloads[0].recovery.infrastructure.workspaceId', /"ws-" and 16 letters or digits/],
    ['a Terraform Cloud workload without its workspace', (c) => (c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud' } }), 'workloads[0].recovery.infrastructure.workspaceId', /is required/],
    ['an unknown kind of infrastructure', (c) => (c.workloads[0].recovery = { infrastructure: { kind: 'cloudFormation' } }), 'workloads[0].recovery.infrastructure.kind', /must be "autoScaling" or "terraformCloud"/],
    ['a workspace on autoScaling', (c) => (c.workloads[0].recovery = { infrastructure: { kind: 'autoScaling', workspaceId: 'ws-3oKnEEBcNjpFSNbF' } }), 'workloads[0].recovery.infrastructure', /unknown field\(s\) "workspaceId"/],
    ['a Terraform Cloud run polled every second', (c) => (c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: 'ws-3oKnEEBcNjpFSNbF', pollSeconds: 1 } }), 'workloads[0].recovery.infrastructure.pollSeconds', /at least 5 seconds/],
    ['a Terraform Cloud run allowed two days', (c) => (c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: 'ws-3oKnEEBcNjpFSNbF', timeoutMinutes: 2880 } }), 'workloads[0].recovery.infrastructure.timeoutMinutes', /at most 1440 minutes/],
    [
      'a Terraform Cloud workload without the top-level terraformCloud',
      (c) => {
        delete c.terraformCloud;
        c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: 'ws-3oKnEEBcNjpFSNbF' } };
      },
      'workloads[0].recovery.infrastructure.kind',
      /^is "terraformCloud" but the top-level "terraformCloud" is not set: .*terraformCloud.hostname \(default app.terraform.io\)\. Add "terraformCloud": \{ "organization": "<your organization>" \} or use "kind": "autoScaling"$/,
    ],
    // recovery.fsx (what FSx restores need in the DR account)
    ['a directory given by DNS name', (c) => { c.workloads[0].backup.resourceTypes = ['EBS', 'FSx']; c.workloads[0].recovery = { fsx: { windowsDirectoryId: 'corp.example.com' } }; }, 'workloads[0].recovery.fsx.windowsDirectoryId', /^must be an AWS Directory Service directory ID: "d-" and 10 hexadecimal digits, such as "d-0123456789"$/],
    ['a directory ID with capitals', (c) => { c.workloads[0].backup.resourceTypes = ['EBS', 'FSx']; c.workloads[0].recovery = { fsx: { windowsDirectoryId: 'd-01234567AB' } }; }, 'workloads[0].recovery.fsx.windowsDirectoryId', /"d-" and 10 hexadecimal digits/],
    ['an SVM ID one digit short', (c) => { c.workloads[0].backup.resourceTypes = ['EBS', 'FSx']; c.workloads[0].recovery = { fsx: { ontapStorageVirtualMachineId: 'svm-0123456789abcdef' } }; }, 'workloads[0].recovery.fsx.ontapStorageVirtualMachineId', /^must be an FSx for NetApp ONTAP storage virtual machine ID: "svm-" and 17 hexadecimal digits/],
    ['a misspelt recovery.fsx field', (c) => { c.workloads[0].backup.resourceTypes = ['EBS', 'FSx']; c.workloads[0].recovery = { fsx: { directoryId: 'd-0123456789' } }; }, 'workloads[0].recovery.fsx', /unknown field\(s\) "directoryId"/],
    ['recovery.fsx for a workload that does not back up FSx (the default types)', (c) => (c.workloads[0].recovery = { fsx: { windowsDirectoryId: 'd-0123456789' } }), 'workloads[0].recovery.fsx', /^is set but workloads\[0\].backup.resourceTypes \(the default\) does not include FSx: nothing would use it\. Add "FSx" to the resource types or remove recovery.fsx$/],
    // attach-restored-volume needs one instance of a server role per zone when the workload restores EBS
    [
      'more instances of a server role than zones in a workload that restores EBS (the default types)',
      (c) => (c.workloads[0].servers[0].size = 3),
      'workloads[0].servers[0].size',
      /^is 3 but recovery.network.availabilityZones lists 2 zone\(s\) and workloads\[0\] restores EBS volumes \(backup.resourceTypes, the default\): .*expected exactly one, not attaching.*Lower size to at most 2, list at least 3 zones in recovery.network.availabilityZones, or leave EBS out of workloads\[0\].backup.resourceTypes$/,
    ],
    [
      'more instances of a server role than zones with EBS listed explicitly',
      (c) => {
        c.workloads[0].backup.resourceTypes = ['EBS', 'RDS', 'DynamoDB', 'S3'];
        c.workloads[0].servers[0].size = 4;
        c.workloads[0].servers[0].maxSize = 4;
      },
      'workloads[0].servers[0].size',
      /^is 4 but .*lists 2 zone\(s\) and workloads\[0\] restores EBS volumes \(backup.resourceTypes\): /,
    ],
  ];

  it.each(cases)('rejects %s at the exact field path, writing nothing', (_what, mutate, expectedPath, expectedMessage) => {
    const cfg = mutated(mutate);
    const issues = issuesOf(cfg);
    const atPath = issues.filter((i) => i.path === expectedPath);
    expect(atPath.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(expectedMessage)]));

    // Same configuration through the synth entry point: ConfigError, and the output directory untouched.
    expectNothingWritten(cfg);
  });

  it('accepts a server role with more instances than zones when the workload restores no EBS, or up to one per zone, or maxSize above the zones', () => {
    const noEbs = mutated((c) => {
      c.workloads[0].backup.resourceTypes = ['RDS', 'DynamoDB', 'S3'];
      c.workloads[0].restoreTesting.resourceTypes = ['RDS', 'DynamoDB', 'S3'];
      c.workloads[0].servers[0].size = 12;
    });
    expect(parseConfig(noEbs).workloads[0].servers[0].size).toBe(12);
    expect(parseConfig(mutated((c) => (c.workloads[0].servers[0].size = 2))).workloads[0].servers[0].size).toBe(2);
    // The recovery starts size instances; maxSize is only the group's ceiling.
    expect(parseConfig(mutated((c) => (c.workloads[0].servers[0].maxSize = 6))).workloads[0].servers[0].maxSize).toBe(6);
    // Three zones take three instances.
    const threeZones = mutated((c) => {
      c.recovery.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'];
      c.workloads[0].servers[0].size = 3;
    });
    expect(parseConfig(threeZones).workloads[0].servers[0].size).toBe(3);
  });

  it('reports one issue per server role above the zones, in every workload that restores EBS', () => {
    const issues = issuesOf(
      mutated((c) => {
        c.workloads[0].servers.push({ role: 'web', amiId: 'ami-0123456789abcdef1', instanceType: 'm7g.large', size: 5 });
        c.workloads[0].servers[0].size = 3;
      }),
    );
    expect(issues.filter((i) => /restores EBS volumes/.test(i.message)).map((i) => i.path)).toEqual(['workloads[0].servers[0].size', 'workloads[0].servers[1].size']);
    expect(issues.find((i) => i.path === 'workloads[0].servers[1].size')?.message).toMatch(/^is 5 .*"web" instances/);
  });

  it('lists every violation at once, across shape and cross-field rules', () => {
    const issues = issuesOf(
      mutated((c) => {
        c.accounts.dr.id = 'abc';
        c.workloads[0].backup.rules[0].schedule = 'daily';
        c.workloads[0].backup.rules[0].copyRetentionDays = 2;
        c.workloads[0].region = 'ap-northeast-1';
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      'accounts.dr.id',
      'workloads[0].backup.rules[0].copyRetentionDays',
      'workloads[0].backup.rules[0].schedule',
      // The example's failback key is one of the workload's region (ap-northeast-2).
      'workloads[0].failback.kmsKeyArn',
      'workloads[0].region',
    ]);
  });

  it('renders one line per problem with its path', () => {
    try {
      parseConfig(mutated((c) => (c.accounts.dr.id = 'abc')), 'estate.json');
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as Error).message).toBe(
        'Invalid DR configuration estate.json: 1 problem\n  - accounts.dr.id: must be a 12-digit AWS account ID such as "111111111111"',
      );
    }
  });
});

describe('recovery.fsx', () => {
  it('is absent by default', () => {
    expect(loadConfig(EXAMPLE_CONFIG).workloads[0].recovery.fsx).toBeUndefined();
  });

  it('takes a directory and an SVM for a workload that backs up FSx', () => {
    const cfg = parseConfig(
      mutated((c) => {
        c.workloads[0].backup.resourceTypes = ['EBS', 'RDS', 'DynamoDB', 'S3', 'FSx'];
        c.workloads[0].recovery = { fsx: { windowsDirectoryId: 'd-0123456789', ontapStorageVirtualMachineId: 'svm-0123456789abcdef0' } };
      }),
    );
    expect(cfg.workloads[0].recovery.fsx).toEqual({ windowsDirectoryId: 'd-0123456789', ontapStorageVirtualMachineId: 'svm-0123456789abcdef0' });
  });
});

describe('recovery.infrastructure', () => {
  it('defaults to autoScaling, today\'s behaviour', () => {
    expect(loadConfig(EXAMPLE_CONFIG).workloads[0].recovery.infrastructure).toEqual({ kind: 'autoScaling' });
  });

  it('takes a Terraform Cloud workspace with default poll interval and timeout', () => {
    const cfg = parseConfig(mutated((c) => (c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: 'ws-3oKnEEBcNjpFSNbF' } })));
    expect(cfg.workloads[0].recovery.infrastructure).toEqual({ kind: 'terraformCloud', workspaceId: 'ws-3oKnEEBcNjpFSNbF', pollSeconds: 30, timeoutMinutes: 60 });
    const custom = parseConfig(mutated((c) => (c.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: 'ws-3oKnEEBcNjpFSNbF', pollSeconds: 15, timeoutMinutes: 90 } })));
    expect(custom.workloads[0].recovery.infrastructure).toMatchObject({ pollSeconds: 15, timeoutMinutes: 90 });
  });

  it('needs the top-level terraformCloud only when a workload uses it', () => {
    expect(() => parseConfig(mutated((c) => delete c.terraformCloud))).not.toThrow();
  });
});
