/**
 * The small stated assumptions of the cost model (docs/cost.md repeats them). Each is a constant here
 * so that a test can reach it and a reader can change it in one place.
 */

/** KMS keys of the DR stack: restore vault key, functions key, on-call topic key (`grep -rn "new BackupKmsKey\|new ServiceKmsKey" stacks modules`). */
export const DR_KMS_KEYS = 3;

/** Readiness checker: memory of its function (modules/readiness-checker.ts) and an assumed run time. */
export const READINESS_MEMORY_GB = 0.5;
export const READINESS_SECONDS = 30;

/** validate-restore: the bundled functions' default memory (modules/bundled-function.ts) and an assumed run time per restore test job. */
export const VALIDATION_MEMORY_GB = 0.25;
export const VALIDATION_SECONDS = 10;

/** Recovery state machine per drill: fixed states plus a Wait/Describe/Choice poll loop while restore jobs run this long. */
export const DRILL_FIXED_TRANSITIONS = 60;
export const DRILL_JOB_MINUTES = 60;

/** Log volume ingested per readiness run. */
export const LOG_MIB = { readinessRun: 1 } as const;

/** Events forwarded to the DR bus per workload in a month without incidents (alarms, Health, failed jobs). */
export const QUIET_MONTH_EVENTS = 100;

/** Hours a month the always-on landing zone is billed for (AWS's monthly convention: 730 h). */
export const HOURS_PER_MONTH = 730;

/**
 * The idle landing zone (modules/recovery-landing-zone.ts): its Auto Scaling groups stay at zero, so
 * little crosses its interface endpoints or reaches its flow logs outside a recovery (restore tests and
 * drills, a little agent traffic). An assumed small volume a month, each in GB.
 */
export const LANDING_ZONE_GB = { endpointData: 1, flowLogs: 1 } as const;

export const ASSUMPTIONS: readonly string[] = [
  'Usage per protected resource type comes from workloads[].estimate; a type without one is 100 GiB changing 2 % a day.',
  'Backups a month are the schedule\'s average runs (cron over a 28-year calendar cycle; rate: 30.4375 days / interval); the worst-case RPO is the longest gap (config/schedule-interval.ts).',
  'Incremental types (EBS, EC2, RDS, Aurora, EFS, S3, FSx): the oldest warm point holds the full size, every other point the change since the previous backup; DynamoDB backups are full.',
  'Cold storage only for EBS (archive tier, a full snapshot per point), EFS and DynamoDB; other types stay warm whatever the lifecycle says. The logically air-gapped vault is priced warm for the whole copy retention.',
  'Copies of incremental types carry the change since the previous copy (steady state; the first full copy is not counted). Cross-Region copies pay data transfer in the source Region; same-Region copies (primaryRegionCopy) pay none.',
  'Restore tests and drills restore the full size of each tested type; AWS charges restores of EFS, DynamoDB and S3 only. The restored resources\' own running cost during the validation window is not included.',
  'Drills without an air-gapped vault copy each type into the DR restore vault, kept recovery.stateMachine.copyRetentionDays; with one, recovery restores in place (docs/vaults.md).',
  `Per drill the state machine makes ${DRILL_FIXED_TRANSITIONS} transitions plus 3 per poll over ${DRILL_JOB_MINUTES} minutes of restore jobs; the readiness checker runs ${READINESS_SECONDS} s at ${READINESS_MEMORY_GB * 1024} MB and logs ${LOG_MIB.readinessRun} MiB per run; validate-restore runs ${VALIDATION_SECONDS} s at ${VALIDATION_MEMORY_GB * 1024} MB per restore test job; ${QUIET_MONTH_EVENTS} events a workload reach the DR bus in a quiet month.`,
  `The DR landing zone (when a workload has servers) is always on: each interface endpoint is billed per Availability Zone for ${HOURS_PER_MONTH} hours a month; ${LANDING_ZONE_GB.endpointData} GB a month crosses the endpoints and ${LANDING_ZONE_GB.flowLogs} GB of VPC flow logs a month reaches CloudWatch Logs (vended logs), kept recovery.functions.logRetentionDays. The S3 gateway endpoint is free; the landing zone has no NAT gateway.`,
  'Free tiers, KMS requests, S3 GET/LIST requests of S3 backups, data transfer between Availability Zones and the recovered servers are not included. GB = GiB. Prices are on-demand list prices.',
];
