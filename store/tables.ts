/**
 * The store's tables as Kysely sees them. Every column is text or integer, times ISO 8601 UTC text
 * (`Date.toISOString()`, which sorts as it reads) and dates `YYYY-MM-DD`: the same values and the same
 * comparisons on SQLite and PostgreSQL.
 */
export interface PersonTable {
  external_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  /** Lower-case, accents stripped, ` word word … `: computed in code, so both databases match alike. */
  search_text: string;
  lifecycle: string;
  stage: string;
  start_date: string | null;
  last_working_day: string | null;
  attention_code: string | null;
  outcome: string | null;
  /** The run this row was last written by; null when that run is closed. */
  open_run_id: string | null;
  latest_run_id: string;
  /** With `sequence`: the position of the last applied write, so an older one never wins. */
  run_started_at: string;
  sequence: number;
  updated_at: string;
}

export interface MilestoneTable {
  external_id: string;
  run_id: string;
  kind: string;
  at: string;
}

export interface AuditTable {
  /** Position in the chain, from 1, without gaps. */
  seq: number;
  at: string;
  actor_kind: string;
  actor_user: string | null;
  action: string;
  external_id: string | null;
  run_id: string | null;
  outcome: string | null;
  /** Free text: erasable; the chain holds its hash (`reason_hash`), not the text. */
  reason: string | null;
  reason_hash: string | null;
  prev_hash: string;
  hash: string;
}

/** One row (id 1): the chain's last position and hash. Its lock serialises appends. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** The outbox of lifecycle events (store/lifecycle-events.ts): one row per event and subscriber. */
export interface LifecycleEventTable {
  subscriber_id: string;
  event_id: string;
  external_id: string;
  /** Per person, from 1, shared by every subscriber: a subscriber receives a person's events in this order. */
  sequence: number;
  lifecycle: string;
  milestone: string;
  run_id: string;
  at: string;
  /** pending → delivered, or pending → parked (needs attention) → pending again on a retry. */
  status: 'pending' | 'delivered' | 'parked';
  delivered_at: string | null;
  parked_at: string | null;
  /** Why it was parked: a status code or a failure kind, never a response body. */
  failure: string | null;
}

/** The last event sequence number given out per person. */
export interface LifecycleEventSequenceTable {
  external_id: string;
  last_sequence: number;
}

export interface StoreDatabase {
  person: PersonTable;
  milestone: MilestoneTable;
  audit_trail: AuditTable;
  audit_head: AuditHeadTable;
  lifecycle_event: LifecycleEventTable;
  lifecycle_event_sequence: LifecycleEventSequenceTable;
}
