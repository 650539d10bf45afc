/**
 * IAM simulation of what the failback machine does AFTER the restore, over the SYNTHESIZED example with
 * failback (a DNS record to switch back, the workload's health alarm): find the DR resources by tag,
 * switch the configured Route 53 record back and track the change, read the health alarm in the
 * workload account and region (the machine invokes the workload-region-call function, which assumes the
 * failback role), invoke the DR cleanup function. Every row can fail: an
 * Allowed row is re-simulated without the statements that allowed it and must become Denied; a Denied
 * row names the one change that makes it Allowed.
 */
import { buildPolicyModel, type Decision, type PolicyModel, type SimulationOutcome, type SimulationRequest } from '../../simulation/policy-model';
import { synthEstate } from '../helpers/synth';
import { failbackInput } from '../helpers/failback';

const ORG = 'o-a1b2c3d4e5';
const DR = '222222222222';
const SHOP = '333333333333';
const REC = 'ap-northeast-1';
const SHOP_REGION = 'ap-northeast-2';
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

const FB_ORCHESTRATOR = role(DR, 'acme-failback-orchestrator');
const RECOVERY_ORCHESTRATOR = role(DR, 'acme-recovery-orchestrator');
const SHOP_FAILBACK = role(SHOP, 'acme-shop-failback');
const ZONE = 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ';
const OTHER_ZONE = 'arn:aws:route53:::hostedzone/Z9999999999ABCDEFGHIJ';
const RECORD = { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['shop.example.com'], 'route53:ChangeResourceRecordSetsActions': ['UPSERT'], 'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'] };
const CHANGE = 'arn:aws:route53:::change/C2682N5HXP0BZ4';
const CLEANUP_FN = `arn:aws:lambda:${REC}:${DR}:function:acme-recovery-cleanup-drill`;
const ATTACH_FN = `arn:aws:lambda:${REC}:${DR}:function:acme-attach-restored-volume`;
const REGION_CALL_FN = `arn:aws:lambda:${REC}:${DR}:function:acme-failback-workload-region-call`;
const REGION_CALL_ROLE = role(DR, 'acme-failback-workload-region-call');
const HEALTH_ALARM = `arn:aws:cloudwatch:${SHOP_REGION}:${SHOP}:alarm:acme-shop-healthy`;
const OTHER_ALARM = `arn:aws:cloudwatch:${SHOP_REGION}:${SHOP}:alarm:acme-shop-billing`;

interface Row {
  description: string;
  request: SimulationRequest;
  expected: Decision;
  allowedIf?: Partial<SimulationRequest>;
}

