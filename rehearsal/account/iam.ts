/**
 * IAM as AWS evaluates it, for every call of the model: the call's own requests (`iam-requests.ts`),
 * those a service makes on the caller's behalf with its own or a passed role (`encryption.ts`), and
 * the caller's key use that depends on the model's state; a denial fails the call as AWS would.
 */
import { createHash } from 'crypto';
import type { IamRequest } from '../authorization';
import { copyJobRequests, ebsKeyUse, restoreJobRequests, s3PutKeyUse, snsPublishKeyUse } from '../encryption';
import { requestsOf, type RequestLookup } from '../iam-requests';
import { ontapFileSystemOf } from './fsx';
import { accountOfPrincipal, ModelError, targetKeyOf } from './services';
import type { AccountState } from './state';

/** Every IAM request of one call (the call's own and those made on the caller's behalf), evaluated as AWS would. */
export async function authorizeCall(model: AccountState, step: string, service: string, action: string, input: Record<string, any>, principal: string): Promise<void> {
  if (service === 'sts' && action === 'assumeRole') knownRole(model, principal, input.RoleArn);
  await authorizeOrCount(model, step, principal, requestsOf(service, action, input, principal, lookup(model)));
  for (const { principal: actor, request } of onBehalfOf(model, service, action, input, principal)) await authorizeOrCount(model, step, actor, [request]);
  // Requests of the caller that depend on the model's state (the key of the volume it attaches).
  await authorizeOrCount(model, step, principal, callerKeyUse(model, service, action, input));
}

export async function authorizeOrCount(model: AccountState, step: string, principal: string, requests: readonly IamRequest[]): Promise<void> {
  try {
    await model.clock.hold(model.authorizer.authorize(step, principal, requests));
  } catch (error) {
    model.stats.denied++;
    throw error;
  }
}

/** KMS use the caller's own credentials make through the service it calls. */
function callerKeyUse(model: AccountState, service: string, action: string, input: Record<string, any>): IamRequest[] {
  const key = `${service}:${action}`;
  if (key === 'ec2:attachVolume') return ebsKeyUse(model.volumes.get(input.VolumeId)?.keyArn, model.estate.region, 'ec2:AttachVolume');
  if (key === 'sns:publish') return snsPublishKeyUse(model.estate.topicKeys[input.TopicArn], model.estate.region);
  if (key === 's3:putObject') return s3PutKeyUse(model.estate.bucketKeys?.[input.Bucket], model.estate.region);
  return [];
}

/** Requests a service makes with its own or a passed role while serving the call. */
function onBehalfOf(model: AccountState, service: string, action: string, input: Record<string, any>, caller: string): { principal: string; request: IamRequest }[] {
  const e = model.estate;
  // A backup or copy job runs as the role passed in IamRoleArn ("the IAM role ARN used to create the
  // target recovery point" / "used to copy": https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartBackupJob.html,
  // API_StartCopyJob.html), which AWS Backup assumes as backup.amazonaws.com with the calling account
  // as aws:SourceAccount, as for the restore role (encryption.ts restoreJobRequests;
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
  const jobRole = (job: string): { principal: string; request: IamRequest } => ({
    principal: 'backup.amazonaws.com',
    request: { action: 'sts:AssumeRole', resource: String(input.IamRoleArn), sourceAccount: accountOfPrincipal(caller) ?? e.drAccountId, onBehalfOf: job },
  });
  if (service === 'backup' && action === 'startBackupJob') return [jobRole('backup:StartBackupJob')];
  if (service === 'backup' && action === 'startRestoreJob') {
    const point = model.recoveryPoints.get(input.RecoveryPointArn);
    if (!point) return [];
    const profile = point.resourceType === 'EC2' ? input.Metadata?.IamInstanceProfileName : undefined;
    return [
      ...restoreJobRequests({ type: point.resourceType, region: e.region, account: e.drAccountId, restoreRoleArn: String(input.IamRoleArn), pointKey: point.keyArn, targetKey: targetKeyOf(point.resourceType, input.Metadata ?? {}) }),
      // AWS Backup launches the instance as the restore role, passing the profile's role to EC2
      // (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html).
      ...(profile && e.instanceProfile && profile === e.instanceProfile.name
        ? [{ principal: String(input.IamRoleArn), request: { action: 'iam:PassRole', resource: e.instanceProfile.roleArn, passedToService: 'ec2.amazonaws.com', onBehalfOf: 'backup:StartRestoreJob (EC2)' } }]
        : []),
    ];
  }
  if (service === 'backup' && action === 'startCopyJob') {
    const point = model.recoveryPoints.get(input.RecoveryPointArn);
    return [jobRole('backup:StartCopyJob'), ...copyJobRequests({ copyRoleArn: String(input.IamRoleArn), destinationVaultArn: String(input.DestinationBackupVaultArn), destinationAccount: accountOfPrincipal(String(input.DestinationBackupVaultArn)) ?? e.drAccountId, sourceKey: point?.keyArn, region: e.region })];
  }
  return [];
}

/** A role the synthesized output creates (it has a trust policy); any other cannot be assumed. */
export function knownRole(model: AccountState, principal: string, roleArn: string): void {
  if (!model.authorizer.policies.resourcePolicyOf(roleArn)) throw new ModelError('sts', 'AccessDenied', `${principal} is not authorized to perform: sts:AssumeRole on resource: ${roleArn} (the synthesized output creates no such role)`);
}

/** What the request table needs to know of the model's state. */
function lookup(model: AccountState): RequestLookup {
  const e = model.estate;
  return {
    region: e.region,
    accountOf: (principal) => accountOfPrincipal(principal) ?? e.drAccountId,
    vaultArn: (name, principal, vaultAccountId) => `arn:aws:backup:${e.region}:${vaultAccountId ?? accountOfPrincipal(principal)}:backup-vault:${name}`,
    vaultOfPoint: (arn) => {
      const p = model.recoveryPoints.get(arn);
      return p ? `arn:aws:backup:${e.region}:${p.accountId}:backup-vault:${p.vaultName}` : undefined;
    },
    resourceTags: (kind, id) => (kind === 'instance' ? model.instances.get(id)?.tags : model.volumes.get(id)?.tags) ?? {},
    attachedInstanceOf: (volumeId) => model.volumes.get(volumeId)?.attachments.find((a) => a.state !== 'detached')?.instanceId,
    autoScalingGroupArn: (name) => `arn:aws:autoscaling:${e.region}:${e.drAccountId}:autoScalingGroup:${createHash('sha256').update(name).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5')}:autoScalingGroupName/${name}`,
    bucketAccount: (name) => model.authorizer.policies.resources.find((r) => r.type === 'aws_s3_bucket' && r.arn === `arn:aws:s3:::${name}`)?.account ?? e.drAccountId,
    restoreTestingPlanArn: (name, account) => model.restoreTestingPlanArn(name, account),
    defaultAutomationRole: (documentName) => (documentName === e.connectDocumentName ? e.connectRunbookRoleArn : undefined),
    fsxArn: (id) => {
      const r = model.fsx.get(id);
      if (!r) return undefined;
      return r.type === 'ONTAP' ? `arn:aws:fsx:${e.region}:${e.drAccountId}:volume/${ontapFileSystemOf(e.fsx?.ontapStorageVirtualMachineId ?? '')}/${id}` : `arn:aws:fsx:${e.region}:${e.drAccountId}:file-system/${id}`;
    },
    fsxTags: (id) => model.fsx.get(id)?.tags ?? {},
    fileSystemOfMountTarget: (id) => [...model.fileSystems.values()].find((f) => f.mountTargets.some((m) => m.id === id))?.id,
  };
}
