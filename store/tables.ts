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
  /**
   * What the reports pair and count by (migration 0011, store/milestone-pairing.ts), kept at write
   * time: null where the kind has no such figure. Durations in ms (bigint: PostgreSQL answers text).
   */
  ending_kind: string | null;
  ending_after_ms: number | string | null;
  since_invitation_ms: number | string | null;
  reminders: number | null;
  wait_ms: number | string | null;
  run_started_at: string | null;
  after_hold: number | null;
  /** `needs-attention`: the code the run parked with. */
  attention_code: string | null;
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
  reconcile_snapshot: ReconcileSnapshotTable;
  reconcile_snapshot_row: ReconcileSnapshotRowTable;
  reconcile_plan: ReconcilePlanTable;
  reconcile_plan_entry: ReconcilePlanEntryTable;
  reconcile_directory_account: ReconcileDirectoryAccountTable;
}

/** An HR snapshot (reconciliation, issue 30): its rows are erased RECONCILE_KEEP_DAYS after its plan ends. */
export interface ReconcileSnapshotTable {
  id: string;
  created_at: string;
  /** Where it came from: `cli`, `http`, … (never a file path or URL with a secret). */
  source: string;
  row_count: number;
  /** Valid rows with status `active`: the truncation rule's figure. */
  active_people: number;
  /** When its rows may be erased: set once its plan is applied or discarded. */
  erase_after: string | null;
  erased_at: string | null;
}

/** One snapshot row as the reader validated it (JSON of `SnapshotRow`): names and emails, erased later. */
export interface ReconcileSnapshotRowTable {
  snapshot_id: string;
  seq: number;
  /** The spreadsheet's row number. */
  row_number: number;
  row_json: string;
}

export interface ReconcilePlanTable {
  id: string;
  snapshot_id: string;
  status: string;
  created_at: string;
  updated_at: string;
  /** 1: a dry run, never applied. */
  dry_run: number;
  absent_policy: string;
  /** The day the plan compares dates with (YYYY-MM-DD); null: today in the policy's time zone. */
  as_of: string | null;
  requested_by_kind: string;
  requested_by_user: string | null;
  /** The onboarding and offboarding policies the plan's runs start with (JSON). */
  policies_json: string;
  counts_json: string | null;
  safety_reasons_json: string | null;
  offboardings_to_start: number | null;
  managed_accounts: number | null;
  active_people: number | null;
  decided_by_kind: string | null;
  decided_by_user: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  applied_at: string | null;
}

export interface ReconcilePlanEntryTable {
  plan_id: string;
  seq: number;
  external_id: string | null;
  staffbase_id: string | null;
  situation: string;
  action: string;
  reason: string;
  row_number: number | null;
  /** `differences` and `problems` of the entry (JSON), when it has them. */
  detail_json: string | null;
  /** What applying did: started, already-running, already-completed, refused; null: not yet applied. */
  applied_outcome: string | null;
  applied_at: string | null;
}

/** The directory as a plan's page reads wrote it, until the plan is classified (then dropped). */
export interface ReconcileDirectoryAccountTable {
  plan_id: string;
  staffbase_id: string;
  account_json: string;
}