const ROWS: Row[] = [
  // ---- Locate ------------------------------------------------------------------------------------------
  { description: 'the failback state machine role finds the DR resources by tag (GetResources has no resource-level permissions)', request: { principalArn: FB_ORCHESTRATOR, action: 'tag:GetResources', resourceArn: '*' }, expected: 'Allowed' },

  // ---- SwitchBack: the configured record, UPSERT only ---------------------------------------------------
  { description: 'the failback state machine role switches the configured record back (UPSERT)', request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: RECORD }, expected: 'Allowed' },
  {
    description: 'the failback state machine role cannot change another record of the zone',
    request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: { ...RECORD, 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['shop.example.com', 'mail.example.com'] } },
    expected: 'Denied',
    allowedIf: { context: RECORD },
  },
  {
    description: 'the failback state machine role cannot delete the record',
    request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: { ...RECORD, 'route53:ChangeResourceRecordSetsActions': ['DELETE'] } },
    expected: 'Denied',
    allowedIf: { context: RECORD },
  },
  {
    description: 'the failback state machine role cannot change the record to another type',
    request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: ZONE, context: { ...RECORD, 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] } },
    expected: 'Denied',
    allowedIf: { context: RECORD },
  },
  { description: 'the failback state machine role cannot change a record of another hosted zone', request: { principalArn: FB_ORCHESTRATOR, action: 'route53:ChangeResourceRecordSets', resourceArn: OTHER_ZONE, context: RECORD }, expected: 'Denied', allowedIf: { resourceArn: ZONE } },
  { description: 'the failback state machine role tracks the change until INSYNC', request: { principalArn: FB_ORCHESTRATOR, action: 'route53:GetChange', resourceArn: CHANGE }, expected: 'Allowed' },
  { description: 'the recovery state machine role cannot track a change (it does not poll)', request: { principalArn: RECOVERY_ORCHESTRATOR, action: 'route53:GetChange', resourceArn: CHANGE }, expected: 'Denied', allowedIf: { principalArn: FB_ORCHESTRATOR } },

  // ---- Verify: through the workload-region-call function and the workload's failback role -----------------
  // (the alarm is in the workload region, which the machine's SDK integrations cannot reach)
  { description: 'the failback state machine role invokes the workload-region-call function', request: { principalArn: FB_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: REGION_CALL_FN }, expected: 'Allowed' },
  { description: 'the recovery state machine role cannot invoke the workload-region-call function', request: { principalArn: RECOVERY_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: REGION_CALL_FN }, expected: 'Denied', allowedIf: { principalArn: FB_ORCHESTRATOR } },
  {
    description: 'the workload-region-call function role assumes the workload failback role',
    request: { principalArn: REGION_CALL_ROLE, action: 'sts:AssumeRole', resourceArn: SHOP_FAILBACK, context: { 'sts:RoleSessionName': 'failback-shop-1' } },
    expected: 'Allowed',
  },
  {
    description: 'the workload-region-call function role cannot read the workload alarm itself (only as the failback role)',
    request: { principalArn: REGION_CALL_ROLE, action: 'cloudwatch:DescribeAlarms', resourceArn: HEALTH_ALARM },
    expected: 'Denied',
    allowedIf: { principalArn: SHOP_FAILBACK },
  },
  { description: "the workload's failback role reads the workload's health alarm", request: { principalArn: SHOP_FAILBACK, action: 'cloudwatch:DescribeAlarms', resourceArn: HEALTH_ALARM }, expected: 'Allowed' },
  { description: "the workload's failback role cannot read another alarm", request: { principalArn: SHOP_FAILBACK, action: 'cloudwatch:DescribeAlarms', resourceArn: OTHER_ALARM }, expected: 'Denied', allowedIf: { resourceArn: HEALTH_ALARM } },
  { description: 'the DR failback state machine role cannot read the workload account alarm itself (only through the failback role)', request: { principalArn: FB_ORCHESTRATOR, action: 'cloudwatch:DescribeAlarms', resourceArn: HEALTH_ALARM }, expected: 'Denied', allowedIf: { principalArn: SHOP_FAILBACK } },

  // ---- Cleanup -------------------------------------------------------------------------------------------
  { description: 'the failback state machine role invokes the DR cleanup function', request: { principalArn: FB_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: CLEANUP_FN }, expected: 'Allowed' },
  { description: 'the failback state machine role cannot invoke another DR function', request: { principalArn: FB_ORCHESTRATOR, action: 'lambda:InvokeFunction', resourceArn: ATTACH_FN }, expected: 'Denied', allowedIf: { resourceArn: CLEANUP_FN } },
];

describe('IAM simulation: failback after the restore (example with failback, dnsRecord and a health alarm)', () => {
  let model: PolicyModel;
  beforeAll(() => {
    const input = failbackInput({ dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: 'shop.primary.example.com' } }) as Record<string, any>;
    input.workloads[0].recovery = { ...input.workloads[0].recovery, healthAlarmName: 'acme-shop-healthy' };
    model = buildPolicyModel(synthEstate(input), { organizationId: ORG });
  });

  /** Without the synthesized statements that decided `outcome`. */
  const withoutDecisive = (outcome: SimulationOutcome): PolicyModel => {
    let m = model;
    const sids = new Map<string, string[]>();
    for (const d of outcome.decisive.filter((x) => x.synthesized)) sids.set(d.policyId, [...(sids.get(d.policyId) ?? []), d.statement]);
    for (const [id, s] of sids) m = m.withoutStatements(id, ...new Set(s));
    return m;
  };

  it.each(ROWS.map((r) => [r.description, r] as const))('%s', async (_d, row) => {
    // Route 53 ARNs and "*" name no account: the hosted zone is the DR account's (as recovery's failover).
    if (!/:\d{12}:/.test(row.request.resourceArn)) row = { ...row, request: { resourceAccount: DR, ...row.request } };
    const outcome = await model.simulate(row.request);
    expect(outcome.decision).toBe(row.expected);
    if (outcome.result === 'Allowed') {
      expect(outcome.decisive.some((d) => d.synthesized)).toBe(true);
      expect((await withoutDecisive(outcome).simulate(row.request)).decision).toBe('Denied');
      return;
    }
    let proven = false;
    if (outcome.result === 'ExplicitlyDenied') {
      expect(outcome.decisive.some((d) => d.synthesized && d.effect === 'Deny')).toBe(true);
      expect((await withoutDecisive(outcome).simulate(row.request)).result).not.toBe('ExplicitlyDenied');
      proven = true;
    }
    if (row.allowedIf) {
      expect((await model.simulate({ ...row.request, ...row.allowedIf })).decision).toBe('Allowed');
      proven = true;
    }
    if (!proven) throw new Error(`implicitly denied row "${row.description}" needs allowedIf to show why it is denied`);
  });
});
