import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { accountRootArn, policyDocument, renderPolicy, type PolicyDocument } from './policy-document';
import { KEY_USE_ACTIONS, keyAdministrationStatement } from './backup-kms-key';
import { dnsSuffixOf, partitionOf } from '../config/regions';

export interface OnCallTopicProps {
  readonly topicName: string;
  readonly keyAlias: string;
  readonly accountId: string;
  readonly region: string;
  /** Roles that administer the topic's key. */
  readonly keyAdminRoleArns: string[];
  /** EventBridge rules allowed to publish. */
  readonly publisherRuleArns: string[];
  /** E-mail subscriptions. Default: none (subscribe a pager integration outside this stack). */
  readonly emailAddresses?: string[];
}

/**
 * SNS topic for on-call, encrypted with its own rotating key, to which only the estate's EventBridge
 * rules may publish.
 */
export class OnCallTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;
  readonly keyPolicy: PolicyDocument;
  readonly topicPolicy: PolicyDocument;

  constructor(scope: Construct, id: string, props: OnCallTopicProps) {
    super(scope, id);
    if (props.publisherRuleArns.length === 0) throw new Error(`${this.node.path}: publisherRuleArns must name at least one rule`);
    const partition = partitionOf(props.region);
    const derivedTopicArn = `arn:${partition}:sns:${props.region}:${props.accountId}:${props.topicName}`;
    this.keyPolicy = policyDocument(
      keyAdministrationStatement(partition, props.accountId, props.keyAdminRoleArns),
      {
        Sid: 'UseThroughSnsInThisAccount',
        Effect: 'Allow',
        Principal: { AWS: accountRootArn(partition, props.accountId) },
        Action: KEY_USE_ACTIONS,
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': props.accountId, 'kms:ViaService': `sns.${props.region}.${dnsSuffixOf(props.region)}` } },
      },
      {
        Sid: 'EventBridgeOfThisAccountPublishesEncrypted',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
      },
    );
    const key = new KmsKey(this, 'Key', {
      description: `Encrypts the on-call topic ${props.topicName}`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: renderPolicy(this.keyPolicy),
    });
    new KmsAlias(this, 'Alias', { name: props.keyAlias, targetKeyId: key.keyId });
    this.topic = new SnsTopic(this, 'Topic', { name: props.topicName, kmsMasterKeyId: key.arn });
    this.topicPolicy = policyDocument({
      Sid: 'EstateRulesPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: derivedTopicArn,
      Condition: { ArnEquals: { 'aws:SourceArn': [...props.publisherRuleArns].sort() } },
    });
    new SnsTopicPolicy(this, 'Policy', { arn: this.topic.arn, policy: renderPolicy(this.topicPolicy) });
    for (const email of [...new Set(props.emailAddresses ?? [])].sort()) {
      new SnsTopicSubscription(this, `Email-${email}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
    this.topicArn = this.topic.arn;
  }
}
