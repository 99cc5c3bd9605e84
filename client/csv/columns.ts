import { offboardingRequestSchema } from '../../lifecycle/offboarding-request';
import { onboardingRequestSchema } from '../../lifecycle/onboarding-request';
import type { Lifecycle } from '../../lifecycle/workflow-ids';

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

export const importColumns: Record<Lifecycle, Record<string, ColumnSpec>> = {
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
};

/** Whether a lifecycle takes `profile.<field>` columns. */
export const acceptsProfileColumns: Record<Lifecycle, boolean> = { onboarding: true, offboarding: false };

/** The schema fields every column table must cover (checked by the tests, so the two cannot drift). */
export const schemaFields: Record<Lifecycle, string[]> = {
  onboarding: Object.keys(onboardingRequestSchema.shape),
  offboarding: Object.keys(offboardingRequestSchema.shape),
};
