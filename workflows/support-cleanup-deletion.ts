/**
 * The clean-up's per-user deletion: the fresh read, the verdict (criteria, the person's open runs, a
 * person changed under the account) and the DELETE, one Staffbase request per activity. The paging,
 * counting and confirmation stay in workflows/support-cleanup.ts.
 */
import { patched } from '@temporalio/workflow';
import type { PersonHold } from '../lifecycle/cleanup-holds';
import {
  type CleanupCandidateRead,
  type CleanupCriteria,
  type CleanupVerdict,
  cleanupVerdict,
} from '../lifecycle/support-guards';
import { staffbaseIn } from './account-steps';
import { bulkActs, bulkStaffbase as staffbase } from './bulk-activities';
import { confirmDeletedAccountGone } from './deletion-confirmation';
import { deleteOnFreshRead } from './fresh-precondition';
import { personRuns } from './person-runs';

/**
 * Patch of issue #13: each deletion is a read, the compare in the workflow, then the DELETE, one
 * Staffbase request per activity; runs started before keep the one two-call `deleteUserInStatus`.
 */
const ONE_REQUEST_PATCH = 'cleanup-one-request-steps';

/**
 * Patch of issue 27: a DELETE answered 404 counts as gone only when a GET by id also answers 404 and
 * the exact externalID look-up finds nothing (workflows/deletion-confirmation.ts); otherwise the user
 * counts as failed with reason `not-permitted`. Asked only after such a 404.
 */
const DELETE_404_CONFIRMED_PATCH = 'cleanup-delete-404-confirmed';

/**
 * The clean-up's DELETE; past DELETE_404_CONFIRMED_PATCH, a 404 is confirmed by reads. `personOfRead`:
 * the externalID of the account as the read before the DELETE showed it.
 */
async function removeCleanupAccount(
  staffbaseUserId: string,
  check: Parameters<typeof bulkActs.deleteCleanupAccount>[1],
  personOfRead: () => string | null,
): Promise<Awaited<ReturnType<typeof bulkActs.deleteCleanupAccount>>> {
  const done = await bulkActs.deleteCleanupAccount(staffbaseUserId, check);
  if (done === 'already-gone' && patched(DELETE_404_CONFIRMED_PATCH)) {
    await confirmDeletedAccountGone(staffbaseIn('bulk'), { staffbaseUserId, externalID: personOfRead() });
  }
  return done;
}

/** Remembers the externalID of the last read that found the account (for the 404 confirmation). */
function personOfReads() {
  let externalID: string | null = null;
  return {
    note: <Read extends CleanupCandidateRead | HeldRead>(read: Read): Read => {
      if (read.result === 'found') externalID = read.account.externalID ?? null;
      return read;
    },
    last: () => externalID,
  };
}

/** A person's open run holds the account: the clean-up leaves it alone. */
interface HeldRead {
  result: 'held';
  hold: PersonHold;
  externalID: string;
}

/** Held by an open run of this person. */
interface Held {
  held: PersonHold;
  externalID: string;
}

/** The read shows the account belonging to another person (or none) than the one checked. */
interface PersonChanged {
  personNow: string | null;
}

type DeletionResult = 'deleted' | 'already-gone' | 'no-longer-matching' | Held;

/** How often a deletion follows an account that changed person under it before leaving it alone. */
const maxPersonChanges = 2;

/**
 * Deletes one listed user only while, read right before the DELETE (and at most
 * MAX_PRECONDITION_AGE_MS before it), it still meets the criteria. `listedExternalID`: from pages
 * listed past `cleanup-skips-held-people`, the account's person as listed (null: none); the
 * deletion then also requires that no open run of the person holds the account, and that the read
 * still shows that person — if it shows another, that person is checked instead.
 */
export async function deleteIfStillMatching(
  staffbaseUserId: string,
  criteria: CleanupCriteria,
  listedExternalID?: string | null,
): Promise<DeletionResult> {
  const target = { staffbaseUserId, ...criteria };
  if (!patched(ONE_REQUEST_PATCH)) return staffbase.deleteUserInStatus(target);
  if (listedExternalID === undefined) {
    const person = personOfReads();
    return deleteOnFreshRead({
      read: async () => person.note(await staffbase.readCleanupCandidate(staffbaseUserId)),
      decide: (read) => cleanupVerdict(read, target),
      goAhead: (verdict): verdict is 'delete' => verdict === 'delete',
      remove: (readAt) =>
        removeCleanupAccount(staffbaseUserId, { readAt, precondition: criteria }, person.last),
    });
  }
  let externalID = listedExternalID;
  for (let change = 0; ; change += 1) {
    const result = await deleteUnlessHeld(staffbaseUserId, criteria, externalID);
    if (typeof result !== 'object' || 'held' in result) return result;
    if (change >= maxPersonChanges) return 'no-longer-matching';
    externalID = result.personNow;
  }
}

/**
 * Each round asks whether an open run of the person holds the account, then reads it, then deletes.
 * The hold check comes before the read, not between read and DELETE, so that the DELETE still goes
 * out within 2 s of its read. A hold placed while the read waits in the bulk lane is not seen: that
 * window is the read's queue time, as for any change to the account itself before its read.
 */
function deleteUnlessHeld(
  staffbaseUserId: string,
  criteria: CleanupCriteria,
  externalID: string | null,
): Promise<DeletionResult | PersonChanged> {
  const precondition = { ...criteria, checkedExternalID: externalID };
  const person = personOfReads();
  return deleteOnFreshRead({
    read: async (): Promise<CleanupCandidateRead | HeldRead> => {
      if (externalID !== null) {
        const hold = await personRuns.findCleanupHold(externalID);
        if (hold) return { result: 'held', hold, externalID };
      }
      return person.note(await staffbase.readCleanupCandidate(staffbaseUserId));
    },
    decide: (read): CleanupVerdict | Held | PersonChanged => {
      if (read.result === 'held') return { held: read.hold, externalID: read.externalID };
      if (read.result === 'found' && read.account.staffbaseUserId === staffbaseUserId) {
        const personNow = read.account.externalID ?? null;
        if (personNow !== externalID) return { personNow };
      }
      return cleanupVerdict(read, { staffbaseUserId, ...precondition });
    },
    goAhead: (verdict): verdict is 'delete' => verdict === 'delete',
    remove: (readAt) => removeCleanupAccount(staffbaseUserId, { readAt, precondition }, person.last),
  });
}
