/**
 * The HTTP side of lifecycle/deletion-authority.ts: a deletion sooner than the policy's retention is
 * refused to the HR systems' key with a 403 whose body names the rule and the field.
 */
import { type EarlyDeletion, earlyDeletionRule } from '../../lifecycle/deletion-authority';
import { type RequestedBy } from './auth';
import { ApiError } from './errors';

/** Only the HR systems' key is refused: the support key (and dev mode, which has no keys) may. */
export function mayHastenDeletion(caller: RequestedBy): boolean {
  return caller.key !== 'lifecycle-key';
}

export function earlyDeletionForbidden(early: EarlyDeletion, externalID: string): ApiError {
  return new ApiError(
    403,
    'forbidden',
    `Deleting an account sooner than the policy's retention needs the support key (LIFECYCLE_ADMIN_API_KEY), ` +
      `rule ${earlyDeletionRule}; nothing was started. ${early.field}: ${early.problem}.`,
    { rule: earlyDeletionRule, field: early.field, externalID },
  );
}
