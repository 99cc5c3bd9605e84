/**
 * The reports (issue 32) over the filled person index: each report over the whole period, by ISO
 * week in Europe/Berlin, PEOPLE_REPORT_REQUESTS times (default 20), one after another as the HR API
 * asks them. Prints median and p95; nothing here asserts a time (the target: p95 ≤ 500 ms).
 */
import { type LifecycleStore, REPORT_NAMES, type ReportName } from '../store';

/** Covers every milestone the fill writes (leavers' onboardings a year and more before 2026). */
const WHOLE_PERIOD = { from: '2024-01-01', to: '2026-12-31' } as const;

export interface ReportTiming {
  name: ReportName;
  median: number;
  p95: number;
  /** Rows (weeks) of the answer, and the sum of its first column's total: shows the report read data. */
  rows: number;
  firstTotal: number | null;
}

export async function timeReports(store: LifecycleStore, requests: number): Promise<ReportTiming[]> {
  const timings: ReportTiming[] = [];
  for (const name of REPORT_NAMES) {
    const samples: number[] = [];
    let rows = 0;
    let firstTotal: number | null = null;
    for (let index = 0; index < requests; index += 1) {
      const started = process.hrtime.bigint();
      const report = await store.reports.report({
        name,
        ...WHOLE_PERIOD,
        by: 'week',
        timeZone: 'Europe/Berlin',
        endOfWorkingDay: '17:00',
      });
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      rows = report.rows.length;
      const first = report.columns[0];
      firstTotal = first ? (report.total[first.key] ?? null) : null;
    }
    const sorted = samples.sort((a, b) => a - b);
    const at = (share: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
    timings.push({ name, median: at(0.5), p95: at(0.95), rows, firstTotal });
  }
  return timings;
}

export function printReportTimings(timings: ReportTiming[], requests: number): void {
  for (const timing of timings) {
    console.log(
      `report ${timing.name} over ${WHOLE_PERIOD.from}…${WHOLE_PERIOD.to} by week (${requests} requests, ` +
        `${timing.rows} weeks, first figure ${timing.firstTotal ?? '—'}): median ${timing.median.toFixed(1)} ms, ` +
        `p95 ${timing.p95.toFixed(1)} ms`,
    );
  }
}
