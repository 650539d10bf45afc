import { ADMINISTRATOR_ACCESS, allowPolicy, buildPolicyModel, type NamedPolicy, type PolicyModel, type SimulationRequest } from '../../simulation/policy-model';
import { exampleInput, synthEstate } from '../helpers/synth';
import { CENTRAL_VAULT, DR, DR_RP, DR_VAULT, ORG, REC, role, VAULT, type Row } from '../../simulation/access-rows/principals';

/**
 * The readiness checker's role (and its schedule's), as synthesized for the example: it can run each
 * check, publish its metrics and write its reports, and nothing else: no other role, no other
 * object, no change to recovery points, vaults, state machines or the recovery's RTO metrics.
 *
 * Every row can fail: an Allowed row is re-simulated without the statements that allowed it and must
 * be Denied; a Denied row names (`allowedIf`) the one change that makes it Allowed, so it is denied
 * for the stated reason.
 */
const CHECKER = role(DR, 'acme-recovery-readiness-checker');
const SCHEDULER = role(DR, 'acme-readiness-scheduler');
const READER = role(VAULT, 'acme-central-vault-reader');
const COPY_STARTER = role(VAULT, 'acme-central-copy-starter');
const STATE_MACHINE = `arn:aws:states:${REC}:${DR}:stateMachine:acme-recovery`;
const BUCKET = `arn:aws:s3:::acme-dr-readiness-${DR}-${REC}`;
const AMI_PARAMETER = `arn:aws:ssm:${REC}:${DR}:parameter/acme/dr/ami/shop/app`;
const PLAN = `arn:aws:backup:${REC}:${DR}:restore-testing-plan:acme_shop_restore_test-1a2b3c4d`;
const ASG = `arn:aws:autoscaling:${REC}:${DR}:autoScalingGroup:0a1b2c3d-0000-1111-2222-333344445555:autoScalingGroupName/acme-shop-app`;
/**
 * GetMetricData and PutMetricData of classic metrics name no resource (the optional `dataset` resource
 * type is for OTLP datasets): simulated on a dataset ARN, which the statements' "*" matches.
 */
const METRICS = `arn:aws:cloudwatch:${REC}:${DR}:dataset/classic`;
const fn = (name: string) => `arn:aws:lambda:${REC}:${DR}:function:${name}`;
/** Stands for the DR functions key (it encrypts the reports), resolved once the model is built. */
const FUNCTIONS_KEY = 'FUNCTIONS_KEY';
const unknown = { allowUnknownResource: true, resourceAccount: DR };

