/**
 * One reconciliation plan (`GET /v1/reconciliations/{planId}`): its status and safety verdict, the
 * people per situation as a chart with the numbers as a table beside it (what screen readers and the
 * browser test read), its entries filterable by situation in pages, and — while it is held, for the
 * support key — approve or discard with a reason. The API decides who may; its refusals are shown as
 * they come. While the service is still planning or applying, the page looks again every few seconds.
 */
import { get, post } from '../api';
import { h, loadingRegion, pageTitle, show, status, when } from '../dom';
import { type Route } from '../main';
import { drawReportChart } from '../report-charts';
import { type Situation, isSituation, movingStatuses, situations, statusLabels } from '../reconcile-labels';
import { isAdmin } from '../session';
import { type ReconciliationPlan, type ReconciliationPlanPage } from '../types';
import { failureText } from './action-form';
import { planHref } from './reconcile';

const PAGE_SIZE = 50;
const REFRESH_MS = 1_500;
const TRAIL_SEPARATOR = '.';

/** Entries per page: 50, or the link's `limit` (1–1000, as the API takes). */
function pageSize(route: Route): number {
  const asked = Number(route.params.get('limit'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : PAGE_SIZE;
}

function hrefWith(planId: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return `${planHref(planId)}${text ? `?${text}` : ''}`;
}

function countsSection(plan: ReconciliationPlan): HTMLElement {
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': 'People per situation chart; the figures are in the table beside it',
  });
  const total = situations.reduce((sum, situation) => sum + (plan.counts[situation] ?? 0), 0);
  const section = h(
    'section',
    { class: 'report', 'aria-labelledby': 'plan-counts' },
    h('h2', { id: 'plan-counts' }, 'People per situation'),
    h(
      'div',
      { class: 'report-body' },
      h('div', { class: 'chart' }, canvas),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'report-table' },
          h('caption', {}, 'People per situation: figures'),
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, 'Situation'), h('th', { scope: 'col' }, 'People')),
          ),
          h(
            'tbody',
            {},
            situations.map((situation) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, h('a', { href: hrefWith(plan.planId, { situation }) }, situation)),
                h('td', {}, (plan.counts[situation] ?? 0).toLocaleString('en')),
              ),
            ),
            h(
              'tr',
              { class: 'total' },
              h('th', { scope: 'row' }, 'Total'),
              h('td', {}, total.toLocaleString('en')),
            ),
          ),
        ),
      ),
    ),
  );
  // Drawn once the canvas is in the page (Chart.js measures its box).
  queueMicrotask(() =>
    drawReportChart(canvas, {
      kind: 'bar',
      labels: [...situations],
      datasets: [{ label: 'People', data: situations.map((situation) => plan.counts[situation] ?? 0) }],
    }),
  );
  return section;
}

function decisionForm(plan: ReconciliationPlan, reload: () => void): HTMLElement {
  if (plan.status !== 'held-for-approval') return h('span');
  if (!isAdmin())
    return status('This plan waits for approval: approving or discarding it takes the support key.');
  const reason = h('input', { id: 'plan-reason', type: 'text', maxlength: 500 });
  const answer = h('div', { 'aria-live': 'polite' });
  const approve = h('button', { type: 'button' }, 'Approve and apply');
  const discard = h('button', { type: 'button', class: 'danger' }, 'Discard');
  const decide = (decision: 'approve' | 'discard') => {
    approve.disabled = true;
    discard.disabled = true;
    show(answer, status(decision === 'approve' ? 'Approving…' : 'Discarding…'));
    const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
    post<ReconciliationPlan>(`/v1/reconciliations/${encodeURIComponent(plan.planId)}/${decision}`, body).then(
      () => reload(),
      (error: unknown) => {
        approve.disabled = false;
        discard.disabled = false;
        show(answer, status(failureText(error), 'error'));
      },
    );
  };
  approve.addEventListener('click', () => decide('approve'));
  discard.addEventListener('click', () => decide('discard'));
  return h(
    'form',
    { class: 'card', 'aria-label': 'Decide this plan' },
    h('h2', {}, 'Decide'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'plan-reason' }, 'Reason (goes to the audit trail)'),
      reason,
    ),
    h('div', { class: 'controls' }, approve, discard),
    answer,
  );
}

