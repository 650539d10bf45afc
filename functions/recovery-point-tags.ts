/** Tags of AWS Backup recovery points, shared by the functions' logic (esbuild bundles it into each). */
import { ListTagsCommand, type BackupClient, type ListTagsCommandInput } from '@aws-sdk/client-backup';
import { DescribeSnapshotsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCall, CallRuntime } from './aws-call';

/** EBS recovery points are EC2 snapshots, whose tags AWS Backup's ListTags does not return. */
export const SNAPSHOT_ARN = /^arn:[^:]+:ec2:[^:]*:[^:]*:snapshot\/(snap-[0-9a-f]+)$/;

/** EC2 tags (`[{ Key, Value }]`) as a map. */
export function tagMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined && tag.Value !== undefined) map[tag.Key] = tag.Value;
  return map;
}

export interface PageLimit {
  /** Pages of one listing. */
  readonly maxPages: number;
  /** The error when more pages remain after `maxPages`; without it, the tags of those pages are returned. */
  readonly tooManyPages?: (message: string) => Error;
}

/** AWS Backup's ListTags of a recovery point (or other resource), page by page, through the function's `call`. */
export async function listBackupTags(rt: CallRuntime, call: AwsCall, client: BackupClient, resourceArn: string, limit: PageLimit): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (pages++ >= limit.maxPages) {
      if (limit.tooManyPages) throw limit.tooManyPages(`ListTags(${resourceArn}) returned more than ${limit.maxPages} pages; giving up`);
      break;
    }
    const input: ListTagsCommandInput = { ResourceArn: resourceArn, ...(nextToken ? { NextToken: nextToken } : {}) };
    const out = await call(rt, `ListTags(${resourceArn})`, () => client.send(new ListTagsCommand(input)));
    for (const [key, value] of Object.entries(out.Tags ?? {})) if (typeof value === 'string') tags[key] = value;
    nextToken = out.NextToken;
  } while (nextToken);
  return tags;
}

/** Tags of a recovery point: of its EC2 snapshot (DescribeSnapshots) for an EBS one, else AWS Backup's ListTags. */
export async function recoveryPointTags(
  rt: CallRuntime & { readonly ec2: EC2Client; readonly backup: BackupClient },
  call: AwsCall,
  recoveryPointArn: string,
  limit: PageLimit,
): Promise<Record<string, string>> {
  const snapshotId = SNAPSHOT_ARN.exec(recoveryPointArn)?.[1];
  if (snapshotId) {
    const out = await call(rt, `DescribeSnapshots(${snapshotId})`, () => rt.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })));
    return tagMap(out.Snapshots?.[0]?.Tags);
  }
  return listBackupTags(rt, call, rt.backup, recoveryPointArn, limit);
}
