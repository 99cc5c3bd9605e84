/**
 * Bulk runs (support key only; the HR key never sees this page): start a population logout or a
 * clean-up — as a dry run first by default — follow every recent one with its progress, and confirm
 * or cancel a run paused above its safety threshold.
 */
import { get, post, segment } from '../api';
import { h, loadingRegion, pageTitle, show, status, when } from '../dom';
import { isAdmin } from '../session';
import { type BulkRunList, type BulkState } from '../types';
import { type ActionField, type ActionSpec, actionForm, failureText } from './action-form';

const POLL_MS = 2_000;

function progressOf(state: BulkState): HTMLElement {
  const p = state.progress;
  if (!p) {
    const o = state.outcome;
    return h(
      'span',
      {},
      o
        ? `${o.result}${o.total !== undefined ? ` · ${o.done ?? 0} of ${o.total}` : ''}`
        : (state.failure ?? state.runStatus.toLowerCase()),
    );
  }
  const total = p.total ?? 0;
  return h(
    'span',
    {},
    h('progress', {
      max: Math.max(total, 1),
      value: p.done + p.failed + p.skipped,
      'aria-label': `Progress of ${state.workflowId}`,
    }),
    ` ${p.phase.replace(/-/g, ' ')} · ${p.done} done, ${p.failed} failed, ${p.skipped} skipped of ${p.total ?? '?'}${p.dryRun ? ' (dry run)' : ''}`,
  );
}

function controls(state: BulkState, reload: () => void): HTMLElement | string {
  if (state.runStatus !== 'RUNNING') return '';
  const answer = h('span', { 'aria-live': 'polite' });
  const act = (action: 'confirm' | 'cancel') => () => {
    post(`/v1/bulk/${segment(state.workflowId)}/${action}`, {}).then(
      () => {
        show(
          answer,
          status(action === 'confirm' ? 'Confirmed: the run goes on.' : 'Cancelled: the run stops.', 'ok'),
        );
        setTimeout(reload, POLL_MS);
      },
      (error: unknown) => show(answer, status(failureText(error), 'error')),
    );
  };
  const awaiting = state.progress?.phase === 'awaiting-confirmation';
  return h(
    'span',
    { class: 'controls' },
    awaiting
      ? h('button', { type: 'button', onclick: act('confirm') }, `Confirm ${state.progress?.total ?? ''}`)
      : '',
    h('button', { type: 'button', class: 'danger', onclick: act('cancel') }, 'Cancel run'),
    answer,
  );
}

/** The fields both bulk starts ask for after their own: dry run, confirmation threshold, reason. */
const runFields = (what: string, changes: string): ActionField[] => [
  { name: 'dryRun', label: `Dry run: count and sample, ${changes} nothing`, type: 'checkbox' },
  {
    name: 'confirmAbove',
    label: `Wait for a confirmation above this many users (${what})`,
    type: 'number',
    help: "Optional: lower than the service's own threshold only.",
  },
  { name: 'reason', label: 'Reason (case number)' },
];

/** Starts a bulk run with the common fields added to its own; answers with its status and ID. */
async function startRun(path: string, own: Record<string, unknown>, values: Record<string, string>) {
  const answer = await post<{ workflowId: string; status: string }>(path, {
    ...own,
    dryRun: values.dryRun !== 'no',
    ...(values.confirmAbove && { confirmAbove: Number(values.confirmAbove) }),
    ...(values.reason && { reason: values.reason }),
  });
  return `${answer.body.status}: ${answer.body.workflowId}`;
}

const startForms: ActionSpec[] = [
  {
    id: 'logout',
    title: 'Log out a population',
    button: 'Start',
    fields: [
      {
        name: 'filter',
        label: 'User API filter',
        help: 'e.g. staffbase.creationType eq "sso"; or leave empty and give a group',
      },
      { name: 'groupId', label: 'or group ID' },
      ...runFields('logout', 'change'),
    ],
    run: (values) =>
      startRun(
        '/v1/bulk/logouts',
        {
          ...(values.filter && { filter: values.filter }),
          ...(values.groupId && { groupId: values.groupId }),
        },
        values,
      ),
  },
  {
    id: 'cleanup',
    title: 'Clean up pending accounts',
    button: 'Start',
    fields: [
      {
        name: 'olderThanDays',
        label: 'Invited more than this many days ago',
        type: 'number',
        required: true,
      },
      ...runFields('clean-up', 'delete'),
    ],
    run: (values) =>
      startRun(
        '/v1/bulk/cleanups',
        { kind: 'pending-accounts', olderThanDays: Number(values.olderThanDays) },
        values,
      ),
  },
];

export async function renderBulk(main: HTMLElement): Promise<void> {
  if (!isAdmin()) {
    show(main, pageTitle('Bulk runs'), status('Bulk runs need the support key.', 'error'));
    return;
  }
  const list = loadingRegion();
  show(
    main,
    pageTitle('Bulk runs'),
    h(
      'div',
      { class: 'runs' },
      // A started run shows up in the list below at once.
      startForms.map((spec) =>
        h(
          'section',
          { class: 'card' },
          actionForm({ ...spec, run: (values) => spec.run(values).finally(() => void load()) }),
        ),
      ),
    ),
    h('h2', {}, 'Recent runs'),
    list,
  );
  let timer: number | undefined;
  const load = async (): Promise<void> => {
    window.clearTimeout(timer);
    if (!main.isConnected) return; // the user went to another page
    try {
      const { runs } = await get<BulkRunList>('/v1/bulk?limit=50');
      const states = await Promise.all(
        runs.map((run) => get<BulkState>(`/v1/bulk/${segment(run.workflowId)}`)),
      );
      show(
        list,
        states.length === 0
          ? status('No bulk runs yet.')
          : h(
              'table',
              {},
              h('caption', {}, 'Population logouts and clean-ups, newest first'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Run', 'Started', 'Progress or outcome', 'Actions'].map((t) =>
                    h('th', { scope: 'col' }, t),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                states.map((state) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, state.workflowId),
                    h('td', {}, when(state.startTime)),
                    h('td', {}, progressOf(state)),
                    h(
                      'td',
                      {},
                      controls(state, () => void load()),
                    ),
                  ),
                ),
              ),
            ),
      );
      if (states.some((state) => state.runStatus === 'RUNNING'))
        timer = window.setTimeout(() => void load(), POLL_MS);
    } catch (error) {
      show(list, status(failureText(error), 'error'));
    }
  };
  await load();
}
