/**
 * The doctor's report: one entry per check, each with what the tenant did and what the project does
 * about it. `failed` means runs against this tenant would break; `differs` means the tenant answers
 * in another documented shape that the project handles.
 */
export type Verdict = 'ok' | 'differs' | 'failed' | 'skipped';

export interface DoctorCheck {
  /** Stable id for scripts, e.g. `auth`, `create`, `cleanup`. */
  id: string;
  title: string;
  verdict: Verdict;
  /** What the tenant did. */
  found: string;
  /** What the project will do about it (or what to do, for `failed`). */
  action: string;
}

export interface DoctorReport {
  baseUrl: string;
  userAgent: string;
  write: boolean;
  /** The throwaway user's externalID, with --write. */
  throwawayExternalID?: string;
  checks: DoctorCheck[];
  counts: Record<Verdict, number>;
  /** true when any check failed: runs against this tenant would break. */
  breaksRuns: boolean;
}

export function check(
  id: string,
  title: string,
  verdict: Verdict,
  found: string,
  action: string,
): DoctorCheck {
  return { id, title, verdict, found, action };
}

export function buildReport(
  base: Pick<DoctorReport, 'baseUrl' | 'userAgent' | 'write' | 'throwawayExternalID'>,
  checks: DoctorCheck[],
): DoctorReport {
  const counts: Record<Verdict, number> = { ok: 0, differs: 0, failed: 0, skipped: 0 };
  for (const entry of checks) counts[entry.verdict] += 1;
  return { ...base, checks, counts, breaksRuns: counts.failed > 0 };
}

const LABEL: Record<Verdict, string> = { ok: 'ok', differs: 'differs', failed: 'FAILED', skipped: 'skipped' };

/** The report for people: one block per check, then one line that says whether runs will work. */
export function reportText(report: DoctorReport): string[] {
  const mode = report.write ? 'read and write checks' : 'read-only checks; add --write for the write checks';
  const lines = [`Staffbase doctor: ${report.baseUrl} (${mode}), User-Agent ${report.userAgent}`, ''];
  for (const entry of report.checks) {
    lines.push(`${LABEL[entry.verdict].padEnd(8)} ${entry.title} [${entry.id}]`);
    lines.push(`         found:  ${entry.found}`);
    lines.push(`         we do:  ${entry.action}`);
  }
  const { ok, differs, failed, skipped } = report.counts;
  lines.push('');
  lines.push(
    `${ok} ok, ${differs} differ (handled), ${failed} failed, ${skipped} skipped → ` +
      (report.breaksRuns
        ? 'runs against this tenant would break: fix the FAILED checks first'
        : 'nothing found that would break runs'),
  );
  return lines;
}
