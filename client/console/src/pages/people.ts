/**
 * People: every run from `GET /v1/runs` (up to 1000, newest first), searchable by externalID or
 * name (the API matches names: only it can decrypt them), filtered by lifecycle, stage and start/leaving date, 25 per page, with counts per stage at the top. Filters live in the
 * URL, so a filtered list can be bookmarked and the back button restores it.
 */
import { get, segment } from '../api';
import { h, loadingRegion, pageTitle, show, status, when } from '../dom';
import { mainStages, nextActionLabels, stageLabel } from '../labels';
import { type Route } from '../main';
import { type PersonState, type RunList, type RunSummary } from '../types';

const PAGE_SIZE = 25;
const FETCH_LIMIT = 1000;
/** A date filter reads each run's person state: at most this many (narrow by stage or search first). */
const DATE_FILTER_LIMIT = 300;

function withParams(route: Route, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams(route.params);
  for (const [name, value] of Object.entries(changes)) {
    if (value) params.set(name, value);
    else params.delete(name);
  }
  if (!('page' in changes)) params.delete('page');
  const query = params.toString();
  return `#/people${query ? `?${query}` : ''}`;
}

/**
 * The list route knows stage and status only; what happens next and how a run ended come from each
 * person's state, fetched for the rows on screen only (at most a page), after the table is shown.
 */
/** Each person's state at most once per page view (the details columns and the date filter share it). */
function personLoader(): (externalID: string) => Promise<PersonState> {
  const people = new Map<string, Promise<PersonState>>();
  return (externalID) => {
    let person = people.get(externalID);
    if (!person) {
      person = get<PersonState>(`/v1/people/${segment(externalID)}`);
      people.set(externalID, person);
    }
    return person;
  };
}

function personDetails(
  load: (externalID: string) => Promise<PersonState>,
): (run: RunSummary, column: 'name' | 'next' | 'outcome') => HTMLElement {
  return (run, column) => {
    const cell = h('td', {}, '…');
    if (!run.externalID) return h('td', {}, '—');
    const person = load(run.externalID);
    person.then(
      (state) => {
        const ownRun = run.lifecycle === 'offboarding' ? state.offboarding : state.onboarding;
        if (column === 'name') {
          show(cell, state.name ?? '—');
          return;
        }
        if (column === 'outcome') {
          show(cell, ownRun?.outcome?.result ?? (ownRun?.failure ? 'failed' : '—'));
          return;
        }
        const status = ownRun?.status;
        const next =
          status && 'nextAction' in status && status.nextAction
            ? [
                nextActionLabels[status.nextAction.kind] ?? status.nextAction.kind,
                ' ',
                when(status.nextAction.at),
              ]
            : status && 'deleteAt' in status && status.deleteAt
              ? ['Deletes ', when(status.deleteAt)]
              : status && 'effectiveAt' in status && status.effectiveAt && !status.deactivatedAt
                ? ['Logs out and deactivates ', when(status.effectiveAt)]
                : ['—'];
        show(cell, ...next);
      },
      () => show(cell, '?'),
    );
    return cell;
  };
}

/** The day a run is about: the start date of an onboarding, the leaving day of an offboarding. */
function runDay(run: RunSummary, state: PersonState): string | undefined {
  if (run.lifecycle === 'onboarding') return state.onboarding?.status?.startDate;
  return state.offboarding?.status?.effectiveAt?.slice(0, 10);
}

/** The date filter needs each run's own dates, which only the person's state has: read them, 8 at a time. */
async function withinDates(
  runs: RunSummary[],
  load: (externalID: string) => Promise<PersonState>,
  from: string,
  to: string,
): Promise<RunSummary[]> {
  const days: (string | undefined)[] = [];
  for (let i = 0; i < runs.length; i += 8) {
    days.push(
      ...(await Promise.all(
        runs.slice(i, i + 8).map((run) =>
          run.externalID
            ? load(run.externalID).then(
                (state) => runDay(run, state),
                () => undefined,
              )
            : Promise.resolve(undefined),
        ),
      )),
    );
  }
  return runs.filter((_run, i) => {
    const day = days[i];
    return day !== undefined && (!from || day >= from) && (!to || day <= to);
  });
}

function countsByStage(runs: RunSummary[]): Map<string, number> {
  const counts = new Map<string, number>(mainStages.map((stage) => [stage, 0]));
  for (const run of runs) {
    const stage = run.runStatus === 'RUNNING' ? (run.stage ?? 'unknown') : 'completed';
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
  }
  return counts;
}

