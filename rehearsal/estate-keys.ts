/**
 * What the rehearsal's model needs to know of the synthesized estate's keys and profiles, read from
 * the policy model of the synthesized output: the vaults' keys (recovery points and copies carry them),
 * the topics' and buckets' keys (publishers and writers use them), the landing zone's instance profile.
 */
import type { EstateConfig } from '../config/schema';
import type { SynthesizedRecovery } from './estate';

/** The customer managed keys of the central and DR restore vaults, as the synthesized vaults name them. */
export function vaultKeysOf(synthesized: SynthesizedRecovery, config: EstateConfig): { central?: string; restoreVault: string } {
  const vault = (account: string, name: string) => `arn:aws:backup:${config.regions.recovery}:${account}:backup-vault:${name}`;
  const central = config.centralVault.kind !== 'airGapped' ? synthesized.policies.vaultKeyArn(vault(config.accounts.backupVault.id, `${config.name}-central`)) : undefined;
  return { ...(central ? { central } : {}), restoreVault: synthesized.policies.vaultKeyArn(vault(config.accounts.dr.id, `${config.name}-dr-restore`)) };
}

/** Topic ARN → the KMS key it is encrypted with (`kms_master_key_id` of the synthesized topics). */
export function topicKeysOf(synthesized: SynthesizedRecovery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const topic of synthesized.policies.resources.filter((r) => r.type === 'aws_sns_topic' && r.arn)) {
    const key = synthesized.policies.resolvedAttribute(topic, 'kms_master_key_id');
    if (key) out[topic.arn as string] = key;
  }
  return out;
}

/** The landing zone's instance profile (`aws_iam_instance_profile`) and its role's ARN. */
export function instanceProfileOf(synthesized: SynthesizedRecovery): { instanceProfile?: { name: string; roleArn: string } } {
  const { policies } = synthesized;
  const profile = policies.resources.find((r) => r.type === 'aws_iam_instance_profile' && r.stack === 'dr');
  const name = profile ? policies.resolvedAttribute(profile, 'name') : undefined;
  const role = profile ? policies.resolvedAttribute(profile, 'role') : undefined;
  return profile && name && role ? { instanceProfile: { name, roleArn: `arn:aws:iam::${profile.account}:role/${role}` } } : {};
}

/** Bucket name → the KMS key of its default encryption (`aws_s3_bucket_server_side_encryption_configuration`). */
export function bucketKeysOf(synthesized: SynthesizedRecovery): Record<string, string> {
  const out: Record<string, string> = {};
  const { policies } = synthesized;
  for (const config of policies.resources.filter((r) => r.type === 'aws_s3_bucket_server_side_encryption_configuration')) {
    const rule = [config.attributes.rule].flat()[0] as { apply_server_side_encryption_by_default?: { kms_master_key_id?: string } } | undefined;
    const keyRef = rule?.apply_server_side_encryption_by_default?.kms_master_key_id;
    const bucket = policies.resolvedAttribute(config, 'bucket');
    const key = keyRef ? policies.resolveIn(config, keyRef) : undefined;
    if (bucket && key) out[bucket] = key;
  }
  return out;
}
