/**
 * Keys in the rehearsal's model, and the KMS requests services make on a caller's behalf. Each rule
 * cites the AWS page it comes from; the rehearsal evaluates every request against the key policy and
 * the caller's identity policies (`authorization.ts`).
 */
import type { IamRequest } from './authorization';
import type { ResourceType } from './dr-account';

/** A key the model knows: a customer managed key (ARN), an AWS managed key (`alias/aws/<service>`) or AWS owned (`aws-owned`). */
export type KeyRef = string;

export const AWS_OWNED_KEY: KeyRef = 'aws-owned';

/**
 * Only customer managed keys have a key policy the estate controls. AWS managed keys
 * (`alias/aws/ebs`, ...) allow every principal of their account through their service, and AWS owned
 * keys (the logically air-gapped vault's) are used by the service itself: AWS evaluates nothing the
 * estate could get wrong (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt).
 */
export function isCustomerManaged(key: KeyRef | undefined): key is string {
  return key !== undefined && /^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\//.test(key);
}

/** `<service>.<region>.amazonaws.com`, the value of `kms:ViaService`. */
export const viaService = (service: string, region: string) => `${service}.${region}.amazonaws.com`;

/**
 * Using an EBS volume encrypted with a customer managed key (AttachVolume, CreateVolume, RunInstances):
 * EC2 calls KMS with the caller's credentials, so the caller needs `kms:CreateGrant` (AWS recommends
 * only with `kms:GrantIsForAWSResource`), `kms:Decrypt` and `kms:DescribeKey` on the key, through EC2.
 * EBS User Guide, "Permissions for IAM users": https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html
 * (aws-cdk-lib's `Volume.grantAttachVolume` grants this for the same reason).
 */
export function ebsKeyUse(key: KeyRef | undefined, region: string, onBehalfOf: string): IamRequest[] {
  if (!isCustomerManaged(key)) return [];
  const via = viaService('ec2', region);
  return [
    { action: 'kms:CreateGrant', resource: key, viaService: via, grantIsForAwsResource: true, onBehalfOf },
    { action: 'kms:Decrypt', resource: key, viaService: via, onBehalfOf },
    { action: 'kms:DescribeKey', resource: key, viaService: via, onBehalfOf },
  ];
}

/** The service through which a restore of `type` uses its keys (`kms:ViaService`). */
const RESTORED_SERVICE: Record<ResourceType, string> = { EBS: 'ec2', EC2: 'ec2', RDS: 'rds', Aurora: 'rds', DynamoDB: 'dynamodb', EFS: 'elasticfilesystem', S3: 's3', FSx: 'fsx' };

/**
 * Amazon FSx uses a customer managed key through grants it creates with the caller's credentials
 * (FSx user guides, "How Amazon FSx uses AWS KMS": the caller needs kms:CreateGrant and
 * kms:DescribeKey), not through Decrypt calls of the caller.
 */
const GRANT_ONLY: ReadonlySet<ResourceType> = new Set(['FSx']);

/**
 * A restore job: AWS Backup assumes the restore role (its trust policy, with `aws:SourceAccount`), and
 * the restored service uses the recovery point's key (decrypt) and the key the new resource is
 * encrypted with, with the restore role's credentials and a grant for the new resource.
 * AWS Backup Developer Guide, "Encryption for backups in AWS Backup" and "Restoring a backup":
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-a-backup.html
 */
export function restoreJobRequests(input: { type: ResourceType; region: string; account: string; restoreRoleArn: string; pointKey?: KeyRef; targetKey?: KeyRef }): { principal: string; request: IamRequest }[] {
  const via = viaService(RESTORED_SERVICE[input.type], input.region);
  const onBehalfOf = `backup:StartRestoreJob (${input.type})`;
  const out: { principal: string; request: IamRequest }[] = [
    {
      principal: 'backup.amazonaws.com',
      request: { action: 'sts:AssumeRole', resource: input.restoreRoleArn, sourceAccount: input.account, onBehalfOf },
    },
  ];
  const keys = [...new Set([input.pointKey, input.targetKey].filter(isCustomerManaged))];
  for (const key of keys) {
    const actions = GRANT_ONLY.has(input.type) ? ['kms:DescribeKey'] : ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'];
    for (const action of actions) out.push({ principal: input.restoreRoleArn, request: { action, resource: key, viaService: via, onBehalfOf } });
    out.push({ principal: input.restoreRoleArn, request: { action: 'kms:CreateGrant', resource: key, viaService: via, grantIsForAwsResource: true, onBehalfOf } });
  }
  return out;
}

/**
 * Publishing to an SNS topic encrypted with a customer managed key: the publisher needs
 * `kms:GenerateDataKey*` and `kms:Decrypt` on the topic's key (SNS Developer Guide, "Encryption at rest":
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse).
 */
export function snsPublishKeyUse(key: KeyRef | undefined, region: string): IamRequest[] {
  if (!isCustomerManaged(key)) return [];
  const via = viaService('sns', region);
  return [
    { action: 'kms:GenerateDataKey', resource: key, viaService: via, onBehalfOf: 'sns:Publish' },
    { action: 'kms:Decrypt', resource: key, viaService: via, onBehalfOf: 'sns:Publish' },
  ];
}

/**
 * A cross-account copy: the destination vault's access policy must allow `backup:CopyIntoBackupVault`
 * for the copying role of the source account, and AWS Backup in the destination account decrypts the
 * source recovery point, whose key policy must let the destination account use it (decrypt, grants
 * for AWS resources); the copy is re-encrypted with the destination vault's key.
 * AWS Backup Developer Guide, "Creating backup copies across AWS accounts":
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
 */
export function copyJobRequests(input: { copyRoleArn: string; destinationVaultArn: string; destinationAccount: string; sourceKey?: KeyRef; region: string }): { principal: string; request: IamRequest }[] {
  const onBehalfOf = 'backup:StartCopyJob';
  const out: { principal: string; request: IamRequest }[] = [
    { principal: input.copyRoleArn, request: { action: 'backup:CopyIntoBackupVault', resource: input.destinationVaultArn, onBehalfOf } },
  ];
  if (isCustomerManaged(input.sourceKey)) {
    // AWS Backup's service-linked role in the destination account; its permissions are AWS's
    // (AWSBackupServiceLinkedRolePolicyForBackup), so only the key policy is the estate's to get right.
    const slr = `arn:aws:iam::${input.destinationAccount}:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup`;
    const slrPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'], Resource: '*' }] };
    for (const action of ['kms:Decrypt', 'kms:DescribeKey']) out.push({ principal: slr, request: { action, resource: input.sourceKey, onBehalfOf, identityPolicies: [slrPolicy] } });
    out.push({ principal: slr, request: { action: 'kms:CreateGrant', resource: input.sourceKey, grantIsForAwsResource: true, onBehalfOf, identityPolicies: [slrPolicy] } });
  }
  return out;
}

/**
 * Writing an object to a bucket whose default encryption is SSE-KMS with a customer managed key: S3
 * asks KMS for a data key with the writer's credentials, so the writer needs `kms:GenerateDataKey`
 * on the key through S3 (S3 User Guide, "Using server-side encryption with AWS KMS keys":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms).
 */
export function s3PutKeyUse(key: KeyRef | undefined, region: string): IamRequest[] {
  if (!isCustomerManaged(key)) return [];
  return [{ action: 'kms:GenerateDataKey', resource: key, viaService: viaService('s3', region), onBehalfOf: 's3:PutObject' }];
}
