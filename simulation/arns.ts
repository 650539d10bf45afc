/**
 * ARN helpers: the account, region and kind of resource an ARN names, principals (service, role,
 * assumed-role session), and partitions.
 */

export function isServicePrincipal(principal: string): boolean {
  return !principal.startsWith('arn:') && /\.amazonaws\.com(\.cn)?$/.test(principal);
}

export function accountOfArn(arn: string): string {
  return arn.startsWith('arn:') ? (arn.split(':')[4] ?? '') : '';
}

export function regionOfArn(arn: string): string {
  return arn.startsWith('arn:') ? (arn.split(':')[3] ?? '') : '';
}

export function isBackupVaultArn(arn: string): boolean {
  return /^arn:[^:]+:backup:[^:]*:\d{12}:backup-vault:/.test(arn);
}

/**
 * A recovery point: `arn:…:backup:…:recovery-point:…` for resources AWS Backup fully manages, the
 * service's own ARN otherwise (`arn:aws:rds:…:snapshot:awsbackup:…`, `arn:aws:ec2:…::snapshot/…`).
 */
export function isRecoveryPointArn(arn: string): boolean {
  return arn.startsWith('arn:') && (/:recovery-point:/.test(arn) || !/^arn:[^:]+:backup:/.test(arn));
}

/** Estate resources that always carry a resource policy the request must be evaluated against. */
export function expectsResourcePolicy(service: string, arn: string): boolean {
  if (isBackupVaultArn(arn)) return true;
  if (/^arn:[^:]+:kms:[^:]*:\d{12}:key\//.test(arn)) return true;
  return service === 'sts' && /^arn:[^:]+:iam::\d{12}:role\//.test(arn);
}

/** The IAM role ARN of a role or assumed-role session principal (the value of `aws:PrincipalArn`). */
export function roleArnOfPrincipal(principal: string): string | undefined {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  if (session) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  return /^arn:[^:]+:iam::\d{12}:role\//.test(principal) ? principal : undefined;
}

export function sameRoleIgnoringPath(a: string, b: string): boolean {
  const parts = (arn: string) => {
    const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    return m ? `${m[1]}/${m[2]}` : undefined;
  };
  const pa = parts(a);
  return pa !== undefined && pa === parts(b);
}

export function principalTypeOf(principal: string): string {
  if (/:root$/.test(principal)) return 'Account';
  if (/:user\//.test(principal)) return 'User';
  if (/:assumed-role\/|:role\//.test(principal)) return 'AssumedRole';
  return 'Unknown';
}

export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function dnsSuffixOf(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}
