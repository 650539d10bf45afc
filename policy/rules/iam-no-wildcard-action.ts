import { compliant, list, nonCompliant, type PolicyRule } from '../rule';
import { forIdentityPolicyAllows } from './identity-policies';

/** Checkov CKV_AWS_63 (and CKV_AWS_62 for `*:*`): no IAM statement allows every action, or every action of a service. */
export const iamNoWildcardAction: PolicyRule = {
  id: 'CKV_AWS_63',
  name: 'IamNoWildcardAction',
  fix: 'list the actions the principal calls instead of "*" or "service:*"',
  check: forIdentityPolicyAllows((allows) => {
    const wild = allows
      .flatMap((s) => list(s.Action))
      .filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a));
    return wild.length > 0 ? nonCompliant(`allows ${wild.map((a) => `"${a}"`).join(', ')}`) : compliant;
  }),
};
