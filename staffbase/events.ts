/**
 * Staffbase's own outbound webhooks (Studio → `POST /v1/staffbase/events`), as far as this project
 * relies on them. Their payload and signing are not publicly documented, so every [choice] about them
 * is here, in one place:
 * - [choice] authentication: a shared secret Studio sends in a header, by default
 *   `Authorization: Bearer <secret>` (STAFFBASE_WEBHOOK_SECRET_HEADER, STAFFBASE_WEBHOOK_SECRET_SCHEME;
 *   an empty scheme means the header carries the bare secret), compared in constant time;
 * - [choice] the payload: a JSON object with the event's type in `type` (or `eventType`, `event`) and
 *   the user's Staffbase id in `data.id` (or `data.userId`, `data.user.id`, `userId`, `user.id`);
 * - an event is a hint only: the service re-reads the user and acts on what Staffbase says then.
 * No zod, no Node built-ins beyond `crypto` in the secret check: the workflow imports only the types.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The event types acted on (the documented ones, plus the activation name the simulator may send). */
export const KNOWN_STAFFBASE_EVENT_TYPES = ['user.changed', 'user.deleted', 'user.activated'] as const;
export type StaffbaseEventType = (typeof KNOWN_STAFFBASE_EVENT_TYPES)[number];

/** The path Studio is configured to POST to (on the HR API, or on STAFFBASE_EVENTS_PORT). */
export const STAFFBASE_EVENTS_PATH = '/v1/staffbase/events';

/** Largest event body accepted (413 above it): an event names a user, it does not carry one. */
export const STAFFBASE_EVENT_BODY_LIMIT = 64 * 1024;

/** At most one re-read of a user per this window, however many events arrive for them. */
export const STAFFBASE_EVENT_REREAD_WINDOW_MS = 60_000;

/** A Staffbase user id as this service accepts it from an event: what a path segment can carry safely. */
const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** What an event body says, once read. */
export type StaffbaseEventHint =
  | { result: 'user'; type: StaffbaseEventType; userId: string }
  | { result: 'unknown-type'; type: string }
  | { result: 'invalid'; field: string; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const firstString = (...values: unknown[]): string | undefined =>
  values.find((value): value is string => typeof value === 'string' && value !== '') ??
  values.find((value): value is number => typeof value === 'number')?.toString();

/** The event's type and user id, or why it cannot be read (naming the field). Never throws. */
export function readStaffbaseEvent(body: unknown): StaffbaseEventHint {
  if (!isRecord(body)) return { result: 'invalid', field: 'body', message: 'must be a JSON object' };
  const type = firstString(body.type, body.eventType, body.event);
  if (type === undefined) return { result: 'invalid', field: 'type', message: 'is required' };
  if (!(KNOWN_STAFFBASE_EVENT_TYPES as readonly string[]).includes(type)) {
    return { result: 'unknown-type', type: type.slice(0, 64) };
  }
  const data = isRecord(body.data) ? body.data : {};
  const userId = firstString(
    data.id,
    data.userId,
    isRecord(data.user) ? data.user.id : undefined,
    body.userId,
    isRecord(body.user) ? body.user.id : undefined,
  );
  if (userId === undefined) return { result: 'invalid', field: 'data.id', message: 'is required' };
  if (!USER_ID_PATTERN.test(userId)) {
    return { result: 'invalid', field: 'data.id', message: 'must be a Staffbase user id' };
  }
  return { result: 'user', type: type as StaffbaseEventType, userId };
}

export interface WebhookSecretSettings {
  secret: string;
  /** Header name (any case). */
  header: string;
  /** e.g. `Bearer`; empty: the header's whole value is the secret. */
  scheme: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The check for one request's headers: true only when the configured header carries the secret.
 * Both sides are hashed to equal-length digests so `timingSafeEqual` reveals neither how much of a
 * guess was right nor the secret's length.
 */
export function webhookSecretCheck(
  settings: WebhookSecretSettings,
): (headers: Record<string, string | string[] | undefined>) => boolean {
  const expected = digest(settings.secret);
  const header = settings.header.toLowerCase();
  const scheme = settings.scheme.trim();
  return (headers) => {
    const raw = headers[header];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) return false;
    let given = value;
    if (scheme !== '') {
      const separator = value.search(/[ \t]/);
      if (separator < 0 || value.slice(0, separator).toLowerCase() !== scheme.toLowerCase()) return false;
      given = value.slice(separator).trim();
    }
    return timingSafeEqual(digest(given), expected);
  };
}

/** The workflow that re-reads one user after events about them: one open run per user. */
export function staffbaseEventWorkflowId(userId: string): string {
  return `staffbase-event-${userId}`;
}
