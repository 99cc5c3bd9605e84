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

export const importColumns: Record<Lifecycle, Record<string, ColumnSpec>> = {
  onboarding: {
    externalID: { kind: 'text', required: true, description: 'the person’s ID in the HR system' },
    userName: { kind: 'text', required: true, description: 'Staffbase user name' },
    firstName: { kind: 'text', required: true, description: 'first name' },
    lastName: { kind: 'text', required: true, description: 'last name' },
    email: { kind: 'text', required: true, description: 'where the invitation goes' },
    startDate: { kind: 'date', required: false, description: 'first working day, YYYY-MM-DD' },
    locale: { kind: 'text', required: false, description: 'e.g. de_DE or en' },
    groupIDs: { kind: 'list', required: false, description: 'Staffbase group IDs, separated by | or ;' },
    contactEmail: {
      kind: 'text',
      required: false,
      description: 'manager or HR contact, copied on reminders',
    },
    'reminderPolicy.remindAfterDays': {
      kind: 'number-list',
      required: false,
      description: 'reminder days after the invitation, e.g. 3|7|14 (with reminderPolicy.expireAfterDays)',
    },
    'reminderPolicy.expireAfterDays': {
      kind: 'number',
      required: false,
      description: 'days after the invitation when the onboarding expires',
    },
  },
  offboarding: {
    externalID: { kind: 'text', required: true, description: 'the person’s ID in the HR system' },
    lastWorkingDay: { kind: 'date', required: false, description: 'YYYY-MM-DD; empty or past: at once' },
    retentionDays: { kind: 'number', required: false, description: 'days between deactivation and deletion' },
    deleteAt: {
      kind: 'text',
      required: false,
      description: 'ISO date-time of the deletion (not with retentionDays)',
    },
    reason: { kind: 'text', required: false, description: 'free text, at most 500 characters' },
  },
};

/** Whether a lifecycle takes `profile.<field>` columns. */
export const acceptsProfileColumns: Record<Lifecycle, boolean> = { onboarding: true, offboarding: false };

/** The schema fields every column table must cover (checked by the tests, so the two cannot drift). */
export const schemaFields: Record<Lifecycle, string[]> = {
  onboarding: Object.keys(onboardingRequestSchema.shape),
  offboarding: Object.keys(offboardingRequestSchema.shape),
};
