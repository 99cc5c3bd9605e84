/**
 * One audit line per irreversible or mass action — a deletion, a deactivation, a population logout,
 * a clean-up confirmation, a legal hold change — written by the HR API (who asked) and by the worker
 * (what happened in Staffbase). The record has a fixed set of fields, none of which can hold a name or
 * an email: identifiers (externalID, Staffbase id, workflow id), the key used, the free-text
 * `requestedBy`, a reason and an outcome. Lines carry `audit: true` so a log pipeline can route them.
 */

export type AuditEvent =
  // Worker: what Staffbase was asked to do, with its result.
  | 'account-deleted'
  | 'account-deactivated'
  | 'user-logged-out-by-population-logout'
  /** An offboarding's deletion asked for sooner than the worker's OFFBOARDING_MIN_RETENTION_DAYS. */
  | 'retention-raised-to-floor'
  // HR API / CLI: who asked for it.
  | 'delete-now-requested'
  | 'retention-shortened'
  | 'legal-hold-placed'
  | 'legal-hold-released'
  | 'cleanup-started'
  | 'cleanup-confirmed'
  | 'population-logout-started'
  | 'population-logout-confirmed'
  | 'bulk-run-cancelled';

export interface AuditRecord {
  event: AuditEvent;
  externalID?: string;
  staffbaseUserId?: string;
  workflowId?: string;
  /** Which credential asked: `lifecycle-key`, `admin-key`, `dev-mode`, `cli`, or `worker`. */
  via?: string;
  /** Who asked, as told by `X-Requested-By` or `--requested-by` (a person's login or a system's name). */
  requestedBy?: string;
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
  const cleaned = value
    ?.replace(CONTROL_CHARACTERS, ' ')
    .trim()
    .slice(0, MAX_TEXT);
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
