/**
 * The AWS Backup resource types the estate protects and recovers: the one declaration of them, for
 * the functions and for the stacks that pass them to the functions (esbuild bundles it into each).
 */
export const RESOURCE_TYPES = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export function isResourceType(value: unknown): value is ResourceType {
  return (RESOURCE_TYPES as readonly unknown[]).includes(value);
}
