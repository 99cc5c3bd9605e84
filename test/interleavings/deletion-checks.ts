/**
 * Invariant 1 of the interleavings test, on the tenant's records alone (no servers): every DELETE the
 * API sent arrived within the bound of a read of the same account, and none met an `activated`
 * account — except one activated after that read, by the person or by hand: the window no client of
 * the API can close (Staffbase has no conditional DELETE), which is counted, not failed, here.
 */
import { MAX_PRECONDITION_AGE_MS } from '../../lifecycle/precondition-freshness';
import type { CallRecord, EffectRecord } from '../../simulator/control-client';

/**
 * How long after a read of an account, both as the tenant saw them arrive, its DELETE may arrive.
 * The product's bound (MAX_PRECONDITION_AGE_MS, 2 s) is measured on the worker: from the moment it
 * sends the read to the moment it checks the read's age and sends the DELETE. The tenant sees the
 * DELETE later by its way there (the worker's HTTP client and rate limiter, two processes on a loaded
 * machine), which no client can bound: the test allows DELETE_TRANSIT_ALLOWANCE_MS for it, and prints
 * how many DELETEs arrived more than 2 s after their read and the longest gap.
 */
export const DELETE_TRANSIT_ALLOWANCE_MS = 500;
export const READ_TO_DELETE_BOUND_MS = MAX_PRECONDITION_AGE_MS + DELETE_TRANSIT_ALLOWANCE_MS;

/** When the last answered read of this account before `beforeMs` arrived at the tenant. */
function lastReadBefore(calls: CallRecord[], userId: string, beforeMs: number): number | undefined {
  let latest: number | undefined;
  for (const call of calls) {
    if (call.routeKey !== 'GET /users/:id' || call.status !== 200 || !call.path.endsWith(`/users/${userId}`))
      continue;
    const at = Date.parse(call.time);
    if (at <= beforeMs && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

/** Changes that make an account active, by someone other than the API: the person, or Studio. */
const activationsByOthers: ReadonlySet<EffectRecord['kind']> = new Set(['activated', 'reactivated']);

/** The last activation of the account by someone other than the API before `beforeMs`. */
function lastActivationByOthersBefore(
  effects: EffectRecord[],
  userId: string,
  beforeMs: number,
): EffectRecord | undefined {
  let latest: EffectRecord | undefined;
  for (const effect of effects) {
    if (effect.userId !== userId || effect.via === 'api' || !activationsByOthers.has(effect.kind)) continue;
    if (Date.parse(effect.time) <= beforeMs) latest = effect;
  }
  return latest;
}

/** A DELETE the API sent, as the tenant saw it: how long after the account's last read it arrived. */
export interface DeletionTiming {
  externalID: string;
  userId: string;
  /** From the last answered read of the account to the DELETE, at the tenant; undefined: no read. */
  readToDeleteMs?: number;
}

/**
 * A DELETE that met an account activated (accepted, or reactivated by hand) after the read it relied
 * on: the window no client of the API can close (Staffbase has no conditional DELETE). Counted and bounded apart.
 */
export interface WindowHit {
  externalID: string;
  userId: string;
  change: string;
  statusAtDelete: string;
  changeToDeleteMs: number;
  readToDeleteMs: number;
}

/** Invariant 1 for one person's effects (`mine`), against the tenant's call log. */
export function checkDeletions(
  externalID: string,
  mine: EffectRecord[],
  calls: CallRecord[],
): { problems: string[]; deletions: DeletionTiming[]; windowHits: WindowHit[] } {
  const problems: string[] = [];
  const deletions: DeletionTiming[] = [];
  const windowHits: WindowHit[] = [];
  for (const deletion of mine.filter((effect) => effect.kind === 'deleted' && effect.via === 'api')) {
    const deletedAt = Date.parse(deletion.time);
    const readAt = lastReadBefore(calls, deletion.userId, deletedAt);
    const readToDeleteMs = readAt === undefined ? undefined : deletedAt - readAt;
    deletions.push({ externalID: externalID, userId: deletion.userId, readToDeleteMs });
    if (readToDeleteMs === undefined || readToDeleteMs > READ_TO_DELETE_BOUND_MS) {
      const age =
        readToDeleteMs === undefined ? 'no read of it' : `its last read ${readToDeleteMs} ms before`;
      problems.push(
        `invariant 1: ${externalID}'s account ${deletion.userId} was deleted on ${age} ` +
          `(bound ${READ_TO_DELETE_BOUND_MS} ms at the tenant)`,
      );
    }
    const change = lastActivationByOthersBefore(mine, deletion.userId, deletedAt);
    const changeAt = change === undefined ? undefined : Date.parse(change.time);
    if (readAt !== undefined && readToDeleteMs !== undefined && changeAt !== undefined && changeAt > readAt) {
      windowHits.push({
        externalID: externalID,
        userId: deletion.userId,
        change: `${change!.kind} via ${change!.via}`,
        statusAtDelete: deletion.statusBefore ?? 'unknown',
        changeToDeleteMs: deletedAt - changeAt,
        readToDeleteMs,
      });
    } else if (deletion.statusBefore === 'activated') {
      const read =
        readToDeleteMs === undefined ? 'no read of it' : `its last read ${readToDeleteMs} ms before`;
      const activated = change
        ? `${change.kind} via ${change.via} ${deletedAt - changeAt!} ms before`
        : 'activated';
      problems.push(
        `invariant 1: ${externalID}'s account ${deletion.userId} was activated when its DELETE arrived ` +
          `(${activated}, ${read})`,
      );
    }
  }

  return { problems, deletions, windowHits };
}
