/**
 * Whether a retention change brings an account's deletion forward. HR systems (the lifecycle key) may
 * keep data longer — a correction — but only support (the admin key) may shorten the time before an
 * irreversible deletion (the HR API refuses it, and the HR API and the CLI audit it). Judged from the run's current status: against its `deleteAt` once known, and
 * before the deactivation (no `deleteAt` yet) against the configured retention period.
 */
import { type Client } from '@temporalio/client';
import { type OffboardingPolicy, type RetentionChange } from '../lifecycle/offboarding-request';
import { type OffboardingStatus, offboardingStatusQuery } from '../workflows/offboarding-messages';
import { lifecycleHandle, unlessNotFound } from './workflow-runs';

const DAY_MS = 24 * 60 * 60 * 1000;

export function shortensRetention(
  status: Pick<OffboardingStatus, 'deleteAt' | 'deactivatedAt'> | undefined,
  change: RetentionChange,
  policy: Pick<OffboardingPolicy, 'retentionDays'>,
  nowMs: number,
): boolean {
  const current = status?.deleteAt ? Date.parse(status.deleteAt) : undefined;
  if ('retentionDays' in change) {
    const from = status?.deactivatedAt ? Date.parse(status.deactivatedAt) : undefined;
    if (current !== undefined && from !== undefined) return from + change.retentionDays * DAY_MS < current;
    return change.retentionDays < policy.retentionDays;
  }
  const requested = Date.parse(change.deleteAt);
  return requested < (current ?? nowMs + policy.retentionDays * DAY_MS);
}

/** The run's status, or undefined when there is no run to ask (the update then answers 404 itself). */
export function offboardingStatusOf(
  client: Client,
  externalID: string,
): Promise<OffboardingStatus | undefined> {
  return unlessNotFound(() =>
    lifecycleHandle(client, 'offboarding', externalID).query(offboardingStatusQuery),
  );
}
