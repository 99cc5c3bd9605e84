import { z } from 'zod';
import {
  calendarDateSchema,
  emailSchema,
  externalIdSchema,
  groupIdsSchema,
  localeSchema,
  personNameSchema,
  profileSchema,
} from '../field-rules';

/**
 * One person of an HR snapshot (every person HR knows), as a file row or a JSON object becomes it:
 * the same field rules as an onboarding request, plus the employment status and its dates. The one
 * definition for CSV, xlsx and JSON snapshots (client/csv/snapshot-file.ts reads the files).
 */

export const employmentStatuses = ['active', 'terminated', 'leave'] as const;
export type EmploymentStatus = (typeof employmentStatuses)[number];

/**
 * The words HR systems write for each status (compared without case, with runs of spaces, `_` and `-`
 * read as one space). Workday says "Terminated", SAP SuccessFactors "Withdrawn", others "Separated";
 * a leave of absence is "On Leave" or "LOA". "Inactive" is left out on purpose: some systems mean a
 * leaver by it, others a leave, and guessing either way would start the wrong lifecycle.
 */
export const employmentStatusWords: Record<EmploymentStatus, readonly string[]> = {
  active: ['active', 'employed'],
  terminated: ['terminated', 'separated', 'withdrawn', 'left'],
  leave: ['leave', 'on leave', 'leave of absence', 'loa'],
};

const statusByWord = new Map(
  Object.entries(employmentStatusWords).flatMap(([status, words]) =>
    words.map((word) => [word, status as EmploymentStatus] as const),
  ),
);

/** `On_Leave ` → `leave`; undefined for a word no status has. */
export function employmentStatusOf(text: string): EmploymentStatus | undefined {
  return statusByWord.get(
    text
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, ' '),
  );
}

const statusSchema = z.string().transform((text, context) => {
  const status = employmentStatusOf(text);
  if (status !== undefined) return status;
  context.addIssue({
    code: 'custom',
    message: `must be active, terminated or leave (also read: ${Object.values(employmentStatusWords)
      .flat()
      .filter((word) => !(employmentStatuses as readonly string[]).includes(word))
      .join(', ')})`,
  });
  return z.NEVER;
});

/** What an onboarding needs of a person: an `active` row without one of these could never be invited. */
export const fieldsRequiredWhenActive = ['userName', 'firstName', 'lastName', 'email'] as const;

export const snapshotRowSchema = z
  .strictObject({
    externalID: externalIdSchema,
    status: statusSchema,
    startDate: calendarDateSchema.optional(),
    /** For `terminated`: the last day of work; absent means already past. */
    lastWorkingDay: calendarDateSchema.optional(),
    leaveFrom: calendarDateSchema.optional(),
    leaveUntil: calendarDateSchema.optional(),
    userName: personNameSchema.optional(),
    firstName: personNameSchema.optional(),
    lastName: personNameSchema.optional(),
    email: emailSchema.optional(),
    locale: localeSchema.optional(),
    groupIDs: groupIdsSchema.optional(),
    profile: profileSchema.optional(),
  })
  .superRefine((row, context) => {
    if (row.status === 'active') {
      for (const field of fieldsRequiredWhenActive) {
        if (row[field] === undefined) {
          context.addIssue({ code: 'custom', path: [field], message: 'is required for an active person' });
        }
      }
    }
    if (row.leaveFrom !== undefined && row.leaveUntil !== undefined && row.leaveUntil < row.leaveFrom) {
      context.addIssue({ code: 'custom', path: ['leaveUntil'], message: 'must not be before leaveFrom' });
    }
  });
export type SnapshotPerson = z.infer<typeof snapshotRowSchema>;

/** A snapshot row after validation: a person, or the reasons it is not one. */
export type SnapshotRow =
  | { kind: 'valid'; row: number; person: SnapshotPerson }
  | {
      kind: 'invalid';
      row: number;
      /**
       * The row's externalID cell as written (only the cell's surrounding spaces trimmed, as for a valid
       * row; never otherwise normalised), so the account it names is not reported `absent`.
       */
      externalID?: string;
      problems: { field: string; message: string }[];
    };