export async function renderPeople(main: HTMLElement, route: Route): Promise<void> {
  const q = route.params.get('q') ?? '';
  const stage = route.params.get('stage') ?? '';
  const lifecycle = route.params.get('lifecycle') ?? '';
  const closed = route.params.get('closed') === 'true';
  const from = route.params.get('from') ?? '';
  const to = route.params.get('to') ?? '';
  const page = Math.max(1, Number(route.params.get('page') ?? '1') || 1);

  const results = loadingRegion('Loading runs…');
  show(main, pageTitle('People'), results);

  // Counts cover every run; with a search, the rows come from the API's search, which matches
  // names too (they are encrypted in Temporal, so only the API can read them).
  const listPath = `/v1/runs?limit=${FETCH_LIMIT}${closed ? '&open=false' : ''}`;
  let list: RunList;
  let found: RunList | undefined;
  try {
    [list, found] = await Promise.all([
      get<RunList>(listPath),
      q ? get<RunList>(`${listPath}&q=${encodeURIComponent(q)}`) : undefined,
    ]);
  } catch (error) {
    show(results, status(error instanceof Error ? error.message : String(error), 'error'));
    return;
  }

  const counts = countsByStage(list.runs);
  const countList = h(
    'ul',
    { class: 'counts', 'aria-label': 'Runs per stage' },
    [...counts].map(([name, count]) =>
      h(
        'li',
        {},
        h(
          'a',
          {
            href: withParams(route, { stage: stage === name ? undefined : name }),
            'aria-current': stage === name ? 'true' : undefined,
          },
          h('span', { class: 'count' }, count),
          ' ',
          stageLabel(name),
        ),
      ),
    ),
  );

  const search = h('input', {
    id: 'search',
    type: 'search',
    value: q,
    placeholder: 'e.g. emp-42 or Lovelace',
  });
  const lifecycleSelect = h(
    'select',
    { id: 'lifecycle' },
    h('option', { value: '' }, 'Both'),
    h('option', { value: 'onboarding', selected: lifecycle === 'onboarding' }, 'Onboarding'),
    h('option', { value: 'offboarding', selected: lifecycle === 'offboarding' }, 'Offboarding'),
  );
  const stageSelect = h(
    'select',
    { id: 'stage' },
    h('option', { value: '' }, 'Any stage'),
    [...counts.keys()].map((name) =>
      h('option', { value: name, selected: name === stage }, stageLabel(name)),
    ),
  );
  const closedBox = h('input', { id: 'closed', type: 'checkbox', checked: closed });
  const fromInput = h('input', { id: 'from', type: 'date', value: from });
  const toInput = h('input', { id: 'to', type: 'date', value: to });
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter runs' },
    h('div', {}, h('label', { for: 'search' }, 'Search externalID or name'), search),
    h('div', {}, h('label', { for: 'lifecycle' }, 'Lifecycle'), lifecycleSelect),
    h('div', {}, h('label', { for: 'stage' }, 'Stage'), stageSelect),
    h('div', {}, h('label', { for: 'from' }, 'Start or leaving date from'), fromInput),
    h('div', {}, h('label', { for: 'to' }, 'to'), toInput),
    h('div', { class: 'check' }, closedBox, h('label', { for: 'closed' }, 'Include finished runs')),
    h('button', { type: 'submit' }, 'Apply'),
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = withParams(route, {
      q: search.value.trim() || undefined,
      lifecycle: lifecycleSelect.value || undefined,
      stage: stageSelect.value || undefined,
      closed: closedBox.checked ? 'true' : undefined,
      from: fromInput.value || undefined,
      to: toInput.value || undefined,
    });
  });

  const load = personLoader();
  const filtered = (found ?? list).runs.filter(
    (run) =>
      (!lifecycle || run.lifecycle === lifecycle) &&
      (!stage || (run.runStatus === 'RUNNING' ? run.stage === stage : stage === 'completed')),
  );
  const dated = from || to ? filtered.slice(0, DATE_FILTER_LIMIT) : filtered;
  if (dated !== filtered) show(results, status(`Reading the dates of ${dated.length} runs…`));
  const matching = from || to ? await withinDates(dated, load, from, to) : filtered;
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const shown = matching.slice((Math.min(page, pages) - 1) * PAGE_SIZE, Math.min(page, pages) * PAGE_SIZE);
  const details = personDetails(load);
  const first = matching.length === 0 ? 0 : (Math.min(page, pages) - 1) * PAGE_SIZE + 1;

  const table = h(
    'table',
    {},
    h('caption', {}, `${first}–${first + shown.length - (shown.length ? 1 : 0)} of ${matching.length} runs`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['externalID', 'Name', 'Lifecycle', 'Stage', 'Run', 'Started', 'Next', 'Outcome'].map((title) =>
          h('th', { scope: 'col' }, title),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      shown.map((run) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            run.externalID
              ? h('a', { href: `#/person/${encodeURIComponent(run.externalID)}` }, run.externalID)
              : run.workflowId,
          ),
          details(run, 'name'),
          h('td', {}, run.lifecycle),
          h('td', {}, h('span', { class: `stage stage-${run.stage ?? 'none'}` }, stageLabel(run.stage))),
          h('td', {}, run.runStatus.toLowerCase()),
          h('td', {}, when(run.startTime)),
          details(run, 'next'),
          details(run, 'outcome'),
        ),
      ),
    ),
  );

  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of runs' },
    page > 1 ? h('a', { href: withParams(route, { page: String(page - 1) }) }, '← Previous') : '',
    h('span', {}, `Page ${Math.min(page, pages)} of ${pages}`),
    page < pages ? h('a', { href: withParams(route, { page: String(page + 1) }) }, 'Next →') : '',
  );

  show(
    results,
    countList,
    list.runs.length >= FETCH_LIMIT
      ? h('p', { class: 'help' }, `Counts and search cover the newest ${FETCH_LIMIT} runs.`)
      : '',
    (from || to) && filtered.length > DATE_FILTER_LIMIT
      ? h(
          'p',
          { class: 'help' },
          `The date filter read the first ${DATE_FILTER_LIMIT} of ${filtered.length} runs; narrow by stage or search.`,
        )
      : '',
    filters,
    matching.length === 0 ? status('No runs match these filters.') : [table, pager],
  );
}
