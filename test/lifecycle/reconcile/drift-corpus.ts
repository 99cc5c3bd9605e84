/**
 * A seeded drift corpus for the reconciliation classifier: builders that each seed one person (or one
 * account) in a known situation — every situation, and every precedence conflict of issue 30 — with the
 * snapshot rows, directory accounts and open runs that make it so. The truth travels with the seed.
 */
import type { ReconcileAccount } from '../../../lifecycle/reconcile/accounts';
import type { OpenRun, RunLifecycle } from '../../../lifecycle/reconcile/classify';
import type { ReconcileAction, Situation } from '../../../lifecycle/reconcile/situations';
import { type SnapshotRow, snapshotRowSchema } from '../../../lifecycle/reconcile/snapshot-row';

export const today = '2027-03-15';

export interface Seed {
  /** The entry's key: the externalID, or `staffbase:<id>` for an account without one. */
  key: string;
  situation: Situation;
  action: ReconcileAction;
  rows: SnapshotRow[];
  accounts: ReconcileAccount[];
  runs: OpenRun[];
}

let nextRow = 2;
let nextAccount = 1000;

/** A valid row, checked by the real schema (so the corpus cannot hold a row a file could not). */
export function personRow(fields: Record<string, unknown>): SnapshotRow {
  const parsed = snapshotRowSchema.safeParse(fields);
  if (!parsed.success) throw new Error(`corpus row is invalid: ${JSON.stringify(parsed.error.issues)}`);
  return { kind: 'valid', row: nextRow++, person: parsed.data };
}

export function invalidRow(
  externalID: string | undefined,
  field = 'email',
  message = 'must be an email address',
): SnapshotRow {
  return {
    kind: 'invalid',
    row: nextRow++,
    ...(externalID !== undefined && { externalID }),
    problems: [{ field, message }],
  };
}

/** An active person's row; its account (`accountOf`) holds exactly the same fields. */
function activeFields(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalID: id,
    status: 'active',
    userName: `user-${id}`,
    firstName: 'Alex',
    lastName: `Person${id.replace(/\W/g, '')}`,
    email: `${id.toLowerCase()}@example.com`,
    locale: 'de_DE',
    groupIDs: ['all-staff'],
    profile: { department: 'Sales' },
    ...extra,
  };
}

export function account(
  externalID: string | null,
  status: ReconcileAccount['status'],
  fields: Partial<ReconcileAccount> = {},
): ReconcileAccount {
  const id = String(nextAccount++);
  const name = externalID ?? `nobody${id}`;
  return {
    id,
    externalID,
    status,
    userName: `user-${name}`,
    firstName: 'Alex',
    lastName: `Person${name.replace(/\W/g, '')}`,
    emails: [{ value: `${name.toLowerCase()}@example.com`, primary: true }],
    locale: 'de_DE',
    groupIDs: ['all-staff'],
    profile: { department: 'Sales', position: 'Staffbase-only field' },
    ...fields,
  };
}

const run = (externalID: string, lifecycle: RunLifecycle, stage = 'waiting'): OpenRun => ({
  externalID,
  lifecycle,
  stage,
});

/** An account a seed needs besides the person's own (it holds a clashing name): an entry of its own. */
interface Other {
  account: ReconcileAccount;
  situation: Situation;
  action: ReconcileAction;
}

/** An account the snapshot lacks, deactivated so `--absent leaver` leaves it reported too. */
const absentOther = (held: ReconcileAccount): Other => ({
  account: held,
  situation: 'absent',
  action: 'report',
});
const unmanagedOther = (held: ReconcileAccount): Other => ({
  account: held,
  situation: 'unmanaged',
  action: 'report',
});

type Builder = (id: string) => Omit<Seed, 'key'> & { key?: string; others?: Other[] };