const ROWS: Row[] = [
  // ---- reaching the central vault -----------------------------------------------------------------
  { description: 'assumes the backup-vault account reader role', request: { principalArn: CHECKER, action: 'sts:AssumeRole', resourceArn: READER }, expected: 'Allowed' },
  {
    description: 'cannot assume the copy-starter role, although its trust accepts <name>-recovery-* roles (the identity policy names the reader only)',
    request: { principalArn: CHECKER, action: 'sts:AssumeRole', resourceArn: COPY_STARTER },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('any-role', 'sts:AssumeRole')] },
  },
  {
    description: 'cannot list the central vault as itself (only through the reader role)',
    request: { principalArn: CHECKER, action: 'backup:ListRecoveryPointsByBackupVault', resourceArn: CENTRAL_VAULT },
    expected: 'Denied',
    allowedIf: { principalArn: READER },
  },
  // ---- the checks ---------------------------------------------------------------------------------
  { description: 'lists the DR restore vault', request: { principalArn: CHECKER, action: 'backup:ListRecoveryPointsByBackupVault', resourceArn: DR_VAULT }, expected: 'Allowed' },
  { description: 'reads the golden AMI parameter', request: { principalArn: CHECKER, action: 'ssm:GetParameter', resourceArn: AMI_PARAMETER, ...unknown }, expected: 'Allowed' },
  {
    description: 'cannot read other SSM parameters',
    request: { principalArn: CHECKER, action: 'ssm:GetParameter', resourceArn: `arn:aws:ssm:${REC}:${DR}:parameter/acme/db/password`, ...unknown },
    expected: 'Denied',
    allowedIf: { resourceArn: AMI_PARAMETER },
  },
  { description: 'describes images (no resource-level permissions)', request: { principalArn: CHECKER, action: 'ec2:DescribeImages', resourceArn: '*', ...unknown }, expected: 'Allowed' },
  { description: 'describes launch templates', request: { principalArn: CHECKER, action: 'ec2:DescribeLaunchTemplates', resourceArn: '*', ...unknown }, expected: 'Allowed' },
  { description: 'describes Auto Scaling groups', request: { principalArn: CHECKER, action: 'autoscaling:DescribeAutoScalingGroups', resourceArn: '*', ...unknown }, expected: 'Allowed' },
  { description: 'describes the recovery state machine', request: { principalArn: CHECKER, action: 'states:DescribeStateMachine', resourceArn: STATE_MACHINE, ...unknown }, expected: 'Allowed' },
  { description: 'lists its running executions', request: { principalArn: CHECKER, action: 'states:ListExecutions', resourceArn: STATE_MACHINE, ...unknown }, expected: 'Allowed' },
  {
    description: 'reads the input of a recovery execution',
    request: { principalArn: CHECKER, action: 'states:DescribeExecution', resourceArn: `arn:aws:states:${REC}:${DR}:execution:acme-recovery:drill-1`, ...unknown },
    expected: 'Allowed',
  },
  {
    description: 'cannot describe another state machine',
    request: { principalArn: CHECKER, action: 'states:DescribeStateMachine', resourceArn: `arn:aws:states:${REC}:${DR}:stateMachine:payroll`, ...unknown },
    expected: 'Denied',
    allowedIf: { resourceArn: STATE_MACHINE },
  },
  {
    description: 'cannot start a recovery',
    request: { principalArn: CHECKER, action: 'states:StartExecution', resourceArn: STATE_MACHINE, ...unknown },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('start', 'states:StartExecution')] },
  },
  { description: 'reads the drills\' recovery times', request: { principalArn: CHECKER, action: 'cloudwatch:GetMetricData', resourceArn: METRICS, ...unknown }, expected: 'Allowed' },
  { description: 'reads the restore testing plan', request: { principalArn: CHECKER, action: 'backup:GetRestoreTestingPlan', resourceArn: PLAN, ...unknown }, expected: 'Allowed' },
  { description: 'lists restore jobs', request: { principalArn: CHECKER, action: 'backup:ListRestoreJobs', resourceArn: '*', ...unknown }, expected: 'Allowed' },
  // ---- publishing -----------------------------------------------------------------------------------
  {
    description: 'publishes Ready metrics in the readiness namespace',
    request: { principalArn: CHECKER, action: 'cloudwatch:PutMetricData', resourceArn: METRICS, context: { 'cloudwatch:namespace': 'DisasterRecovery/Readiness' }, ...unknown },
    expected: 'Allowed',
  },
  {
    description: 'cannot publish into the recovery metrics namespace (cannot forge a drill RTO)',
    request: { principalArn: CHECKER, action: 'cloudwatch:PutMetricData', resourceArn: METRICS, context: { 'cloudwatch:namespace': 'DisasterRecovery' }, ...unknown },
    expected: 'Denied',
    allowedIf: { context: { 'cloudwatch:namespace': 'DisasterRecovery/Readiness' } },
  },
  { description: 'writes a daily report', request: { principalArn: CHECKER, action: 's3:PutObject', resourceArn: `${BUCKET}/reports/2026-11-20/readiness.json`, ...unknown }, expected: 'Allowed' },
  { description: 'writes the latest report', request: { principalArn: CHECKER, action: 's3:PutObject', resourceArn: `${BUCKET}/reports/latest.json`, ...unknown }, expected: 'Allowed' },
  {
    description: 'cannot put objects outside the reports prefix',
    request: { principalArn: CHECKER, action: 's3:PutObject', resourceArn: `${BUCKET}/index.html`, ...unknown },
    expected: 'Denied',
    allowedIf: { resourceArn: `${BUCKET}/reports/latest.json` },
  },
  {
    description: 'cannot put objects into another bucket (the recovery bucket)',
    request: { principalArn: CHECKER, action: 's3:PutObject', resourceArn: `arn:aws:s3:::acme-dr-recovery-${DR}-${REC}/reports/x.json`, ...unknown },
    expected: 'Denied',
    allowedIf: { resourceArn: `${BUCKET}/reports/x.json` },
  },
  {
    description: 'cannot delete reports',
    request: { principalArn: CHECKER, action: 's3:DeleteObject', resourceArn: `${BUCKET}/reports/latest.json`, ...unknown },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('delete', 's3:DeleteObject')] },
  },
  { description: 'encrypts reports with the functions key through S3', request: { principalArn: CHECKER, action: 'kms:GenerateDataKey', resourceArn: FUNCTIONS_KEY, viaService: `s3.${REC}.amazonaws.com` }, expected: 'Allowed' },
  {
    description: 'cannot use the functions key outside S3',
    request: { principalArn: CHECKER, action: 'kms:GenerateDataKey', resourceArn: FUNCTIONS_KEY },
    expected: 'Denied',
    allowedIf: { viaService: `s3.${REC}.amazonaws.com` },
  },
  // ---- nothing destructive ----------------------------------------------------------------------------
  {
    description: 'cannot delete a recovery point of the DR restore vault',
    request: { principalArn: CHECKER, action: 'backup:DeleteRecoveryPoint', resourceArn: DR_RP, policyResourceArn: DR_VAULT },
    expected: 'Denied',
    allowedIf: { principalArn: role(DR, 'dr-break-glass'), identityPolicies: [ADMINISTRATOR_ACCESS] },
  },
  {
    description: 'cannot start a restore',
    request: { principalArn: CHECKER, action: 'backup:StartRestoreJob', resourceArn: DR_RP, policyResourceArn: DR_VAULT },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('restore', 'backup:StartRestoreJob')] },
  },
  {
    description: 'cannot scale a server group',
    request: { principalArn: CHECKER, action: 'autoscaling:UpdateAutoScalingGroup', resourceArn: ASG, ...unknown },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('scale', 'autoscaling:UpdateAutoScalingGroup')] },
  },
  // ---- the schedule ---------------------------------------------------------------------------------
  { description: 'the scheduler role invokes the checker', request: { principalArn: SCHEDULER, action: 'lambda:InvokeFunction', resourceArn: fn('acme-recovery-readiness-checker'), ...unknown }, expected: 'Allowed' },
  {
    description: 'the scheduler role cannot invoke another function',
    request: { principalArn: SCHEDULER, action: 'lambda:InvokeFunction', resourceArn: fn('acme-recovery-cleanup-drill'), ...unknown },
    expected: 'Denied',
    allowedIf: { resourceArn: fn('acme-recovery-readiness-checker') },
  },
  {
    description: 'EventBridge Scheduler assumes the scheduler role for the readiness schedule',
    request: { principalArn: 'scheduler.amazonaws.com', action: 'sts:AssumeRole', resourceArn: SCHEDULER, sourceAccount: DR, sourceArn: `arn:aws:scheduler:${REC}:${DR}:schedule/default/acme-readiness` },
    expected: 'Allowed',
  },
  {
    description: 'EventBridge Scheduler cannot assume it for another schedule',
    request: { principalArn: 'scheduler.amazonaws.com', action: 'sts:AssumeRole', resourceArn: SCHEDULER, sourceAccount: DR, sourceArn: `arn:aws:scheduler:${REC}:${DR}:schedule/default/acme-drill-shop` },
    expected: 'Denied',
    allowedIf: { sourceArn: `arn:aws:scheduler:${REC}:${DR}:schedule/default/acme-readiness` },
  },
];

