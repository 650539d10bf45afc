import { compliant, forType, list, nonCompliant, notApplicable, statementsOf, type PolicyRule } from '../rule';

/**
 * Checkov CKV_AWS_61: a trust policy does not let a whole account (`:root`) assume the role. Trusting
 * the root is accepted only when `aws:PrincipalArn` names the roles and `aws:PrincipalOrgID` the
 * organization (roles that may not exist yet cannot be named as principals).
 */
export const crossAccountTrustConditions: PolicyRule = {
  id: 'CKV_AWS_61',
  name: 'CrossAccountTrustNamesRoles',
  fix: 'trust role ARNs, or keep the account root only with aws:PrincipalArn and aws:PrincipalOrgID conditions',
  check: forType('aws_iam_role', (r) => {
    const roots = statementsOf(r.attributes.assume_role_policy).filter(
      (s) => s.Effect === 'Allow' && (s.Principal === '*' || list((s.Principal as { AWS?: unknown } | undefined)?.AWS).some((p) => p === '*' || p.endsWith(':root'))),
    );
    if (roots.length === 0) return notApplicable;
    const unscoped = roots.filter((s) => {
      const c = JSON.stringify(s.Condition ?? {});
      return !(c.includes('aws:PrincipalArn') && c.includes('aws:PrincipalOrgID'));
    });
    return unscoped.length > 0 ? nonCompliant('trusts an account root or "*" without aws:PrincipalArn and aws:PrincipalOrgID conditions') : compliant;
  }),
};