/** Every situation, then every precedence conflict; the name says which. */
export const builders: Record<string, Builder> = {
  joiner: (id) => ({
    situation: 'joiner',
    action: 'start-onboarding',
    rows: [personRow(activeFields(id))],
    accounts: [],
    runs: [],
  }),
  'joiner with a start date today': (id) => ({
    situation: 'joiner',
    action: 'start-onboarding',
    rows: [personRow(activeFields(id, { startDate: today }))],
    accounts: [],
    runs: [],
  }),
  'future-joiner': (id) => ({
    situation: 'future-joiner',
    action: 'schedule-onboarding',
    rows: [personRow(activeFields(id, { startDate: '2027-04-01' }))],
    accounts: [],
    runs: [],
  }),
  'leaver, last working day past, account activated': (id) => ({
    situation: 'leaver',
    action: 'start-offboarding',
    rows: [personRow({ externalID: id, status: 'terminated', lastWorkingDay: '2027-03-10' })],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  'leaver, last working day today, account pending': (id) => ({
    situation: 'leaver',
    action: 'start-offboarding',
    rows: [personRow({ externalID: id, status: 'terminated', lastWorkingDay: today })],
    accounts: [account(id, 'pending')],
    runs: [],
  }),
  'leaver without a last working day': (id) => ({
    situation: 'leaver',
    action: 'start-offboarding',
    rows: [personRow({ externalID: id, status: 'Withdrawn' })],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  'future-leaver': (id) => ({
    situation: 'future-leaver',
    action: 'schedule-offboarding',
    rows: [personRow({ externalID: id, status: 'terminated', lastWorkingDay: '2027-04-30' })],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  'absent (reported)': (id) => ({
    situation: 'absent',
    action: 'report',
    rows: [],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  'absent, deactivated (reported even with --absent leaver)': (id) => ({
    situation: 'absent',
    action: 'report',
    rows: [],
    accounts: [account(id, 'deactivated')],
    runs: [],
  }),
  'mover: names, locale, profile and an added group are applied': (id) => ({
    situation: 'mover',
    action: 'start-change',
    rows: [personRow(activeFields(id, { groupIDs: ['all-staff', 'berlin'], locale: 'en' }))],
    accounts: [account(id, 'activated', { lastName: 'Maiden', profile: { department: 'Marketing' } })],
    runs: [],
  }),
  'mover: email, userName and a group only in Staffbase are reported, not applied': (id) => ({
    situation: 'mover',
    action: 'report',
    rows: [personRow(activeFields(id, { groupIDs: [] }))],
    accounts: [
      account(id, 'pending', {
        emails: [{ value: `old-${id.toLowerCase()}@example.com`, primary: true }],
        userName: `old-user-${id}`,
        groupIDs: ['all-staff', 'legacy'],
      }),
    ],
    runs: [],
  }),
  'rehire (account deactivated)': (id) => ({
    situation: 'rehire',
    action: 'start-onboarding',
    rows: [personRow(activeFields(id))],
    accounts: [account(id, 'deactivated')],
    runs: [],
  }),
  'rehire with a start date ahead': (id) => ({
    situation: 'rehire',
    action: 'schedule-onboarding',
    rows: [personRow(activeFields(id, { startDate: '2027-05-01' }))],
    accounts: [account(id, 'deactivated')],
    runs: [],
  }),
  'in-sync: active, every field equal (email and userName in another case)': (id) => ({
    situation: 'in-sync',
    action: 'none',
    rows: [personRow(activeFields(id, { email: `${id.toUpperCase()}@EXAMPLE.COM`, userName: `USER-${id}` }))],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  'in-sync: a row without optional columns compares only what it has': (id) => ({
    situation: 'in-sync',
    action: 'none',
    rows: [
      personRow({
        externalID: id,
        status: 'ACTIVE',
        userName: `user-${id}`,
        firstName: 'Alex',
        lastName: `Person${id.replace(/\W/g, '')}`,
        email: `${id.toLowerCase()}@example.com`,
      }),
    ],
    accounts: [account(id, 'pending', { groupIDs: ['whatever'], locale: 'fr' })],
    runs: [],
  }),
  'in-sync: terminated, account deactivated': (id) => ({
    situation: 'in-sync',
    action: 'none',
    rows: [personRow({ externalID: id, status: 'terminated', lastWorkingDay: '2026-12-31' })],
    accounts: [account(id, 'deactivated')],
    runs: [],
  }),
  'in-sync: terminated, no account': (id) => ({
    situation: 'in-sync',
    action: 'none',
    rows: [personRow({ externalID: id, status: 'separated' })],
    accounts: [],
    runs: [],
  }),
  'in-progress: an onboarding already runs for the joiner': (id) => ({
    situation: 'in-progress',
    action: 'none',
    rows: [personRow(activeFields(id))],
    accounts: [],
    runs: [run(id, 'onboarding', 'scheduled')],
  }),
  'in-progress: a mover with an open change': (id) => ({
    situation: 'in-progress',
    action: 'none',
    rows: [personRow(activeFields(id, { lastName: 'Newname' }))],
    accounts: [account(id, 'activated')],
    runs: [run(id, 'change', 'applying')],
  }),
  'in-progress: a future leaver whose onboarding is open (only leaver and rehire win over it)': (id) => ({
    situation: 'in-progress',
    action: 'none',
    rows: [personRow({ externalID: id, status: 'terminated', lastWorkingDay: '2027-06-30' })],
    accounts: [account(id, 'pending')],
    runs: [run(id, 'onboarding', 'awaiting-activation')],
  }),
  'in-progress: an absent account with an open offboarding': (id) => ({
    situation: 'in-progress',
    action: 'none',
    rows: [],
    accounts: [account(id, 'deactivated')],
    runs: [run(id, 'offboarding', 'retention')],
  }),
  'disputed: a joiner whose email an account without externalID holds': (id) => ({
    situation: 'disputed',
    action: 'report',
    rows: [personRow(activeFields(id))],
    accounts: [],
    runs: [],
    others: [
      unmanagedOther(account(null, 'activated', { emails: [{ value: `${id.toLowerCase()}@example.com` }] })),
    ],
  }),
  unmanaged: (id) => ({
    key: `staffbase:${id}`,
    situation: 'unmanaged',
    action: 'report',
    rows: [],
    accounts: [],
    runs: [],
  }),
  'invalid: a bad row still claims its account (never absent)': (id) => ({
    situation: 'invalid',
    action: 'report',
    rows: [invalidRow(id)],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  'invalid: a row without an externalID claims nobody': () => {
    const row = invalidRow(undefined, 'externalID', 'is required');
    return {
      key: `row:${row.row}`,
      situation: 'invalid',
      action: 'report',
      rows: [row],
      accounts: [],
      runs: [],
    };
  },
  'on-leave': (id) => ({
    situation: 'on-leave',
    action: 'report',
    rows: [
      personRow({ externalID: id, status: 'On Leave', leaveFrom: '2027-03-01', leaveUntil: '2027-09-30' }),
    ],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  // ── precedence conflicts ─────────────────────────────────────────────────────────────────────────
  'invalid › disputed: a bad row whose email another account holds': (id) => ({
    situation: 'invalid',
    action: 'report',
    rows: [invalidRow(id, 'startDate')],
    accounts: [account(id, 'activated')],
    runs: [],
    others: [absentOther(account(`${id}-else`, 'deactivated', { userName: `user-${id}` }))],
  }),
  'invalid › in-progress: a bad row with an open onboarding': (id) => ({
    situation: 'invalid',
    action: 'report',
    rows: [invalidRow(id)],
    accounts: [],
    runs: [run(id, 'onboarding')],
  }),
  'invalid: the same externalID on two rows': (id) => ({
    situation: 'invalid',
    action: 'report',
    rows: [personRow(activeFields(id)), invalidRow(id, 'externalID', 'duplicate of the row before')],
    accounts: [account(id, 'activated')],
    runs: [],
  }),
  'disputed › leaver: a leaver whose userName another account holds': (id) => ({
    situation: 'disputed',
    action: 'report',
    rows: [personRow({ externalID: id, status: 'terminated', userName: `user-${id}` })],
    accounts: [account(id, 'activated', { userName: null })],
    runs: [],
    others: [absentOther(account(`${id}-twin`, 'deactivated', { userName: `User-${id}` }))],
  }),
  'disputed › in-progress: an onboarding runs but another account holds the email': (id) => ({
    situation: 'disputed',
    action: 'report',
    rows: [personRow(activeFields(id))],
    accounts: [],
    runs: [run(id, 'onboarding')],
    others: [
      absentOther(
        account(`${id}-other`, 'deactivated', { emails: [{ value: `${id.toUpperCase()}@example.com` }] }),
      ),
    ],
  }),
  'disputed: two accounts hold the externalID': (id) => ({
    situation: 'disputed',
    action: 'report',
    rows: [personRow(activeFields(id))],
    accounts: [account(id, 'activated'), account(id, 'deactivated')],
    runs: [],
  }),
  'leaver › in-progress of the other lifecycle: an open onboarding': (id) => ({
    situation: 'leaver',
    action: 'start-offboarding',
    rows: [personRow({ externalID: id, status: 'terminated', lastWorkingDay: '2027-03-01' })],
    accounts: [account(id, 'pending')],
    runs: [run(id, 'onboarding', 'awaiting-activation')],
  }),
  'leaver with its own offboarding open is in-progress': (id) => ({
    situation: 'in-progress',
    action: 'none',
    rows: [personRow({ externalID: id, status: 'terminated', lastWorkingDay: '2027-03-01' })],
    accounts: [account(id, 'activated')],
    runs: [run(id, 'offboarding', 'scheduled')],
  }),
  'rehire › in-progress of the other lifecycle: an open offboarding': (id) => ({
    situation: 'rehire',
    action: 'start-onboarding',
    rows: [personRow(activeFields(id))],
    accounts: [account(id, 'deactivated')],
    runs: [run(id, 'offboarding', 'retention')],
  }),
  'rehire with its own onboarding open is in-progress': (id) => ({
    situation: 'in-progress',
    action: 'none',
    rows: [personRow(activeFields(id))],
    accounts: [account(id, 'deactivated')],
    runs: [run(id, 'onboarding', 'reactivating')],
  }),
  'in-progress › on-leave': (id) => ({
    situation: 'in-progress',
    action: 'none',
    rows: [personRow({ externalID: id, status: 'leave' })],
    accounts: [account(id, 'activated')],
    runs: [run(id, 'change')],
  }),
  'matching is on the raw externalID: another case is another person': (id) => ({
    situation: 'joiner',
    action: 'start-onboarding',
    rows: [
      personRow(activeFields(id, { email: `raw-${id.toLowerCase()}@example.com`, userName: `raw-${id}` })),
    ],
    accounts: [],
    runs: [],
    others: [absentOther(account(id.toLowerCase(), 'deactivated'))],
  }),
};

/** `count` seeds of every builder, in a seeded random order, with their accounts and runs. */
export function seedCorpus(
  count: number,
  seed: number,
): {
  seeds: Seed[];
  rows: SnapshotRow[];
  accounts: ReconcileAccount[];
  runs: OpenRun[];
} {
  nextRow = 2;
  nextAccount = 1000;
  const random = mulberry32(seed);
  const seeds: Seed[] = [];
  const extra: ReconcileAccount[] = [];
  let n = 0;
  for (const [name, build] of Object.entries(builders)) {
    for (let i = 0; i < count; i += 1) {
      const id = `E${String((n += 1)).padStart(5, '0')}`;
      const built = build(id);
      if (name === 'unmanaged') {
        const lone = account(null, random() < 0.5 ? 'activated' : 'pending');
        seeds.push({ ...built, key: `staffbase:${lone.id}`, accounts: [lone] });
        continue;
      }
      seeds.push({ ...built, key: built.key ?? id });
      for (const other of built.others ?? []) {
        seeds.push({
          key: other.account.externalID ?? `staffbase:${other.account.id}`,
          situation: other.situation,
          action: other.action,
          rows: [],
          accounts: [],
          runs: [],
        });
        extra.push(other.account);
      }
    }
  }
  const rows = shuffle(
    seeds.flatMap((s) => s.rows),
    random,
  ).sort((a, b) => a.row - b.row);
  // The directory comes in whatever order Staffbase lists it.
  const accounts = shuffle([...seeds.flatMap((s) => s.accounts), ...extra], random);
  const runs = shuffle(
    seeds.flatMap((s) => s.runs),
    random,
  );
  return { seeds, rows, accounts, runs };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** A small seeded PRNG, so a failing order can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
