/**
 * Every audit record (lifecycle/audit/audit-record.ts) the HR API, the CLI and the worker write as a
 * log line also becomes a row of the audit trail. The record's fields map onto the row's: when (`at`),
 * who (the key kind `via` and the trusted `requestedBy`), what (`event`), which person (externalID)
 * and run (the workflow id), the outcome, and the reason.
 *
 * [choice] The record's other facts — who the caller CLAIMS to be (`claimedBy`, self-asserted, often a
 * name), the Staffbase user id and a mass action's count — go into the reason text, after the reason:
 * `ticket HR-1 [claimedBy: Ana; staffbaseUserId: 42]`. The reason is the row's erasable free text (its
 * hash stays in the chain), so a claimed name can be erased like any other text without breaking it.
 */
import { type AuditRecord, auditFields } from '../lifecycle/audit/audit-record';
import { type AuditEntry, type AuditRow, type AuditTrail } from './audit-trail';
import { isoMoment } from './store-input-error';

/** Writes a record's row; resolves once the row is in the store. */
export type AuditRowWriter = (record: AuditRecord) => Promise<AuditRow>;

const MAX_OUTCOME = 64;

function moment(at: string | undefined): string {
  if (at !== undefined) {
    try {
      return isoMoment(at, 'at');
    } catch {
      // Not in the store's form (e.g. an offset): the row takes the time it is written.
    }
  }
  return new Date().toISOString();
}

/** The row of one record: only the record's known fields, text cleaned as in the log line. */
export function auditEntryOf(record: AuditRecord): AuditEntry {
  const fields = auditFields(record);
  const text = (key: string): string | undefined =>
    typeof fields[key] === 'string' ? fields[key] : undefined;
  const facts = [
    ['claimedBy', text('claimedBy')],
    ['staffbaseUserId', text('staffbaseUserId')],
    ['count', record.count === undefined ? undefined : String(record.count)],
  ].filter((fact): fact is [string, string] => fact[1] !== undefined);
  const reason = [
    text('reason'),
    facts.length > 0 ? `[${facts.map(([key, value]) => `${key}: ${value}`).join('; ')}]` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  return {
    at: moment(record.at),
    actor: { kind: text('via') ?? 'unknown', user: text('requestedBy') ?? null },
    action: record.event,
    externalID: text('externalID') ?? null,
    runId: text('workflowId') ?? null,
    outcome: text('outcome')?.slice(0, MAX_OUTCOME) ?? null,
    reason: reason === '' ? null : reason,
  };
}

export function auditRowWriter(audit: Pick<AuditTrail, 'append'>): AuditRowWriter {
  return (record) => audit.append(auditEntryOf(record));
}