let model: PolicyModel;
let functionsKey: string;

beforeAll(() => {
  model = buildPolicyModel(synthEstate(exampleInput()), { organizationId: ORG });
  functionsKey = model.resources.find((r) => r.stack === 'dr' && r.type === 'aws_kms_key' && r.logicalName.startsWith('FunctionsKey'))!.arn!;
});

const resolved = (req: SimulationRequest): SimulationRequest => (req.resourceArn === FUNCTIONS_KEY ? { ...req, resourceArn: functionsKey } : req);

describe('IAM simulation: the readiness checker (example)', () => {
  it.each(ROWS.map((r) => [r.description, r] as const))('%s', async (_d, row) => {
    expect((await model.simulate(resolved(row.request))).decision).toBe(row.expected);
  });

  describe('every row can fail', () => {
    it.each(ROWS.map((r) => [r.description, r] as const))('%s', async (_d, row) => {
      const request = resolved(row.request);
      const outcome = await model.simulate(request);
      if (row.expected === 'Allowed') {
        const decisive = outcome.decisive.filter((d) => d.synthesized);
        expect(decisive.length).toBeGreaterThan(0);
        let mutated = model;
        const byPolicy = new Map<string, string[]>();
        for (const d of decisive) byPolicy.set(d.policyId, [...(byPolicy.get(d.policyId) ?? []), d.statement]);
        for (const [id, sids] of byPolicy) mutated = mutated.withoutStatements(id, ...new Set(sids));
        expect((await mutated.simulate(request)).decision).toBe('Denied');
      } else {
        expect(row.allowedIf).toBeDefined();
        const changed = resolved({ ...row.request, ...row.allowedIf, identityPolicies: [...((row.request.identityPolicies as NamedPolicy[]) ?? []), ...((row.allowedIf!.identityPolicies as NamedPolicy[]) ?? [])] });
        expect((await model.simulate(changed)).decision).toBe('Allowed');
      }
    });
  });
});
