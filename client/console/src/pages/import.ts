/**
 * CSV/XLSX import: the file goes to `POST /v1/imports/dry-run` (the CLI's import code on the server)
 * and nothing starts until HR has read the dry run — how each column was read, which rows would
 * start, which are rejected and why. Then "Start" sends each would-start row to the ordinary start
 * route, one by one, with a progress bar, and offers the result as a CSV report.
 */
import { type FieldProblem, post } from '../api';
import { importMaxFileMb } from '../config';
import { h, pageTitle, show, status } from '../dom';
import { type Lifecycle } from '../types';
import { failureText } from './action-form';

interface RowResult {
  row: number;
  externalID?: string;
  result: string;
  closedStatus?: string;
  /** The earlier run's innermost cause, when it failed. */
  failure?: string;
  problems?: FieldProblem[];
  error?: string;
}

interface DryRun {
  /** The runs the file starts: `leave` through POST /v1/leaves, the others through /v1/<lifecycle>s. */
  lifecycle: Lifecycle | 'leave';
  mapping: { column: number; header: string; target: string; matchedBy: string }[];
  rowCount: number;
  summaryLine: string;
  rows: RowResult[];
  requests: { row: number; externalID: string; request: Record<string, unknown> }[];
}

export const dateFormats = ['DD.MM.YYYY', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY/MM/DD'];
const CONCURRENCY = 4;

/** A file's bytes as the API's `content` (also the Reconciliation page's upload). */
export function base64(bytes: ArrayBuffer): string {
  let binary = '';
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** `Header=field` lines → the dry run's `map`. */
export function mappingOf(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const split = line.lastIndexOf('=');
    if (split > 0) map[line.slice(0, split).trim()] = line.slice(split + 1).trim();
  }
  return map;
}

const detail = (row: RowResult) =>
  row.problems?.map((p) => `${p.field}: ${p.message}`).join('; ') ??
  row.error ??
  (row.closedStatus
    ? `earlier run ${row.closedStatus.toLowerCase()}${row.failure ? `: ${row.failure}` : ''}`
    : '');

function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`; // a spreadsheet must not run it as a formula
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function reportLink(rows: RowResult[]): HTMLElement {
  const lines = [
    'row,externalID,result,detail',
    ...rows.map((r) => [r.row, r.externalID, r.result, detail(r)].map(csvCell).join(',')),
  ];
  const url = URL.createObjectURL(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' }));
  return h('a', { href: url, download: 'import-report.csv', class: 'button' }, 'Download the report (CSV)');
}

function rowsTable(caption: string, rows: RowResult[]): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Row', 'externalID', 'Result', 'Why'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          { class: row.result === 'rejected' || row.result === 'failed' ? 'bad' : undefined },
          h('td', {}, row.row),
          h('td', {}, row.externalID ?? '—'),
          h('td', {}, row.result.replace(/-/g, ' ')),
          h('td', {}, detail(row)),
        ),
      ),
    ),
  );
}

async function startAll(dryRun: DryRun, rerun: boolean, area: HTMLElement): Promise<void> {
  const total = dryRun.requests.length;
  const progress = h('progress', { max: total, value: 0, id: 'import-progress' });
  const label = h('p', { role: 'status' }, `Started 0 of ${total}`);
  show(area, h('label', { for: 'import-progress' }, 'Starting runs'), progress, label);
  const results: RowResult[] = dryRun.rows.filter((row) => row.result !== 'would-start');
  const queue = [...dryRun.requests];
  let done = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        const answer = await post<{ status: string }>(
          // A leave takes no rerun: a later leave of the person starts once the earlier one closed.
          `/v1/${dryRun.lifecycle}s${rerun && dryRun.lifecycle !== 'leave' ? '?rerun=true' : ''}`,
          // A file of leavers: their look-ups are batched (log-out and deactivation stay urgent).
          dryRun.lifecycle === 'offboarding' ? { ...next.request, lane: 'bulk' } : next.request,
        );
        results.push({ row: next.row, externalID: next.externalID, result: answer.body.status });
      } catch (error) {
        results.push({
          row: next.row,
          externalID: next.externalID,
          result: 'failed',
          error: failureText(error),
        });
      }
      done += 1;
      progress.value = done;
      label.textContent = `Started ${done} of ${total}`;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
  results.sort((a, b) => a.row - b.row);
  const count = (result: string) => results.filter((row) => row.result === result).length;
  show(
    area,
    status(
      `Done: started ${count('started')}, already running ${count('already-running')}, ` +
        `already completed ${count('already-completed')}, failed ${count('failed')}, rejected ${count('rejected')}.`,
      count('failed') > 0 ? 'error' : 'ok',
    ),
    reportLink(results),
    rowsTable('Result per row', results),
  );
}

function renderDryRun(area: HTMLElement, dryRun: DryRun, rerun: boolean): void {
  const start = h('button', { type: 'button' }, `Start ${dryRun.requests.length} ${dryRun.lifecycle}s`);
  const startArea = h('div', { 'aria-live': 'polite' });
  start.addEventListener('click', () => {
    start.disabled = true;
    void startAll(dryRun, rerun, startArea);
  });
  show(
    area,
    h('h2', { tabindex: '-1', id: 'dry-run-title' }, 'Dry run: nothing has started yet'),
    status(dryRun.summaryLine),
    h(
      'table',
      {},
      h('caption', {}, 'How each column was read'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Column', 'Header', 'Field', 'Matched by'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        dryRun.mapping.map((column) =>
          h(
            'tr',
            {},
            h('td', {}, column.column),
            h('td', {}, column.header),
            h('td', {}, column.target),
            h('td', {}, column.matchedBy),
          ),
        ),
      ),
    ),
    rowsTable(`Rows (${dryRun.rowCount})`, dryRun.rows),
    dryRun.requests.length > 0 ? start : h('p', {}, 'No row would start.'),
    startArea,
  );
  area.querySelector<HTMLElement>('#dry-run-title')?.focus();
}

export function renderImport(main: HTMLElement): void {
  const kind = h(
    'select',
    { id: 'import-kind' },
    h('option', { value: 'onboarding' }, 'Onboardings (new hires)'),
    h('option', { value: 'offboarding' }, 'Offboardings (leavers)'),
    h('option', { value: 'leave' }, 'Leaves of absence (from, first day back)'),
  );
  const file = h('input', { id: 'import-file', type: 'file', accept: '.csv,.txt,.xlsx', required: true });
  const dateFormat = h(
    'select',
    { id: 'import-date-format' },
    h('option', { value: '' }, 'YYYY-MM-DD only'),
    dateFormats.map((format) => h('option', { value: format }, `also ${format}`)),
  );
  const mapping = h('textarea', { id: 'import-map', rows: 3, 'aria-describedby': 'import-map-help' });
  const ignoreUnknown = h('input', { id: 'import-ignore', type: 'checkbox' });
  const rerun = h('input', { id: 'import-rerun', type: 'checkbox' });
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Import file' },
    h('div', { class: 'field' }, h('label', { for: 'import-kind' }, 'The file lists'), kind),
    h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'CSV or Excel (.xlsx) file'), file),
    h('div', { class: 'field' }, h('label', { for: 'import-date-format' }, 'Dates in the file'), dateFormat),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'import-map' }, 'Column mappings (optional)'),
      mapping,
      h(
        'p',
        { id: 'import-map-help', class: 'help' },
        'One per line: Header=field, e.g. Department=profile.department or Badge=ignore.',
      ),
    ),
    h(
      'div',
      { class: 'check' },
      ignoreUnknown,
      h('label', { for: 'import-ignore' }, 'Leave unknown columns out'),
    ),
    h(
      'div',
      { class: 'check' },
      rerun,
      h('label', { for: 'import-rerun' }, 'Start again for people whose earlier run completed'),
    ),
    h('button', { type: 'submit' }, 'Dry run'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      show(result, status('Choose a file first.', 'error'));
      file.focus();
      return;
    }
    const maxMb = importMaxFileMb();
    if (maxMb !== undefined && chosen.size > maxMb * 1024 * 1024) {
      show(
        result,
        status(
          `${chosen.name} is larger than IMPORT_MAX_FILE_MB (${maxMb} MiB): split it into smaller files.`,
          'error',
        ),
      );
      return;
    }
    show(result, status(`Reading ${chosen.name}…`));
    void chosen
      .arrayBuffer()
      .then((bytes) =>
        post<DryRun>('/v1/imports/dry-run', {
          kind: kind.value,
          content: base64(bytes),
          fileName: chosen.name,
          ...(dateFormat.value && { dateFormat: dateFormat.value }),
          ...(mapping.value.trim() && { map: mappingOf(mapping.value) }),
          ignoreUnknown: ignoreUnknown.checked,
          rerun: rerun.checked,
        }),
      )
      .then(
        ({ body }) => renderDryRun(result, body, rerun.checked),
        (error: unknown) => show(result, status(failureText(error), 'error')),
      );
  });
  show(
    main,
    pageTitle('CSV/XLSX import'),
    h('p', { class: 'help' }, 'The dry run shows what would happen; nothing starts until you press Start.'),
    form,
    result,
  );
}
