/**
 * Reconciliation (issue 30, docs/reconciliation.md): upload an HR snapshot to `POST /v1/reconciliations`
 * and list the recent plans, newest first, with their counts per situation and safety verdict. One
 * plan opens on its own page (reconcile-plan.ts). Offboarding absent accounts is offered to the support
 * key only; the API refuses it to any other key anyway.
 */
import { get, post } from '../api';
import { importMaxFileMb } from '../config';
import { h, loadingRegion, pageTitle, show, status, when } from '../dom';
import { countsLine, safetyLine, statusLabels } from '../reconcile-labels';
import { isAdmin } from '../session';
import { type ReconciliationList, type ReconciliationPlan } from '../types';
import { failureText } from './action-form';
import { base64, dateFormats, mappingOf } from './import';

export const planHref = (planId: string): string => `#/reconcile/${encodeURIComponent(planId)}`;

function uploadForm(): HTMLElement {
  const file = h('input', {
    id: 'reconcile-file',
    type: 'file',
    accept: '.csv,.txt,.xlsx,.json',
    required: true,
  });
  const dateFormat = h(
    'select',
    { id: 'reconcile-date-format' },
    h('option', { value: '' }, 'YYYY-MM-DD only'),
    dateFormats.map((format) => h('option', { value: format }, `also ${format}`)),
  );
  const mapping = h('textarea', { id: 'reconcile-map', rows: 2, 'aria-describedby': 'reconcile-map-help' });
  const ignoreUnknown = h('input', { id: 'reconcile-ignore', type: 'checkbox' });
  const dryRun = h('input', { id: 'reconcile-dry-run', type: 'checkbox' });
  const absent = h(
    'select',
    { id: 'reconcile-absent' },
    h('option', { value: 'ignore' }, 'Only report them'),
    h('option', { value: 'leaver' }, 'Offboard them (support key)'),
  );
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Upload a snapshot' },
    h('h2', {}, 'Upload a snapshot'),
    h(
      'p',
      { class: 'help' },
      'Every person HR knows, as CSV, Excel (.xlsx) or JSON. The service compares it with Staffbase and the open runs; ' +
        'a plan that would offboard many people, or a snapshot that looks cut short, waits for the support key’s approval.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'reconcile-file' }, 'Snapshot file'), file),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'reconcile-date-format' }, 'Dates in the file'),
      dateFormat,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'reconcile-map' }, 'Column mappings (optional)'),
      mapping,
      h(
        'p',
        { id: 'reconcile-map-help', class: 'help' },
        'One per line: Header=field, e.g. Worker Status=status.',
      ),
    ),
    isAdmin()
      ? h(
          'div',
          { class: 'field' },
          h('label', { for: 'reconcile-absent' }, 'Accounts missing from the snapshot'),
          absent,
        )
      : null,
    h(
      'div',
      { class: 'check' },
      ignoreUnknown,
      h('label', { for: 'reconcile-ignore' }, 'Leave unknown columns out'),
    ),
    h(
      'div',
      { class: 'check' },
      dryRun,
      h('label', { for: 'reconcile-dry-run' }, 'Dry run: only make the plan, start nothing'),
    ),
    h('button', { type: 'submit' }, 'Make the plan'),
    result,
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
      show(result, status(`${chosen.name} is larger than IMPORT_MAX_FILE_MB (${maxMb} MiB).`, 'error'));
      return;
    }
    const query = new URLSearchParams({ dryRun: String(dryRun.checked) });
    if (isAdmin() && absent.value === 'leaver') query.set('absent', 'leaver');
    show(result, status(`Reading ${chosen.name} and making the plan…`));
    void chosen
      .arrayBuffer()
      .then((bytes) =>
        post<ReconciliationPlan>(`/v1/reconciliations?${query.toString()}`, {
          content: base64(bytes),
          ...(dateFormat.value && { dateFormat: dateFormat.value }),
          ...(mapping.value.trim() && { map: mappingOf(mapping.value) }),
          ignoreUnknown: ignoreUnknown.checked,
        }),
      )
      .then(
        ({ body }) => {
          location.hash = planHref(body.planId);
        },
        (error: unknown) => show(result, status(failureText(error), 'error')),
      );
  });
  return form;
}

function plansTable(plans: ReconciliationPlan[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      {},
      h('caption', {}, 'Recent plans, newest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Plan', 'Requested', 'Status', 'People per situation', 'Safety', 'Decision'].map((title) =>
            h('th', { scope: 'col' }, title),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        plans.map((plan) =>
          h(
            'tr',
            { class: plan.status === 'held-for-approval' ? 'bad' : undefined },
            h('th', { scope: 'row' }, h('a', { href: planHref(plan.planId) }, plan.planId)),
            h('td', {}, when(plan.createdAt)),
            h(
              'td',
              {},
              statusLabels[plan.status],
              plan.dryRun && plan.status !== 'dry-run' ? ' (dry run)' : '',
            ),
            h('td', {}, countsLine(plan.counts)),
            h('td', {}, safetyLine(plan)),
            h(
              'td',
              {},
              plan.decision
                ? `${plan.decision.by.kind}${plan.decision.reason ? `: ${plan.decision.reason}` : ''}`
                : '—',
            ),
          ),
        ),
      ),
    ),
  );
}

export async function renderReconcile(main: HTMLElement): Promise<void> {
  const list = loadingRegion('Loading plans…');
  show(main, pageTitle('Reconciliation'), uploadForm(), h('h2', {}, 'Plans'), list);
  try {
    const { plans } = await get<ReconciliationList>('/v1/reconciliations');
    show(list, plans.length === 0 ? status('No plan yet: upload a snapshot.') : plansTable(plans));
  } catch (error) {
    show(list, status(failureText(error), 'error'));
  }
}
