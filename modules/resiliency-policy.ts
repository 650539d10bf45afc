import { Construct } from 'constructs';
import { ResiliencehubResiliencyPolicy } from '@cdktf/provider-aws/lib/resiliencehub-resiliency-policy';

/** AWS Resilience Hub policy tiers, from the highest severity to the lowest. */
export const RESILIENCY_TIERS = ['MissionCritical', 'Critical', 'Important', 'CoreServices', 'NonCritical'] as const;
export type ResiliencyTier = (typeof RESILIENCY_TIERS)[number];

/**
 * The tier a workload's recovery time objective stands for: RTO up to 1 hour MissionCritical, up to
 * 4 hours Critical (the default RTO of 240 minutes), up to 24 hours Important, longer NonCritical.
 * `CoreServices` (shared platform services such as DNS or identity) says what a workload is, not how
 * fast it must come back, so it is never derived.
 */
export function tierForRto(rtoMinutes: number): ResiliencyTier {
  if (rtoMinutes <= 60) return 'MissionCritical';
  if (rtoMinutes <= 240) return 'Critical';
  if (rtoMinutes <= 1440) return 'Important';
  return 'NonCritical';
}

/**
 * A whole number of seconds as a Go duration in the canonical form Go's `time.Duration.String()`
 * prints (`14400` → `4h0m0s`, `300` → `5m0s`, `45` → `45s`): the provider stores the policy in that
 * form after reading it back, so the plan shows no difference on the next run.
 */
export function goDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`${seconds} is not a whole, non-negative number of seconds`);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

export interface WorkloadResiliencyPolicyProps {
  /** `names.resiliencyPolicyName(workload)`: 2-60 of `A-Za-z0-9_-`, starting with a letter or digit. */
  readonly policyName: string;
  readonly rtoMinutes: number;
  readonly rpoMinutes: number;
  /**
   * The policy's description in Resilience Hub.
   * @default none
   */
  readonly description?: string;
  /**
   * @default derived from the RTO ({@link tierForRto})
   */
  readonly tier?: ResiliencyTier;
}

/**
 * An AWS Resilience Hub resiliency policy holding a workload's recovery objectives, for Resilience Hub
 * assessments of the applications built from that workload's resources.
 *
 * The estate has one pair of objectives per workload (`targets`), so every disruption type (AZ,
 * hardware, software, and Region) gets the same RTO and RPO: with backup and restore, an AZ or
 * software failure is recovered the same way as a Region failure, from a recovery point.
 */
export class WorkloadResiliencyPolicy extends Construct {
  readonly policy: ResiliencehubResiliencyPolicy;
  readonly tier: ResiliencyTier;

  constructor(scope: Construct, id: string, props: WorkloadResiliencyPolicyProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{1,59}$/.test(props.policyName)) {
      throw new Error(`${this.node.path}: "${props.policyName}" is not a Resilience Hub policy name (2-60 letters, digits, "_" or "-", starting with a letter or digit)`);
    }
    for (const [what, minutes] of [['rtoMinutes', props.rtoMinutes], ['rpoMinutes', props.rpoMinutes]] as const) {
      if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`${this.node.path}: ${what} must be a whole number of minutes of at least 1, not ${minutes}`);
    }
    this.tier = props.tier ?? tierForRto(props.rtoMinutes);
    const objective = { rto: goDuration(props.rtoMinutes * 60), rpo: goDuration(props.rpoMinutes * 60) };
    this.policy = new ResiliencehubResiliencyPolicy(this, 'Policy', {
      name: props.policyName,
      description: props.description,
      tier: this.tier,
      policy: { az: objective, hardware: objective, softwareAttribute: objective, region: objective },
    });
  }
}
