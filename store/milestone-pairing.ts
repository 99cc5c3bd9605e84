/**
 * What the reports (issue 32, docs/reports.md) pair milestones by, kept on the milestone rows at write
 * time so each report counts with one GROUP BY instead of reading every row into the process:
 * an invitation's ending, an activation's time since its invitation and the reminders between, a wait's
 * length, the start of a deactivation's run, and whether a deletion's run was held. Worked out per
 * person from all their rows, so writes arriving out of order or retried still give the same pairs.
 */
import type { Transaction } from 'kysely' with { 'resolution-mode': 'import' };
import { type StoreDb } from './connection';
import { type StoreDatabase } from './tables';

/** The columns added by migration 0011 (null: nothing to pair, or not this kind's column). */
export interface MilestonePairing {
  /** `invited`: the first onboarding result after it, before the person's next invitation. */
  ending_kind: string | null;
  ending_after_ms: number | null;
  /** `activated`: since the person's latest invitation before it (null: none, or already activated). */
  since_invitation_ms: number | null;
  reminders: number | null;
  /** `needs-attention`: until the run's first `resolved` after it (null: still waiting). */
  wait_ms: number | null;
  /** `deactivated`: the run's `started` milestone. */
  run_started_at: string | null;
  /** `deleted`: 1 when the run has a `held` milestone. */
  after_hold: number | null;
}

export interface PairingInput {
  run_id: string;
  kind: string;
  at: string;
}

/** The results that end an onboarding's invitation (`cancelled` only of the invitation's own run). */
export const ONBOARDING_ENDINGS = ['activated', 'expired', 'rehire-refused', 'account-deleted-elsewhere'];

/** The kinds whose arrival can change a pairing: writes of other kinds skip the refresh. */
export const PAIRED_KINDS = new Set([
  'invited',
  'reminder',
  'cancelled',
  ...ONBOARDING_ENDINGS,
  'needs-attention',
  'resolved',
  'started',
  'deactivated',
  'held',
  'deleted',
]);

const unpaired = (): MilestonePairing => ({
  ending_kind: null,
  ending_after_ms: null,
  since_invitation_ms: null,
  reminders: null,
  wait_ms: null,
  run_started_at: null,
  after_hold: null,
});

export const rowKey = (row: PairingInput) => `${row.run_id}\u0000${row.kind}\u0000${row.at}`;

/** One person's rows (any order) → each row's pairing, by `rowKey`. */
export function pairMilestones(rows: readonly PairingInput[]): Map<string, MilestonePairing> {
  // Oldest first; equal times keep their given order.
  const list = rows
    .map((row, index) => ({ row, index, ms: Date.parse(row.at) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index);
  const pairs = new Map<string, MilestonePairing>(list.map(({ row }) => [rowKey(row), unpaired()]));
  const pairOf = (row: PairingInput) => pairs.get(rowKey(row)) ?? unpaired();

  // Invitations and their endings, by person (an onboarding continued as new has a new run id).
  const onboarding = list.filter(
    ({ row }) => row.kind === 'invited' || row.kind === 'cancelled' || ONBOARDING_ENDINGS.includes(row.kind),
  );
  onboarding.forEach(({ row, ms }, index) => {
    if (row.kind !== 'invited') return;
    for (const later of onboarding.slice(index + 1)) {
      if (later.row.kind === 'invited') break;
      const ends =
        ONBOARDING_ENDINGS.includes(later.row.kind) ||
        (later.row.kind === 'cancelled' && later.row.run_id === row.run_id);
      if (ends) {
        Object.assign(pairOf(row), { ending_kind: later.row.kind, ending_after_ms: later.ms - ms });
        break;
      }
    }
  });

  // Activations: the latest invitation before, the reminders between; an invitation pairs once.
  let invitedMs: number | undefined;
  let reminders = 0;
  for (const { row, ms } of list) {
    if (row.kind === 'invited') {
      invitedMs = ms;
      reminders = 0;
    } else if (row.kind === 'reminder') reminders += 1;
    else if (row.kind === 'activated' && invitedMs !== undefined) {
      Object.assign(pairOf(row), { since_invitation_ms: ms - invitedMs, reminders });
      invitedMs = undefined;
    }
  }

  // By run: waits and their resolution, a deactivation's start, a deletion's hold.
  const byRun = new Map<string, typeof list>();
  for (const entry of list) {
    const runRows = byRun.get(entry.row.run_id);
    if (runRows) runRows.push(entry);
    else byRun.set(entry.row.run_id, [entry]);
  }
  for (const runRows of byRun.values()) {
    const started = runRows.filter(({ row }) => row.kind === 'started').at(-1);
    const held = runRows.some(({ row }) => row.kind === 'held');
    runRows.forEach(({ row, ms }, index) => {
      if (row.kind === 'needs-attention') {
        const resolved = runRows.slice(index + 1).find((later) => later.row.kind === 'resolved');
        if (resolved) pairOf(row).wait_ms = resolved.ms - ms;
      } else if (row.kind === 'deactivated' && started) pairOf(row).run_started_at = started.row.at;
      else if (row.kind === 'deleted') pairOf(row).after_hold = held ? 1 : 0;
    });
  }
  return pairs;
}

const PAIRING_COLUMNS = [
  'ending_kind',
  'ending_after_ms',
  'since_invitation_ms',
  'reminders',
  'wait_ms',
  'run_started_at',
  'after_hold',
] as const;

/** PostgreSQL answers bigint columns as text: the same numbers from both databases. */
const stored = (value: string | number | bigint | null): string | number | null =>
  value === null ? null : typeof value === 'string' && !/^-?\d+$/.test(value) ? value : Number(value);

/**
 * Works out the person's pairings again and writes the rows whose pairing changed. Run it in the
 * transaction that inserted the person's new milestone, after taking the person's lock (PostgreSQL).
 */
export async function refreshPairings(
  db: StoreDb | Transaction<StoreDatabase>,
  externalIDs: readonly string[],
): Promise<number> {
  if (externalIDs.length === 0) return 0;
  const rows = await db
    .selectFrom('milestone')
    .select(['external_id', 'run_id', 'kind', 'at', ...PAIRING_COLUMNS])
    .where('external_id', 'in', [...externalIDs])
    .execute();
  const byPerson = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byPerson.get(row.external_id);
    if (list) list.push(row);
    else byPerson.set(row.external_id, [row]);
  }
  let changed = 0;
  for (const list of byPerson.values()) {
    const pairs = pairMilestones(list);
    for (const row of list) {
      const pair = pairs.get(rowKey(row));
      if (!pair || PAIRING_COLUMNS.every((column) => stored(row[column]) === pair[column])) continue;
      await db
        .updateTable('milestone')
        .set(pair)
        .where('run_id', '=', row.run_id)
        .where('kind', '=', row.kind)
        .where('at', '=', row.at)
        .execute();
      changed += 1;
    }
  }
  return changed;
}
