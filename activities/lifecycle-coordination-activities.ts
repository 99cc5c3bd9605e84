import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { type PersonLifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { cancelOffboardingUpdate, type OffboardingOutcome } from '../workflows/offboarding-messages';
import { cancelOnboardingSignal } from '../workflows/onboarding-messages';
import { endLeaveByOffboardingUpdate } from '../workflows/leave-messages';
import { whileHeartbeating } from './heartbeating';

/**
 * One person, one story: whichever lifecycle of a person starts later settles the earlier open one
 * first, and waits until it has stopped — a rehire onboarding stops the leaver's offboarding, an
 * offboarding stops a joiner's onboarding. A run that started *after* the caller is left alone: it
 * is the later instruction and settles the caller itself, so two runs never cancel each other.
 * These activities talk to Temporal (the worker's own client), never to Staffbase.
 */

export type OffboardingSettlement =
  /** The open offboarding stopped; the account was not deleted. */
  | 'cancelled'
  /** The offboarding was already deleting when the rehire came; it has finished. */
  | 'deleted-before-rehire'
  | 'no-open-offboarding';

export type OnboardingSettlement = 'cancelled' | 'no-open-onboarding';

/** `ended`: the person's open leave ended without reactivating (whatever it had ended as, it is closed). */
export type LeaveSettlement = 'ended' | 'no-open-leave';

/** Why a leave may not start: the person's onboarding or offboarding that started before it is open. */
export type LeaveRefusal = 'onboarding-open' | 'offboarding-open';

/** Before an onboarding: refused while the person is on leave, else the rehire's settlement. */
export type OnboardingStartSettlement = OffboardingSettlement | 'on-leave';

const rehireCancel = { reason: 'Rehired: a new onboarding of this person started', by: 'rehire' as const };

function handleOf(lifecycle: PersonLifecycle, externalID: string): WorkflowHandle {
  return Context.current().client.workflow.getHandle(lifecycleWorkflowId(lifecycle, externalID));
}

/** The open run of the other lifecycle, or undefined when none is open. */
async function openRun(handle: WorkflowHandle): Promise<WorkflowExecutionDescription | undefined> {
  try {
    const description = await handle.describe();
    return description.status.name === 'RUNNING' ? description : undefined;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Whether the other run's chain started before `startedAt`. A run that continued as new belongs to a
 * chain that began weeks earlier (continue-as-new happens after thousands of events).
 */
function startedBefore(other: WorkflowExecutionDescription, startedAt: string, onTie: boolean): boolean {
  const firstRunId = other.raw.workflowExecutionInfo?.firstRunId;
  if (firstRunId && firstRunId !== other.runId) return true;
  const otherMs = other.startTime.getTime();
  const mineMs = Date.parse(startedAt);
  return otherMs < mineMs || (onTie && otherMs === mineMs);
}

/** The other lifecycle's open run when its chain started before `startedAt` (the earlier one), else undefined. */
async function earlierOpenRun(
  handle: WorkflowHandle,
  startedAt: string,
  onTie: boolean,
): Promise<WorkflowExecutionDescription | undefined> {
  const open = await openRun(handle);
  return open && startedBefore(open, startedAt, onTie) ? open : undefined;
}

/** A handle on exactly this run (not on whichever run of its ID is the latest). */
function exactRun(open: WorkflowExecutionDescription): WorkflowHandle {
  return Context.current().client.workflow.getHandle(open.workflowId, open.runId);
}

/** How often the waiting activities heartbeat: a crashed worker's wait is retried within seconds. */
export const coordinationHeartbeatMs = 2_000;

function isClosedRunError(error: unknown): boolean {
  return error instanceof Error && /already completed|not found/i.test(error.message);
}

/** What an offboarding that refused the cancel (or closed meanwhile) ended as. */
async function offboardingSettledAs(handle: WorkflowHandle): Promise<OffboardingSettlement> {
  let outcome: OffboardingOutcome;
  try {
    outcome = (await handle.result()) as OffboardingOutcome;
  } catch {
    return 'no-open-offboarding'; // failed or terminated: it deletes nothing any more
  }
  if (outcome.result === 'cancelled' || outcome.result === 'cancelled-by-rehire') return 'cancelled';
  return outcome.result === 'deleted' ? 'deleted-before-rehire' : 'no-open-offboarding';
}

export function createLifecycleCoordinationActivities() {
  return {
    /**
     * Cancels the person's offboarding that started before this onboarding (as a rehire: the
     * onboarding's rehire policy then decides about the account) and waits until it has stopped.
     * When its deletion was already under way it waits for that to finish, so the onboarding never
     * races a DELETE.
     */
    async cancelOffboardingForRehire(input: {
      externalID: string;
      onboardingStartedAt: string;
    }): Promise<OffboardingSettlement> {
      return whileHeartbeating(coordinationHeartbeatMs, () => settleOffboarding(input));
    },

    /**
     * Cancels the person's onboarding that started before this offboarding (its cancel policy
     * applies to a pending account) and waits until it has stopped, so no account is created or
     * reactivated behind the offboarding's back.
     */
    async cancelOnboardingForLeaver(input: {
      externalID: string;
      offboardingStartedAt: string;
    }): Promise<OnboardingSettlement> {
      return whileHeartbeating(coordinationHeartbeatMs, () => settleOnboarding(input));
    },

    /**
     * Ends the person's open leave without reactivating (the offboarding takes the account over) and
     * waits until it has ended. Any open leave counts, whenever it started: a leave never outlives an
     * offboarding that took effect.
     */
    async endLeaveForLeaver(input: { externalID: string }): Promise<LeaveSettlement> {
      return whileHeartbeating(coordinationHeartbeatMs, () => settleLeave(input.externalID));
    },

    /**
     * The service's own check before a leave acts (the starters check too, but a run may be started
     * another way, or two starts may race): the person's onboarding or offboarding that started before
     * this leave (or at the same moment) and is still open refuses it. `none`: the leave may go ahead.
     */
    async leaveRefusal(input: {
      externalID: string;
      leaveStartedAt: string;
    }): Promise<LeaveRefusal | 'none'> {
      const [onboarding, offboarding] = await Promise.all([
        earlierOpenRun(handleOf('onboarding', input.externalID), input.leaveStartedAt, true),
        earlierOpenRun(handleOf('offboarding', input.externalID), input.leaveStartedAt, true),
      ]);
      if (onboarding) return 'onboarding-open';
      return offboarding ? 'offboarding-open' : 'none';
    },

    /**
     * Before an onboarding acts: refused (`on-leave`) while a leave of the person that started before
     * it is open — the leave decides about the account; otherwise as cancelOffboardingForRehire. A leave
     * started at the same moment loses to the onboarding (leaveRefusal counts the tie against it).
     */
    async settleBeforeOnboarding(input: {
      externalID: string;
      onboardingStartedAt: string;
    }): Promise<OnboardingStartSettlement> {
      const leave = await earlierOpenRun(
        handleOf('leave', input.externalID),
        input.onboardingStartedAt,
        false,
      );
      if (leave) return 'on-leave';
      return whileHeartbeating(coordinationHeartbeatMs, () => settleOffboarding(input));
    },
  };
}

/** The rehire's side: see cancelOffboardingForRehire. */
async function settleOffboarding(input: {
  externalID: string;
  onboardingStartedAt: string;
}): Promise<OffboardingSettlement> {
  const open = await earlierOpenRun(
    handleOf('offboarding', input.externalID),
    input.onboardingStartedAt,
    true,
  );
  if (!open) return 'no-open-offboarding';
  const run = exactRun(open);
  try {
    await run.executeUpdate(cancelOffboardingUpdate, { args: [rehireCancel] });
    return 'cancelled';
  } catch (error) {
    // Refused (AlreadyDeleted, AlreadyEnded, CancelTooLate — also our own earlier attempt having
    // succeeded) or closed meanwhile: its result says how it ended.
    const refused = error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure;
    if (refused || isClosedRunError(error)) return offboardingSettledAs(run);
    throw error;
  }
}

/** The leaver's side: see cancelOnboardingForLeaver. */
async function settleOnboarding(input: {
  externalID: string;
  offboardingStartedAt: string;
}): Promise<OnboardingSettlement> {
  const handle = handleOf('onboarding', input.externalID);
  let open = await earlierOpenRun(handle, input.offboardingStartedAt, false);
  if (!open) return 'no-open-onboarding';
  // Signal the very run found; if it continued as new meanwhile, find its successor and retry.
  for (;;) {
    const run = exactRun(open);
    try {
      await run.signal(cancelOnboardingSignal, { reason: 'Offboarding started' });
    } catch (error) {
      if (!isClosedRunError(error)) throw error;
      open = await earlierOpenRun(handle, input.offboardingStartedAt, false);
      if (open) continue;
      return 'cancelled';
    }
    await run.result().catch(() => undefined); // however it ended (after any continue-as-new), it stopped
    return 'cancelled';
  }
}

/** The leaver's side towards a leave: see endLeaveForLeaver. */
async function settleLeave(externalID: string): Promise<LeaveSettlement> {
  const open = await openRun(handleOf('leave', externalID));
  if (!open) return 'no-open-leave';
  try {
    await exactRun(open).executeUpdate(endLeaveByOffboardingUpdate);
  } catch (error) {
    if (!isClosedRunError(error)) throw error;
  }
  return 'ended';
}

export type LifecycleCoordinationActivities = ReturnType<typeof createLifecycleCoordinationActivities>;
