/**
 * An offboarding's retention book-keeping: when this run deactivated the account, when the deletion
 * is due (days after the deactivation, an explicit moment, or now), the worker's retention floor under
 * that deadline with the raises to it still to audit, and the legal hold that stops the clock.
 * workflows/offboarding.ts waits on it; its handlers (offboarding-handlers.ts) change it.
 */
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { RetentionFloorRaise } from '../activities/retention-floor-activities';
import { addDays } from '../lifecycle/calendar';
import type { OffboardingPolicy, OffboardingRequest } from '../lifecycle/offboarding-request';
import { legalHoldSearchAttribute } from '../lifecycle/search-attributes';
import type { OffboardingControls } from './offboarding-handlers';
import type { OffboardingStatus } from './offboarding-messages';
import { offboardingPatches } from './offboarding-patches';
import { retentionFloor } from './retention-floor';

export class OffboardingRetention {
  deactivatedAtMs: number | undefined;
  deleteAtMs: number | undefined;
  legalHold: OffboardingStatus['legalHold'];
  /** Set by every change of the deadline or the hold; the retention wait clears it before it waits. */
  changed = false;
  /**
   * The worker's OFFBOARDING_MIN_RETENTION_DAYS, read at the start (patch `retention-floor`); undefined
   * in runs started before it, which keep their old deadlines.
   */
  minRetentionDays: number | undefined;
  private retentionDays: number;
  private explicitDeleteAtMs: number | undefined;
  /** Delete-now was asked for: the floor does not hold it back (a later retention change ends that). */
  private deleteNowAsked = false;
  /** Raises to the floor not yet audited (a handler cannot wait for the audit activity itself). */
  private readonly floorRaises: RetentionFloorRaise[] = [];

  constructor(
    request: OffboardingRequest,
    policy: OffboardingPolicy,
    /** The person's ids as the run knows them now, for the audit of a floor raise. */
    private readonly account: () => { externalID: string; staffbaseUserId: string | undefined },
  ) {
    this.retentionDays = request.retentionDays ?? policy.retentionDays;
    this.explicitDeleteAtMs = request.deleteAt === undefined ? undefined : Date.parse(request.deleteAt);
  }

  /** The run deactivated the account: the retention period starts. */
  deactivatedAt(epochMs: number): void {
    this.deactivatedAtMs = epochMs;
    this.recomputeDeleteAt();
  }

  move(change: Parameters<OffboardingControls['moveDeadline']>[0]): void {
    this.deleteNowAsked = 'deleteNow' in change;
    if ('retentionDays' in change) {
      this.retentionDays = change.retentionDays;
      this.explicitDeleteAtMs = undefined;
    } else {
      this.explicitDeleteAtMs = 'deleteNow' in change ? 0 : change.deleteAtMs;
    }
    this.recomputeDeleteAt();
  }

  placeHold(reason: string): void {
    if (this.legalHold) return;
    this.legalHold = { reason, since: new Date().toISOString() };
    this.publishHold(true);
  }

  releaseHold(): void {
    this.legalHold = undefined;
    this.changed = true;
    this.publishHold(false);
  }

  /** Nothing moved the deadline since the retention wait began, and no legal hold stops the clock. */
  get deadlineStands(): boolean {
    return !this.changed && !this.legalHold;
  }

  /** Raises to the floor wait for their audit. */
  get floorRaised(): boolean {
    return this.floorRaises.length > 0;
  }

  async auditFloorRaises(): Promise<void> {
    for (let raise = this.floorRaises.shift(); raise; raise = this.floorRaises.shift()) {
      await retentionFloor.recordRetentionRaisedToFloor(raise);
    }
  }

  private recomputeDeleteAt(): void {
    const { deactivatedAtMs, minRetentionDays, retentionDays, explicitDeleteAtMs } = this;
    if (deactivatedAtMs === undefined) return;
    this.deleteAtMs = explicitDeleteAtMs ?? addDays(deactivatedAtMs, retentionDays);
    const floorMs = minRetentionDays ? addDays(deactivatedAtMs, minRetentionDays) : undefined;
    if (floorMs !== undefined && this.deleteAtMs < floorMs && !this.deleteNowAsked) {
      const { externalID, staffbaseUserId } = this.account();
      this.floorRaises.push({
        externalID,
        staffbaseUserId,
        requested:
          explicitDeleteAtMs === undefined
            ? { retentionDays }
            : { deleteAt: new Date(explicitDeleteAtMs).toISOString() },
        minRetentionDays: minRetentionDays ?? 0,
        deleteAt: new Date(floorMs).toISOString(),
      });
      this.deleteAtMs = floorMs;
    }
    this.changed = true;
  }

  /** A hold is visible to every process (a clean-up asks visibility), not only to this run's query. */
  private publishHold(held: boolean): void {
    if (patched(offboardingPatches.legalHoldSearchAttribute)) {
      upsertSearchAttributes([{ key: legalHoldSearchAttribute, value: held }]);
    }
  }
}
