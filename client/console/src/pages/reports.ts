/**
 * Reports: HR's monthly questions about populations (issue 32), from `GET /v1/reports/{name}` — a
 * chart per report to read at a glance, its numbers as a table beside it (what screen readers and the
 * browser test read), and the API's own CSV to download. By ISO week or month in the policy time zone.
 */
import { get, getText } from '../api';
import { type ReportChart, drawReportChart } from '../report-charts';
import { h, loadingRegion, pageTitle, show, status } from '../dom';
import { type Route } from '../main';
import { type Report } from '../types';

interface ReportPage {
  name: string;
  title: string;
  /** What a person reads at a glance: the chart's series from the report. */
  chart: (report: Report) => ReportChart | undefined;
  /** Columns whose cells also show their share of this column (the funnel's steps). */
  shareOf?: string;
}

const series = (report: Report, key: string) => report.rows.map((row) => row.values[key] ?? null);
const labels = (report: Report) => report.rows.map((row) => row.period);

const REPORTS: ReportPage[] = [
  {
    name: 'activation-funnel',
    title: 'Activation funnel',
    shareOf: 'invited',
    chart: (report) => {
      const steps = report.columns.filter((column) => column.key !== 'activated');
      return {
        kind: 'bar',
        labels: steps.map((column) => column.label),
        datasets: [{ label: 'People', data: steps.map((column) => report.total[column.key] ?? 0) }],
      };
    },
  },
  {
    name: 'time-to-activate',
    title: 'Time to activate',
    chart: (report) => ({
      kind: 'line',
      labels: labels(report),
      datasets: [
        { label: 'Median days', data: series(report, 'medianDays') },
        { label: '90th percentile days', data: series(report, 'p90Days') },
      ],
    }),
  },
  {
    name: 'leaver-timeliness',
    title: 'Leaver timeliness',
    chart: (report) => ({
      kind: 'stacked-bar',
      labels: labels(report),
      datasets: [
        {
          label: 'Deactivated within 1 hour',
          data: report.rows.map((row) => (row.values.deactivated ?? 0) - (row.values.laterThan1Hour ?? 0)),
        },
        { label: 'Later than 1 hour', data: series(report, 'laterThan1Hour') },
        { label: 'Started late', data: series(report, 'startedLate') },
      ],
    }),
  },
  {
    name: 'needs-attention',
    title: 'Needs attention',
    chart: (report) => ({
      kind: 'bar',
      labels: labels(report),
      datasets: [
        { label: 'Needed attention', data: series(report, 'entered') },
        { label: 'Resolved', data: series(report, 'resolved') },
      ],
    }),
  },
  {
    name: 'reconciliation-drift',
    title: 'Reconciliation drift',
    // Each period's latest reconciliation: its people per situation, the situations that occur at all.
    chart: (report) => {
      const shown = report.columns.filter(
        (column) => column.key.startsWith('situation:') && report.rows.some((row) => row.values[column.key]),
      );
      if (shown.length === 0) return undefined;
      return {
        kind: 'stacked-bar',
        labels: labels(report),
        datasets: shown.map((column) => ({ label: column.label, data: series(report, column.key) })),
      };
    },
  },
];

const number = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : value.toLocaleString('en', { maximumFractionDigits: 2 });

function cell(values: Report['total'], key: string, shareOf: string | undefined): string {
  const value = values[key];
  const whole = shareOf === undefined || key === shareOf ? undefined : values[shareOf];
  if (whole === undefined || whole === null || whole === 0 || value === null || value === undefined)
    return number(value);
  return `${number(value)} (${Math.round((value / whole) * 100)}%)`;
}

function reportTable(page: ReportPage, report: Report): HTMLElement {
  const row = (header: string, values: Report['total'], total = false) =>
    h(
      'tr',
      total ? { class: 'total' } : {},
      h('th', { scope: 'row' }, header),
      report.columns.map((column) => h('td', {}, cell(values, column.key, page.shareOf))),
    );
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'report-table' },
      h('caption', {}, `${page.title}: figures`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, report.by === 'week' ? 'ISO week' : 'Month'),
          report.columns.map((column) => h('th', { scope: 'col' }, column.label)),
        ),
      ),
      h(
        'tbody',
        {},
        report.rows.map((r) => row(r.period, r.values)),
        row('Total', report.total, true),
      ),
    ),
  );
}

async function downloadCsv(path: string, fileName: string, region: HTMLElement): Promise<void> {
  try {
    const text = await getText(`${path}&format=csv`, 'text/csv');
    const link = h('a', {
      href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })),
      download: fileName,
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (error) {
    show(region, status(error instanceof Error ? error.message : String(error), 'error'));
  }
}

async function reportSection(page: ReportPage, query: string): Promise<HTMLElement> {
  const path = `/v1/reports/${page.name}?${query}`;
  const headingId = `report-${page.name}`;
  const section = h('section', { class: 'report', 'aria-labelledby': headingId });
  const problems = h('div', { 'aria-live': 'polite' });
  let report: Report;
  try {
    report = await get<Report>(path);
  } catch (error) {
    show(
      section,
      h('h2', { id: headingId }, page.title),
      status(error instanceof Error ? error.message : String(error), 'error'),
    );
    return section;
  }
  const download = h('button', { type: 'button', class: 'secondary' }, `Download ${page.title} (CSV)`);
  download.addEventListener(
    'click',
    () => void downloadCsv(path, `${page.name}-${report.from}-${report.to}-by-${report.by}.csv`, problems),
  );
  const chart = page.chart(report);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${page.title} chart; its figures are in the table beside it`,
  });
  show(
    section,
    h('h2', { id: headingId }, page.title),
    h('p', { class: 'note' }, report.note),
    h(
      'div',
      { class: 'report-body' },
      chart ? h('div', { class: 'chart' }, canvas) : null,
      report.columns.length > 0 ? reportTable(page, report) : null,
    ),
    download,
    problems,
  );
  if (chart) drawReportChart(canvas, chart);
  return section;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

export async function renderReports(main: HTMLElement, route: Route): Promise<void> {
  const today = new Date();
  const from = route.params.get('from') ?? isoDate(new Date(today.getTime() - 12 * 7 * 86_400_000));
  const to = route.params.get('to') ?? isoDate(today);
  const by = route.params.get('by') === 'month' ? 'month' : 'week';

  const fromInput = h('input', { id: 'report-from', type: 'date', value: from, required: true });
  const toInput = h('input', { id: 'report-to', type: 'date', value: to, required: true });
  const bySelect = h(
    'select',
    { id: 'report-by' },
    h('option', { value: 'week', selected: by === 'week' }, 'ISO week'),
    h('option', { value: 'month', selected: by === 'month' }, 'Month'),
  );
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Report period' },
    h('div', {}, h('label', { for: 'report-from' }, 'From'), fromInput),
    h('div', {}, h('label', { for: 'report-to' }, 'To'), toInput),
    h('div', {}, h('label', { for: 'report-by' }, 'By'), bySelect),
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ from: fromInput.value, to: toInput.value, by: bySelect.value });
    location.hash = `#/reports?${params.toString()}`;
  });

  const results = loadingRegion('Loading reports…');
  show(main, pageTitle('Reports'), form, results);
  const query = new URLSearchParams({ from, to, by }).toString();
  const sections = await Promise.all(REPORTS.map((page) => reportSection(page, query)));
  const failed = sections.length > 0 && sections.every((section) => section.querySelector('[role="alert"]'));
  show(
    results,
    failed ? null : status(`Reports from ${from} to ${to} by ${by === 'week' ? 'ISO week' : 'month'}.`),
    sections,
  );
}
