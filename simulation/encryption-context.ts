/**
 * `kms:EncryptionContext:<key>` conditions, evaluated here: the IAM evaluator drops these context keys
 * for KMS actions (their key name is part of the condition key), so a statement conditioned on one
 * (CloudWatch Logs' use of a log group's key: `kms:EncryptionContext:aws:logs:arn`) would never match.
 * Before a request is simulated, each such condition of the governing key policy is decided against the
 * request's encryption context with IAM's operator semantics (StringEquals, StringLike, ArnEquals,
 * ArnLike; `IfExists`; case-sensitive; `*` and `?` wildcards for the *Like operators): a satisfied
 * condition is removed from its statement, an unsatisfied one removes the statement.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
 */
import type { PolicyDocumentJson, PolicyStatementJson } from './policy-model';

const PREFIX = 'kms:encryptioncontext:';

function like(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  return re.test(value);
}

function satisfied(operator: string, expected: string[], actual: string | undefined): boolean {
  const base = operator.replace(/IfExists$/, '');
  if (actual === undefined) return operator.endsWith('IfExists');
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringLike':
    case 'ArnLike':
      return expected.some((p) => like(p, actual));
    default:
      throw new Error(`condition operator ${operator} on an encryption context key is not evaluated by the rehearsal`);
  }
}

/** `doc` with its encryption-context conditions decided against `context` (keys as in the request). */
export function withEncryptionContextDecided(doc: PolicyDocumentJson, context: Record<string, string>): PolicyDocumentJson {
  const lower = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const statements: PolicyStatementJson[] = [];
  for (const statement of doc.Statement) {
    if (!statement.Condition) {
      statements.push(statement);
      continue;
    }
    let keep = true;
    const condition: NonNullable<PolicyStatementJson['Condition']> = {};
    for (const [operator, entries] of Object.entries(statement.Condition)) {
      const rest: Record<string, string | string[] | boolean> = {};
      for (const [key, value] of Object.entries(entries)) {
        if (!key.toLowerCase().startsWith(PREFIX)) {
          rest[key] = value;
          continue;
        }
        const holds = satisfied(operator, [value].flat().map(String), lower[key.toLowerCase()]);
        // A Deny whose condition holds applies unconditionally; an Allow whose condition fails never applies.
        if (!holds) keep = false;
      }
      if (Object.keys(rest).length > 0) condition[operator] = rest;
    }
    if (!keep) continue;
    const bare: PolicyStatementJson = { ...statement };
    delete bare.Condition;
    statements.push(Object.keys(condition).length > 0 ? { ...bare, Condition: condition } : bare);
  }
  return { ...doc, Statement: statements };
}

/** The request's `kms:EncryptionContext:*` entries, if any. */
export function encryptionContextOf(context: Record<string, string | string[] | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(context ?? {}).filter(([k, v]) => k.toLowerCase().startsWith(PREFIX) && typeof v === 'string') as [string, string][]);
}
