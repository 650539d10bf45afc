import { editStatement, type PolicyEdit, type PolicyMutation } from './synth-mutations';

// Most mutations break a role's trust policy or one of its inline policies; naming the two keeps each case to the role and the edit.

type Target = Omit<PolicyMutation, 'stack'>;

export const roleTrust = (resource: string, edit: PolicyEdit): Target => ({ type: 'aws_iam_role', resource, attribute: 'assume_role_policy', edit });

export const rolePolicy = (resource: string, edit: PolicyEdit): Target => ({ type: 'aws_iam_role_policy', resource, attribute: 'policy', edit });

/** A service trust narrowed to another account (aws:SourceAccount): the service can no longer assume the role for this account. */
export const trustServiceOfAnotherAccount: PolicyEdit = editStatement('AllowServiceForThisAccountOnly', (s) => ({ ...s, Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }));
