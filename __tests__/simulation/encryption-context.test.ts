import { encryptionContextOf, withEncryptionContextDecided } from '../../simulation/encryption-context';
import type { PolicyDocumentJson } from '../../simulation/policy-model';

const doc = (condition: Record<string, Record<string, string | string[]>>, effect: 'Allow' | 'Deny' = 'Allow'): PolicyDocumentJson => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Other', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' },
    { Sid: 'Logs', Effect: effect, Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { ...condition, StringEquals: { 'aws:SourceAccount': '222222222222' } } },
  ],
});
const LOG_GROUP = { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-northeast-1:222222222222:log-group:/aws/lambda/x' };

describe('encryption-context conditions decided before simulation', () => {
  it('removes a satisfied ArnLike condition and keeps the statement with its other conditions', () => {
    const out = withEncryptionContextDecided(doc({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-northeast-1:222222222222:log-group:*' } }), LOG_GROUP);
    expect(out.Statement.map((s) => s.Sid)).toEqual(['Other', 'Logs']);
    expect(out.Statement[1].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '222222222222' } });
  });

  it('drops an Allow whose condition fails (another account, another value, an absent key)', () => {
    expect(withEncryptionContextDecided(doc({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:*:999999999999:log-group:*' } }), LOG_GROUP).Statement.map((s) => s.Sid)).toEqual(['Other']);
    expect(withEncryptionContextDecided(doc({ ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:other' } }), LOG_GROUP).Statement.map((s) => s.Sid)).toEqual(['Other']);
    expect(withEncryptionContextDecided(doc({ StringLike: { 'kms:EncryptionContext:Department': 'IT*' } }), LOG_GROUP).Statement.map((s) => s.Sid)).toEqual(['Other']);
  });

  it('IfExists holds for an absent key; a Deny whose condition holds applies unconditionally on that key', () => {
    expect(withEncryptionContextDecided(doc({ StringEqualsIfExists: { 'kms:EncryptionContext:Department': 'IT' } }), LOG_GROUP).Statement.map((s) => s.Sid)).toEqual(['Other', 'Logs']);
    const deny = withEncryptionContextDecided(doc({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': '*' } }, 'Deny'), LOG_GROUP);
    expect(deny.Statement[1]).toMatchObject({ Effect: 'Deny', Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } });
  });

  it('refuses an operator it does not evaluate, rather than guessing', () => {
    expect(() => withEncryptionContextDecided(doc({ StringNotEquals: { 'kms:EncryptionContext:aws:logs:arn': 'x' } }), LOG_GROUP)).toThrow(/StringNotEquals on an encryption context key is not evaluated/);
  });

  it('reads only the encryption-context keys of a request context', () => {
    expect(encryptionContextOf({ ...LOG_GROUP, 'aws:SourceAccount': '1', other: undefined })).toEqual(LOG_GROUP);
  });
});
