/**
 * One audit line per act on a person or mass action — a start, a cancel (a reactivation), a change, a
 * logout, a recovery code, a deletion, a deactivation, a legal hold change, a population logout, a
 * clean-up confirmation — written by the HR API and the CLI (who asked, when, which run) and by the
 * worker (what happened in Staffbase). The record has a fixed set of fields, none of which can hold a
 * name or an email: identifiers (externalID, Staffbase id, workflow id), the key used, the operator
 * (`requestedBy`: the SSO proxy's trusted header, or the CLI's OS user), what the caller claimed
 * (`claimedBy`: `X-Requested-By`, `--requested-by`), a reason and an outcome. Lines carry `audit: true`
 * so a log pipeline can route them.
 */

export type AuditEvent =
  // Worker: what Staffbase was asked to do, with its result.
  | 'account-deleted'
  | 'account-deactivated'
  | 'user-logged-out-by-population-logout'
  | 'account-created'
  | 'account-reactivated'
  | 'account-changed'
  | 'user-logged-out'
  | 'recovery-code-sent'
  /** An offboarding's deletion asked for sooner than the worker's OFFBOARDING_MIN_RETENTION_DAYS. */
  | 'retention-raised-to-floor'
  /** The store-erase Schedule: names and emails emptied in the store's person index (`count`). */
  | 'store-erased'
  /** The reconcile-erase Schedule: snapshot rows of ended reconciliation plans deleted (`count`). */
  | 'reconcile-snapshots-erased'
  // HR API / CLI: who asked for it.
  | 'onboarding-started'
  | 'onboarding-cancelled'
  | 'onboarding-corrected'
  | 'onboarding-activation-reported'
  | 'start-date-changed'
  | 'offboarding-started'
  | 'offboarding-cancelled'
  | 'leave-started'
  | 'leave-until-changed'
  | 'leave-ended'
  | 'leave-cancelled'
  | 'retention-changed'
  | 'person-change-requested'
  | 'recovery-code-requested'
  | 'logout-requested'
  | 'retry-requested'
  | 'delete-now-requested'
  | 'retention-shortened'
  | 'legal-hold-placed'
  | 'legal-hold-released'
  | 'cleanup-started'
  | 'cleanup-confirmed'
  | 'population-logout-started'
  | 'population-logout-confirmed'
  | 'bulk-run-cancelled'
  | 'lifecycle-events-retried'
  | 'reconciliation-requested'
  | 'reconciliation-approved'
  | 'reconciliation-discarded';

export interface AuditRecord {
  event: AuditEvent;
  externalID?: string;
  staffbaseUserId?: string;
  workflowId?: string;
  /** Which credential asked: `lifecycle-key`, `admin-key`, `dev-mode`, `cli`, or `worker`. */
  via?: string;
  /**
   * Who asked, as the service knows it: the SSO proxy's trusted header (LIFECYCLE_TRUSTED_USER_HEADER)
   * for the HR API, the operating-system user for the CLI. Unset when the service cannot tell.
   */
  requestedBy?: string;
  /** Who the caller says it is (`X-Requested-By`, the CLI's `--requested-by`): self-asserted, for the record. */
  claimedBy?: string;
  /** When it was asked (ISO 8601); the worker's lines have their log line's time. */
  at?: string;
  reason?: string;
  /** The result, e.g. `deleted`, `already-gone`, `kept`, `started`, `refused`. */
  outcome?: string;
  /** For a mass action: how many people it concerns (when known). */
  count?: number;
}

const MAX_TEXT = 200;

// eslint-disable-next-line no-control-regex -- exactly these are what a log line must not carry
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Free text made safe for one log line (no control characters, bounded length). */
function clean(value: string | undefined): string | undefined {
  const cleaned = value?.replace(CONTROL_CHARACTERS, ' ').trim().slice(0, MAX_TEXT);
  return cleaned ? cleaned : undefined;
}

/** The record as log fields: only the known fields, only when set, text cleaned. */
export function auditFields(record: AuditRecord): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = { audit: true, event: record.event };
  for (const key of [
    'externalID',
    'staffbaseUserId',
    'workflowId',
    'via',
    'requestedBy',
    'claimedBy',
    'at',
    'reason',
    'outcome',
  ] as const) {
    const value = clean(record[key]);
    if (value !== undefined) fields[key] = value;
  }
  if (record.count !== undefined) fields.count = record.count;
  return fields;
}

/** Where audit records go: one log line and one count each. */
export type AuditSink = (record: AuditRecord) => void;

/** Counts audit records by event and outcome (the API's counter; the worker counts in its metrics). */
export class AuditCounter {
  private readonly counts = new Map<string, number>();

  add(record: AuditRecord): void {
    const key = `${record.event}:${record.outcome ?? ''}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** e.g. `{ 'delete-now-requested:accepted': 2 }`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** A sink that writes `audit` lines through `log` and counts them. */
export function auditSink(
  log: (message: string, fields: Record<string, unknown>) => void,
  counter: AuditCounter = new AuditCounter(),
): AuditSink {
  return (record) => {
    counter.add(record);
    log('audit', auditFields(record));
  };
}
