import { compliant, forType, notApplicable, type SynthesizedResource } from '../../policy/rule';
import { forIdentityPolicyAllows } from '../../policy/rules/identity-policies';

const resource = (type: string, attributes: Record<string, unknown> = {}): SynthesizedResource => ({ type, path: 'p', address: `${type}.x`, attributes });

describe('forType', () => {
  const check = forType('aws_kms_key', () => compliant);

  it('checks resources of its type', () => {
    expect(check(resource('aws_kms_key'), [])).toBe(compliant);
  });

  it('finds every other resource not applicable', () => {
    expect(check(resource('aws_sqs_queue'), [])).toBe(notApplicable);
  });
});

describe('forIdentityPolicyAllows', () => {
  const seen: Record<string, unknown>[][] = [];
  const check = forIdentityPolicyAllows((allows) => {
    seen.push(allows);
    return compliant;
  });

  it('hands over the Allow statements of an identity policy only', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'a:B' }, { Effect: 'Deny', Action: '*' }] });
    expect(check(resource('aws_iam_role_policy', { policy }), [])).toBe(compliant);
    expect(seen.pop()).toEqual([{ Effect: 'Allow', Action: 'a:B' }]);
  });

  it('finds resources without an identity policy not applicable', () => {
    expect(check(resource('aws_iam_role', { assume_role_policy: '{}' }), [])).toBe(notApplicable);
    expect(seen).toEqual([]);
  });
});
