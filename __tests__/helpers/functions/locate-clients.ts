import { mockClient } from 'aws-sdk-client-mock';
import { BackupClient } from '@aws-sdk/client-backup';
import { STSClient } from '@aws-sdk/client-sts';

// locate-recovery-points lists the DR and the central vault with two distinct Backup clients, so each is mocked on its own instance, not on the prototype.
export function locateClients(region: string) {
  const drBackup = new BackupClient({ region });
  const centralBackupClient = new BackupClient({ region });
  const sts = new STSClient({ region });
  return { drBackup, centralBackupClient, sts, drMock: mockClient(drBackup), centralMock: mockClient(centralBackupClient), stsMock: mockClient(sts) };
}
