/**
 * Every configuration default, once: the value a variable takes when it is unset (or empty). The
 * modules beside this one parse the environment with them; `.env.example` shows the same values.
 *
 * No imports and no Node built-ins: workflow code reads the policy defaults through lifecycle/'s
 * request schemas, so this module is also part of the workflow bundle.
 */

// ── Staffbase (STAFFBASE_*) ─────────────────────────────────────────────────────────────────────────
/** STAFFBASE_REQUESTS_PER_SECOND: server-side cap on Staffbase calls per second across every worker. */
export const DEFAULT_STAFFBASE_REQUESTS_PER_SECOND = 10;
/** STAFFBASE_REQUEST_TIMEOUT_MS: connect, headers and body (idle) timeout of one request. */
export const DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS = 30_000;
/** STAFFBASE_MAX_CONCURRENT_CALLS: Staffbase calls one worker runs at once. */
export const DEFAULT_STAFFBASE_MAX_CONCURRENT_CALLS = 20;
/** STAFFBASE_FILTER_SPACE_ENCODING: how a space in a query value goes on the wire (the reference shows %20). */
export const STAFFBASE_FILTER_SPACE_ENCODINGS = ['%20', '+'] as const;
export const DEFAULT_STAFFBASE_FILTER_SPACE_ENCODING = '%20';
/** STAFFBASE_LOOKUP_MODE: auto = filter, switching to the path look-up after a control query proves it. */
export const STAFFBASE_LOOKUP_MODES = ['auto', 'filter', 'path'] as const;
export const DEFAULT_STAFFBASE_LOOKUP_MODE = 'auto';
/**
 * Largest Staffbase response body the client reads (bytes); a larger one is refused unread. A page of
 * 100 users with their profiles is well under 1 MiB.
 */
export const DEFAULT_STAFFBASE_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** STAFFBASE_PROFILE_PLACEMENT: system profile fields at the top level (the plain application/json model). */
export const DEFAULT_STAFFBASE_PROFILE_PLACEMENT = 'top-level';
/** STAFFBASE_PROFILE_UPDATE: a PUT replaces `profile` until a tenant shows it merges. */
export const DEFAULT_STAFFBASE_PROFILE_UPDATE = 'replace';

// ── Temporal (TEMPORAL_*) and the dev server `npm start` runs ───────────────────────────────────────
/** TEMPORAL_DEV_PORT: the frontend port of `npm start`'s own dev server (Temporal's usual port). */
export const DEFAULT_TEMPORAL_DEV_PORT = 7233;
/** TEMPORAL_UI_PORT: the dev server's Web UI. */
export const DEFAULT_TEMPORAL_UI_PORT = 8233;
/** TEMPORAL_ADDRESS: the dev server on this host. */
export const DEFAULT_TEMPORAL_ADDRESS = `127.0.0.1:${DEFAULT_TEMPORAL_DEV_PORT}`;
/** LIFECYCLE_TEMPORAL_UI_URL, when Temporal runs on this host: the UI of `temporal server start-dev`. */
export const DEFAULT_TEMPORAL_UI_URL = `http://127.0.0.1:${DEFAULT_TEMPORAL_UI_PORT}`;
/** TEMPORAL_NAMESPACE. */
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

// ── HR API (LIFECYCLE_API_*) ────────────────────────────────────────────────────────────────────────
/** LIFECYCLE_API_PORT. */
export const DEFAULT_HTTP_API_PORT = 8080;
/** LIFECYCLE_API_HOST: loopback; listening beyond this host is a decision (0.0.0.0), not a default. */
export const DEFAULT_HTTP_API_HOST = '127.0.0.1';
/** LIFECYCLE_API_DEV_MODE. */
export const DEFAULT_HTTP_API_DEV_MODE = false;
/** Largest request body accepted (413 above it). A request for one person is well under 4 KiB. */
export const DEFAULT_HTTP_API_BODY_LIMIT = 64 * 1024;
/** STAFFBASE_WEBHOOK_SECRET_HEADER: the header Studio's webhook secret is expected in ([choice], staffbase/events.ts). */
export const DEFAULT_STAFFBASE_WEBHOOK_SECRET_HEADER = 'Authorization';
/** STAFFBASE_WEBHOOK_SECRET_SCHEME: the scheme before the secret in that header; empty: the bare secret. */
export const DEFAULT_STAFFBASE_WEBHOOK_SECRET_SCHEME = 'Bearer';

// ── Import files (IMPORT_*): CSV and .xlsx, in the HR API's dry run, the console and the CLI ─────────
/** IMPORT_MAX_ROWS: rows below the header of one import file (a whole company's HR export fits). */
export const DEFAULT_IMPORT_MAX_ROWS = 100_000;
/**
 * IMPORT_MAX_FILE_MB: size of one import file (MiB). 100,000 rows of a typical HR export are about
 * 15 MB as CSV, less as .xlsx; an .xlsx may unpack to at most 10 times this (client/csv/import-limits.ts).
 */
