import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { accountRootArn, policyDocument, renderPolicy, type PolicyDocument, type PolicyStatement } from './policy-document';
import { KEY_USE_ACTIONS, keyAdministrationStatement } from './backup-kms-key';
import { dnsSuffixOf, partitionOf } from '../config/regions';

export interface ServiceKmsKeyProps {
  readonly description: string;
  readonly alias: string;
  readonly accountId: string;
  readonly region: string;
  /** Roles of this account that administer the key. */
  readonly adminRoleArns: string[];
  /** Services (e.g. `sns`, `lambda`, `sqs`) through which callers of this account may use the key. */
  readonly viaServices: string[];
  /**
   * Extra statements for service principals that use the key directly (e.g. CloudWatch Logs).
   * @default none
   */
  readonly serviceStatements?: PolicyStatement[];
}

/**
 * A rotating customer managed key for one account's own services: administered by named roles, used
 * by callers of the account only through the listed services, plus explicit service-principal grants.
 */
export class ServiceKmsKey extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;
  readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: ServiceKmsKeyProps) {
    super(scope, id);
    if (props.viaServices.length === 0 && (props.serviceStatements ?? []).length === 0) {
      throw new Error(`${this.node.path}: a key nobody may use: give viaServices or serviceStatements`);
    }
    const partition = partitionOf(props.region);
    const statements: PolicyStatement[] = [keyAdministrationStatement(partition, props.accountId, props.adminRoleArns)];
    if (props.viaServices.length > 0) {
      statements.push({
        Sid: 'UseThroughServicesInThisAccount',
        Effect: 'Allow',
        Principal: { AWS: accountRootArn(partition, props.accountId) },
        Action: [...KEY_USE_ACTIONS, 'kms:CreateGrant'],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': props.accountId,
            'kms:ViaService': [...props.viaServices].sort().map((s) => `${s}.${props.region}.${dnsSuffixOf(props.region)}`),
          },
        },
      });
    }
    statements.push(...(props.serviceStatements ?? []));
    this.policy = policyDocument(...statements);
    this.key = new KmsKey(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: renderPolicy(this.policy),
    });
    new KmsAlias(this, 'Alias', { name: props.alias, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
  }
}

/** Lets CloudWatch Logs encrypt this account's log groups (in this region) with the key. */
export function cloudWatchLogsKeyStatement(accountId: string, region: string): PolicyStatement {
  const partition = partitionOf(region);
  return {
    Sid: 'CloudWatchLogsOfThisAccount',
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.${dnsSuffixOf(region)}` },
    Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${accountId}:log-group:*` } },
  };
}
