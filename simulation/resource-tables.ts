/**
 * Extraction tables: where a synthesized resource type carries a policy and what that policy
 * protects (`POLICY_SOURCES`), and how the ARN and other token attributes of resources and data
 * sources are derived (`RESOURCE_TYPES`, `DATA_SOURCES`).
 */
import { dnsSuffixOf } from './arns';

/** Where a synthesized resource lives: its stack, address parts, account, region and partition. */
export interface ResourcePlace {
  readonly stack: string;
  readonly type: string;
  /** Terraform logical name (`aws_kms_key.<logicalName>`). */
  readonly logicalName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** Where a synthesized resource lives and how to read its (token-resolved) attributes. */
export interface ResolvedResource extends ResourcePlace {
  /** Attribute value with every resolvable Terraform token replaced (undefined when absent or not a string). */
  attr(key: string): string | undefined;
  /** This resource's own ARN (from `RESOURCE_TYPES`). */
  arn(): string;
  /**
   * ARN of a resource of `type` named `nameOrArn` in this resource's account and region: `nameOrArn`
   * itself when it already is an ARN; the synthesized resource's ARN when one of that name exists in
   * the same stack (so e.g. IAM role paths are honoured); otherwise built from `RESOURCE_TYPES`.
   */
  arnOf(type: string, nameOrArn: string | undefined): string;
}

/** How a policy attribute of a resource type is read. */
export interface PolicySource {
  /** Terraform resource type. */
  readonly type: string;
  /** Attribute holding the policy JSON. */
  readonly attribute: string;
  /**
   * `resource`: resource-based policy (vault, key, trust, queue, bus, topic ...) protecting `target`;
   * `identity`: policy attached to the principal `target`;
   * `managed`: customer managed policy whose ARN is `target`, attached by `aws_iam_*_policy_attachment`.
   */
  readonly kind: 'resource' | 'identity' | 'managed';
  /** ARN of the protected resource / the principal / the managed policy. */
  readonly target: (r: ResolvedResource) => string;
}

/**
 * Every policy the harness reads. Adding a resource type that carries a policy is one line here.
 */
export const POLICY_SOURCES: PolicySource[] = [
  { type: 'aws_backup_vault_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_backup_vault', r.attr('backup_vault_name')) },
  { type: 'aws_kms_key', attribute: 'policy', kind: 'resource', target: (r) => r.arn() },
  { type: 'aws_iam_role', attribute: 'assume_role_policy', kind: 'resource', target: (r) => r.arn() },
  { type: 'aws_iam_role_policy', attribute: 'policy', kind: 'identity', target: (r) => r.arnOf('aws_iam_role', r.attr('role')) },
  { type: 'aws_iam_policy', attribute: 'policy', kind: 'managed', target: (r) => r.arn() },
  { type: 'aws_cloudwatch_event_bus_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_cloudwatch_event_bus', r.attr('event_bus_name') ?? 'default') },
  { type: 'aws_sqs_queue_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_sqs_queue', sqsQueueNameOf(r.attr('queue_url'))) },
  { type: 'aws_sns_topic_policy', attribute: 'policy', kind: 'resource', target: (r) => r.arnOf('aws_sns_topic', r.attr('arn')) },
  // Not modelled: aws_lambda_permission (one statement per resource, not a policy document).
];

/** Location and names from which ARNs and token attributes are derived. */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly logicalName: string;
  /** The resource's name (`nameAttribute`, default `name`), token-resolved; the logical name if absent. */
  readonly name: string;
  attr(key: string): string | undefined;
}

export interface ResourceType {
  /** Attribute holding the resource's name. Default `name`. */
  readonly nameAttribute?: string;
  /** Not regional (IAM, S3 bucket names): a name identifies the resource in any region of the account. */
  readonly global?: boolean;
  readonly arn: (c: ArnContext) => string;
  /** Token attributes other than `arn` and the name attribute (e.g. `key_id`, `url`, `id`). */
  readonly attributes?: Record<string, (c: ArnContext) => string>;
}

