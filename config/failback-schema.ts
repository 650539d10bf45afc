/** `workloads[].failback`: how a workload returns from the DR account to its own account and region (docs/failback.md). */
import { z } from 'zod';
import { directoryId, STORAGE_VIRTUAL_MACHINE_ID } from './id-patterns';

/** Default of `workloads[].failback.graceHours`: how long DR resources are kept after failback before the second approval. */
export const DEFAULT_FAILBACK_GRACE_HOURS = 72;

export const failback = z.strictObject({
  subnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: 'must be a subnet ID such as "subnet-0123456789abcdef0"' }))
    .min(1, { message: 'must list at least one subnet of the workload account in the workload region' })
    .describe('Subnets of the workload account (workload region) that failback restores into.'),
  securityGroupIds: z
    .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, { message: 'must be a security group ID such as "sg-0123456789abcdef0"' }))
    .min(1, { message: 'must list at least one security group of the workload account' })
    .describe('Security groups of restored servers and databases in the workload account.'),
  kmsKeyArn: z
    .string()
    .regex(/^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, { message: 'must be a KMS key ARN such as "arn:aws:kms:ap-northeast-2:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"' })
    .describe('Customer managed key of the workload account (workload region) restored volumes and databases are encrypted with.'),
  instanceProfile: z
    .strictObject({
      name: z.string().regex(/^[\w+=,.@-]{1,128}$/, { message: 'must be an IAM instance profile name (1-128 letters, digits or "+=,.@_-"), not its ARN' }),
      roleArn: z
        .string()
        .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { message: 'must be an IAM role ARN such as "arn:aws:iam::333333333333:role/shop-app" (the role in the instance profile)' }),
    })
    .optional()
    .describe(
      'Instance profile of the workload account that restored EC2 instances start with, and the role it contains (AWS Backup\'s restore role passes that role to EC2). ' +
        'Default: restored instances start without a profile (the DR account\'s profile does not exist in the workload account).',
    ),
  dbSubnetGroupName: z
    .string()
    .regex(/^[A-Za-z0-9 ._-]{1,255}$/, { message: 'must be a DB subnet group name (1-255 letters, digits, spaces, ".", "_" or "-")' })
    .optional()
    .describe('DB subnet group of the workload account (in the VPC of subnetIds) that RDS DB instances and Aurora clusters are restored into. Required to fail back RDS or Aurora: without it such a restore fails, naming this field.'),
  s3BucketName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name (3-63 lowercase letters, digits, "." or "-")' })
    .optional()
    .describe('Existing, versioned bucket of the workload account (workload region) that S3 recovery points are restored into. Required to fail back S3: without it such a restore fails, naming this field.'),
  fsx: z
    .strictObject({
      windowsDirectoryId: directoryId().describe('AWS Managed Microsoft AD of the workload account (workload region) that restored FSx for Windows File Server file systems join. Required to fail back one.'),
      ontapStorageVirtualMachineId: z
        .string()
        .regex(STORAGE_VIRTUAL_MACHINE_ID, { message: 'must be an FSx for NetApp ONTAP storage virtual machine ID: "svm-" and 17 hexadecimal digits, such as "svm-0123456789abcdef0"' })
        .optional()
        .describe('Storage virtual machine of an FSx for NetApp ONTAP file system of the workload account into which ONTAP volumes are restored. Required to fail back one.'),
    })
    .optional()
    .describe('What failback restores of Amazon FSx need in the workload account. Lustre and single-AZ OpenZFS need nothing more; a restore that needs an unset field fails, naming it.'),
  dnsRecord: z
    .strictObject({
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, { message: 'must be a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"' }),
      recordName: z.string().min(1).max(255),
      value: z.string().min(1).max(255).optional().describe('The primary endpoint the record is switched back to. Without it, on-call switches the record and confirms (task token).'),
      recordType: z.enum(['CNAME', 'A', 'AAAA'], { message: 'must be CNAME, A or AAAA' }).optional().describe('Default: recovery.failover.recordType, else CNAME.'),
      ttl: z.number().int().min(0).max(86400).optional().describe('Default: recovery.failover.ttl, else 60.'),
    })
    .optional()
    .describe('Route 53 record (hosted zone of the DR account, as recovery.failover) switched back to the primary region at the end of failback. Default: no DNS switch.'),
  freeze: z
    .discriminatedUnion(
      'kind',
      [
        z.strictObject({ kind: z.literal('scaleDown'), size: z.number().int().min(0, { message: 'must be at least 0 instances' }).default(0) }).describe('Scale every server group of the workload in the DR account to size (maintenance size). Default size: 0.'),
        z
          .strictObject({ kind: z.literal('runbook'), documentName: z.string().regex(/^[A-Za-z0-9_.-]{3,128}$/, { message: 'must be an SSM Automation document name (3-128 letters, digits, "_", "-" or ".")' }) })
          .describe('Run an SSM Automation runbook of the DR account that stops writes, and wait for it.'),
        z.strictObject({ kind: z.literal('none') }).describe('No write freeze: writes after the final backups are lost.'),
      ],
      { error: 'must be "scaleDown", "runbook" or "none" (in "kind")' },
    )
    .default({ kind: 'scaleDown', size: 0 })
    .describe('How writes in the DR account stop before the final backups. Default: scaleDown to 0.'),
  graceHours: z
    .number()
    .int({ message: 'must be a whole number of hours' })
    .min(1, { message: 'must be at least 1 hour' })
    .max(720, { message: 'must be at most 720 hours (30 days)' })
    .default(DEFAULT_FAILBACK_GRACE_HOURS)
    .describe(`Hours between a verified failback and the second approval that cleans up the DR account. Default: ${DEFAULT_FAILBACK_GRACE_HOURS}.`),
});
