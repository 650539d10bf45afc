/**
 * The input the recovery state machine passes to locate-recovery-points: one schema,
 * {@link locateInputSchema}, from which both the function's parser and the state machine's Payload
 * type ({@link LocatePayload}, modules/recovery/steps/locate.ts) come.
 *
 * The state machine invokes the function synchronously; an invalid input throws
 * {@link InvalidInputError}, whose message names the field, so that the execution takes its failure
 * branch with a message an operator can act on.
 */

// zod/mini, imported as a namespace, so that esbuild keeps only what is used (functions/check-readiness/input.ts says why).
import * as z from 'zod/mini';
import { describeType, InvalidInputError, isRecord, REGION, REGION_EXPECTED, RESOURCE_TYPE_NAME, VAULT_NAME, VAULT_NAME_EXPECTED, WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED } from '../input-values';
import { accountId, optionalTimestamp, parseOrThrow, plainError, positiveNumber, record, requiredTextList, roleArn, roleOfAccount, text } from '../input-schemas';

export { describeType } from '../input-values';

export interface VaultRef {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
}

export interface CentralVaultRef extends VaultRef {
  /** Role in the backup-vault account that the DR recovery roles may assume. */
  readonly copyStarterRoleArn: string;
}

export interface LocateInput {
  readonly workload: string;
  readonly sourceAccountId: string;
  /** Absent: now (the injected clock). */
  readonly pointInTime?: Date;
  readonly rpoMinutes: number;
  /** AWS Backup ResourceType values to consider, deduplicated, in input order. */
  readonly resourceTypes: readonly string[];
  readonly restoreVault: VaultRef;
  /** The locked central vault (listed as the copy-starter role; its points must be copied first). Absent: none. */
  readonly centralVault?: CentralVaultRef;
  /**
   * The logically air-gapped vault shared with the DR account through AWS RAM, in the restore vault's
   * region: its points are restored in place, without a copy. Absent: none.
   */
  readonly airGappedVault?: VaultRef;
}

/** Thrown for an input this function cannot act on; `field` is the dotted path of the culprit. */
export { InvalidInputError };

/** Upper bound on the RPO, against a unit mistake (seconds for minutes): one year. */
const MAX_RPO_MINUTES = 366 * 24 * 60;

const vaultShape = {
  name: text(VAULT_NAME, VAULT_NAME_EXPECTED),
  accountId: accountId(),
  region: text(REGION, REGION_EXPECTED),
};

const vault = z.pipe(record(vaultShape), z.transform((v): VaultRef => ({ name: v.name, accountId: v.accountId, region: v.region })));

/** The locked central vault, listed as its account's copy-starter role (which must be of that account). */
const centralVault = z.pipe(
  record({ ...vaultShape, copyStarterRoleArn: roleArn() }).check(
    z.superRefine((v, ctx) => {
      const issue = roleOfAccount(v.copyStarterRoleArn, v.accountId, "the central vault's", ['copyStarterRoleArn']);
      if (issue) ctx.addIssue(issue);
    }),
  ),
  z.transform((v): CentralVaultRef => ({ name: v.name, accountId: v.accountId, region: v.region, copyStarterRoleArn: v.copyStarterRoleArn })),
);

/** The state machine's input, validated; parsed, it is a {@link LocateInput}. Fields in the order they are checked. */
export const locateInputSchema = z.pipe(
  z
    .object({
      workload: text(WORKLOAD_NAME, WORKLOAD_NAME_EXPECTED),
      sourceAccountId: accountId(),
      pointInTime: optionalTimestamp({
        notAString: (value) => `must be an ISO 8601 date-time string or null, got ${describeType(value)}`,
        malformed: (value) => `must be an ISO 8601 date-time with a time zone such as "2026-11-20T00:00:00Z", got ${JSON.stringify(value)}`,
      }),
      rpoMinutes: positiveNumber(MAX_RPO_MINUTES, '(one year)'),
      resourceTypes: requiredTextList(RESOURCE_TYPE_NAME, 'an AWS Backup resource type such as "EBS"', 1, {
        notAnArray: 'an array of AWS Backup resource types',
        tooShort: 'must list at least one AWS Backup resource type',
      }),
      restoreVault: vault,
      centralVault: z.nullish(centralVault),
      airGappedVault: z.nullish(vault),
    })
    .check(
      z.superRefine((i, ctx) => {
        if (!i.centralVault && !i.airGappedVault) {
          ctx.addIssue({ code: 'custom', path: ['centralVault'], input: i.centralVault, message: 'is missing (and so is airGappedVault): name at least one vault of the backup-vault account to look in' });
        }
        // Restored in place by the DR account: a point of another region would need a copy first.
        if (i.airGappedVault && i.airGappedVault.region !== i.restoreVault.region) {
          const message = `must be the restore vault's region ${i.restoreVault.region} (its points are restored in place), got ${JSON.stringify(i.airGappedVault.region)}`;
          ctx.addIssue({ code: 'custom', path: ['airGappedVault', 'region'], input: i.airGappedVault.region, message });
        }
      }),
    ),
  z.transform(
    (i): LocateInput => ({
      workload: i.workload,
      sourceAccountId: i.sourceAccountId,
      ...(i.pointInTime ? { pointInTime: i.pointInTime } : {}),
      rpoMinutes: i.rpoMinutes,
      resourceTypes: i.resourceTypes,
      restoreVault: i.restoreVault,
      ...(i.centralVault ? { centralVault: i.centralVault } : {}),
      ...(i.airGappedVault ? { airGappedVault: i.airGappedVault } : {}),
    }),
  ),
);

/** What the state machine passes (its Payload is checked against it: modules/recovery/steps/locate.ts). */
export type LocatePayload = z.input<typeof locateInputSchema>;

/**
 * Validates the state machine's input. Throws {@link InvalidInputError} naming the first missing or
 * invalid field.
 */
export function parseLocateInput(input: unknown): LocateInput {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describeType(input)}`);
  return parseOrThrow(locateInputSchema, input, plainError);
}
