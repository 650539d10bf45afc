import { ADMINISTRATOR_ACCESS, buildPolicyModel, type PolicyModel } from '../../simulation/policy-model';
import { exampleInput, synthEstate } from '../helpers/synth';
import { DR, ORG, OUTSIDER, REC, role, SHOP, SHOP_REGION, VAULT, type Row } from '../../simulation/access-rows/principals';

/**
 * Who may put events on the DR bus, what the forwarding role can do, and who may write to the
 * dead-letter queues and the on-call topic: evaluated on the synthesized policies.
 */
const ORG_MEMBER_NOT_LISTED = '777777777777';

const BUS = `arn:aws:events:${REC}:${DR}:event-bus/dr-events`;
const DEFAULT_BUS = `arn:aws:events:${REC}:${DR}:event-bus/default`;
const SHOP_FORWARDER = role(SHOP, 'acme-event-forwarder');
const VAULT_FORWARDER = role(VAULT, 'acme-event-forwarder');
const SHOP_DLQ = `arn:aws:sqs:${SHOP_REGION}:${SHOP}:acme-event-forwarding-dlq`;
const SHOP_RULE = (name: string) => `arn:aws:events:${SHOP_REGION}:${SHOP}:rule/${name}`;
const TOPIC = `arn:aws:sns:${REC}:${DR}:acme-dr-on-call`;
const EVENTS = 'events.amazonaws.com';

const ROWS: Row[] = [
  // ---- the DR bus policy, with the forwarder's own identity policy ------------------------------------
  { description: 'workload forwarding role puts events on the DR bus', request: { principalArn: SHOP_FORWARDER, action: 'events:PutEvents', resourceArn: BUS }, expected: 'Allowed' },
  { description: 'backup-vault forwarding role puts events on the DR bus', request: { principalArn: VAULT_FORWARDER, action: 'events:PutEvents', resourceArn: BUS }, expected: 'Allowed' },
  {
    description: 'an org account not listed in the config cannot put events, even with a role of the forwarder name',
    request: { principalArn: role(ORG_MEMBER_NOT_LISTED, 'acme-event-forwarder'), identityPolicies: [ADMINISTRATOR_ACCESS], action: 'events:PutEvents', resourceArn: BUS, principalOrgId: ORG },
    expected: 'Denied',
  },
  {
    description: 'an account outside the organization cannot put events',
    request: { principalArn: role(OUTSIDER, 'acme-event-forwarder'), identityPolicies: [ADMINISTRATOR_ACCESS], action: 'events:PutEvents', resourceArn: BUS },
    expected: 'Denied',
  },
  {
    description: 'a listed account that left the organization cannot put events',
    request: { principalArn: SHOP_FORWARDER, action: 'events:PutEvents', resourceArn: BUS, principalOrgId: null },
    expected: 'Denied',
  },
  {
    description: 'an admin of a listed workload account (not the forwarder) cannot put events',
    request: { principalArn: role(SHOP, 'admin'), identityPolicies: [ADMINISTRATOR_ACCESS], action: 'events:PutEvents', resourceArn: BUS },
    expected: 'Denied',
  },
  { description: 'the forwarding role cannot put events on any other bus', request: { principalArn: SHOP_FORWARDER, action: 'events:PutEvents', resourceArn: DEFAULT_BUS, allowUnknownResource: true }, expected: 'Denied' },
  {
    description: 'the forwarding role cannot change the recovery rule on the DR bus',
    request: { principalArn: SHOP_FORWARDER, action: 'events:PutRule', resourceArn: `arn:aws:events:${REC}:${DR}:rule/dr-events/acme-recovery-worthy`, allowUnknownResource: true },
    expected: 'Denied',
  },
  {
    description: 'the forwarding role cannot put events on its own account bus either',
    request: { principalArn: SHOP_FORWARDER, action: 'events:PutEvents', resourceArn: `arn:aws:events:${SHOP_REGION}:${SHOP}:event-bus/default`, allowUnknownResource: true },
    expected: 'Denied',
  },

  // ---- forwarding role trust ----------------------------------------------------------------------
  {
    description: "EventBridge assumes the forwarding role for an estate rule of the role's account",
    request: { principalArn: EVENTS, action: 'sts:AssumeRole', resourceArn: SHOP_FORWARDER, sourceAccount: SHOP, sourceArn: SHOP_RULE('acme-health-s3') },
    expected: 'Allowed',
  },
  {
    description: 'EventBridge cannot assume the forwarding role for a rule of another account (confused deputy)',
    request: { principalArn: EVENTS, action: 'sts:AssumeRole', resourceArn: SHOP_FORWARDER, sourceAccount: OUTSIDER, sourceArn: `arn:aws:events:${SHOP_REGION}:${OUTSIDER}:rule/acme-health-s3` },
    expected: 'Denied',
  },
  {
    description: 'EventBridge cannot assume the forwarding role for a rule outside the estate prefix',
    request: { principalArn: EVENTS, action: 'sts:AssumeRole', resourceArn: SHOP_FORWARDER, sourceAccount: SHOP, sourceArn: SHOP_RULE('someone-elses-rule') },
    expected: 'Denied',
  },

  // ---- dead-letter queue --------------------------------------------------------------------------
  {
    description: 'EventBridge sends a failed event of an estate rule to the DLQ',
    request: { principalArn: EVENTS, action: 'sqs:SendMessage', resourceArn: SHOP_DLQ, sourceAccount: SHOP, sourceArn: SHOP_RULE('acme-health-s3') },
    expected: 'Allowed',
  },
  {
    description: 'EventBridge cannot send to the DLQ on behalf of another rule',
    request: { principalArn: EVENTS, action: 'sqs:SendMessage', resourceArn: SHOP_DLQ, sourceAccount: SHOP, sourceArn: SHOP_RULE('unrelated-rule') },
    expected: 'Denied',
  },
  {
    description: 'an admin of another account cannot write to the DLQ',
    request: { principalArn: role(OUTSIDER, 'admin'), identityPolicies: [ADMINISTRATOR_ACCESS], action: 'sqs:SendMessage', resourceArn: SHOP_DLQ },
    expected: 'Denied',
  },

  // ---- on-call topic ------------------------------------------------------------------------------
  {
    description: 'the incident rule publishes to the on-call topic',
    request: { principalArn: EVENTS, action: 'sns:Publish', resourceArn: TOPIC, sourceAccount: DR, sourceArn: `arn:aws:events:${REC}:${DR}:rule/dr-events/acme-incidents-to-on-call` },
    expected: 'Allowed',
  },
  {
    description: 'a rule of another account cannot publish to the on-call topic',
    request: { principalArn: EVENTS, action: 'sns:Publish', resourceArn: TOPIC, sourceAccount: SHOP, sourceArn: SHOP_RULE('acme-health-s3') },
    expected: 'Denied',
  },
  {
    description: 'an estate alarm of the DR account publishes to the on-call topic',
    request: { principalArn: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resourceArn: TOPIC, sourceAccount: DR, sourceArn: `arn:aws:cloudwatch:${REC}:${DR}:alarm:acme-attach-restored-volume-errors` },
    expected: 'Allowed',
  },
  {
    description: 'an alarm of another project cannot publish to the on-call topic',
    request: { principalArn: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resourceArn: TOPIC, sourceAccount: DR, sourceArn: `arn:aws:cloudwatch:${REC}:${DR}:alarm:other-project-alarm` },
    expected: 'Denied',
  },
];

