/**
 * People: everyone in the service's person index, from `GET /v1/people` — search by externalID, name or
 * email (case and accents ignored), filters by lifecycle, stage and start or leaving date, the exact
 * total and the counts by stage over everyone, 25 per page at any number of people. Pages go forward by
 * the API's cursor; the cursors of the pages before ride along in the URL, so "Previous", a bookmark and
 * the back button all work. Each row links to the person's page (their live state, from Temporal).
 */
import { get } from '../api';
import { h, loadingRegion, pageTitle, show, status, when } from '../dom';
import { mainStages, stageLabel } from '../labels';
import { type Route } from '../main';
import { type PeoplePage, type PersonSummary } from '../types';

const PAGE_SIZE = 25;
/** Separates the earlier pages' cursors in the URL (cursors are base64url: never a dot). */
const TRAIL_SEPARATOR = '.';
const FILTERS = ['q', 'lifecycle', 'stage', 'from', 'to'] as const;

const number = (value: number): string => value.toLocaleString('en');

/** The hash of the people page with these changes; a new filter starts again at page 1. */
function withParams(route: Route, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams(route.params);
  for (const [name, value] of Object.entries(changes)) {
    if (value) params.set(name, value);
    else params.delete(name);
  }
  if (!('cursor' in changes)) {
    params.delete('cursor');
    params.delete('trail');
  }
  const query = params.toString();
  return `#/people${query ? `?${query}` : ''}`;
}

/** The API's query for this page of the filter in the URL. */
function peoplePath(route: Route, cursor: string): string {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), counts: 'true' });
  for (const name of FILTERS) {
    const value = route.params.get(name);
    if (value) query.set(name, value);
  }
  if (cursor) query.set('cursor', cursor);
  return `/v1/people?${query.toString()}`;
}

/** Counts over everyone, by lifecycle then stage; each a link that filters by it (again: unfilters). */
function countList(route: Route, counts: PeoplePage['counts']): HTMLElement {
  const lifecycle = route.params.get('lifecycle') ?? '';
  const stage = route.params.get('stage') ?? '';
  const items = Object.entries(counts ?? {})
    .sort(([a], [b]) => (a === 'onboarding' ? -1 : b === 'onboarding' ? 1 : a.localeCompare(b)))
    .flatMap(([name, stages]) =>
      Object.entries(stages)
        .sort(([a], [b]) => stageOrder(a) - stageOrder(b) || a.localeCompare(b))
        .map(([stageName, count]) => {
          const current = lifecycle === name && stage === stageName;
          return h(
            'li',
            {},
            h(
              'a',
              {
                href: withParams(route, {
                  lifecycle: current ? undefined : name,
                  stage: current ? undefined : stageName,
                }),
                'aria-current': current ? 'true' : undefined,
              },
              h('span', { class: 'count' }, number(count)),
              ' ',
              `${name === 'onboarding' ? 'Onboarding' : name === 'offboarding' ? 'Offboarding' : name}: `,
              stageLabel(stageName),
            ),
          );
        }),
    );
  return h('ul', { class: 'counts', 'aria-label': 'People per lifecycle and stage' }, items);
}

/** The stages HR filters by most first, in their usual order. */
function stageOrder(stage: string): number {
  const index = mainStages.indexOf(stage);
  return index === -1 ? mainStages.length : index;
}

