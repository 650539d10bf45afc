import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { policyDocument, renderPolicy, type Grantable, type PolicyDocument, type PolicyStatement } from './policy-document';
import { ServiceKmsKey } from './service-kms-key';
import { partitionOf } from '../config/regions';

export interface OnCallTopicProps {
  readonly topicName: string;
  readonly keyAlias: string;
  readonly accountId: string;
  readonly region: string;
  /** Roles that administer the topic's key. */
  readonly keyAdminRoleArns: string[];
  /** EventBridge rules allowed to publish. */
  readonly publisherRuleArns: string[];
  /**
   * CloudWatch alarms (ARN pattern, e.g. `arn:aws:cloudwatch:<region>:<account>:alarm:acme-*`) allowed to publish.
   * @default none
   */
  readonly publisherAlarmArnPattern?: string;
  /**
   * E-mail subscriptions.
   * @default none (subscribe a pager integration outside this stack)
   */
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
  /** The topic's key: publishers outside the event path (e.g. the recovery state machine) need it. */
  readonly keyArn: string;
  /** The topic's ARN derived from its name, account and region (the same string in every stack's output). */
  private readonly derivedTopicArn: string;

  constructor(scope: Construct, id: string, props: OnCallTopicProps) {
    super(scope, id);
    if (props.publisherRuleArns.length === 0) throw new Error(`${this.node.path}: publisherRuleArns must name at least one rule`);
    const derivedTopicArn = `arn:${partitionOf(props.region)}:sns:${props.region}:${props.accountId}:${props.topicName}`;
    this.derivedTopicArn = derivedTopicArn;
    const publishers = ['events.amazonaws.com', ...(props.publisherAlarmArnPattern ? ['cloudwatch.amazonaws.com'] : [])];
    const key = new ServiceKmsKey(this, 'Key', {
      description: `Encrypts the on-call topic ${props.topicName}`,
      alias: props.keyAlias,
      accountId: props.accountId,
      region: props.region,
      adminRoleArns: props.keyAdminRoleArns,
      viaServices: ['sns'],
      serviceStatements: [
        {
          Sid: 'PublishersOfThisAccountEncrypt',
          Effect: 'Allow',
          Principal: { Service: publishers },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ],
    });
    this.keyPolicy = key.policy;
    this.keyArn = key.keyArn;
    this.topic = new SnsTopic(this, 'Topic', { name: props.topicName, kmsMasterKeyId: key.keyArn });
    const statements: PolicyStatement[] = [
      {
        Sid: 'EstateRulesPublish',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: derivedTopicArn,
        Condition: { ArnEquals: { 'aws:SourceArn': [...props.publisherRuleArns].sort() } },
      },
    ];
    if (props.publisherAlarmArnPattern) {
      statements.push({
        Sid: 'EstateAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: derivedTopicArn,
        Condition: { ArnLike: { 'aws:SourceArn': props.publisherAlarmArnPattern }, StringEquals: { 'aws:SourceAccount': props.accountId } },
      });
    }
    this.topicPolicy = policyDocument(...statements);
    new SnsTopicPolicy(this, 'Policy', { arn: this.topic.arn, policy: renderPolicy(this.topicPolicy) });
    for (const email of [...new Set(props.emailAddresses ?? [])].sort()) {
      new SnsTopicSubscription(this, `Email-${email}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
    this.topicArn = this.topic.arn;
  }

  /**
   * Lets `grantee` publish to the topic: `sns:Publish` on it, and its key for SNS to encrypt the
   * message with, which a publisher to an encrypted topic needs as well
   * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse).
   */
  grantPublish(grantee: Grantable, sid = 'PublishToOnCallTopic'): void {
    for (const statement of onCallPublishStatements(this.derivedTopicArn, this.keyArn, sid)) grantee.addToPrincipalPolicy(statement);
  }
}

/**
 * The statements {@link OnCallTopic.grantPublish} grants, for a policy that is written whole, in one
 * order, where the topic is known by its ARNs (the state machines' execution roles): `sns:Publish` on
 * the topic and its key for SNS to encrypt with.
 */
export function onCallPublishStatements(topicArn: string, keyArn: string, sid = 'PublishToOnCallTopic'): [PolicyStatement, PolicyStatement] {
  return [
    { Sid: sid, Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn },
    { Sid: 'EncryptForOnCallTopic', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: keyArn },
  ];
}