describe('IAM simulation: event plumbing', () => {
  let model: PolicyModel;
  beforeAll(() => {
    model = buildPolicyModel(synthEstate(exampleInput()), { organizationId: ORG, extraOrganizationAccounts: [ORG_MEMBER_NOT_LISTED] });
  });

  it.each(ROWS.map((r) => [r.description, r] as const))('%s', async (_d, row) => {
    const outcome = await model.simulate(row.request);
    expect(outcome.decision).toBe(row.expected);
  });

  it('denies the forwarder once the bus policy statement is removed (the Allowed rows depend on it)', async () => {
    const bus = model.policies.find((p) => p.id.includes('aws_cloudwatch_event_bus_policy'))!;
    const without = model.withoutStatements(bus.id, 'EstateForwardersPutEvents');
    expect((await without.simulate(ROWS[0].request)).decision).toBe('Denied');
  });
});

describe('IAM simulation: a generated 25-workload estate', () => {
  const accounts = Array.from({ length: 25 }, (_, i) => String(500000000000 + i));
  let model: PolicyModel;
  beforeAll(() => {
    const cfg = exampleInput() as Record<string, any>;
    const template = cfg.workloads[0];
    cfg.workloads = accounts.map((id, i) => ({
      ...structuredClone(template),
      name: `app${i}`,
      accountId: id,
      roleArn: `arn:aws:iam::${id}:role/terraform-dr`,
      servers: [{ role: `srv${i}`, amiId: 'ami-0123456789abcdef0', instanceType: 'm7g.large' }],
      failback: undefined, // the example's failback names shop's own key, subnets and security groups
    }));
    model = buildPolicyModel(synthEstate(cfg), { organizationId: ORG, extraOrganizationAccounts: [ORG_MEMBER_NOT_LISTED] });
  });

  it.each(accounts.filter((_, i) => i % 6 === 0))('workload %s forwards to the DR bus and copies into the central vault', async (account) => {
    expect((await model.simulate({ principalArn: role(account, 'acme-event-forwarder'), action: 'events:PutEvents', resourceArn: BUS })).decision).toBe('Allowed');
    const backupRole = role(account, `acme-app${accounts.indexOf(account)}-backup`);
    const copy = await model.simulate({
      principalArn: backupRole,
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'backup:CopyIntoBackupVault', Resource: '*' }] }],
      action: 'backup:CopyIntoBackupVault',
      resourceArn: `arn:aws:backup:${REC}:${VAULT}:backup-vault:acme-central`,
    });
    expect(copy.decision).toBe('Allowed');
  });

  it('still refuses the unlisted org account and the outsider', async () => {
    for (const account of [ORG_MEMBER_NOT_LISTED, OUTSIDER]) {
      const outcome = await model.simulate({ principalArn: role(account, 'acme-event-forwarder'), identityPolicies: [ADMINISTRATOR_ACCESS], action: 'events:PutEvents', resourceArn: BUS });
      expect(outcome.decision).toBe('Denied');
    }
  });
});
