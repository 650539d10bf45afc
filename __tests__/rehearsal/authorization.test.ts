import { Authorizer } from '../../rehearsal/authorization';
import { restoreJobRequests } from '../../rehearsal/encryption';
import { synthesizeRecovery } from '../../rehearsal/estate';
import { runRehearsal, type RehearsalResult } from '../../rehearsal/machine';
import { parseArgs } from '../../rehearsal/run';
import { buildPolicyModel } from '../../simulation/policy-model';
import { exampleInput, synthEstate, tempDir } from '../helpers/synth';
import { dropStatement, editStatement, mutatedSynthDir, type PolicyMutation } from '../helpers/synth-mutations';
import { roleTrust, rolePolicy, trustServiceOfAnotherAccount } from '../helpers/policy-mutation-targets';

/**
 * The rehearsal evaluates every call as AWS would, over the policies of a synthesized output
 * directory. The unmodified example recovers with no denied request; each mutation of the synthesized
 * output (a dropped KMS statement, a narrowed resource, a broken trust condition, ...) makes the
 * rehearsal fail naming the denied call.
 */
const DR = '222222222222';
const REGION = 'ap-northeast-1';
const config = exampleInput();
const synthDir = synthEstate(config);
/** EBS (attach), RDS, DynamoDB, EFS (mount targets), restored in place from the air-gapped vault or the DR vault. */
const scenario = { config, resources: 6, slowCopy: true, seed: 3 } as const;
/** The locked central vault only: recovery copies through the copy-starter role, the central key and the DR vault policy. */
const lockedConfig = { ...exampleInput(), centralVault: { kind: 'locked' } };
const lockedSynthDir = synthEstate(lockedConfig);
const copyScenario = { config: lockedConfig, resources: 4, slowCopy: true, seed: 3 } as const;

interface Mutation extends PolicyMutation {
  readonly name: string;
  readonly denied: { readonly action: string; readonly principal?: RegExp };
  /** The copy path (locked central vault only). */
  readonly copies?: boolean;
}

