import {
  type Client,
  type UpdateDefinition,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ActionRefusedError, InvalidActionInputError, NoOpenRunError } from './action-errors';
import { ApplicationFailure } from '@temporalio/common';
import { calendarDateSchema } from '../lifecycle/field-rules';
import { type RetentionChange, retentionChangeSchema } from '../lifecycle/offboarding-request';
import { type PersonLifecycle } from '../lifecycle/workflow-ids';
import {
  cancelOffboardingUpdate,
  changeRetentionUpdate,
  deleteNowUpdate,
  legalHoldUpdate,
  releaseLegalHoldUpdate,
  type OffboardingOutcome,
  type OffboardingStatus,
} from '../workflows/offboarding-messages';
import {
  cancelOnboardingSignal,
  changeStartDateSignal,
  onboardingActivatedSignal,
} from '../workflows/onboarding-messages';
import { isClosedRunAnswer, lifecycleHandle } from './workflow-runs';

/**
 * What HR can do to a run — shared by the CLI, the HTTP API and CSV imports. Runs are addressed by
 * lifecycle and externalID only. What HR sees of a person is in `person-state.ts`, lists of runs in
 * `run-list.ts`, why a run failed in `failure-cause.ts`.
 */

export { ActionRefusedError, InvalidActionInputError, NoOpenRunError } from './action-errors';

/**
 * Runs an action on an open run, turning Temporal's answers into the shared errors: no run (or a
 * closed one) → {@link NoOpenRunError}; an update the run refused → {@link ActionRefusedError}.
 */
export async function asOpenRun<T>(
  lifecycle: PersonLifecycle,
  externalID: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new NoOpenRunError(lifecycle, externalID);
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      throw new ActionRefusedError(error.cause.message, error.cause.type ?? 'Refused');
    }
    if (isClosedRunAnswer(error)) {
      throw new NoOpenRunError(lifecycle, externalID);
    }
    throw error;
  }
}

// --- onboarding -----------------------------------------------------------------------------

export function signalActivated(client: Client, externalID: string, source = 'hr'): Promise<void> {
  return asOpenRun('onboarding', externalID, () =>
    lifecycleHandle(client, 'onboarding', externalID).signal(onboardingActivatedSignal, { source }),
  );
}

export function cancelOnboarding(client: Client, externalID: string, reason?: string): Promise<void> {
  return asOpenRun('onboarding', externalID, () =>
    lifecycleHandle(client, 'onboarding', externalID).signal(cancelOnboardingSignal, { reason }),
  );
}

export function changeStartDate(client: Client, externalID: string, startDate: string): Promise<void> {
  const parsed = calendarDateSchema.safeParse(startDate);
  if (!parsed.success)
    throw new InvalidActionInputError('startDate must be a date in the form YYYY-MM-DD', 'startDate');
  return asOpenRun('onboarding', externalID, () =>
    lifecycleHandle(client, 'onboarding', externalID).signal(changeStartDateSignal, {
      startDate: parsed.data,
    }),
  );
}

// --- offboarding ----------------------------------------------------------------------------

/** An update of the person's open offboarding run (the errors as {@link asOpenRun}). */
function updateOpenOffboarding<Ret, Args extends [] | [unknown]>(
  client: Client,
  externalID: string,
  update: UpdateDefinition<Ret, Args>,
  ...args: Args
): Promise<Ret> {
  // The SDK types updates with and without arguments by two overloads; one call serves both here.
  const anyArity = update as UpdateDefinition<Ret, [unknown]>;
  return asOpenRun('offboarding', externalID, () =>
    lifecycleHandle(client, 'offboarding', externalID).executeUpdate(anyArity, { args: args as [unknown] }),
  );
}

export function cancelOffboarding(
  client: Client,
  externalID: string,
  reason?: string,
): Promise<OffboardingOutcome> {
  return updateOpenOffboarding(client, externalID, cancelOffboardingUpdate, { reason });
}

export function deleteNow(client: Client, externalID: string): Promise<OffboardingStatus> {
  return updateOpenOffboarding(client, externalID, deleteNowUpdate);
}

export function placeLegalHold(
  client: Client,
  externalID: string,
  reason: string,
): Promise<OffboardingStatus> {
  if (!reason.trim()) throw new InvalidActionInputError('reason must not be empty', 'reason');
  return updateOpenOffboarding(client, externalID, legalHoldUpdate, { reason });
}

export function releaseLegalHold(client: Client, externalID: string): Promise<OffboardingStatus> {
  return updateOpenOffboarding(client, externalID, releaseLegalHoldUpdate);
}

export function changeRetention(
  client: Client,
  externalID: string,
  change: RetentionChange,
): Promise<OffboardingStatus> {
  const parsed = retentionChangeSchema.safeParse(change);
  if (!parsed.success) {
    throw new InvalidActionInputError(
      'give retentionDays (a whole number ≥ 0) or deleteAt (an ISO date-time)',
      'retention',
    );
  }
  return updateOpenOffboarding(client, externalID, changeRetentionUpdate, parsed.data);
}
