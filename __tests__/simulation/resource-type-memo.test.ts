import * as path from 'path';
import { installed } from '../../simulation/resource-type-memo';
import { evaluatePolicies } from '../../simulation/evaluation';

type Lookup = ((service: string, action: string, resource: string) => Promise<{ key: string }[]>) & { memoOf?: Lookup };
const lookupModule = () =>
  require(path.join(path.dirname(require.resolve('@cloud-copilot/iam-simulate')), 'simulation_engine', 'resourceTypes.js')) as { getResourceTypesForAction: Lookup };

describe("iam-simulate's resource-type lookup, memoized", () => {
  it('is installed where the engine calls it, and answers as the library does', async () => {
    expect(installed).toBe(true);
    const lookup = lookupModule().getResourceTypesForAction;
    expect(lookup.memoOf).toEqual(expect.any(Function));
    const cases: [string, string, string][] = [
      ['ec2', 'AttachVolume', 'arn:aws:ec2:ap-northeast-1:222222222222:volume/vol-0123456789abcdef0'],
      ['ec2', 'AttachVolume', 'arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0123456789abcdef0'],
      ['backup', 'StartCopyJob', 'arn:aws:backup:ap-northeast-1:222222222222:recovery-point:5f6c1a2b-7d3e-4f80-9a1b-2c3d4e5f6a7b'],
      ['kms', 'Decrypt', 'arn:aws:kms:ap-northeast-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ];
    for (const [service, action, resource] of cases) {
      const memoized = await lookup(service, action, resource);
      expect(memoized.map((t) => t.key)).toEqual((await lookup.memoOf!(service, action, resource)).map((t) => t.key));
      expect(memoized.length).toBe(1);
      // The second call is the first one's answer.
      expect(lookup(service, action, resource)).toBe(lookup(service, action, resource));
    }
    expect((await lookup('ec2', 'AttachVolume', cases[0][2]))[0].key).toBe('volume');
    expect((await lookup('ec2', 'AttachVolume', cases[1][2]))[0].key).toBe('instance');
  });

  it('keeps no failed lookup: an unknown action fails every time', async () => {
    const lookup = lookupModule().getResourceTypesForAction;
    await expect(lookup('ec2', 'NoSuchAction', '*')).rejects.toThrow();
    await expect(lookup('ec2', 'NoSuchAction', '*')).rejects.toThrow();
  });

  it('leaves decisions as they were: an allow by resource type, a deny for another type', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:AttachVolume', Resource: 'arn:aws:ec2:*:*:volume/*' }] };
    const decide = async (resourceArn: string) =>
      (await evaluatePolicies({ principal: 'arn:aws:iam::222222222222:role/r', action: 'ec2:AttachVolume', resourceArn, resourceAccount: '222222222222', identityPolicies: [{ name: 'p', policy } as never], context: {} })).decision;
    expect(await decide('arn:aws:ec2:ap-northeast-1:222222222222:volume/vol-0123456789abcdef0')).toBe('Allowed');
    expect(await decide('arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0123456789abcdef0')).not.toBe('Allowed');
  });
});
