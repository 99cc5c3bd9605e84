/**
 * Needs attention: the runs parked in stage `needs-attention` (a refusal a person can fix, issue
 * #14), from `GET /v1/runs?stage=needs-attention`. Until the workflows park runs there the queue is
 * empty, and the page says so rather than pretending; correcting a run inline needs #14's
 * correction route, which does not exist yet.
 */
import { get } from '../api';
import { h, show, status, when } from '../dom';
import { type RunList } from '../types';

export async function renderAttention(main: HTMLElement): Promise<void> {
  const body = h('div', { 'aria-live': 'polite' }, status('Loading…'));
  show(
    main,
    h('h1', { tabindex: '-1' }, 'Needs attention'),
    h(
      'p',
      { class: 'help' },
      'Runs that stopped on something a person can fix wait here with their reason. ' +
        'This version of the service does not park runs yet (issue #14): the queue shows them once it does; ' +
        'until then a run that fails shows its reason on its person page.',
    ),
    body,
  );
  try {
    const list = await get<RunList>('/v1/runs?stage=needs-attention&limit=1000');
    show(
      body,
      list.runs.length === 0
        ? status('Nothing needs attention.')
        : h(
            'table',
            {},
            h('caption', {}, `${list.count} runs need attention`),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['externalID', 'Lifecycle', 'Since'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              list.runs.map((run) =>
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
                  h('td', {}, run.lifecycle),
                  h('td', {}, when(run.startTime)),
                ),
              ),
            ),
          ),
    );
  } catch (error) {
    show(body, status(error instanceof Error ? error.message : String(error), 'error'));
  }
}
