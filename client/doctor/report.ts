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
  /** The setting this finding calls for; `doctor --write-config` writes it into `.env`. */
  recommends?: Recommendation;
  /** Raw observations for scripts (statuses, headers seen); never a secret or a person's data. */
  details?: Record<string, unknown>;
}

/** One configuration variable and the value a finding detected for it. */
export interface Recommendation {
  variable: string;
  value: string;
}

/** Where Staffbase's outbound webhooks go, for Studio; the secret itself only on request, never in --json. */
export interface WebhookSetup {
  url: string;
  secretSet: boolean;
  /** How Studio must send the secret, e.g. `Authorization: Bearer <secret>`. */
  secretHeader: string;
}

export interface DoctorReport {
  baseUrl: string;
  userAgent: string;
  write: boolean;
  /** The throwaway user's externalID, with --write. */
  throwawayExternalID?: string;
  checks: DoctorCheck[];
  /** Every recommended setting, one per variable (the last finding wins). */
  recommendations: Recommendation[];
  webhook?: WebhookSetup;
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
  extra: Pick<DoctorCheck, 'recommends' | 'details'> = {},
): DoctorCheck {
  return { id, title, verdict, found, action, ...extra };
}

export function buildReport(
  base: Pick<DoctorReport, 'baseUrl' | 'userAgent' | 'write' | 'throwawayExternalID' | 'webhook'>,
  checks: DoctorCheck[],
): DoctorReport {
  const counts: Record<Verdict, number> = { ok: 0, differs: 0, failed: 0, skipped: 0 };
  const recommended = new Map<string, string>();
  for (const entry of checks) {
    counts[entry.verdict] += 1;
    if (entry.recommends) recommended.set(entry.recommends.variable, entry.recommends.value);
  }
  const recommendations = [...recommended].map(([variable, value]) => ({ variable, value }));
  return { ...base, checks, counts, recommendations, breaksRuns: counts.failed > 0 };
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
    if (entry.recommends) {
      lines.push(`         set:    ${entry.recommends.variable}=${entry.recommends.value}`);
    }
  }
  if (report.recommendations.length > 0) {
    lines.push('');
    lines.push('Recommended settings (`doctor --write-config` merges them into .env):');
    for (const { variable, value } of report.recommendations) lines.push(`  ${variable}=${value}`);
  }
  if (report.webhook) {
    lines.push('');
    lines.push(`Webhook for Studio: ${report.webhook.url}`);
    lines.push(`  header: ${report.webhook.secretHeader}`);
    lines.push(
      report.webhook.secretSet
        ? '  secret: STAFFBASE_WEBHOOK_SECRET is set (shown with --show-webhook-secret)'
        : '  secret: STAFFBASE_WEBHOOK_SECRET is not set: generate one (openssl rand -base64 32) and set it on both sides',
    );
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
