/**
 * Outbound lifecycle events (docs/events.md), read by the worker process:
 * - LIFECYCLE_EVENT_SUBSCRIBERS: a JSON list, or the path of a JSON file holding it, of
 *   `{"url", "secret", "types"?, "includePersonalData"?, "id"?}`. Unset or `[]`: no events.
 *   `url` HTTPS (plain HTTP only to a loopback host); `secret` a Standard Webhooks secret
 *   `whsec_<base64 of 24–64 random bytes>` — never logged, never in a workflow input or history;
 *   `types` event types (`com.staffbase-lifecycle.onboarding.activated`) or prefixes ending in `*`;
 *   absent: every type. `id` names the subscriber in the store's outbox (default: derived from the
 *   URL), so reordering the list keeps each subscriber's queue.
 * - LIFECYCLE_EVENT_MAX_RETRY_HOURS: how long a failing delivery is retried before it is parked.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, type ConfigProblem, collectConfig, defineSecret, parseEnv } from './config-error';
import { DEFAULT_LIFECYCLE_EVENT_MAX_RETRY_HOURS } from './defaults';
import { wholeNumber } from './env-rules';

export const LIFECYCLE_EVENTS_ENV_VARS = [
  'LIFECYCLE_EVENT_SUBSCRIBERS',
  'LIFECYCLE_EVENT_MAX_RETRY_HOURS',
] as const;
/** The list carries the secrets: its value is never echoed in an error. */
export const LIFECYCLE_EVENTS_SECRET_ENV_VARS = ['LIFECYCLE_EVENT_SUBSCRIBERS'] as const;

export interface EventSubscriber {
  id: string;
  url: string;
  /** `whsec_…`. Non-enumerable: never in a log line or a spread. */
  readonly secret: string;
  /** Undefined: every event type. */
  types: readonly string[] | undefined;
  includePersonalData: boolean;
}

export interface LifecycleEventsConfig {
  subscribers: readonly EventSubscriber[];
  maxRetryHours: number;
}

const VARIABLE = 'LIFECYCLE_EVENT_SUBSCRIBERS';
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
const SUBSCRIBER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const EVENT_TYPE_PATTERN = /^[a-z0-9.-]+(\*)?$/;

/** A Standard Webhooks secret: `whsec_` + base64 of 24 to 64 bytes (the spec's range). */
export function webhookSecretKey(secret: string): Buffer | undefined {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!match?.[1]) return undefined;
  const key = Buffer.from(match[1], 'base64');
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

export const subscriberIdOfUrl = (url: string): string =>
  createHash('sha256').update(url).digest('hex').slice(0, 12);

/** The variable's text: inline JSON, or the path of a file holding it. */
function subscribersText(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return trimmed;
  if (!existsSync(trimmed)) {
    throw new ConfigError([
      {
        variable: VARIABLE,
        message: 'must be a JSON list of subscribers, or the path of a file holding one',
      },
    ]);
  }
  return readFileSync(trimmed, 'utf8');
}

