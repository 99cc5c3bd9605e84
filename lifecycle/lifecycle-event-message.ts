/**
 * One lifecycle event as a subscriber receives it (docs/events.md): a CloudEvents 1.0 JSON message,
 * signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Built by the
 * delivery activity at each attempt from the store's outbox row; never by a workflow.
 */
import { createHash, createHmac } from 'node:crypto';

export const LIFECYCLE_EVENT_SOURCE = '/staffbase-lifecycle';
export const LIFECYCLE_EVENT_TYPE_PREFIX = 'com.staffbase-lifecycle';

/** The index records `reminder`; subscribers read the milestone's meaning. */
const MILESTONE_EVENT_NAMES: Readonly<Record<string, string>> = { reminder: 'reminder-sent' };

export const eventMilestone = (indexKind: string): string => MILESTONE_EVENT_NAMES[indexKind] ?? indexKind;

export const lifecycleEventType = (lifecycle: string, milestone: string): string =>
  `${LIFECYCLE_EVENT_TYPE_PREFIX}.${lifecycle}.${milestone}`;

/** Whether a subscriber's `types` (exact types, or prefixes ending in `*`; absent: all) take this type. */
export function subscriberTakes(types: readonly string[] | undefined, type: string): boolean {
  if (types === undefined) return true;
  return types.some((pattern) =>
    pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type,
  );
}

/**
 * The same milestone of the same run always has the same id (whichever subscriber, whichever attempt):
 * a subscriber deduplicates by it.
 */
export const lifecycleEventId = (runId: string, milestone: string, at: string): string =>
  `evt_${createHash('sha256').update(`${runId}\n${milestone}\n${at}`).digest('hex').slice(0, 32)}`;

export interface LifecycleEventFacts {
  id: string;
  lifecycle: string;
  milestone: string;
  externalID: string;
  staffbaseId?: string | null;
  runId: string;
  sequence: number;
  at: string;
  /** Only for a subscriber with includePersonalData. */
  personalData?: { firstName: string | null; lastName: string | null; email: string | null };
}

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

export function cloudEvent(facts: LifecycleEventFacts): CloudEvent {
  return {
    specversion: '1.0',
    id: facts.id,
    source: LIFECYCLE_EVENT_SOURCE,
    type: lifecycleEventType(facts.lifecycle, facts.milestone),
    subject: facts.externalID,
    time: facts.at,
    datacontenttype: 'application/json',
    data: {
      externalID: facts.externalID,
      ...(facts.staffbaseId && { staffbaseId: facts.staffbaseId }),
      lifecycle: facts.lifecycle,
      milestone: facts.milestone,
      runId: facts.runId,
      sequence: facts.sequence,
      ...(facts.personalData && { ...facts.personalData }),
    },
  };
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the secret's key (whsec_ base64 decoded). */
export function webhookSignature(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export function signedWebhookHeaders(
  key: Buffer,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/cloudevents+json',
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': webhookSignature(key, id, timestampSeconds, body),
  };
}
