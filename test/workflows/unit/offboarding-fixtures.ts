import assert from 'node:assert/strict';
/** Shared pieces of the offboarding unit tests (stubbed activities; see stubbed-workers.ts). */
import type { AccountRead, AccountSnapshot } from '../../../lifecycle/account-guards';
import type { OffboardingRequest } from '../../../lifecycle/offboarding-request';
import {
  type OffboardingOutcome,
  type OffboardingStage,
  offboardingStatusQuery,
} from '../../../workflows/offboarding-messages';
import { offboardingPolicy } from '../../helpers/people';
import type { StubbedRun, Stubs, UnitTestBed } from './stubbed-workers';

export const dayMs = 86_400_000;
const deactivationMark = '2030-01-01T00:00:00.000Z';

/**
 * The leaver's account as the stubs keep it: resolved by externalID, read before every act, changed
 * by the acts. A test changes `account.current` to play an administrator in Studio.
 */
export function leaverAccount() {
  const account: { current: AccountSnapshot | undefined } = {
    current: { staffbaseUserId: 'sb-9', externalID: 'E9', status: 'activated' },
  };
  const read = (): AccountRead =>
    account.current ? { result: 'found', account: { ...account.current } } : { result: 'gone' };
  /** The account after the status change, or undefined when it is gone. */
  const setStatus = (status: AccountSnapshot['status']): AccountSnapshot | undefined => {
    if (!account.current) return undefined;
    account.current = { ...account.current, status, ...(status === 'deactivated' && { deactivationMark }) };
    return { ...account.current };
  };
  const stubs = {
    // The worker's floor (OFFBOARDING_MIN_RETENTION_DAYS) at 0: these tests move deadlines freely.
    offboardingRetentionFloor: () => ({ minRetentionDays: 0 }),
    cancelOnboardingForLeaver: () => 'no-open-onboarding',
    endLeaveForLeaver: () => 'no-open-leave',
    leaveRefusal: () => 'none',
    findAccountByExternalId: read,
    readAccount: read,
    endSessions: () => 'logged-out',
    deactivateById: () => {
      const changed = setStatus('deactivated');
      return changed ? { result: 'deactivated', account: changed } : { result: 'user-not-found' };
    },
    reactivateById: () => {
      const changed = setStatus('activated');
      return changed ? { result: 'reactivated', account: changed } : { result: 'user-not-found' };
    },
    deleteAccount: () => {
      account.current = undefined;
      return 'deleted';
    },
  } satisfies Stubs;
  return { account, stubs };
}

export function startOffboarding(
  bed: UnitTestBed,
  stubs: Stubs,
  request: Partial<OffboardingRequest> = {},
): Promise<StubbedRun<OffboardingOutcome>> {
  return bed.start<OffboardingOutcome>(
    'offboarding',
    [{ request: { externalID: 'E9', ...request }, policy: offboardingPolicy() }],
    stubs,
  );
}

/** Waits until the run's status query shows the stage. */
export function stageReached(bed: UnitTestBed, run: StubbedRun<unknown>, stage: OffboardingStage) {
  return bed.until(
    () => run.handle.query(offboardingStatusQuery),
    (status) => status.stage === stage,
    `offboarding stage ${stage}`,
  );
}

/** Milliseconds between two ISO moments of an outcome or status. */
export const between = (from: string | undefined, to: string | undefined) =>
  Date.parse(to ?? '') - Date.parse(from ?? '');

/** The deletion came `expectedMs` after the deactivation: at the deadline, plus the delete's own activity time. */
export function deletedAfter(
  outcome: { deactivatedAt?: string; deletedAt?: string },
  expectedMs: number,
): void {
  const ms = between(outcome.deactivatedAt, outcome.deletedAt);
  assert.ok(
    ms >= expectedMs && ms < expectedMs + 60_000,
    `deleted ${ms} ms after the deactivation, expected ${expectedMs}`,
  );
}