function subscriberProblems(
  raw: unknown,
  at: string,
  problems: ConfigProblem[],
): EventSubscriber | undefined {
  const problem = (field: string, message: string) =>
    problems.push({ variable: VARIABLE, message: `${at}.${field} ${message}` });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ variable: VARIABLE, message: `${at} must be an object {"url", "secret", …}` });
    return undefined;
  }
  const entry = raw as Record<string, unknown>;
  const before = problems.length;
  for (const field of Object.keys(entry)) {
    if (!['url', 'secret', 'types', 'includePersonalData', 'id'].includes(field))
      problem(field, 'is not a subscriber field (url, secret, types, includePersonalData, id)');
  }
  let url: URL | undefined;
  if (typeof entry.url !== 'string') problem('url', 'is required (an https:// URL)');
  else {
    try {
      url = new URL(entry.url);
    } catch {
      problem('url', 'must be an https:// URL');
    }
    if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname)))
      problem('url', 'must use https:// (plain http:// only to a loopback host)');
    if (url && (url.username || url.password)) problem('url', 'must not carry credentials');
  }
  if (typeof entry.secret !== 'string')
    problem('secret', 'is required (whsec_<base64 of 24–64 random bytes>)');
  else if (!webhookSecretKey(entry.secret))
    problem('secret', 'must be whsec_<base64 of 24–64 random bytes> (e.g. whsec_$(openssl rand -base64 32))');
  let types: string[] | undefined;
  if (entry.types !== undefined) {
    if (
      !Array.isArray(entry.types) ||
      entry.types.length === 0 ||
      !entry.types.every((type): type is string => typeof type === 'string' && EVENT_TYPE_PATTERN.test(type))
    )
      problem(
        'types',
        'must be a non-empty list of event types, e.g. ["com.staffbase-lifecycle.onboarding.*"]',
      );
    else types = entry.types;
  }
  if (entry.includePersonalData !== undefined && typeof entry.includePersonalData !== 'boolean')
    problem('includePersonalData', 'must be true or false');
  if (entry.id !== undefined && (typeof entry.id !== 'string' || !SUBSCRIBER_ID.test(entry.id)))
    problem('id', 'must be 1–64 letters, digits, - or _');
  if (problems.length > before || !url || typeof entry.secret !== 'string') return undefined;
  const subscriber = {
    id: typeof entry.id === 'string' ? entry.id : subscriberIdOfUrl(url.href),
    url: url.href,
    types,
    includePersonalData: entry.includePersonalData === true,
  } as EventSubscriber;
  return defineSecret(subscriber, 'secret', entry.secret);
}

/** Parses the subscriber list; throws one ConfigError naming each bad field (never a secret's value). */
export function parseEventSubscribers(value: string | undefined): EventSubscriber[] {
  if (value === undefined || value.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(subscribersText(value));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([{ variable: VARIABLE, message: 'is not valid JSON' }]);
  }
  if (!Array.isArray(raw)) throw new ConfigError([{ variable: VARIABLE, message: 'must be a JSON list' }]);
  const problems: ConfigProblem[] = [];
  const subscribers = raw.map((entry, index) => subscriberProblems(entry, `[${index}]`, problems));
  const ids = new Set<string>();
  subscribers.forEach((subscriber, index) => {
    if (!subscriber) return;
    if (ids.has(subscriber.id))
      problems.push({
        variable: VARIABLE,
        message: `[${index}].id repeats another subscriber's (give each its own id)`,
      });
    ids.add(subscriber.id);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return subscribers.filter((subscriber): subscriber is EventSubscriber => subscriber !== undefined);
}

const schema = z.object({
  LIFECYCLE_EVENT_SUBSCRIBERS: z.string().optional(),
  LIFECYCLE_EVENT_MAX_RETRY_HOURS: wholeNumber(1, 24 * 30).default(DEFAULT_LIFECYCLE_EVENT_MAX_RETRY_HOURS),
});

export function lifecycleEventsConfigFromEnv(env: NodeJS.ProcessEnv): LifecycleEventsConfig {
  // Both variables' problems in one report.
  const { subscribers, settings } = collectConfig({
    subscribers: () => parseEventSubscribers(env[VARIABLE]),
    settings: () => parseEnv(schema, env, LIFECYCLE_EVENTS_ENV_VARS, LIFECYCLE_EVENTS_SECRET_ENV_VARS),
  });
  return { subscribers, maxRetryHours: settings.LIFECYCLE_EVENT_MAX_RETRY_HOURS };
}

/** The subscribers' secrets: the logger redacts them from every line. */
export function lifecycleEventSecretValues(env: NodeJS.ProcessEnv): string[] {
  try {
    return parseEventSubscribers(env[VARIABLE]).map((subscriber) => subscriber.secret);
  } catch {
    return [];
  }
}
