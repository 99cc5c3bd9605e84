/**
 * The reconciliation classifier (lifecycle/reconcile/classify.ts) over a seeded drift corpus: every
 * situation and every precedence conflict of issue 30, each person classified exactly as seeded, the
 * directory arriving page by page in any order. Pure code: no Temporal, no simulator needed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ReconcileAccount, reconcileAccountOf } from '../../../lifecycle/reconcile/accounts';
import { type OpenRun, Reconciliation } from '../../../lifecycle/reconcile/classify';
import { defaultReconcileThresholds, safetyVerdict } from '../../../lifecycle/reconcile/safety';
import { type PlanEntry, situations } from '../../../lifecycle/reconcile/situations';
import type { SnapshotRow } from '../../../lifecycle/reconcile/snapshot-row';
import { staffbaseAccountSchema } from '../../../staffbase/schemas';
import { account, builders, mulberry32, personRow, seedCorpus, today } from './drift-corpus';

const keyOf = (entry: PlanEntry) =>
  entry.externalID ??
  (entry.staffbaseId !== undefined ? `staffbase:${entry.staffbaseId}` : `row:${entry.row}`);

function classify(
  input: { rows: SnapshotRow[]; accounts: ReconcileAccount[]; runs: OpenRun[] },
  options: { absent: 'ignore' | 'leaver'; pageSizes?: () => number } = { absent: 'ignore' },
): { entries: PlanEntry[]; reconciliation: Reconciliation } {
  const reconciliation = new Reconciliation({ today, absent: options.absent });
  for (const row of input.rows) reconciliation.addRow(row);
  // Open runs before, between and after pages: their order does not matter.
  const [early, late] = [input.runs.slice(0, input.runs.length / 2), input.runs.slice(input.runs.length / 2)];
  for (const run of early) reconciliation.addOpenRun(run);
  let offset = 0;
  while (offset < input.accounts.length) {
    const size = options.pageSizes?.() ?? 100;
    reconciliation.addDirectoryPage(input.accounts.slice(offset, offset + size));
    offset += size;
  }
  for (const run of late) reconciliation.addOpenRun(run);
  return { entries: [...reconciliation.entries()], reconciliation };
}

describe('reconciliation: the seeded drift corpus', () => {
  it('classifies every person exactly as seeded: every situation, every precedence conflict', () => {
    const corpus = seedCorpus(7, 20261207);
    const random = mulberry32(7);
    const { entries, reconciliation } = classify(corpus, {
      absent: 'ignore',
      pageSizes: () => 1 + Math.floor(random() * 60),
    });
    const byKey = new Map(entries.map((entry) => [keyOf(entry), entry]));
    assert.equal(byKey.size, entries.length, 'exactly one entry per person');
    assert.equal(entries.length, corpus.seeds.length, 'no entry without a seed, no seed without an entry');
    const wrong = corpus.seeds
      .map((seed) => ({ seed, entry: byKey.get(seed.key) }))
      .filter(({ seed, entry }) => entry?.situation !== seed.situation || entry.action !== seed.action)
      .map(
        ({ seed, entry }) =>
          `${seed.key}: seeded ${seed.situation}/${seed.action}, got ${entry?.situation}/${entry?.action} (${entry?.reason})`,
      );
    assert.deepEqual(wrong, []);
    // Every situation occurs, and the counts add up to the entries.
    const { counts } = reconciliation.summary();
    for (const situation of situations) assert.ok(counts[situation] > 0, situation);
    assert.equal(
      Object.values(counts).reduce((sum, n) => sum + n, 0),
      entries.length,
    );
  });

  it('gives the same plan whatever the page size and the order of the directory', () => {
    const plans = [1, 13, 1000].map((size) => {
      const corpus = seedCorpus(3, 42);
      const accounts = size === 13 ? [...corpus.accounts].reverse() : corpus.accounts;
      return classify({ ...corpus, accounts }, { absent: 'ignore', pageSizes: () => size }).entries.map(
        (entry) => `${keyOf(entry)} ${entry.situation} ${entry.action}`,
      );
    });
    assert.deepEqual(new Set(plans[1]), new Set(plans[0]));
    assert.deepEqual(new Set(plans[2]), new Set(plans[0]));
  });

  it('--absent leaver offboards absent accounts that are active or pending, and only those', () => {
    const corpus = seedCorpus(2, 5);
    const ignore = classify(corpus, { absent: 'ignore' });
    const leaver = classify(corpus, { absent: 'leaver' });
    const changed = leaver.entries.filter((entry) => {
      const before = ignore.entries.find((other) => keyOf(other) === keyOf(entry));
      return before?.action !== entry.action;
    });
    assert.ok(changed.length > 0);
    for (const entry of changed) {
      assert.equal(entry.situation, 'absent');
      assert.equal(entry.action, 'start-offboarding');
      const held = corpus.accounts.find((candidate) => candidate.id === entry.staffbaseId);
      assert.notEqual(held?.status, 'deactivated');
    }
    assert.equal(
      leaver.reconciliation.summary().offboardingsToStart -
        ignore.reconciliation.summary().offboardingsToStart,
      changed.length,
    );
  });
});

describe('reconciliation: entries and reasons', () => {
  it('a mover lists each field difference, applied or reported, and names no value', () => {
    const builder = builders['mover: names, locale, profile and an added group are applied'];
    assert.ok(builder);
    const { entries } = classify({ ...builder('M1'), accounts: builder('M1').accounts, runs: [] });
    const mover = entries.find((entry) => entry.externalID === 'M1');
    assert.ok(mover);
    assert.deepEqual(mover.differences, [
      { field: 'lastName', handling: 'applied' },
      { field: 'locale', handling: 'applied' },
      { field: 'profile.department', handling: 'applied' },
      { field: 'groupIDs', handling: 'applied', groupIDs: ['berlin'] },
    ]);
    assert.match(mover.reason, /lastName, locale, profile\.department, groupIDs \(to add: berlin\)/);
    assert.doesNotMatch(mover.reason, /Maiden|Marketing|Sales|PersonM1/);
  });

  it('a mover whose differences the change lifecycle cannot apply is reported, with each field', () => {
    const builder =
      builders['mover: email, userName and a group only in Staffbase are reported, not applied'];
    assert.ok(builder);
    const seed = builder('M2');
    const mover = classify(seed).entries.find((entry) => entry.externalID === 'M2');
    assert.equal(mover?.action, 'report');
    assert.deepEqual(
      mover?.differences?.map((difference) => `${difference.field}:${difference.handling}`),
      ['groupIDs:reported', 'email:reported', 'userName:reported'],
    );
    assert.match(mover?.reason ?? '', /only in Staffbase: all-staff, legacy/);
    assert.doesNotMatch(mover?.reason ?? '', /example\.com/);
  });

  it('an invalid row keeps every problem with its row, and the account it names', () => {
    const rows: SnapshotRow[] = [
      personRow({ externalID: 'X1', status: 'terminated' }),
      {
        kind: 'invalid',
        row: 90,
        externalID: 'X1',
        problems: [{ field: 'externalID', message: 'duplicate of row 2' }],
      },
    ];
    const held = account('X1', 'activated');
    const { entries } = classify({ rows, accounts: [held], runs: [] });
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0], {
      externalID: 'X1',
      row: rows[0]?.row,
      staffbaseId: held.id,
      situation: 'invalid',
      action: 'report',
      reason: 'the row fails validation (1 problem)',
      problems: ['row 90: externalID: duplicate of row 2'],
    });
  });

  it('a disputed person names the account holding the email, not the email', () => {
    const rows = [
      personRow({
        externalID: 'D1',
        status: 'active',
        userName: 'dana',
        firstName: 'Dana',
        lastName: 'Doe',
        email: 'dana@example.com',
      }),
    ];
    const holder = account('D9', 'activated', { emails: [{ value: 'Dana@Example.com' }], userName: 'dana' });
    const disputed = classify({ rows, accounts: [holder], runs: [] }).entries.find(
      (e) => e.externalID === 'D1',
    );
    assert.equal(disputed?.situation, 'disputed');
    assert.equal(disputed?.reason, `email and userName held by account ${holder.id} (externalID D9)`);
  });

  it('refuses snapshot rows after the directory started: a person seen late would be absent', () => {
    const reconciliation = new Reconciliation({ today, absent: 'ignore' });
    reconciliation.addDirectoryPage([]);
    assert.throws(
      () => reconciliation.addRow(personRow({ externalID: 'late', status: 'leave' })),
      /before the first directory page/,
    );
  });

  it('reads a Staffbase list user as the classifier sees it; a status it does not manage is passed over', () => {
    const user = staffbaseAccountSchema.parse({
      id: 'abc',
      externalID: 'E7',
      status: 'activated',
      userName: 'e7',
      firstName: 'Eve',
      lastName: 'Seven',
      emails: [{ value: 'e7@example.com', primary: true }],
      config: { locale: 'de_DE' },
      groupIDs: ['g1'],
      profile: { department: 'Ops' },
    });
    assert.deepEqual(reconcileAccountOf(user), {
      id: 'abc',
      externalID: 'E7',
      status: 'activated',
      userName: 'e7',
      firstName: 'Eve',
      lastName: 'Seven',
      emails: [{ value: 'e7@example.com', primary: true }],
      locale: 'de_DE',
      groupIDs: ['g1'],
      profile: { department: 'Ops' },
    });
    assert.equal(reconcileAccountOf(staffbaseAccountSchema.parse({ id: 'x', status: 'deleted' })), undefined);
  });
});

describe('reconciliation: plan figures and the safety verdict', () => {
  /** A tenant of `people` active people, each with an equal activated account. */
  function tenant(people: number) {
    const rows: SnapshotRow[] = [];
    const accounts: ReconcileAccount[] = [];
    for (let i = 0; i < people; i += 1) {
      const id = `T${i}`;
      rows.push(
        personRow({
          externalID: id,
          status: 'active',
          userName: `user-${id}`,
          firstName: 'Alex',
          lastName: `Person${id}`,
          email: `${id.toLowerCase()}@example.com`,
        }),
      );
      accounts.push(account(id, 'activated'));
    }
    return { rows, accounts, runs: [] };
  }

  it('a truncated snapshot with --absent leaver is held: too many offboardings, too few active people', () => {
    const full = tenant(200);
    const before = classify(full, { absent: 'leaver' }).reconciliation.summary();
    assert.equal(before.counts['in-sync'], 200);
    assert.deepEqual(safetyVerdict({ ...before, lastAppliedActivePeople: 200 }, defaultReconcileThresholds), {
      held: false,
    });
    // The export lost its last 60 rows: 60 accounts look absent.
    const truncated = classify({ ...full, rows: full.rows.slice(0, 140) }, { absent: 'leaver' });
    const figures = truncated.reconciliation.summary();
    assert.deepEqual(
      {
        absent: figures.counts.absent,
        offboardings: figures.offboardingsToStart,
        managed: figures.managedAccounts,
      },
      { absent: 60, offboardings: 60, managed: 200 },
    );
    const verdict = safetyVerdict({ ...figures, lastAppliedActivePeople: 200 }, defaultReconcileThresholds);
    assert.ok(verdict.held);
    assert.equal(verdict.reasons.length, 3, verdict.reasons.join('\n'));
  });

  it('the same truncated snapshot without --absent leaver offboards nobody; only the ratio holds it', () => {
    const full = tenant(200);
    const figures = classify({ ...full, rows: full.rows.slice(0, 140) }).reconciliation.summary();
    assert.equal(figures.offboardingsToStart, 0);
    const verdict = safetyVerdict({ ...figures, lastAppliedActivePeople: 200 }, defaultReconcileThresholds);
    assert.ok(verdict.held);
    assert.match(verdict.reasons.join(), /looks truncated: 140 active people/);
  });
});
