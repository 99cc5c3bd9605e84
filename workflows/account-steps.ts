/**
 * Compare-and-act steps built from one-request activities (activities/account-step-activities.ts):
 * each reads the account right before it acts and acts only while the precondition still holds
 * (lifecycle/account-guards.ts), answering the same named outcomes as the retired guarded activities
 * of the runs recorded before (activities/account-outcomes.ts). The act goes out in the lane of the step, so a backlog of bulk work
 * does not widen the gap between the read and the act of an urgent step; a deletion goes out a lane
 * ahead, on a read that is still fresh (workflows/fresh-precondition.ts).
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { AccountStepActivities } from '../activities/account-step-activities';
import type {
  EnsuredAccount,
  GuardedDeactivation,
  GuardedDeletion,
  GuardedLogout,
  ResolvedAccount,
} from '../activities/account-outcomes';
import {
  type AccountRead,
  type AccountSnapshot,
  type AccountTarget,
  type DeletionGuard,
  deletionVerdict,
  guardOwnAccount,
  pendingDeletionVerdict,
} from '../lifecycle/account-guards';
import type { OnboardingPolicy, OnboardingRequest } from '../lifecycle/onboarding-request';
import { type PriorityLane, actLaneAfterRead, priorityLanes } from '../lifecycle/priority-lanes';
import { STAFFBASE_WORDS_DETAIL } from '../lifecycle/staffbase-words';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';
import { confirmDeletedAccountGone } from './deletion-confirmation';
import { deleteOnFreshRead } from './fresh-precondition';

const lanes = {
  urgent: laneActivities('urgent'),
  standard: laneActivities('standard'),
  bulk: laneActivities('bulk'),
};

function laneActivities(lane: PriorityLane) {
  return proxyActivities<AccountStepActivities>({
    ...staffbaseActivityOptions,
    taskQueue: taskQueues.staffbaseApi,
    priority: { priorityKey: priorityLanes[lane] },
  });
}

/** The one Staffbase request of each step, in a lane. */
export function staffbaseIn(lane: PriorityLane): AccountStepActivities {
  return lanes[lane];
}

/** The account with exactly this externalID, any status. */
export async function resolveExactAccount(externalID: string, lane: PriorityLane): Promise<ResolvedAccount> {
  const read = await lanes[lane].findAccountByExternalId(externalID);
  if (read.result === 'gone') return { result: 'user-not-found' };
  return { result: 'found', staffbaseUserId: read.account.staffbaseUserId, status: read.account.status };
}

/** The guard of an act on the run's own account, on `recentRead` or else a read in the lane now. */
async function guardOwnAccountIn(lane: PriorityLane, target: AccountTarget, recentRead?: AccountRead) {
  return guardOwnAccount(recentRead ?? (await lanes[lane].readAccount(target.staffbaseUserId)), target);
}

/**
 * Ends every session of the run's own account. `recentRead`: a read of it recent enough to stand in
 * for the read before the act (a bulk offboarding's batched look-up, lifecycle/batched-lookup.ts).
 */
export async function logOutOwnAccount(
  target: AccountTarget,
  lane: PriorityLane,
  recentRead?: AccountRead,
): Promise<GuardedLogout> {
  const guard = await guardOwnAccountIn(lane, target, recentRead);
  if ('outcome' in guard) return guard.outcome;
  return lanes[lane].endSessions(target.staffbaseUserId);
}

/**
 * Deactivates the run's own account and answers the mark the deletion later compares against.
 * `recentRead` as for logOutOwnAccount.
 */
export async function deactivateOwnAccount(
  target: AccountTarget,
  lane: PriorityLane,
  recentRead?: AccountRead,
): Promise<GuardedDeactivation> {
  const guard = await guardOwnAccountIn(lane, target, recentRead);
  if ('outcome' in guard) return { result: guard.outcome };
  if (guard.act.status === 'deactivated') {
    return { result: 'already-deactivated', deactivationMark: guard.act.deactivationMark };
  }
  const changed = await lanes[lane].deactivateById(target.staffbaseUserId);
  if (changed.result === 'user-not-found') return { result: 'user-not-found' };
  return { result: 'deactivated', deactivationMark: changed.account.deactivationMark };
}

/**
 * The irreversible step: only the account this run deactivated, still deactivated since, as a read
 * at most MAX_PRECONDITION_AGE_MS old shows it when the DELETE goes out (a lane ahead of its read).
 * `confirmNotFound` (asked only once a DELETE answered 404, so runs whose DELETE went through record
 * nothing new) confirms that 404 by two reads (workflows/deletion-confirmation.ts) before it counts
 * as gone; an account that still exists fails the step as not permitted.
 */
export async function deleteDeactivatedOwnAccount(
  guard: DeletionGuard,
  lane: PriorityLane,
  confirmNotFound: () => boolean = () => false,
): Promise<GuardedDeletion> {
  const acts = lanes[actLaneAfterRead(lane)];
  return deleteOnFreshRead({
    read: () => lanes[lane].readAccount(guard.staffbaseUserId),
    decide: (read) => deletionVerdict(read, guard),
    goAhead: (verdict): verdict is { result: 'delete' } => verdict.result === 'delete',
    remove: async (readAt) => {
      const precondition = { kind: 'own-deactivated', guard } as const;
      const done = await acts.deleteAccount(guard.staffbaseUserId, { readAt, precondition });
      if (done === 'already-gone' && confirmNotFound()) await confirmDeletedAccountGone(lanes[lane], guard);
      return done === 'precondition-changed' ? done : { result: done };
    },
  });
}

