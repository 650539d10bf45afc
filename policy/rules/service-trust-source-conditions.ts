import { compliant, forType, list, nonCompliant, notApplicable, statementsOf, type PolicyRule } from '../rule';

/**
 * Prowler iam_role_cross_service_confused_deputy_prevention: a role trusted by an AWS service
 * carries `aws:SourceAccount` or `aws:SourceArn`, so the service cannot be used as a confused deputy.
 */
export const serviceTrustSourceConditions: PolicyRule = {
  id: 'iam_role_cross_service_confused_deputy_prevention',
  name: 'ServiceTrustHasSourceConditions',
  fix: 'add a Condition on aws:SourceAccount (and aws:SourceArn where the service supports it) to the trust statement',
  check: forType('aws_iam_role', (r) => {
    const services = statementsOf(r.attributes.assume_role_policy).filter((s) => s.Effect === 'Allow' && typeof s.Principal === 'object' && s.Principal !== null && 'Service' in (s.Principal as object));
    if (services.length === 0) return notApplicable;
    const bare = services.filter((s) => !/aws:Source(Account|Arn)/.test(JSON.stringify(s.Condition ?? {})));
    return bare.length > 0 ? nonCompliant(`trusts ${bare.flatMap((s) => list((s.Principal as { Service: unknown }).Service)).join(', ')} without aws:SourceAccount/aws:SourceArn`) : compliant;
  }),
};
