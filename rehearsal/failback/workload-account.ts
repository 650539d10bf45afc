/**
 * The WORKLOAD account in its own (primary) region, for failback: the same per-service model as the
 * DR account's ({@link DrAccount}), instantiated for that account, on the same clock, PRNG, throttling
 * and authorizer (the estate's synthesized policies, the workload stack's included). In it: the
 * workload's local vault (copies arrive from the DR restore vault), the restore vault of its restores
 * (restored with the workload's backup role), its `failback` subnets and security groups, the workload's
 * servers already running in the primary region (tagged `dr:workload` / `dr:server`, as the
 * attach-restored-volume logic finds them), its health alarm (ALARM until traffic is back) and, when
 * the workload stack has one, the connect runbook of step Reconnect.
 *
 * The DR account's workload-region-call function runs its real logic: STS of the DR account (its
 * AssumeRole of the failback role authorized against the role's synthesized trust policy and the
 * function's own policy), then clients of the workload account's model as the assumed role.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EFSClient } from '@aws-sdk/client-efs';
import { STSClient } from '@aws-sdk/client-sts';
import { callInWorkloadRegion, type WorkloadRegionCallDeps } from '../../functions/workload-region-call/logic';
import { reconcile } from '../account/autoscaling';
import { DrAccount } from '../dr-account';
import type { ServerGroupSpec } from '../estate';
import { assumedModelClient, type FunctionRunner } from '../functions';
import type { Rehearsal } from '../driver/setup';
import type { SynthesizedFailback } from './estate';

/** The workload account's model, its servers in the primary region launched. */
export function workloadAccountOf(rehearsal: Rehearsal, fb: SynthesizedFailback): DrAccount {
  const { synthesized, workload, model: dr, options } = rehearsal;
  const { config } = synthesized;
  const failback = workload.failback;
  if (!failback) throw new Error(`workload ${workload.name} has no failback configured`);
  const w = fb.workload;
  // The failback subnets, in zones a, c, b, ... of the primary region (the model's choice).
  const subnets = failback.subnetIds.map((id, i) => ({ id, availabilityZone: `${w.region}${'acbd'[i % 4]}` }));
  const serverGroups: ServerGroupSpec[] = workload.servers.map((sv) => ({
    name: `${config.name}-${workload.name}-${sv.role}`,
    minSize: sv.size,
    maxSize: sv.size,
    desiredCapacity: sv.size,
    // Spread over the failback subnets' zones, as the DR groups over the landing zone's: one server per
    // zone; the restored volumes go to the zone of subnetIds[0] (restore-overrides.ts).
    availabilityZones: [...new Set(subnets.map((s) => s.availabilityZone))],
    tags: { 'dr:server': sv.role, 'dr:workload': workload.name, Name: `${workload.name}-${sv.role}` },
  }));
  const model = new DrAccount({
    authorizer: dr.authorizer,
    clock: dr.clock,
    random: dr.random,
    throttle: dr.throttle,
    strict: options.strict,
    timings: dr.timings,
    estate: {
      name: config.name,
      workload: workload.name,
      region: w.region,
      workloadRegion: w.region,
      // "This account" of the model's services: the workload account.
      drAccountId: w.accountId,
      centralAccountId: config.accounts.backupVault.id,
      workloadAccountId: w.accountId,
      restoreVaultName: w.localVaultName,
      centralVaultName: `${config.name}-central`,
      copyStarterRoleArn: dr.estate.copyStarterRoleArn,
      copyServiceRoleArn: dr.estate.copyServiceRoleArn,
      // Failback restores with the workload's backup role.
      restoreRoleArn: w.backupRoleArn,
      onCallTopicArn: dr.estate.onCallTopicArn,
      connectDocumentName: w.connectDocumentName ?? `${config.name}-${workload.name}-connect-servers`,
      ...(w.connectRunbookRoleArn ? { connectRunbookRoleArn: w.connectRunbookRoleArn } : {}),
      healthAlarmName: workload.recovery.healthAlarmName,
      serverGroups,
      subnets,
      securityGroupIds: failback.securityGroupIds,
      ...(failback.fsx ? { fsx: failback.fsx } : {}),
      ...(failback.instanceProfile ? { instanceProfile: { name: failback.instanceProfile.name, roleArn: failback.instanceProfile.roleArn } } : {}),
      vaultKeys: { restoreVault: w.localVaultKey },
      topicKeys: {},
      bucketKeys: {},
    },
  });
  dr.authorizer.assumeDefaultKeyPolicy(failback.kmsKeyArn);
  // The workload's servers run in the primary region (its region is healthy again).
  for (const group of model.groups.values()) reconcile(model, group);
  return model;
}

/** Workload-account clients by the key the function's factories use. */
const CLIENTS: Record<string, new (config: any) => any> = { backup: BackupClient, ec2: EC2Client, cloudwatch: CloudWatchClient, ssm: SSMClient, efs: EFSClient };

/** Runs the real workload-region-call logic for `<name>-failback-workload-region-call`. */
export function defineWorkloadRegionCall(runner: FunctionRunner, dr: DrAccount, workload: DrAccount): void {
  const suffix = 'failback-workload-region-call';
  runner.define(suffix, async (event, common) => {
    const step = `function:${common.spec.name}`;
    const factory = (key: string) => (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region: string) => {
      const ClientClass = CLIENTS[key];
      if (!ClientClass) throw new Error(`the rehearsal has no ${key} client of the workload account`);
      // Only the workload's region is modelled: a call elsewhere would find nothing there.
      if (region !== workload.estate.region) throw new Error(`${key} client of region ${region}: the workload account is modelled in ${workload.estate.region} only`);
      // Credentials the DR account's STS issued for the workload's failback role.
      return assumedModelClient(ClientClass, region, workload, dr, credentials, step);
    };
    const clients = Object.fromEntries(Object.keys(CLIENTS).map((k) => [k, factory(k)]));
    const deps = {
      sts: common.client(STSClient),
      clients,
      targetsJson: common.spec.environment.WORKLOAD_TARGETS,
      logger: common.logger,
      sleep: common.sleep,
      random: common.random,
    } as unknown as WorkloadRegionCallDeps;
    return callInWorkloadRegion(event, deps);
  });
}
