/**
 * The project's own store: the person index (a read model of the runs; Temporal stays their source of
 * truth) and the hash-chained audit trail, on PostgreSQL or the embedded SQLite file. Activities, the
 * HR API and the CLI reach it through this interface; workflows never import store/ (ESLint).
 */
import { type StoreConfig } from '../config/store';
import { type AuditQueries, auditQueries } from './audit-query';
import { type AuditTrail, auditTrail } from './audit-trail';
import { type ConnectOptions, connectStore } from './connection';
import { type MigrationReport, migrateStore } from './migrations';
import { type PeopleQueries, peopleQueries } from './people-query';
import { type PersonErasure, personErasure } from './person-erasure';
import { type PersonIndexWrites, personIndexWrites } from './person-index';
import { type ReportQueries, reportQueries } from './reports';
import { type LifecycleEventOutbox, lifecycleEventOutbox } from './lifecycle-events';
import { type ReconcilePlans, reconcilePlans } from './reconcile-plans';

export type { AuditActor, AuditEntry, AuditRow, AuditTrail, AuditVerification } from './audit-trail';
export type { ChainedFields } from './audit-chain';
export type { AuditPage, AuditQuery } from './audit-query';
export { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from './audit-query';
export type { MigrationReport } from './migrations';
export { StoreMigrationError, storeMigrations } from './migrations';
export type { PeoplePage, PeopleQuery, StageCounts } from './people-query';
export { PEOPLE_PAGE_DEFAULT, PEOPLE_PAGE_MAX } from './people-query';
export type { Milestone, MilestoneWrite, PersonRecord, PersonWrite, PersonWriteResult } from './person-index';
export { StoreInputError } from './store-input-error';
export type { Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValues } from './reports';
export { REPORT_NAMES } from './reports';
export type { ReportGrouping } from './report-periods';
export { REPORT_MAX_DAYS } from './report-periods';
export type { EventKey, LifecycleEventOutbox, LifecycleEventRow } from './lifecycle-events';
export type {
  PlanActor,
  PlanEntriesPage,
  PlanRecord,
  PlanStatus,
  ReconcilePlans,
  StoredPlanEntry,
} from './reconcile-plans';
export { PLAN_ENTRIES_PAGE_MAX, planStatuses, startingActions } from './reconcile-plans';
export { normaliseForSearch, searchText } from './search-text';

export type PersonIndex = PersonIndexWrites & PeopleQueries & PersonErasure;
export type AuditLog = AuditTrail & AuditQueries;

export interface LifecycleStore {
  kind: StoreConfig['kind'];
  people: PersonIndex;
  audit: AuditLog;
  /** Reports over populations, from the milestone rows (docs/reports.md). */
  reports: ReportQueries;
  /** The outbox of lifecycle events to subscribers (docs/events.md). */
  events: LifecycleEventOutbox;
  /** Reconciliation snapshots, plans and their entries (issue 30). */
  reconcile: ReconcilePlans;
  /** Applies the migrations not applied yet (idempotent; safe with concurrent callers). */
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
}

export interface OpenStoreOptions extends ConnectOptions {
  /**
   * Migrate at open. Default: true for SQLite (the embedded store sets itself up at first use), false
   * for PostgreSQL (production migrates once, in its set-up job: `staffbase-lifecycle store migrate`).
   */
  migrate?: boolean;
}

export async function openStore(
  config: StoreConfig,
  options: OpenStoreOptions = {},
): Promise<LifecycleStore> {
  const connection = await connectStore(config, options);
  const store: LifecycleStore = {
    kind: connection.kind,
    people: {
      ...personIndexWrites(connection.db, connection.kind),
      ...peopleQueries(connection),
      ...personErasure(connection.db),
    },
    audit: { ...auditTrail(connection), ...auditQueries(connection.db) },
    reports: reportQueries(connection),
    events: lifecycleEventOutbox(connection.db),
    reconcile: reconcilePlans(connection),
    migrate: () => migrateStore(connection),
    close: () => connection.close(),
  };
  if (options.migrate ?? config.kind === 'sqlite') {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
export { type AuditRowWriter, auditEntryOf, auditRowWriter } from './audit-records';