function entriesSection(
  page: ReconciliationPlanPage,
  route: Route,
  situation: Situation | undefined,
): HTMLElement {
  const select = h(
    'select',
    { id: 'plan-situation' },
    h('option', { value: '' }, 'All situations'),
    situations.map((name) => h('option', { value: name, selected: name === situation }, name)),
  );
  const filter = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter entries' },
    h('div', {}, h('label', { for: 'plan-situation' }, 'Situation'), select),
    h('button', { type: 'submit' }, 'Filter'),
  );
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = hrefWith(page.planId, { situation: select.value || undefined });
  });
  const trail = (route.params.get('trail') ?? '').split(TRAIL_SEPARATOR).filter(Boolean);
  const afterSeq = route.params.get('afterSeq') ?? '';
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of entries' },
    afterSeq
      ? h(
          'a',
          {
            href: hrefWith(page.planId, {
              situation,
              limit: route.params.get('limit') ?? undefined,
              afterSeq: trail.at(-1) === '0' ? undefined : trail.at(-1),
              trail: trail.slice(0, -1).join(TRAIL_SEPARATOR) || undefined,
            }),
          },
          '← Previous',
        )
      : '',
    h('span', {}, `Page ${trail.length + 1}`),
    page.nextAfterSeq !== undefined
      ? h(
          'a',
          {
            href: hrefWith(page.planId, {
              situation,
              limit: route.params.get('limit') ?? undefined,
              afterSeq: String(page.nextAfterSeq),
              trail: [...trail, afterSeq || '0'].join(TRAIL_SEPARATOR),
            }),
          },
          'Next →',
        )
      : '',
  );
  const table = h(
    'table',
    {},
    h('caption', {}, situation ? `Entries: ${situation}` : 'Entries'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['externalID', 'Situation', 'Action', 'Why'].map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      page.entries.map((entry) =>
        h(
          'tr',
          {},
          h('td', {}, entry.externalID ?? `no externalID (account ${entry.staffbaseId ?? '?'})`),
          h('td', {}, entry.situation),
          h('td', {}, entry.action),
          h('td', {}, entry.reason),
        ),
      ),
    ),
  );
  return h(
    'section',
    { 'aria-labelledby': 'plan-entries' },
    h('h2', { id: 'plan-entries' }, 'Entries'),
    filter,
    page.entries.length === 0
      ? status('No entries in this situation.')
      : [h('div', { class: 'table-scroll' }, table), pager],
  );
}

function planFacts(plan: ReconciliationPlan): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'Status'),
    h('dd', { id: 'plan-status' }, statusLabels[plan.status]),
    h('dt', {}, 'Requested'),
    h('dd', {}, when(plan.createdAt)),
    h('dt', {}, 'Accounts missing from the snapshot'),
    h('dd', {}, plan.absent === 'leaver' ? 'offboarded' : 'only reported'),
    h('dt', {}, 'Safety'),
    h(
      'dd',
      {},
      plan.safetyReasons.length > 0
        ? h(
            'ul',
            {},
            plan.safetyReasons.map((reason) => h('li', {}, reason)),
          )
        : plan.status === 'planning'
          ? 'not checked yet'
          : 'passed',
    ),
    plan.decision
      ? [
          h('dt', {}, plan.status === 'discarded' ? 'Discarded by' : 'Approved by'),
          h(
            'dd',
            {},
            [plan.decision.by.kind, plan.decision.by.user].filter(Boolean).join(' · '),
            plan.decision.reason ? ` — ${plan.decision.reason}` : '',
            ' (',
            when(plan.decision.at),
            ')',
          ),
        ]
      : null,
    plan.appliedAt ? [h('dt', {}, 'Applied'), h('dd', {}, when(plan.appliedAt))] : null,
  );
}

export async function renderReconcilePlan(main: HTMLElement, route: Route): Promise<void> {
  const planId = decodeURIComponent(route.path.slice('/reconcile/'.length));
  const requested = route.params.get('situation');
  const situation = isSituation(requested) ? requested : undefined;
  const afterSeq = route.params.get('afterSeq');
  const body = loadingRegion('Loading the plan…');
  show(main, pageTitle(`Plan ${planId}`), h('p', {}, h('a', { href: '#/reconcile' }, '← All plans')), body);
  const hash = location.hash;
  const load = async (): Promise<void> => {
    const query = new URLSearchParams({ limit: String(pageSize(route)) });
    if (situation) query.set('situation', situation);
    if (afterSeq && /^\d+$/.test(afterSeq)) query.set('afterSeq', afterSeq);
    let page: ReconciliationPlanPage;
    try {
      page = await get<ReconciliationPlanPage>(
        `/v1/reconciliations/${encodeURIComponent(planId)}?${query.toString()}`,
      );
    } catch (error) {
      show(body, status(failureText(error), 'error'));
      return;
    }
    // The person moved on to another page meanwhile: draw nothing and stop looking.
    if (!main.isConnected || location.hash !== hash) return;
    const moving = movingStatuses.includes(page.status);
    show(
      body,
      status(
        moving
          ? `${statusLabels[page.status]}… this page updates by itself.`
          : `Plan ${statusLabels[page.status].toLowerCase()}.`,
        page.status === 'held-for-approval' ? 'error' : page.status === 'applied' ? 'ok' : 'info',
      ),
      planFacts(page),
      decisionForm(page, () => void load()),
      page.status === 'planning' ? null : countsSection(page),
      page.status === 'planning' ? null : entriesSection(page, route, situation),
    );
    if (moving) setTimeout(() => void load(), REFRESH_MS);
  };
  await load();
}
