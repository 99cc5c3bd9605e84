/**
 * The offboarding's queries and updates: what HR may change while the run waits, and when each
 * change is refused (with a reason the caller sees). The run's state stays in workflows/offboarding.ts
 * (its retention book-keeping in offboarding-retention.ts); these handlers reach it through the
 * controls it hands over.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { RetentionChange } from '../lifecycle/offboarding-request';
import { retryStepUpdate } from './attention-messages';
import type { AttentionDesk } from './needs-attention';
import {
  cancelOffboardingUpdate,
  changeRetentionUpdate,
  deleteNowUpdate,
  legalHoldUpdate,
  offboardingStatusQuery,
  releaseLegalHoldUpdate,
  type OffboardingCancelRequest,
  type OffboardingOutcome,
  type OffboardingStage,
  type OffboardingStatus,
} from './offboarding-messages';

export interface OffboardingControls {
  status(): OffboardingStatus;
  outcome(): OffboardingOutcome | undefined;
  /** The deletion runs or ran: nothing can undo it. */
  deletionStarted(): boolean;
  /** …or it is due and waits for a fix: the deadline can no longer move (a cancel still can). */
  deletionDue(): boolean;
  legalHold(): OffboardingStatus['legalHold'];
  cancelRequested(): boolean;
  requestCancel(request: OffboardingCancelRequest): void;
  /**
   * A new deadline: days after the deactivation, an explicit moment, or now (delete-now, which the
   * worker's retention floor does not bound: it is the support key's own act).
   */
  moveDeadline(change: { retentionDays: number } | { deleteAtMs: number } | { deleteNow: true }): void;
  placeHold(reason: string): void;
  releaseHold(): void;
  desk: AttentionDesk<OffboardingStage>;
}

const refuse = (message: string, type: string) =>
  ApplicationFailure.create({ message, type, nonRetryable: true });

export function registerOffboardingHandlers(run: OffboardingControls): void {
  /** A cancel (by HR or a rehire) is under way: nothing else can take effect any more. */
  const refuseWhileCancelling = () => {
    if (run.cancelRequested() && !run.outcome()) {
      throw refuse('The offboarding is being cancelled; nothing else can change it now.', 'CancelPending');
    }
  };
  const refuseOnceDeleting = () => {
    if (run.outcome() || run.deletionDue()) {
      throw refuse('Offboarding already ended or is deleting.', 'AlreadyEnded');
    }
  };

  setHandler(offboardingStatusQuery, () => run.status());
  setHandler(retryStepUpdate, () => run.desk.retry(), { validator: () => run.desk.assertWaiting() });

  setHandler(
    cancelOffboardingUpdate,
    async (details) => {
      run.requestCancel({ reason: details?.reason, by: details?.by });
      await condition(() => run.outcome() !== undefined);
      const outcome = run.outcome();
      if (outcome?.result !== 'cancelled' && outcome?.result !== 'cancelled-by-rehire')
        throw refuse(
          `Offboarding ended as ${outcome?.result} before the cancel took effect`,
          'CancelTooLate',
        );
      return outcome;
    },
    {
      validator: (_details: OffboardingCancelRequest) => {
        if (run.deletionStarted())
          throw refuse(
            'The account is deleted (or being deleted); a cancel cannot undo that.',
            'AlreadyDeleted',
          );
        const outcome = run.outcome();
        if (outcome) throw refuse(`Offboarding already ended as ${outcome.result}.`, 'AlreadyEnded');
      },
    },
  );

  setHandler(
    deleteNowUpdate,
    () => {
      run.moveDeadline({ deleteNow: true });
      return run.status();
    },
    {
      validator: () => {
        const hold = run.legalHold();
        if (hold) throw refuse(`A legal hold is in place (${hold.reason}); release it first.`, 'LegalHold');
        refuseOnceDeleting();
        refuseWhileCancelling();
      },
    },
  );

  setHandler(
    legalHoldUpdate,
    ({ reason }) => {
      run.placeHold(reason);
      return run.status();
    },
    {
      validator: (hold: { reason: string }) => {
        if (!hold?.reason?.trim()) throw refuse('A legal hold needs a reason.', 'InvalidArgument');
        refuseOnceDeleting();
        refuseWhileCancelling();
      },
    },
  );

  setHandler(
    releaseLegalHoldUpdate,
    () => {
      run.releaseHold();
      return run.status();
    },
    {
      validator: () => {
        if (!run.legalHold()) throw refuse('There is no legal hold to release.', 'NoLegalHold');
      },
    },
  );

  setHandler(
    changeRetentionUpdate,
    (change: RetentionChange) => {
      run.moveDeadline(
        'retentionDays' in change
          ? { retentionDays: change.retentionDays }
          : { deleteAtMs: Date.parse(change.deleteAt) },
      );
      return run.status();
    },
    {
      validator: (change: RetentionChange) => {
        if (!isRetentionChange(change))
          throw refuse(
            'Give retentionDays (a whole number ≥ 0) or deleteAt (an ISO date-time).',
            'InvalidArgument',
          );
        refuseOnceDeleting();
        refuseWhileCancelling();
      },
    },
  );
}

/** The edges validate with zod; a raw update (e.g. from the Temporal CLI) is checked here. */
function isRetentionChange(change: unknown): change is RetentionChange {
  if (change === null || typeof change !== 'object') return false;
  if ('retentionDays' in change) {
    return Number.isInteger(change.retentionDays) && (change.retentionDays as number) >= 0;
  }
  return (
    'deleteAt' in change && typeof change.deleteAt === 'string' && !Number.isNaN(Date.parse(change.deleteAt))
  );
}