export const DEFAULT_IMPORT_MAX_FILE_MB = 20;

// ── Worker operations (METRICS_*, WORKER_*, LOG_*) ──────────────────────────────────────────────────
/** METRICS_HOST: loopback; exposing metrics beyond this host (0.0.0.0 for a scraper elsewhere) is a decision. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';
/**
 * WORKER_MAX_CACHED_WORKFLOWS: keeps the worker under 300 MB RSS, which fits a 512 MB container.
 * Measured by `npm run bench -- parked` (compiled worker with the image's process settings, 2-CPU
 * host): 20,000 offboardings parked and deleted, peak 273 MB, 202 MB with all parked; with 200 cached
 * runs (before the process settings) it passed 310 MB while parking. Raise it with the memory limit,
 * about 1 MB per cached run to be safe.
 */
export const DEFAULT_WORKER_MAX_CACHED_WORKFLOWS = 100;
/* WORKER_MEMORY_BUDGET_MB has no default: unset, the cache is the count above (config/worker-memory.ts). */
/** WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (at most WORKER_MAX_CACHED_WORKFLOWS). */
export const DEFAULT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS = 10;
/** LOG_LEVEL. LOG_FORMAT has no fixed default: json when NODE_ENV=production, pretty otherwise. */
export const DEFAULT_LOG_LEVEL = 'INFO';

// ── Reminder mails (SMTP_*) ─────────────────────────────────────────────────────────────────────────
/** SMTP_PORT: submission with STARTTLS. */
export const DEFAULT_SMTP_PORT = 587;

// ── Onboarding and offboarding rules (ONBOARDING_*, OFFBOARDING_*, LIFECYCLE_TIME_ZONE) ─────────────
/** LIFECYCLE_TIME_ZONE: the zone of every policy date and time, and of the clean-up Schedule's cron. */
export const DEFAULT_TIME_ZONE = 'UTC';
/** ONBOARDING_INVITE_LEAD_TIME_DAYS. */
export const DEFAULT_INVITE_LEAD_TIME_DAYS = 0;
/** ONBOARDING_INVITE_TIME_OF_DAY. */
export const DEFAULT_INVITE_TIME_OF_DAY = '09:00';
/** ONBOARDING_REMINDER_DAYS. */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [3, 7, 14];
/** ONBOARDING_EXPIRE_AFTER_DAYS. */
export const DEFAULT_EXPIRE_AFTER_DAYS = 21;
/**
 * ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES: each onboarding's own status check, once a day. It is the
 * fallback of the activation sweep (below), which asks Staffbase about every waiting person in batches
 * (about one request per 50 people); a check of its own costs one request per person.
 */
export const DEFAULT_STATUS_CHECK_INTERVAL_MINUTES = 24 * 60;
/** ONBOARDING_REHIRE_POLICY. */
export const DEFAULT_REHIRE_POLICY = 'reactivate';
/** ONBOARDING_EXPIRED_ACTION. */
export const DEFAULT_EXPIRED_ACTION = 'leave-pending';
/** ONBOARDING_CANCEL_ACTION. */
export const DEFAULT_CANCEL_ACTION = 'delete-pending';
/** OFFBOARDING_RETENTION_DAYS. */
export const DEFAULT_RETENTION_DAYS = 30;
/**
 * OFFBOARDING_MIN_RETENTION_DAYS (the worker's): the floor below which no offboarding's deletion is
 * brought forward, however it was started or changed (delete-now excepted).
 */
export const DEFAULT_OFFBOARDING_MIN_RETENTION_DAYS = 1;
/** OFFBOARDING_END_OF_WORKING_DAY. */
export const DEFAULT_END_OF_WORKING_DAY = '23:59';

// ── Bulk runs and Schedules ─────────────────────────────────────────────────────────────────────────
/** LOGOUT_CONFIRM_ABOVE: a population logout of more users waits for a confirmation. */
export const DEFAULT_LOGOUT_CONFIRM_ABOVE = 50;
/** CLEANUP_CONFIRM_ABOVE: a clean-up deleting more users waits for a confirmation. */
export const DEFAULT_CLEANUP_CONFIRM_ABOVE = 50;
/** BULK_MAX_FAILURES: a bulk run stops once more users than this failed for good (e.g. a revoked token). */
export const DEFAULT_BULK_MAX_FAILURES = 100;

// ── Reconciliation safety (docs/reconciliation.md) ─────────────────────────────────────────────────
/** RECONCILE_HOLD_ABOVE: a plan starting more offboardings than this is held for approval. */
export const DEFAULT_RECONCILE_HOLD_ABOVE = 50;
/**
 * RECONCILE_HOLD_ABOVE_PERCENT: a plan starting more offboardings than this share of the managed
 * accounts (and more than RECONCILE_HOLD_FLOOR) is held for approval.
 */
export const DEFAULT_RECONCILE_HOLD_ABOVE_PERCENT = 5;
/**
 * RECONCILE_MIN_ACTIVE_RATIO: a snapshot with fewer active people than this share of the last applied
 * snapshot's looks truncated and is held for approval.
 */
