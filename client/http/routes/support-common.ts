/**
 * What the support routes (support-person.ts, support-lookups.ts, support-bulk.ts) share: response
 * descriptions and small helpers. Requests are checked with the shared schemas of
 * `lifecycle/support-requests.ts` (the same ones the CLI uses) and started through
 * `client/support-runs.ts`.
 */
import { type StartedSupportRun } from '../../support-runs';

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Drops `secret` should a record ever carry one (the activities already never return it). */
export function withoutSecret<T extends object>(record: T): T {
  const { secret: _secret, ...rest } = record as T & { secret?: unknown };
  return rest as T;
}

/** 202 for a run this request started, 200 for the open run it found. */
export const startedStatus = (run: StartedSupportRun) => (run.status === 'started' ? 202 : 200);

export const badRequest = {
  description: 'Invalid path, query or body: every bad field in `problems`.',
  schema: 'Error',
};
export const timeout = {
  description: 'No worker answered in time (`error: temporal_timeout`).',
  schema: 'Error',
};