/** Reactivates an account (a cancelled offboarding); already activated counts as done. */
export async function reactivateAccount(
  staffbaseUserId: string,
  lane: PriorityLane,
): Promise<'reactivated' | 'already-activated' | 'user-not-found'> {
  const staffbase = lanes[lane];
  const read = await staffbase.readAccount(staffbaseUserId);
  if (read.result === 'gone') return 'user-not-found';
  if (read.account.status === 'activated') return 'already-activated';
  const changed = await staffbase.reactivateById(staffbaseUserId);
  return changed.result === 'user-not-found' ? 'user-not-found' : 'reactivated';
}

/**
 * Deletes an account only while it is still that very account and still pending, read fresh.
 * `confirmNotFound` (asked only after a DELETE answered 404) confirms the 404 by reads, as for the
 * offboarding's deletion; `externalID` is the person's, for that look-up.
 */
export async function deletePendingAccount(
  staffbaseUserId: string,
  lane: PriorityLane,
  confirmNotFound?: { externalID: string; asked: () => boolean },
): Promise<'deleted' | 'already-gone' | 'not-pending'> {
  const acts = lanes[actLaneAfterRead(lane)];
  const precondition = { kind: 'still-pending' } as const;
  return deleteOnFreshRead({
    read: () => lanes[lane].readAccount(staffbaseUserId),
    decide: (read) => pendingDeletionVerdict(read, staffbaseUserId),
    goAhead: (verdict): verdict is 'delete' => verdict === 'delete',
    remove: confirmNotFound
      ? async (readAt) => {
          const done = await acts.deleteAccount(staffbaseUserId, { readAt, precondition });
          if (done === 'already-gone' && confirmNotFound.asked()) {
            await confirmDeletedAccountGone(lanes[lane], {
              staffbaseUserId,
              externalID: confirmNotFound.externalID,
            });
          }
          return done;
        }
      : (readAt) => acts.deleteAccount(staffbaseUserId, { readAt, precondition }),
  });
}

/** Creates after which a 409 nobody explains by the externalID is final (as in ensureOnboardingUser). */
const createConflictAttempts = 3;

/**
 * Exactly one account per externalID, create first: a new hire costs one POST. A 409 (or an answer
 * nobody could read) leads to a look-up by exact externalID: adopt a pending or activated account,
 * rehire a deactivated one by policy; nothing found means the conflict is someone else's userName
 * or email: a refusal HR can fix (the run parks in needs-attention, workflows/needs-attention.ts).
 */
export async function ensureAccountCreateFirst(
  request: OnboardingRequest,
  rehirePolicy: OnboardingPolicy['rehirePolicy'],
  lane: PriorityLane,
): Promise<EnsuredAccount> {
  const staffbase = lanes[lane];
  const vanished: string[] = [];
  const naming = (account: EnsuredAccount): EnsuredAccount =>
    vanished.length > 0 ? { ...account, vanishedWhileReactivating: vanished } : account;
  for (let round = 1; ; round += 1) {
    let existing: AccountSnapshot | undefined;
    for (let attempt = 1; existing === undefined; attempt += 1) {
      const created = await staffbase.createAccount(request);
      if (created.result === 'created') {
        return naming({
          userId: created.account.staffbaseUserId,
          status: created.account.status,
          outcome: 'created',
        });
      }
      const found = await staffbase.findAccountByExternalId(request.externalID);
      if (found.result === 'found') {
        existing = found.account;
        break;
      }
      // Nobody carries the externalID: the conflict is someone else's userName or email, or the account
      // that answered 409 was deleted in between. A few more creates tell the two apart (one then
      // succeeds); after them it is a conflict. (A run only ever reached this branch to fail, so the
      // retry needs no patch of its own.)
      if (created.why !== 'conflict' || attempt >= createConflictAttempts) {
        throw ApplicationFailure.create({
          message: created.message,
          type: created.why === 'conflict' ? 'StaffbaseConflictError' : 'StaffbaseUnreadableWriteError',
          nonRetryable: true,
          // The taken field, so a run parked in needs-attention can say what to correct.
          details: [
            { kind: created.why, field: created.field, [STAFFBASE_WORDS_DETAIL]: created.staffbaseMessage },
          ],
        });
      }
    }
    if (existing.status !== 'deactivated') {
      return naming({ userId: existing.staffbaseUserId, status: existing.status, outcome: 'adopted' });
    }
    if (rehirePolicy === 'stop') {
      return naming({
        userId: existing.staffbaseUserId,
        status: existing.status,
        outcome: 'deactivated-rehire-refused',
      });
    }
    // Still the deactivated account just read (a PUT of the status is idempotent if its answer is lost).
    const reactivated = await staffbase.reactivateById(existing.staffbaseUserId);
    if (reactivated.result !== 'user-not-found') {
      return naming({
        userId: reactivated.account.staffbaseUserId,
        status: reactivated.account.status,
        outcome: 'reactivated',
      });
    }
    // The deactivated account was deleted (by hand) while it was being reactivated: the rehire needs
    // a fresh account now, so create again. (A run only ever reached this point to fail, so the
    // retry needs no patch of its own.) Named in the outcome: the PUT may have taken effect first.
    vanished.push(existing.staffbaseUserId);
    if (round >= createConflictAttempts) {
      throw ApplicationFailure.create({
        message: 'The deactivated account disappeared while it was being reactivated, again and again.',
        type: 'AccountDisappeared',
        nonRetryable: true,
      });
    }
  }
}
