/**
 * Staffbase's own words about a refusal ("A user with the userName ada.lovelace already exists") can
 * quote the person's values, so they never go into a failure's message, which workers log
 * (activities/activity-failures.ts). They travel in the failure's details instead — encrypted in the
 * history like every payload, never logged — and are put back only where people who may see them read
 * the failure: the needs-attention reason, the HR API's and the CLI's failure causes.
 * Shared by workflow and client code: no Node built-ins.
 */

/** The details field that carries Staffbase's message. */
export const STAFFBASE_WORDS_DETAIL = 'staffbaseMessage';

/** Staffbase's message from a failure's details, when one was carried. */
export function staffbaseWordsOf(details: readonly unknown[] | null | undefined): string | undefined {
  const first: unknown = details?.[0];
  if (first === null || typeof first !== 'object') return undefined;
  const words: unknown = (first as Record<string, unknown>)[STAFFBASE_WORDS_DETAIL];
  return typeof words === 'string' && words.trim() !== '' ? words : undefined;
}

/** A failure's message with Staffbase's words added back, for the people the refusal concerns. */
export function withStaffbaseWords(message: string, details: readonly unknown[] | null | undefined): string {
  const words = staffbaseWordsOf(details);
  return words === undefined ? message : `${message} — Staffbase said: "${words}"`;
}
