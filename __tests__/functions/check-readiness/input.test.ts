import { InvalidInputError, parseReadinessInput, readinessInputSchema, type ReadinessInput } from '../../../functions/check-readiness/input';
import { RESOURCE_TYPES } from '../../../functions/resource-types';
import { readinessFacts } from '../../helpers/functions/readiness-input';

const valid = (): Record<string, unknown> => ({
  ...readinessFacts(),
  workloads: [{ name: 'shop', accountId: '333333333333', rpoMinutes: 1440, rtoMinutes: 240, resourceTypes: ['EBS', 'RDS', 'EBS'] }],
});

const problem = (input: unknown): InvalidInputError => {
  try {
    parseReadinessInput(input);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('parsed');
};

describe('the readiness input contract (zod schema)', () => {
  it('parses the facts into the checks\' shape: in a fixed key order, resource types deduplicated, no servers as [], absent and null optional parts left out', () => {
    const input: Record<string, unknown> = { ...valid(), airGappedVault: null, unknown: 'dropped' };
    (input.workloads as Record<string, unknown>[])[0].restoreTesting = null;
    const parsed: ReadinessInput = parseReadinessInput(input);
    expect(JSON.stringify(parsed)).toBe(
      JSON.stringify({
        ...readinessFacts(),
        workloads: [{ name: 'shop', accountId: '333333333333', rpoMinutes: 1440, rtoMinutes: 240, resourceTypes: ['EBS', 'RDS'], servers: [] }],
      }),
    );
    expect(readinessInputSchema.safeParse(parsed).success).toBe(true);
  });

  it.each<[string, (i: Record<string, unknown>) => void, string]>([
    ['a missing field', (i) => delete i.estate, 'estate is missing'],
    ['an empty string', (i) => (i.region = ''), 'region is missing'],
    ['a string of the wrong form', (i) => (i.region = 'tokyo'), 'region must be an AWS Region such as "ap-northeast-1", got "tokyo"'],
    ['a number as a string', (i) => (i.drillLookbackDays = '40'), 'drillLookbackDays must be a number, got string'],
    ['a number out of range', (i) => (i.drillLookbackDays = 456), 'drillLookbackDays must be greater than 0 and at most 455, got 456'],
    ['an array for an object', (i) => (i.restoreVault = []), 'restoreVault must be an object, got array'],
    ['a role of another account', (i) => ((i.centralVault as Record<string, unknown>).readerRoleArn = 'arn:aws:iam::222222222222:role/x'), `centralVault.readerRoleArn must be a role of the central vault's account 111111111111, got "arn:aws:iam::222222222222:role/x"`],
    ['no workload', (i) => (i.workloads = []), 'workloads must list at least one workload'],
    ['a repeated workload', (i) => (i.workloads = [...(i.workloads as unknown[]), ...(i.workloads as unknown[])]), 'workloads[1].name repeats the workload "shop"'],
    ['a null workload', (i) => (i.workloads = [null]), 'workloads[0] is missing'],
    ['no resource type', (i) => ((i.workloads as Record<string, unknown>[])[0].resourceTypes = []), 'workloads[0].resourceTypes must list at least one AWS Backup resource type'],
    [
      'a resource type the estate does not protect',
      (i) => ((i.workloads as Record<string, unknown>[])[0].resourceTypes = ['EBS', 'DocumentDB']),
      `workloads[0].resourceTypes[1] must be an AWS Backup resource type of the estate (${RESOURCE_TYPES.join(', ')}), got "DocumentDB"`,
    ],
    ['a server without its AMI parameter', (i) => ((i.workloads as Record<string, unknown>[])[0].servers = [{ role: 'web', launchTemplateName: 'acme-shop-web', autoScalingGroupName: 'acme-shop-web' }]), 'workloads[0].servers[0].amiParameterName is missing'],
  ])('names the field of %s', (_name, change, message) => {
    const input = valid();
    change(input);
    const error = problem(input);
    expect(error.message).toBe(`Invalid input: ${message}`);
    expect(error.field).toBe(message.split(' ')[0]);
  });

  it('reports the first problem in the order the fields are checked: vaults, workloads, then the rest', () => {
    const input = { ...valid(), estate: 'BAD', restoreVault: { name: 'acme-dr-restore', accountId: '2' } };
    expect(problem(input).message).toBe('Invalid input: restoreVault.accountId must be a 12-digit AWS account ID, got "2"');
  });

  it('rejects anything but an object as the input', () => {
    for (const [input, type] of [[null, 'null'], [undefined, 'undefined'], [[], 'array'], ['{}', 'string']] as const) {
      expect(problem(input).message).toBe(`Invalid input: input must be an object, got ${type}`);
    }
  });
});
