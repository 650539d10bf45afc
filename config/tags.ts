/**
 * The tag that names a resource's workload: protected resources carry it, AWS Backup copies it to
 * recovery points and restored resources, and the DR account finds a workload's resources by it.
 * The functions spell it on their own (functions/locate-recovery-points/logic.ts, DR_WORKLOAD_TAG) so
 * that the app never pulls function code; __tests__/config/tags.test.ts keeps the two equal.
 */
export const WORKLOAD_TAG = 'dr:workload';
