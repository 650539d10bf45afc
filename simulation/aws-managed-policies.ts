/**
 * The statements of AWS managed policies that the rehearsal's authorization needs, copied from AWS's
 * published documents (their full text is not in the synthesized output, and tests have no network).
 * Only what the modelled calls reach is kept; each policy names its source page. When AWS publishes a
 * new version, update the statements here (the version is noted per policy).
 *
 * A role with an AWS managed policy that is not listed here is evaluated without it: the rehearsal
 * then reports the denial, never allows by default.
 */
import type { PolicyDocumentJson } from './policy-model';

const KMS_VIA_RESTORED_SERVICES = ['dynamodb.*.amazonaws.com', 'ec2.*.amazonaws.com', 'elasticfilesystem.*.amazonaws.com', 'rds.*.amazonaws.com', 'redshift.*.amazonaws.com', 'dsql.*.amazonaws.com', 'redshift-serverless.*.amazonaws.com'];

/** Policy ARN (partition `aws`) → the statements kept. */
export const AWS_MANAGED_POLICY_EXCERPTS: Record<string, PolicyDocumentJson> = {
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForRestores.html
  'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores': {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EBSPermissions', Effect: 'Allow', Action: ['ec2:CreateVolume', 'ec2:DeleteVolume'], Resource: ['arn:aws:ec2:*::snapshot/*', 'arn:aws:ec2:*:*:volume/*'] },
      {
        Sid: 'RDSPermissions',
        Effect: 'Allow',
        Action: ['rds:DescribeDBInstances', 'rds:DescribeDBSnapshots', 'rds:RestoreDBInstanceFromDBSnapshot', 'rds:AddTagsToResource', 'rds:DescribeDBClusters', 'rds:RestoreDBClusterFromSnapshot'],
        Resource: '*',
      },
      { Sid: 'EFSPermissions', Effect: 'Allow', Action: ['elasticfilesystem:Restore', 'elasticfilesystem:CreateFilesystem', 'elasticfilesystem:DescribeFilesystems', 'elasticfilesystem:TagResource'], Resource: 'arn:aws:elasticfilesystem:*:*:file-system/*' },
      { Sid: 'KMSDescribePermissions', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' },
      {
        Sid: 'KMSPermissions',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptTo', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': KMS_VIA_RESTORED_SERVICES } },
      },
      { Sid: 'KMSCreateGrantPermissions', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
      { Sid: 'FsxPermissions', Effect: 'Allow', Action: ['fsx:CreateFileSystemFromBackup'], Resource: ['arn:aws:fsx:*:*:file-system/*', 'arn:aws:fsx:*:*:backup/*'] },
      { Sid: 'DynamoDBRestorePermissions', Effect: 'Allow', Action: ['dynamodb:RestoreTableFromAwsBackup'], Resource: 'arn:aws:dynamodb:*:*:table/*' },
    ],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html
  'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup': {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'BackupVaultPermissions', Effect: 'Allow', Action: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'], Resource: 'arn:aws:backup:*:*:backup-vault:*' },
      { Sid: 'KMSPermissions', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' },
      { Sid: 'KMSCreateGrantPermissions', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    ],
  },
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForS3Restore.html
  'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore': {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'KMSPermissions',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
      },
    ],
  },
};
