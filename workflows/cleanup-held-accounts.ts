import { type SkippedAccount, type SkippedCounts, keptSkippedAccounts } from '../lifecycle/cleanup-holds';
import type { BulkOutcome } from './support-messages';
import type { CleanupCarryOver } from './support-cleanup';

/**
 * The accounts a clean-up left alone for a person's open run: all their ids (they stay in the
 * matching set, at its front like the failed ones, so paging starts behind them), the first few
 * listed with the reason, and counts by reason.
 */
export class HeldAccounts {
  readonly ids: string[];
  readonly idSet: Set<string>;
  readonly listed: SkippedAccount[];
  readonly counts: SkippedCounts;

  constructor(carried?: Pick<CleanupCarryOver, 'heldIds' | 'skippedAccounts' | 'skippedFor'>) {
    this.ids = [...(carried?.heldIds ?? [])];
    this.idSet = new Set(this.ids);
    this.listed = [...(carried?.skippedAccounts ?? [])];
    this.counts = { ...(carried?.skippedFor ?? {}) };
  }

  /** A held account of a real run (it stays in the set) or of a dry run's sample (`inSet: false`). */
  note(account: SkippedAccount, { inSet = true } = {}): void {
    if (inSet && !this.idSet.has(account.staffbaseUserId)) {
      this.ids.push(account.staffbaseUserId);
      this.idSet.add(account.staffbaseUserId);
    }
    this.counts[account.reason] = (this.counts[account.reason] ?? 0) + 1;
    if (this.listed.length < keptSkippedAccounts) this.listed.push(account);
  }

  /** For the outcome; nothing while none was held. */
  report(): Pick<BulkOutcome, 'skippedAccounts' | 'skippedFor'> {
    return Object.keys(this.counts).length === 0
      ? {}
      : { skippedAccounts: [...this.listed], skippedFor: { ...this.counts } };
  }

  /** For the next run of the chain. */
  carried(): Pick<CleanupCarryOver, 'heldIds' | 'skippedAccounts' | 'skippedFor'> {
    return this.ids.length === 0 && Object.keys(this.counts).length === 0
      ? {}
      : { heldIds: [...this.ids], ...this.report() };
  }
}
