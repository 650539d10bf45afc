import { compliant, list, nonCompliant, notApplicable, statementsOf, type PolicyRule } from '../rule';
import { IDENTITY_POLICY_ATTRIBUTES } from './identity-policies';

/** Checkov CKV_AWS_63 (and CKV_AWS_62 for `*:*`): no IAM statement allows every action, or every action of a service. */
export const iamNoWildcardAction: PolicyRule = {
  id: 'CKV_AWS_63',
  name: 'IamNoWildcardAction',
  fix: 'list the actions the principal calls instead of "*" or "service:*"',
  check: (r) => {
    const attribute = IDENTITY_POLICY_ATTRIBUTES[r.type];
    if (!attribute) return notApplicable;
    const wild = statementsOf(r.attributes[attribute])
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Action))
      .filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a));
    return wild.length > 0 ? nonCompliant(`allows ${wild.map((a) => `"${a}"`).join(', ')}`) : compliant;
  },
};
