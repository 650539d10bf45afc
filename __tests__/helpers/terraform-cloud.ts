import { exampleInput } from './synth';

/** A Terraform Cloud workspace ID of the tests (`ws-` and 16 letters or digits). */
export const TFC_WORKSPACE_ID = 'ws-3oKnEEBcNjpFSNbF';

/**
 * The example estate whose workload builds its infrastructure through a Terraform Cloud run
 * (`recovery.infrastructure.kind` terraformCloud), on `hostname` when given (Terraform Enterprise).
 */
export function terraformCloudInput(infrastructure: Record<string, unknown> = {}, hostname?: string): Record<string, any> {
  const config = exampleInput() as Record<string, any>;
  config.workloads[0].recovery = { ...(config.workloads[0].recovery ?? {}), infrastructure: { kind: 'terraformCloud', workspaceId: TFC_WORKSPACE_ID, ...infrastructure } };
  if (hostname) config.terraformCloud = { ...config.terraformCloud, hostname };
  return config;
}
