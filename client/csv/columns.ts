import { leaveRequestSchema } from '../../lifecycle/leave-request';
import { offboardingRequestSchema } from '../../lifecycle/offboarding-request';
import { onboardingRequestSchema } from '../../lifecycle/onboarding-request';
import { snapshotRowSchema } from '../../lifecycle/reconcile/snapshot-row';
import type { PersonLifecycle } from '../../lifecycle/workflow-ids';

/** The lifecycles a file can start: joiners, leavers, or leaves of absence. */
export type ImportLifecycle = PersonLifecycle;

/** What a file holds: people to import, or an HR snapshot of everyone to reconcile. */
export type ImportKind = ImportLifecycle | 'snapshot';

/**
 * The columns of an import file: the request fields of `lifecycle/*-request.ts` under the same names.
 * Cells are text; a column's kind says how its text becomes a field value. The schemas still decide
 * what is valid — this table only says how to read a cell.
 */
export type ColumnKind =
  /** Text as it is (trimmed). */
  | 'text'
  /** A whole number, e.g. `30`. */
  | 'number'
  /** Values separated by `|` or `;`, e.g. `sales|berlin`. */
  | 'list'
  /** Whole numbers separated by `|` or `;`, e.g. `3|7|14`. */
  | 'number-list'
  /** A calendar date: YYYY-MM-DD, or the file's `--date-format` (see `date-cells.ts`). */
  | 'date';

export interface ColumnSpec {
  kind: ColumnKind;
  required: boolean;
  /** One line for `--help` and the README. */
  description: string;
}

/** Columns `profile.<field>` fill the custom profile fields (department, position, …). */
export const profileColumnPrefix = 'profile.';

const required = (kind: ColumnKind, description: string): ColumnSpec => ({
  kind,
  required: true,
  description,
});
const optional = (kind: ColumnKind, description: string): ColumnSpec => ({
  kind,
  required: false,
  description,
});

export const importColumns: Record<ImportKind, Record<string, ColumnSpec>> = {
  onboarding: {
    externalID: required('text', 'the person’s ID in the HR system'),
    userName: required('text', 'Staffbase user name'),
    firstName: required('text', 'first name'),
    lastName: required('text', 'last name'),
    email: required('text', 'where the invitation goes'),
    startDate: optional('date', 'first working day, YYYY-MM-DD'),
    locale: optional('text', 'e.g. de_DE or en'),
    groupIDs: optional('list', 'Staffbase group IDs, separated by | or ;'),
    contactEmail: optional('text', 'manager or HR contact, copied on reminders'),
    'reminderPolicy.remindAfterDays': optional(
      'number-list',
      'reminder days after the invitation, e.g. 3|7|14 (with reminderPolicy.expireAfterDays)',
    ),
    'reminderPolicy.expireAfterDays': optional(
      'number',
      'days after the invitation when the onboarding expires',
    ),
  },
  offboarding: {
    externalID: required('text', 'the person’s ID in the HR system'),
    lastWorkingDay: optional('date', 'YYYY-MM-DD; empty or past: at once'),
    retentionDays: optional('number', 'days between deactivation and deletion'),
    deleteAt: optional('text', 'ISO date-time of the deletion (not with retentionDays)'),
    reason: optional('text', 'free text, at most 500 characters'),
  },
  leave: {
    externalID: required('text', 'the person’s ID in the HR system'),
    from: required('date', 'the first day of leave, YYYY-MM-DD'),
    until: optional('date', 'the first day back, YYYY-MM-DD (not the last day of leave); empty: until ended'),
    reason: optional('text', 'free text, at most 500 characters'),
  },
  // Every person HR knows (docs/reconciliation.md): the person fields an onboarding reads, and the
  // employment status with its dates.
  snapshot: {
    externalID: required('text', 'the person’s ID in the HR system'),
    status: required('text', 'active, terminated or leave (HR words such as Withdrawn or On Leave too)'),
    startDate: optional('date', 'first working day, YYYY-MM-DD'),
    lastWorkingDay: optional('date', 'for terminated: the last day of work, YYYY-MM-DD; empty: past'),
    leaveFrom: optional('date', 'for leave: its first day, YYYY-MM-DD'),
    leaveUntil: optional('date', 'for leave: its last day, YYYY-MM-DD'),
    userName: optional('text', 'Staffbase user name (required for active)'),
    firstName: optional('text', 'first name (required for active)'),
    lastName: optional('text', 'last name (required for active)'),
    email: optional('text', 'work email (required for active)'),
    locale: optional('text', 'e.g. de_DE or en'),
    groupIDs: optional('list', 'Staffbase group IDs, separated by | or ;'),
  },
};

/** Whether a lifecycle takes `profile.<field>` columns. */
export const acceptsProfileColumns: Record<ImportKind, boolean> = {
  onboarding: true,
  offboarding: false,
  leave: false,
  snapshot: true,
};

/** The schema fields every column table must cover (checked by the tests, so the two cannot drift). */
export const schemaFields: Record<ImportKind, string[]> = {
  onboarding: Object.keys(onboardingRequestSchema.shape),
  offboarding: Object.keys(offboardingRequestSchema.shape),
  leave: Object.keys(leaveRequestSchema.shape),
  snapshot: Object.keys(snapshotRowSchema.shape),
};
