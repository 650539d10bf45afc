/** The COMPLETED recovery points of a vault, shared by the functions that read vaults (esbuild bundles it into each). */
import { ListRecoveryPointsByBackupVaultCommand, type BackupClient, type ListRecoveryPointsByBackupVaultCommandInput } from '@aws-sdk/client-backup';
import type { AwsCall, CallRuntime } from './aws-call';

/** A COMPLETED recovery point, with the fields every reader of a listing needs. */
export interface CompletedRecoveryPoint {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly recoveryPointArn: string;
  readonly created: Date;
  /** The vault it was copied from, for a copy. */
  readonly sourceBackupVaultArn?: string;
}

export interface VaultListingRequest {
  /** Names the listing in logs and errors, e.g. `ListRecoveryPointsByBackupVault(<vault> in <account>)`. */
  readonly operation: string;
  readonly vaultName: string;
  /** The owner of a vault shared with this account through AWS RAM, which names it with its owner's account. */
  readonly sharedFrom?: string;
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
  readonly maxResults?: number;
  readonly maxPages: number;
  /** The error when more pages remain after `maxPages`. */
  readonly tooManyPages: (message: string) => Error;
}

/**
 * Every COMPLETED recovery point of a vault (`ListRecoveryPointsByBackupVault`, page by page through
 * the function's `call`), given to `visit` in the order AWS Backup returns them; points in any other
 * status or without an ARN, type or creation date are skipped. Returns how many points (of any
 * status) and pages were read.
 */
export async function forEachCompletedRecoveryPoint(
  rt: CallRuntime,
  call: AwsCall,
  client: BackupClient,
  request: VaultListingRequest,
  visit: (point: CompletedRecoveryPoint) => void,
): Promise<{ listed: number; pages: number }> {
  let listed = 0;
  let pages = 0;
  let nextToken: string | undefined;
  do {
    if (++pages > request.maxPages) throw request.tooManyPages(`${request.operation} returned more than ${request.maxPages} pages; giving up`);
    const input: ListRecoveryPointsByBackupVaultCommandInput = {
      BackupVaultName: request.vaultName,
      ...(request.sharedFrom ? { BackupVaultAccountId: request.sharedFrom } : {}),
      ...(request.createdAfter ? { ByCreatedAfter: request.createdAfter } : {}),
      ...(request.createdBefore ? { ByCreatedBefore: request.createdBefore } : {}),
      ...(request.maxResults ? { MaxResults: request.maxResults } : {}),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const out = await call(rt, request.operation, () => client.send(new ListRecoveryPointsByBackupVaultCommand(input)));
    for (const point of out.RecoveryPoints ?? []) {
      listed++;
      const { ResourceArn: resourceArn, ResourceType: resourceType, RecoveryPointArn: recoveryPointArn, CreationDate: created } = point;
      if (point.Status !== 'COMPLETED' || !resourceArn || !resourceType || !recoveryPointArn || !(created instanceof Date)) continue;
      visit({ resourceArn, resourceType, recoveryPointArn, created, ...(point.SourceBackupVaultArn ? { sourceBackupVaultArn: point.SourceBackupVaultArn } : {}) });
    }
    nextToken = out.NextToken;
  } while (nextToken);
  return { listed, pages };
}
