/**
 * The leave's Staffbase steps: the offboarding's compare-and-act log-out and deactivation
 * (workflows/account-steps.ts), and a reactivation of only the account this leave deactivated, still
 * deactivated by that very deactivation (read right before the act, one request per activity).
 */
import { type AccountTarget, guardOwnAccount } from '../lifecycle/account-guards';
import type { LeaveKeptReason } from './leave-messages';
import { staffbaseIn } from './account-steps';

export type LeaveReactivation = { result: 'reactivated' } | { result: 'kept'; reason: LeaveKeptReason };

/**
 * Reactivates the account when it is still this person's, still deactivated, and (when Staffbase gave
 * one) still carries the mark of the leave's own deactivation; otherwise leaves it as it is.
 */
export async function reactivateOwnDeactivation(
  target: AccountTarget,
  deactivationMark: string | undefined,
): Promise<LeaveReactivation> {
  const staffbase = staffbaseIn('urgent');
  const guard = guardOwnAccount(await staffbase.readAccount(target.staffbaseUserId), target);
  if ('outcome' in guard) return { result: 'kept', reason: guard.outcome };
  const account = guard.act;
  if (account.status !== 'deactivated') return { result: 'kept', reason: 'reactivated-since' };
  if (deactivationMark !== undefined && account.deactivationMark !== deactivationMark) {
    // Deactivated again by someone else since: that deactivation is not the leave's to undo.
    return { result: 'kept', reason: 'reactivated-since' };
  }
  const changed = await staffbase.reactivateById(target.staffbaseUserId);
  return changed.result === 'user-not-found'
    ? { result: 'kept', reason: 'user-not-found' }
    : { result: 'reactivated' };
}
