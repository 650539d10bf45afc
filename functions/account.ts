/** AWS account IDs and the role ARNs that name them, shared by the functions' input parsing (esbuild bundles it into each). */
import { optionalString } from './input-values';

/** A 12-digit AWS account ID. */
export const ACCOUNT_ID = /^\d{12}$/;
/** {@link ACCOUNT_ID} inside a larger pattern (an ARN's account field). */
export const ACCOUNT_ID_PART = '\\d{12}';
export const ACCOUNT_ID_EXPECTED = 'a 12-digit AWS account ID';

/** An IAM role ARN; group 2 is its account. */
export const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@/-]{1,64}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** As {@link requiredAccountId}, but absent, null or empty is `undefined`. */
export function optionalAccountId(value: unknown, field: string): string | undefined {
  return optionalString(value, field, ACCOUNT_ID, ACCOUNT_ID_EXPECTED);
}

/** The account of an IAM role ARN, `undefined` for anything else. */
export function roleAccount(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[2];
}

