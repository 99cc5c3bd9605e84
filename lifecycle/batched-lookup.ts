/**
 * The batched look-up of bulk offboardings (workflows/lookup-batcher.ts): what a leaver's run asks,
 * what the batch answers it, and when that answer may stand in for a read before an act. Plain data
 * and pure functions: the workflows, the activities and the tests share them.
 */
import {
  BATCHED_LOOKUP_ANSWER_TIMEOUT_MS,
  BATCHED_LOOKUP_READ_TIMEOUT_MS,
  BATCHED_READ_MAX_AGE_MS,
} from '../config/defaults';
import type { AccountRead, AccountSnapshot } from './account-guards';

/** A bulk offboarding asks the batcher to look its person up. */
export interface BatchedLookupRequest {
  externalID: string;
  /** The asking run's workflow ID: where the answer is signalled. */
  workflowId: string;
}

/**
 * One person in a batch's answer. `found`/`gone` follow the single look-up's rules (exact externalID,
 * any managed status; no account = not found). `look-up-alone` where the batch cannot say as surely as
 * the single look-up would (the tenant refused the `or`, the answer was not complete, an unmanaged or
 * doubled match, a failed batch): the run then looks its person up on its own.
 */
export type BatchedAccountAnswer =
  { result: 'found'; account: AccountSnapshot } | { result: 'gone' } | { result: 'look-up-alone' };

/** What the batcher signals a waiting run: its person, and the moment the batch's request went out. */
export interface BatchedLookupAnswer {
  externalID: string;
  answer: BatchedAccountAnswer;
  /** Epoch ms taken just before the list request was sent (absent with `look-up-alone`). */
  readAt?: number;
}

/** A found account as the read it is, for the steps' compare-and-act guards. */
export function batchedReadOf(answer: BatchedLookupAnswer): AccountRead | undefined {
  if (answer.answer.result !== 'found' || answer.readAt === undefined) return undefined;
  return { result: 'found', account: answer.answer.account, readAt: answer.readAt };
}

/**
 * The batch's read may stand in for the read before a log-out or deactivation only while it is at most
 * BATCHED_READ_MAX_AGE_MS old (`nowMs`: the workflow's time as the step goes out). Deletions keep their
 * own, stricter rule (lifecycle/precondition-freshness.ts) and never use a batch read.
 */
export function recentBatchedRead(read: AccountRead | undefined, nowMs: number): AccountRead | undefined {
  if (read?.result !== 'found' || read.readAt === undefined) return undefined;
  const age = nowMs - read.readAt;
  // A read "from the future" is clock skew between worker hosts: as old as it is ahead.
  return Math.abs(age) <= BATCHED_READ_MAX_AGE_MS ? read : undefined;
}

/** How long a bulk offboarding waits for its batch's answer before it asks whether the batcher still holds it. */
export const batchedLookupAnswerTimeoutMs = BATCHED_LOOKUP_ANSWER_TIMEOUT_MS;
/** How long the batcher lets a batch's list request take, queued and retried included. */
export const batchedLookupReadTimeoutMs = BATCHED_LOOKUP_READ_TIMEOUT_MS;