function filterForm(route: Route, counts: PeoplePage['counts']): HTMLFormElement {
  const value = (name: string) => route.params.get(name) ?? '';
  const search = h('input', {
    id: 'search',
    type: 'search',
    value: value('q'),
    placeholder: 'e.g. emp-42, Lovelace or ada@',
  });
  const lifecycleSelect = h(
    'select',
    { id: 'lifecycle' },
    h('option', { value: '' }, 'Both'),
    h('option', { value: 'onboarding', selected: value('lifecycle') === 'onboarding' }, 'Onboarding'),
    h('option', { value: 'offboarding', selected: value('lifecycle') === 'offboarding' }, 'Offboarding'),
  );
  const stages = new Set([...mainStages, ...Object.values(counts ?? {}).flatMap(Object.keys)]);
  if (value('stage')) stages.add(value('stage'));
  const stageSelect = h(
    'select',
    { id: 'stage' },
    h('option', { value: '' }, 'Any stage'),
    [...stages]
      .sort((a, b) => stageOrder(a) - stageOrder(b) || a.localeCompare(b))
      .map((name) => h('option', { value: name, selected: name === value('stage') }, stageLabel(name))),
  );
  const fromInput = h('input', { id: 'from', type: 'date', value: value('from') });
  const toInput = h('input', { id: 'to', type: 'date', value: value('to') });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Find people' },
    h('div', {}, h('label', { for: 'search' }, 'Search externalID, name or email'), search),
    h('div', {}, h('label', { for: 'lifecycle' }, 'Lifecycle'), lifecycleSelect),
    h('div', {}, h('label', { for: 'stage' }, 'Stage'), stageSelect),
    h('div', {}, h('label', { for: 'from' }, 'Start or leaving date from'), fromInput),
    h('div', {}, h('label', { for: 'to' }, 'to'), toInput),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = withParams(route, {
      q: search.value.trim() || undefined,
      lifecycle: lifecycleSelect.value || undefined,
      stage: stageSelect.value || undefined,
      from: fromInput.value || undefined,
      to: toInput.value || undefined,
    });
  });
  return form;
}

function personRow(person: PersonSummary): HTMLElement {
  const day = person.lifecycle === 'offboarding' ? person.lastWorkingDay : person.startDate;
  return h(
    'tr',
    {},
    h('td', {}, h('a', { href: `#/person/${encodeURIComponent(person.externalID)}` }, person.externalID)),
    h('td', {}, person.name ?? '—'),
    h('td', {}, person.email ?? '—'),
    h('td', {}, person.lifecycle),
    h('td', {}, h('span', { class: `stage stage-${person.stage}` }, stageLabel(person.stage))),
    h('td', {}, day ?? '—'),
    h('td', {}, person.attentionCode ?? person.outcome ?? '—'),
    h('td', {}, when(person.updatedAt)),
  );
}

export async function renderPeople(main: HTMLElement, route: Route): Promise<void> {
  const cursor = route.params.get('cursor') ?? '';
  // The cursors of the pages before this one ('' is the first page).
  const trail = cursor ? (route.params.get('trail') ?? '').split(TRAIL_SEPARATOR) : [];
  const pageNumber = trail.length + 1;

  const results = loadingRegion('Loading people…');
  show(main, pageTitle('People'), results);

  let answer: PeoplePage;
  try {
    answer = await get<PeoplePage>(peoplePath(route, cursor));
  } catch (error) {
    show(
      results,
      filterForm(route, {}),
      status(error instanceof Error ? error.message : String(error), 'error'),
    );
    return;
  }
  const { people, total, nextCursor } = answer;
  const first = (pageNumber - 1) * PAGE_SIZE + 1;
  const caption =
    total === 0
      ? 'No people'
      : `${number(first)}–${number(first + people.length - 1)} of ${number(total)} ${total === 1 ? 'person' : 'people'}`;

  const table = h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'externalID',
          'Name',
          'Email',
          'Lifecycle',
          'Stage',
          'Start or leaving date',
          'Attention or outcome',
          'Updated',
        ].map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h('tbody', {}, people.map(personRow)),
  );

  const previousCursor = trail.at(-1);
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of people' },
    previousCursor === undefined
      ? ''
      : h(
          'a',
          {
            href: withParams(route, {
              cursor: previousCursor || undefined,
              trail: trail.slice(0, -1).join(TRAIL_SEPARATOR) || undefined,
            }),
          },
          '← Previous',
        ),
    h('span', {}, `Page ${number(pageNumber)} of ${number(Math.max(1, Math.ceil(total / PAGE_SIZE)))}`),
    nextCursor
      ? h(
          'a',
          {
            href: withParams(route, {
              cursor: nextCursor,
              trail: [...trail, cursor].join(TRAIL_SEPARATOR) || undefined,
            }),
          },
          'Next →',
        )
      : '',
  );

  show(
    results,
    h('p', { class: 'total' }, `${number(total)} ${total === 1 ? 'person matches' : 'people match'}`),
    countList(route, answer.counts),
    filterForm(route, answer.counts),
    people.length === 0 ? status('No people match these filters.') : [table, pager],
  );
}