const MUTATIONS: Mutation[] = [
  { name: 'attach role without its kms:CreateGrant on the restore vault key', stack: 'dr', ...rolePolicy('AttachRestoredVolume_Policy', dropStatement('UseRestoredVolumeKeyThroughEc2Grants')), denied: { action: 'kms:CreateGrant', principal: /acme-attach-restored-volume$/ } },
  { name: 'attach role without kms:Decrypt on the restore vault key', stack: 'dr', ...rolePolicy('AttachRestoredVolume_Policy', dropStatement('UseRestoredVolumeKeyThroughEc2')), denied: { action: 'kms:Decrypt', principal: /acme-attach-restored-volume$/ } },
  {
    name: 'attach role grant narrowed to another service (kms:ViaService rds)',
    stack: 'dr',
    ...rolePolicy('AttachRestoredVolume_Policy', editStatement('UseRestoredVolumeKeyThroughEc2Grants', (s) => ({ ...s, Condition: { ...s.Condition, StringEquals: { 'kms:ViaService': `rds.${REGION}.amazonaws.com` } } }))),
    denied: { action: 'kms:CreateGrant', principal: /acme-attach-restored-volume$/ },
  },
  { name: 'attach role cannot attach to tagged recovery instances', stack: 'dr', ...rolePolicy('AttachRestoredVolume_Policy', dropStatement('AttachToRecoveryInstancesOnly')), denied: { action: 'ec2:AttachVolume', principal: /acme-attach-restored-volume$/ } },
  {
    name: 'explicit deny of kms:* on the attach role',
    stack: 'dr',
    ...rolePolicy('AttachRestoredVolume_Policy', (doc) => ({ ...doc, Statement: [...doc.Statement, { Sid: 'DenyKms', Effect: 'Deny', Action: 'kms:*', Resource: '*' }] })),
    denied: { action: 'kms:CreateGrant', principal: /acme-attach-restored-volume$/ },
  },
  { name: 'restore vault key policy without its use through AWS services of the DR account', stack: 'dr', type: 'aws_kms_key', resource: 'RestoreVaultKey', attribute: 'policy', edit: dropStatement('UseThroughAwsBackupInThisAccount'), denied: { action: 'kms:Decrypt' } },
  {
    name: 'restore vault key policy without EC2 among its services',
    stack: 'dr',
    type: 'aws_kms_key',
    resource: 'RestoreVaultKey',
    attribute: 'policy',
    edit: editStatement('UseThroughAwsBackupInThisAccount', (s) => {
      const c = s.Condition as { StringEquals: Record<string, string[]> };
      c.StringEquals['kms:ViaService'] = c.StringEquals['kms:ViaService'].filter((v) => !v.startsWith('ec2.'));
      return s;
    }),
    denied: { action: 'kms:Decrypt', principal: /acme-dr-restore$/ },
  },
  { name: 'central vault key policy without the DR account', stack: 'backup-vault', type: 'aws_kms_key', resource: 'CentralVaultKey', attribute: 'policy', edit: dropStatement('CrossAccountBackupUse'), copies: true, denied: { action: 'kms:Decrypt', principal: /AWSServiceRoleForBackup$/ } },
  { name: 'central vault key policy without grants for AWS resources of the DR account', stack: 'backup-vault', type: 'aws_kms_key', resource: 'CentralVaultKey', attribute: 'policy', edit: dropStatement('CrossAccountGrantsForAwsResources'), copies: true, denied: { action: 'kms:CreateGrant', principal: /AWSServiceRoleForBackup$/ } },
  { name: 'orchestrator cannot pass the restore role', stack: 'dr', ...rolePolicy('Recovery_Policy', dropStatement('PassRestoreRoleToAwsBackupOnly')), denied: { action: 'iam:PassRole', principal: /acme-recovery-orchestrator$/ } },
  {
    name: 'orchestrator passes the restore role to SSM only (iam:PassedToService)',
    stack: 'dr',
    ...rolePolicy('Recovery_Policy', editStatement('PassRestoreRoleToAwsBackupOnly', (s) => ({ ...s, Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } } }))),
    denied: { action: 'iam:PassRole', principal: /acme-recovery-orchestrator$/ },
  },
  {
    name: 'orchestrator restores narrowed to another vault account',
    stack: 'dr',
    ...rolePolicy('Recovery_Policy', editStatement('RestoreFromRestoreVault', (s) => ({ ...s, Resource: [s.Resource].flat().map((r) => String(r).replace(DR, '999999999999')) }))),
    denied: { action: 'backup:StartRestoreJob', principal: /acme-recovery-orchestrator$/ },
  },
  { name: 'orchestrator cannot create mount target interfaces', stack: 'dr', ...rolePolicy('Recovery_Policy', dropStatement('MountTargetNetworkInterfaces')), denied: { action: 'ec2:CreateNetworkInterface', principal: /acme-recovery-orchestrator$/ } },
  { name: 'orchestrator cannot start the connect runbook', stack: 'dr', ...rolePolicy('Recovery_Policy', dropStatement('RunConnectRunbook')), denied: { action: 'ssm:StartAutomationExecution', principal: /acme-recovery-orchestrator$/ } },
  {
    name: 'restore role trusts AWS Backup for another account only (aws:SourceAccount)',
    stack: 'dr',
    ...roleTrust('RestoreRole', trustServiceOfAnotherAccount),
    denied: { action: 'sts:AssumeRole', principal: /^backup\.amazonaws\.com$/ },
  },
  {
    name: 'copy-starter trusts another organization (aws:PrincipalOrgID)',
    stack: 'backup-vault',
    ...roleTrust('CopyStarterRole', editStatement('DrRecoveryRolesOnly', (s) => ({ ...s, Condition: { ...s.Condition, StringEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } } }))),
    copies: true, denied: { action: 'sts:AssumeRole', principal: /acme-recovery-/ },
  },
  { name: 'copy-starter cannot pass the copy service role', stack: 'backup-vault', ...rolePolicy('CopyStarterPolicy', dropStatement('PassCopyServiceRoleToAwsBackupOnly')), copies: true, denied: { action: 'iam:PassRole', principal: /acme-central-copy-starter$/ } },
  { name: 'DR restore vault policy without its copy-into allow', stack: 'dr', type: 'aws_backup_vault_policy', resource: 'RestoreVault_AccessPolicy', attribute: 'policy', edit: dropStatement('AllowCopyIntoFromListedAccounts'), copies: true, denied: { action: 'backup:CopyIntoBackupVault', principal: /acme-central-copy-service$/ } },
  { name: 'locate function cannot list the restore vault', stack: 'dr', ...rolePolicy('LocateRecoveryPoints_Policy', dropStatement('ListRestoreVault')), denied: { action: 'backup:ListRecoveryPointsByBackupVault', principal: /locate-recovery-points$/ } },
  { name: 'prepare function cannot read restore metadata', stack: 'dr', ...rolePolicy('PrepareRestore_Policy', dropStatement('ReadRestoreMetadata')), denied: { action: 'backup:GetRecoveryPointRestoreMetadata', principal: /prepare-restore$/ } },
  { name: 'on-call key policy without its publishing services', stack: 'dr', type: 'aws_kms_key', resource: 'EventBus_OnCall_Key', attribute: 'policy', edit: dropStatement('PublishersOfThisAccountEncrypt'), denied: { action: 'kms:GenerateDataKey', principal: /^cloudwatch\.amazonaws\.com$/ } },
  { name: 'on-call topic policy without the estate alarms', stack: 'dr', type: 'aws_sns_topic_policy', resource: 'EventBus_OnCall_Policy', attribute: 'policy', edit: dropStatement('EstateAlarmsPublish'), denied: { action: 'sns:Publish', principal: /^cloudwatch\.amazonaws\.com$/ } },
  {
    name: 'DR bus policy without the estate forwarders',
    stack: 'dr',
    type: 'aws_cloudwatch_event_bus_policy',
    resource: 'EventBus_Policy',
    attribute: 'policy',
    edit: dropStatement('EstateForwardersPutEvents'),
    denied: { action: 'events:PutEvents', principal: /acme-event-forwarder$/ },
  },
  { name: 'DR bus dead-letter queue without the rules that may send to it', stack: 'dr', type: 'aws_sqs_queue_policy', resource: 'EventBus_DeadLetters_Policy', attribute: 'policy', edit: dropStatement('OnlyEstateRulesMaySendFailedEvents'), denied: { action: 'sqs:SendMessage', principal: /^events\.amazonaws\.com$/ } },
  { name: 'functions key policy without CloudWatch Logs', stack: 'dr', type: 'aws_kms_key', resource: 'FunctionsKey', attribute: 'policy', edit: dropStatement('CloudWatchLogsOfThisAccount'), denied: { action: 'kms:GenerateDataKey', principal: /^logs\.ap-northeast-1\.amazonaws\.com$/ } },
  {
    name: 'functions key for the log groups of another account only (encryption context)',
    stack: 'dr',
    type: 'aws_kms_key',
    resource: 'FunctionsKey',
    attribute: 'policy',
    edit: editStatement('CloudWatchLogsOfThisAccount', (s) => ({ ...s, Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-northeast-1:999999999999:log-group:*' } } })),
    denied: { action: 'kms:GenerateDataKey', principal: /^logs\.ap-northeast-1\.amazonaws\.com$/ },
  },
  { name: 'report function cannot encrypt for the on-call topic', stack: 'dr', ...rolePolicy('ReportRecovery_Policy', dropStatement('EncryptForOnCallTopic')), denied: { action: 'kms:GenerateDataKey', principal: /report-recovery$/ } },
];

const mutated = (m: Mutation) => mutatedSynthDir(m.copies ? lockedSynthDir : synthDir, m);

const deniedOf = (r: RehearsalResult) => r.checks.find((c) => c.name === 'every AWS call authorized');

describe('rehearsal authorization over the synthesized output', () => {
  it('the unmodified example recovers with every request allowed, copies and keys included', async () => {
    for (const [options, dir] of [[scenario, synthDir], [copyScenario, lockedSynthDir]] as const) {
      const result = await runRehearsal({ ...options, synthDir: dir });
      expect(deniedOf(result)).toEqual(expect.objectContaining({ ok: true }));
      expect(result.recovered).toBe(true);
    }
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))('%s: the rehearsal fails naming the denied call', async (_name, m) => {
    const result = await runRehearsal({ ...(m.copies ? copyScenario : scenario), synthDir: mutated(m) });
    const check = deniedOf(result);
    expect(result.recovered).toBe(false);
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain(`action=${m.denied.action} `);
    expect(check?.detail).toMatch(/^\d+ denied request\(s\); first: AccessDenied step=\S+ principal=\S+ action=\S+ resource=\S+/);
    const principal = /principal=(\S+)/.exec(check?.detail ?? '')?.[1] ?? '';
    if (m.denied.principal) expect(principal).toMatch(m.denied.principal);
  });

  it('--synth-dir: reads the given directory, and refuses one synthesized from another configuration', () => {
    expect(parseArgs(['--synth-dir', 'cdktf.out'])).toMatchObject({ synthDir: 'cdktf.out' });
    expect(() => parseArgs(['--synth-dir'])).toThrow(/--synth-dir needs a directory/);
    expect(synthesizeRecovery(config, 'example', { synthDir }).synthDir).toBe(synthDir);
    const otherDr = JSON.parse(JSON.stringify(exampleInput()).replaceAll(DR, '555555555555'));
    expect(() => synthesizeRecovery(otherDr, 'other.json', { synthDir })).toThrow(/was not synthesized from other\.json: its DR stack is for account 222222222222/);
    expect(() => synthesizeRecovery(config, 'example', { synthDir: tempDir() })).toThrow(/no stack dr/);
  });

  it('has at least 15 mutations, each of a different statement or condition', () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
  });
});

describe('denials read like CloudTrail', () => {
  const policies = buildPolicyModel(synthDir, { organizationId: String(config.organizationId) });
  const restoreRole = `arn:aws:iam::${DR}:role/acme-dr-restore`;

  it('a restore naming a key of the workload account is denied: its key policy is not in the DR account', async () => {
    const foreign = `arn:aws:kms:ap-northeast-2:333333333333:key/0b7a2f1e-source-ebs-key`;
    const requests = restoreJobRequests({ type: 'EBS', region: REGION, account: DR, restoreRoleArn: restoreRole, targetKey: foreign });
    const authorizer = new Authorizer(policies);
    const kms = requests.filter((r) => r.principal === restoreRole);
    await expect(authorizer.authorize('RestoreData', restoreRole, kms.map((r) => r.request))).rejects.toThrow(
      new RegExp(`AccessDenied step=RestoreData principal=${restoreRole} action=kms:Decrypt resource=${foreign} key=${foreign} onBehalfOf=backup:StartRestoreJob \\(EBS\\) via=ec2\\.${REGION}\\.amazonaws\\.com: .*another account`),
    );
  });

  it('names the missing identity allow, the explicit deny and the key policy that leaves the principal out', async () => {
    const authorizer = new Authorizer(policies);
    const keyArn = policies.vaultKeyArn(`arn:aws:backup:${REGION}:${DR}:backup-vault:acme-dr-restore`);
    const prepare = `arn:aws:iam::${DR}:role/acme-recovery-prepare-restore`;
    await expect(authorizer.authorize('X', prepare, [{ action: 'kms:CreateGrant', resource: keyArn, viaService: `ec2.${REGION}.amazonaws.com`, grantIsForAwsResource: true }])).rejects.toThrow(/no identity-based policy allows the action .*the key policy delegates to IAM/);
    const denying = new Authorizer(policies.withPolicy(policies.identityPoliciesOf(prepare)[0].id, (doc) => ({ ...doc, Statement: [...doc.Statement, { Sid: 'NoTags', Effect: 'Deny', Action: 'backup:ListTags', Resource: '*' }] })));
    await expect(denying.authorize('Y', prepare, [{ action: 'backup:ListTags', resource: `arn:aws:backup:${REGION}:${DR}:recovery-point:abc`, policyResource: `arn:aws:backup:${REGION}:${DR}:backup-vault:acme-dr-restore` }])).rejects.toThrow(/explicit deny in identity policy \S+PrepareRestore_Policy\S+ statement NoTags/);
    const vaultAccountRole = 'arn:aws:iam::111111111111:role/acme-central-copy-starter';
    await expect(authorizer.authorize('Z', vaultAccountRole, [{ action: 'kms:Decrypt', resource: keyArn }])).rejects.toThrow(/key policy \S+RestoreVaultKey\S+ does not allow the principal/);
  });

  it('a call the request table does not know is an error, never allowed', async () => {
    const { requestsOf } = await import('../../rehearsal/iam-requests');
    expect(() => requestsOf('ec2', 'runInstances', {}, restoreRole, {} as never)).toThrow(/no authorization rule for ec2:runInstances: .*never allowed/);
  });
});
