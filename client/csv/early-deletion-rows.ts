/**
 * An import read with the HR systems' key: rows that would delete sooner than the policy's retention
 * (lifecycle/deletion-authority.ts) are rejected already in the dry run, naming the row and the field,
 * instead of being offered as requests that their start would refuse with a 403.
 */
import { earlyDeletionOf } from '../../lifecycle/deletion-authority';
import { type OffboardingPolicy } from '../../lifecycle/offboarding-request';
import { type ParsedImport, type RejectedImportRow, type ValidImportRow } from './parse-import';

export function rejectEarlyDeletions(
  parsed: ParsedImport,
  policy: OffboardingPolicy,
  nowMs: number,
): ParsedImport {
  const valid: ValidImportRow[] = [];
  const rejected: RejectedImportRow[] = [...parsed.rejected];
  for (const row of parsed.valid) {
    const early =
      row.input.lifecycle === 'offboarding' ? earlyDeletionOf(row.input.request, policy, nowMs) : undefined;
    if (early) {
      rejected.push({
        row: row.row,
        externalID: row.externalID,
        problems: [{ field: early.field, message: early.message }],
      });
    } else {
      valid.push(row);
    }
  }
  rejected.sort((a, b) => a.row - b.row);
  return { ...parsed, valid, rejected };
}
