import { compliant, list, nonCompliant, type PolicyRule } from '../rule';
import { forIdentityPolicyAllows, hasNoResourceLevelPermissions } from './identity-policies';

/** Checkov CKV_AWS_355: no `"*"` resource where the actions support a narrower one. */
export const iamNoWildcardResource: PolicyRule = {
  id: 'CKV_AWS_355',
  name: 'IamNoWildcardResourceWhereNarrowerExists',
  fix: 'name the resource ARNs (or patterns) the actions apply to; keep "*" only for actions without resource-level permissions',
  check: forIdentityPolicyAllows((allows) => {
    const offending = allows
      .filter((s) => list(s.Resource).includes('*'))
      .flatMap((s) => list(s.Action).filter((a) => !hasNoResourceLevelPermissions(a)));
    return offending.length > 0 ? nonCompliant(`"*" resource for ${offending.join(', ')}, which support resource-level permissions`) : compliant;
  }),
};