export const DEFAULT_RECONCILE_MIN_ACTIVE_RATIO = 0.9;
/** RECONCILE_KEEP_DAYS: a snapshot's rows are erased this many days after its plan is applied or discarded. */
export const DEFAULT_RECONCILE_KEEP_DAYS = 30;
/**
 * RECONCILE_DROP_INTERVAL_SECONDS: how often the worker looks into RECONCILE_DROP_DIR. A file is taken once
 * its size and time stayed the same between two looks, so one still being written is left alone.
 */
export const DEFAULT_RECONCILE_DROP_INTERVAL_SECONDS = 30;
/**
 * RECONCILE_SOURCE_INTERVAL_MINUTES: how often the worker pulls RECONCILE_SOURCE_URL. Once a day: HR systems
 * export their full state daily, and a pull whose content did not change starts nothing.
 */
export const DEFAULT_RECONCILE_SOURCE_INTERVAL_MINUTES = 1440;
/** RECONCILE_SOURCE_TIMEOUT_SECONDS: a pull that has not answered in full by then fails and is tried again later. */
export const DEFAULT_RECONCILE_SOURCE_TIMEOUT_SECONDS = 120;
/** CLEANUP_SCHEDULE_ENABLED. */
export const DEFAULT_CLEANUP_SCHEDULE_ENABLED = true;
/** CLEANUP_SCHEDULE_CRON: 03:00 every day, in LIFECYCLE_TIME_ZONE: a quiet hour for Staffbase and for HR. */
export const DEFAULT_CLEANUP_CRON = '0 3 * * *';
/**
 * CLEANUP_PENDING_OLDER_THAN_DAYS: invitations expire after 21 days by default; 60 leaves HR weeks to
 * chase a late starter first.
 */
export const DEFAULT_PENDING_OLDER_THAN_DAYS = 60;
/** ACTIVATION_SWEEP_INTERVAL_MINUTES: an activation is noticed within this many minutes. */
export const DEFAULT_ACTIVATION_SWEEP_INTERVAL_MINUTES = 15;

// ── `npm start` (its own dev server and simulator) ──────────────────────────────────────────────────
/** SIMULATOR_PORT. */
export const DEFAULT_SIMULATOR_PORT = 4010;
/** DATA_DIR, relative to the project root: the dev server's SQLite file and the simulator's users. */
export const DEFAULT_DATA_DIR_NAME = '.data';

// ── Batched look-ups of bulk offboardings (workflows/lookup-batcher.ts) ─────────────────────────────
/** The most leavers one batched look-up asks about: one `externalId eq … or …` list request. */
export const BATCHED_LOOKUP_MAX_PEOPLE = 50;
/** The batcher sends a batch once no new leaver has asked for this long (or the batch is full). */
export const BATCHED_LOOKUP_QUIET_MS = 1_000;
/** …and at the latest this long after the batch's first leaver asked, however many keep coming. */
export const BATCHED_LOOKUP_MAX_GATHER_MS = 5_000;
/** An idle batcher ends after this long; the next leaver's request starts it again. */
export const BATCHED_LOOKUP_IDLE_MS = 60_000;
/**
 * A bulk offboarding waits this long for its batch's answer, then asks the batcher whether it still holds
 * its request (it may be queued behind a long import at a slow tenant rate): yes, it waits as long again;
 * no, it looks its person up alone.
 */
export const BATCHED_LOOKUP_ANSWER_TIMEOUT_MS = 2 * 60_000;
/** A batch's list request not answered within this (queued and retried included) tells its leavers to look up alone. */
export const BATCHED_LOOKUP_READ_TIMEOUT_MS = 5 * 60_000;
/**
 * A batch's read of an account stands in for the read before log-out and deactivation while it is at
 * most this old when the step goes out; older, the step reads the account again.
 */
export const BATCHED_READ_MAX_AGE_MS = 30_000;

// ── The project's own store (store/) ────────────────────────────────────────────────────────────────
/**
 * LIFECYCLE_STORE_URL unset: the embedded SQLite store, this file relative to the working directory
 * (the project root for every npm script), beside the dev server's data.
 */
export const DEFAULT_STORE_SQLITE_FILE = '.data/store.sqlite';
/** How long an SQLite writer waits for another process's write to finish before giving up (ms). */
export const DEFAULT_STORE_SQLITE_BUSY_TIMEOUT_MS = 10_000;
/**
 * STORE_ERASE_AFTER_DAYS: a person's name and email leave the store's person index this many days after
 * their account was deleted (the `store-erase` Schedule, daily); 0 pauses the Schedule.
 */
export const DEFAULT_STORE_ERASE_AFTER_DAYS = 30;

// ── Outbound lifecycle events (config/lifecycle-events.ts, docs/events.md) ─────────────────────────────
/** How long a failing delivery is retried (with backoff) before it is parked in needs-attention. */
export const DEFAULT_LIFECYCLE_EVENT_MAX_RETRY_HOURS = 24;