const iamPath = (c: ArnContext): string => {
  const p = c.attr('path') ?? '/';
  return p.endsWith('/') ? p : `${p}/`;
};

/**
 * How to derive the ARN (and other token attributes) of resources referenced as
 * `${<type>.<name>.<attribute>}`. KMS keys get a deterministic fake key id: their logical name.
 */
export const RESOURCE_TYPES: Record<string, ResourceType> = {
  aws_iam_role: { global: true, arn: (c) => `arn:${c.partition}:iam::${c.account}:role${iamPath(c)}${c.name}`, attributes: { id: (c) => c.name, unique_id: (c) => `AROA${c.logicalName}` } },
  aws_iam_policy: { global: true, arn: (c) => `arn:${c.partition}:iam::${c.account}:policy${iamPath(c)}${c.name}` },
  aws_kms_key: { arn: (c) => `arn:${c.partition}:kms:${c.region}:${c.account}:key/${c.logicalName}`, attributes: { key_id: (c) => c.logicalName, id: (c) => c.logicalName } },
  aws_kms_alias: { arn: (c) => `arn:${c.partition}:kms:${c.region}:${c.account}:${c.name}` },
  aws_backup_vault: { arn: (c) => `arn:${c.partition}:backup:${c.region}:${c.account}:backup-vault:${c.name}`, attributes: { id: (c) => c.name } },
  // Same `backup-vault:` ARN form; its access policy is an aws_backup_vault_policy naming it, like a standard vault's.
  aws_backup_logically_air_gapped_vault: { arn: (c) => `arn:${c.partition}:backup:${c.region}:${c.account}:backup-vault:${c.name}`, attributes: { id: (c) => c.name } },
  aws_cloudwatch_event_bus: { arn: (c) => `arn:${c.partition}:events:${c.region}:${c.account}:event-bus/${c.name}`, attributes: { id: (c) => c.name } },
  aws_sqs_queue: {
    arn: (c) => `arn:${c.partition}:sqs:${c.region}:${c.account}:${c.name}`,
    attributes: { url: (c) => sqsUrl(c), id: (c) => sqsUrl(c) },
  },
  aws_sns_topic: { arn: (c) => `arn:${c.partition}:sns:${c.region}:${c.account}:${c.name}`, attributes: { id: (c) => RESOURCE_TYPES.aws_sns_topic.arn(c) } },
  aws_lambda_function: { nameAttribute: 'function_name', arn: (c) => `arn:${c.partition}:lambda:${c.region}:${c.account}:function:${c.name}` },
  aws_sfn_state_machine: { arn: (c) => `arn:${c.partition}:states:${c.region}:${c.account}:stateMachine:${c.name}` },
  // AWS appends a UUID to a connection's ARN: the logical name stands in for it.
  aws_cloudwatch_event_connection: { arn: (c) => `arn:${c.partition}:events:${c.region}:${c.account}:connection/${c.name}/${c.logicalName}` },
  aws_s3_bucket: { global: true, nameAttribute: 'bucket', arn: (c) => `arn:${c.partition}:s3:::${c.name}`, attributes: { id: (c) => c.name } },
};

/** Data sources referenced as `${data.<type>.<name>.<attribute>}`. */
export const DATA_SOURCES: Record<string, Record<string, (c: ArnContext) => string>> = {
  aws_caller_identity: { account_id: (c) => c.account, id: (c) => c.account },
  aws_partition: { partition: (c) => c.partition, dns_suffix: (c) => dnsSuffixOf(c.partition) },
  aws_region: { name: (c) => c.region, region: (c) => c.region, id: (c) => c.region },
};

function sqsUrl(c: ArnContext): string {
  return `https://sqs.${c.region}.${dnsSuffixOf(c.partition)}/${c.account}/${c.name}`;
}

function sqsQueueNameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.startsWith('arn:') ? url : url.split('/').pop();
}
