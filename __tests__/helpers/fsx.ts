import { exampleInput } from './synth';

/** The DR account's AWS Managed Microsoft AD and FSx for NetApp ONTAP SVM of the tests. */
export const FSX_DIRECTORY_ID = 'd-0123456789';
export const FSX_SVM_ID = 'svm-0123456789abcdef0';

/**
 * The example estate whose workload also backs up FSx (`backup.resourceTypes`), with
 * `recovery.fsx` when given; `resourceTypes` replaces the example's default types.
 */
export function fsxInput(fsx?: Record<string, unknown>, resourceTypes = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx']): Record<string, any> {
  const config = exampleInput() as Record<string, any>;
  config.workloads[0].backup.resourceTypes = resourceTypes;
  if (fsx) config.workloads[0].recovery = { ...(config.workloads[0].recovery ?? {}), fsx };
  return config;
}
