/**
 * The store's repository, the SAME cases on both databases: the embedded SQLite file and a throwaway
 * PostgreSQL (started here; missing programs fail the test naming `npm run install:cluster`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type LifecycleStore,
  type PersonWrite,
  StoreInputError,
  openStore,
  storeMigrations,
} from '../../store';
import { chainHash } from '../../store/audit-chain';
import { type StoreDatabases, type StoreKind, startStoreDatabases } from '../helpers/store-databases';

const runStart = '2026-11-01T08:00:00.000Z';

function write(overrides: Partial<PersonWrite> & Pick<PersonWrite, 'externalID'>): PersonWrite {
  return {
    firstName: 'Test',
    lastName: 'Person',
    email: `${overrides.externalID}@example.com`,
    lifecycle: 'onboarding',
    stage: 'invited',
    runId: `run-${overrides.externalID}`,
    runStartedAt: runStart,
    sequence: 1,
    open: true,
    at: '2026-11-01T08:00:01.000Z',
    ...overrides,
  };
}

const ids = (people: { externalID: string }[]) => people.map((person) => person.externalID);

async function refusal(promise: Promise<unknown>): Promise<StoreInputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof StoreInputError, `expected a StoreInputError, got ${String(error)}`);
  return error;
}

function repositoryCases(kind: StoreKind): void {
  describe(`the store on ${kind}`, () => {
    let databases: StoreDatabases;
    let shared: LifecycleStore;

    before(async () => {
      databases = await startStoreDatabases(kind);
      shared = (await databases.freshStore()).store;
    });
    after(() => databases?.stop());

    it('migrates a new database once; running the migrations again applies nothing', async () => {
      const config = await databases.freshConfig();
      const store = await openStore(config, { migrate: false });
      try {
        assert.deepEqual((await store.migrate()).applied, Object.keys(storeMigrations));
        assert.deepEqual((await store.migrate()).applied, []);
        // Two at once (two processes' set-up): both succeed, nothing applied twice.
        const second = await openStore(config, { migrate: false });
        const results = await Promise.all([store.migrate(), second.migrate()]);
        await second.close();
        assert.deepEqual(results, [{ applied: [] }, { applied: [] }]);
        assert.equal((await store.audit.verify()).ok, true, 'the chain head exists after migrating');
      } finally {
        await store.close();
      }
    });

    it('gives the same tables, columns, types and nullability as on the other database', async () => {
      const { config } = await databases.freshStore();
      const raw = await databases.connect(config);
      const tables = await raw.db.introspection.getTables();
      const typeOf = (dataType: string) =>
        ({ int4: 'integer', text: 'text', integer: 'integer', int8: 'bigint', bigint: 'bigint' })[
          dataType.toLowerCase()
        ];
      const schema = Object.fromEntries(
        tables
          .filter((table) => !table.name.startsWith('store_migration'))
          .map((table) => [
            table.name,
            table.columns.map(
              (column) => `${column.name} ${typeOf(column.dataType)}${column.isNullable ? '' : ' not null'}`,
            ),
          ]),
      );
      assert.deepEqual(schema, {
        audit_head: ['id integer not null', 'seq integer not null', 'hash text not null'],
        lifecycle_event: [
          'subscriber_id text not null',
          'event_id text not null',
          'external_id text not null',
          'sequence integer not null',
          'lifecycle text not null',
          'milestone text not null',
          'run_id text not null',
          'at text not null',
          'status text not null',
          'delivered_at text',
          'parked_at text',
          'failure text',
        ],
        lifecycle_event_sequence: ['external_id text not null', 'last_sequence integer not null'],
        audit_trail: [
          'seq integer not null',
          'at text not null',
          'actor_kind text not null',
          'actor_user text',
          'action text not null',
          'external_id text',
          'run_id text',
          'outcome text',
          'reason text',
          'reason_hash text',
          'prev_hash text not null',
          'hash text not null',
        ],
        milestone: [
          'external_id text not null',
          'run_id text not null',
          'kind text not null',
          'at text not null',
          'ending_kind text',
          'ending_after_ms bigint',
          'since_invitation_ms bigint',
          'reminders integer',
          'wait_ms bigint',
          'run_started_at text',
          'after_hold integer',
          'attention_code text',
        ],
        person: [
          'external_id text not null',
          'first_name text',
          'last_name text',
          'email text',
          'search_text text not null',
          'lifecycle text not null',
          'stage text not null',
          'start_date text',
          'last_working_day text',
          'attention_code text',
          'outcome text',
          'open_run_id text',
          'latest_run_id text not null',
          'run_started_at text not null',
          'sequence integer not null',
          'updated_at text not null',
        ],
        reconcile_directory_account: [
          'plan_id text not null',
          'staffbase_id text not null',
          'account_json text not null',
        ],
        reconcile_plan: [
          'id text not null',
          'snapshot_id text not null',
          'status text not null',
          'created_at text not null',
          'updated_at text not null',
          'dry_run integer not null',
          'absent_policy text not null',
          'as_of text',
          'requested_by_kind text not null',
          'requested_by_user text',
          'policies_json text not null',
          'counts_json text',
          'safety_reasons_json text',
          'offboardings_to_start integer',
          'managed_accounts integer',
          'active_people integer',
          'decided_by_kind text',
          'decided_by_user text',
          'decision_reason text',
          'decided_at text',
          'applied_at text',
        ],
        reconcile_plan_entry: [
          'plan_id text not null',
          'seq integer not null',
          'external_id text',
          'staffbase_id text',
          'situation text not null',
          'action text not null',
          'reason text not null',
          'row_number integer',
          'detail_json text',
          'applied_outcome text',
          'applied_at text',
        ],
        reconcile_snapshot: [
          'id text not null',
          'created_at text not null',
          'source text not null',
          'row_count integer not null',
          'active_people integer not null',
          'erase_after text',
          'erased_at text',
        ],
        reconcile_snapshot_row: [
          'snapshot_id text not null',
          'seq integer not null',
          'row_number integer not null',
          'row_json text not null',
        ],
      });
    });

    it('never moves a person backwards: an older or repeated write changes nothing', async () => {
      const people = shared.people;
      assert.equal(
        await people.upsertPerson(write({ externalID: 'mono-1', stage: 'invited', sequence: 2 })),
        'applied',
      );
      // A retried earlier write, and the same write again (replay): both stale.
      assert.equal(
        await people.upsertPerson(write({ externalID: 'mono-1', stage: 'scheduled', sequence: 1 })),
        'stale',
      );
      assert.equal(
        await people.upsertPerson(write({ externalID: 'mono-1', stage: 'invited', sequence: 2 })),
        'stale',
      );
      assert.equal((await people.person('mono-1'))?.stage, 'invited');
      assert.equal(
        await people.upsertPerson(
          write({
            externalID: 'mono-1',
            stage: 'activated',
            sequence: 3,
            open: false,
            at: '2026-11-02T00:00:00.000Z',
          }),
        ),
        'applied',
      );
      // A newer run (an offboarding) wins over the old one; the old run's late write then loses.
      assert.equal(
        await people.upsertPerson(
          write({
            externalID: 'mono-1',
            lifecycle: 'offboarding',
            stage: 'scheduled',
            runId: 'run-off',
            runStartedAt: '2026-11-20T00:00:00.000Z',
            sequence: 1,
            at: '2026-11-20T00:00:00.000Z',
          }),
        ),
        'applied',
      );
      assert.equal(
        await people.upsertPerson(write({ externalID: 'mono-1', stage: 'expired', sequence: 9 })),
        'stale',
      );
      const person = await people.person('mono-1');
      assert.deepEqual(
        [person?.lifecycle, person?.stage, person?.openRunId, person?.latestRunId, person?.updatedAt],
        ['offboarding', 'scheduled', 'run-off', 'run-off', '2026-11-20T00:00:00.000Z'],
      );
    });

    it('shows the latest open run, else the latest closed one; a late retry of an older run never wins', async () => {
      const people = shared.people;
      const onboarding = { externalID: 'open-1', runId: 'run-on', runStartedAt: '2026-11-01T08:00:00.000Z' };
      const offboarding = {
        externalID: 'open-1',
        lifecycle: 'offboarding',
        runId: 'run-off',
        runStartedAt: '2026-11-10T08:00:00.000Z',
      };
      await people.upsertPerson(write({ ...onboarding, stage: 'awaiting-activation', sequence: 2 }));
      // A later offboarding, cancelled (closed) at once: it shows while no other run changes.
      await people.upsertPerson(
        write({ ...offboarding, stage: 'scheduled', at: '2026-11-10T08:00:00.000Z' }),
      );
      assert.equal(
        await people.upsertPerson(
          write({
            ...offboarding,
            stage: 'cancelled',
            sequence: 2,
            open: false,
            at: '2026-11-10T09:00:00.000Z',
          }),
        ),
        'applied',
      );
      // A late retry of the onboarding's earlier write (made before the row's change) loses.
      assert.equal(
        await people.upsertPerson(
          write({ ...onboarding, stage: 'awaiting-activation', sequence: 2, at: '2026-11-05T00:00:00.000Z' }),
        ),
        'stale',
      );
      // The still open onboarding's next change wins over the closed, later-started offboarding.
      assert.equal(
        await people.upsertPerson(
          write({ ...onboarding, stage: 'reminded', sequence: 3, at: '2026-11-11T00:00:00.000Z' }),
        ),
        'applied',
      );
      // Now a closed run never replaces the open one, however late it started.
      assert.equal(
        await people.upsertPerson(
          write({
            ...offboarding,
            runId: 'run-off-2',
            runStartedAt: '2026-11-12T00:00:00.000Z',
            stage: 'cancelled',
            open: false,
            at: '2026-11-12T00:00:00.000Z',
          }),
        ),
        'stale',
      );
      const person = await people.person('open-1');
      assert.deepEqual(
        [person?.lifecycle, person?.stage, person?.openRunId, person?.latestRunId],
        ['onboarding', 'reminded', 'run-on', 'run-on'],
      );
    });

    it('records each milestone once, however often a retry writes it', async () => {
      const milestone = {
        externalID: 'ms-1',
        runId: 'run-ms-1',
        kind: 'invited',
        at: '2026-11-01T09:00:00.000Z',
      };
      assert.equal(await shared.people.recordMilestone(milestone), 'recorded');
      assert.equal(await shared.people.recordMilestone(milestone), 'duplicate');
      assert.equal(
        await shared.people.recordMilestone({
          ...milestone,
          kind: 'reminder',
          at: '2026-11-04T09:00:00.000Z',
        }),
        'recorded',
      );
      assert.equal(
        await shared.people.recordMilestone({
          ...milestone,
          kind: 'reminder',
          at: '2026-11-04T09:00:00.000Z',
        }),
        'duplicate',
      );
      assert.deepEqual(await shared.people.milestones('ms-1'), [
        { runId: 'run-ms-1', kind: 'invited', at: '2026-11-01T09:00:00.000Z' },
        { runId: 'run-ms-1', kind: 'reminder', at: '2026-11-04T09:00:00.000Z' },
      ]);
    });

    it('refuses bad input naming the field, and writes nothing', async () => {
      assert.equal(
        (await refusal(shared.people.upsertPerson(write({ externalID: 'bad-1', startDate: '2026-02-30' }))))
          .field,
        'startDate',
      );
      assert.equal(
        (await refusal(shared.people.upsertPerson(write({ externalID: 'bad-1', sequence: -1 })))).field,
        'sequence',
      );
      assert.equal(
        (await refusal(shared.people.upsertPerson(write({ externalID: 'bad-1', at: 'yesterday' })))).field,
        'at',
      );
      assert.equal(await shared.people.person('bad-1'), undefined);
      assert.equal((await refusal(shared.people.findPeople({ limit: 0 }))).field, 'limit');
      assert.equal((await refusal(shared.people.findPeople({ limit: 101 }))).field, 'limit');
      assert.equal((await refusal(shared.people.findPeople({ cursor: 'not-a-cursor' }))).field, 'cursor');
      assert.equal((await refusal(shared.people.findPeople({ from: '2026-13-01' }))).field, 'from');
      assert.equal(
        (await refusal(shared.audit.append({ actor: { kind: '' }, action: 'x' }))).field,
        'actor.kind',
      );
    });

    describe('people: search, filters, paging, totals and counts', () => {
      let store: LifecycleStore;
      const named: [string, string, string, string][] = [
        ['emp-001', 'Zoë', 'Müller', 'zoe.mueller@example.com'],
        ['emp-002', 'Anna', 'Schmidt', 'anna.schmidt@example.com'],
        ['emp-003', 'Jörg', 'Weiß', 'joerg@example.org'],
        ['emp-004', 'Anne Marie', 'Nilsen', 'amn@example.com'],
        ['xyz-100', 'Bob', 'Annan', 'bob@example.com'],
      ];

      before(async () => {
        store = (await databases.freshStore()).store;
        for (const [externalID, firstName, lastName, email] of named) {
          await store.people.upsertPerson(
            write({ externalID, firstName, lastName, email, startDate: '2026-12-01' }),
          );
        }
        // 30 more for paging and filters: alternating lifecycles, stages and dates.
        for (let index = 0; index < 30; index += 1) {
          const offboarding = index % 3 === 0;
          await store.people.upsertPerson(
            write({
              externalID: `bulk-${String(index).padStart(3, '0')}`,
              firstName: 'Many',
              lastName: `Person${index}`,
              lifecycle: offboarding ? 'offboarding' : 'onboarding',
              stage: offboarding ? 'deactivated' : index % 2 === 0 ? 'invited' : 'activated',
              startDate: offboarding ? null : `2027-01-${String(index + 1).padStart(2, '0')}`,
              lastWorkingDay: offboarding ? `2027-02-${String((index % 28) + 1).padStart(2, '0')}` : null,
            }),
          );
        }
      });

      const search = async (q: string) => ids((await store.people.findPeople({ q, limit: 100 })).people);

      it('matches a name ignoring case and accents, by prefix or whole word', async () => {
        assert.deepEqual(await search('muller'), ['emp-001']);
        assert.deepEqual(await search('MÜLL'), ['emp-001']);
        assert.deepEqual(await search('zoe'), ['emp-001']);
        assert.deepEqual(await search('weiss'), ['emp-003']);
        assert.deepEqual(await search('JORG'), ['emp-003']);
        // A prefix of any word: Anna, Anne (first names) and Annan (a last name).
        assert.deepEqual(await search('ann'), ['emp-002', 'emp-004', 'xyz-100']);
        assert.deepEqual(await search('anna schmidt'), ['emp-002']);
        assert.deepEqual(await search('marie'), ['emp-004']);
        // Inside a word is no match.
        assert.deepEqual(await search('nna'), []);
      });

      it('matches the externalID and the email, and treats LIKE wildcards as text', async () => {
        assert.deepEqual(await search('emp-00'), ['emp-001', 'emp-002', 'emp-003', 'emp-004']);
        assert.deepEqual(await search('XYZ-100'), ['xyz-100']);
        assert.deepEqual(await search('anna.sch'), ['emp-002']);
        assert.deepEqual(await search('joerg@example'), ['emp-003']);
        assert.deepEqual(await search('org'), ['emp-003'], 'a part of the email is a word too');
        assert.deepEqual(await search('%'), []);
        assert.deepEqual(await search('_'), []);
      });

      it('filters by lifecycle, stage and date range (start date or last working day, inclusive)', async () => {
        const find = async (query: Parameters<LifecycleStore['people']['findPeople']>[0]) =>
          await store.people.findPeople({ limit: 100, ...query });
        const offboarding = await find({ lifecycle: 'offboarding' });
        assert.equal(offboarding.total, 10);
        assert.ok(offboarding.people.every((person) => person.stage === 'deactivated'));
        const invited = await find({ lifecycle: 'onboarding', stage: 'invited', q: 'many' });
        assert.deepEqual(
          ids(invited.people),
          Array.from({ length: 30 }, (_, index) => index)
            .filter((index) => index % 3 !== 0 && index % 2 === 0)
            .map((index) => `bulk-${String(index).padStart(3, '0')}`),
        );
        // 2027-01-02..03: start dates of bulk-001 and bulk-002 (inclusive on both ends).
        assert.deepEqual(ids((await find({ from: '2027-01-02', to: '2027-01-03' })).people), [
          'bulk-001',
          'bulk-002',
        ]);
        // Last working days 2027-02-01..04: bulk-000 and bulk-003.
        assert.deepEqual(ids((await find({ from: '2027-02-01', to: '2027-02-04' })).people), [
          'bulk-000',
          'bulk-003',
        ]);
        assert.deepEqual(ids((await find({ to: '2026-12-01' })).people), named.map(([id]) => id).sort());
      });

      it('pages with a cursor over every match, each once, with the exact total on every page', async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.people.findPeople({ q: 'many', limit: 7, ...(cursor && { cursor }) });
          assert.equal(page.total, 30);
          assert.ok(page.people.length <= 7);
          seen.push(...ids(page.people));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor !== undefined);
        assert.equal(pages, 5);
        assert.deepEqual(seen, [...new Set(seen)].sort());
        assert.equal(seen.length, 30);
        const all = await store.people.findPeople({});
        assert.equal(all.total, 35);
        assert.equal(all.people.length, 25, 'the default page is 25');
      });

      it('counts everyone by lifecycle and stage', async () => {
        assert.deepEqual(await store.people.countsByLifecycleStage(), {
          onboarding: { invited: 5 + 10, activated: 10 },
          offboarding: { deactivated: 10 },
        });
      });
    });

    it('erases names and emails some days after the deletion, keeping ids, milestones and rehires', async () => {
      const { store } = await databases.freshStore();
      const offboarded = (externalID: string, runId: string, at: string) =>
        write({
          externalID,
          firstName: 'Erin',
          lastName: 'Äsk',
          lifecycle: 'offboarding',
          stage: 'completed',
          outcome: 'deleted',
          runId,
          open: false,
          at,
        });
      // Deleted on 2026-11-01 (milestone) — erased; deleted on 2026-11-20 — too recent.
      await store.people.upsertPerson(offboarded('gone-old', 'run-a', '2026-11-01T12:00:00.000Z'));
      await store.people.recordMilestone({
        externalID: 'gone-old',
        runId: 'run-a',
        kind: 'deleted',
        at: '2026-11-01T12:00:00.000Z',
      });
      await store.people.upsertPerson(offboarded('gone-new', 'run-b', '2026-11-20T12:00:00.000Z'));
      await store.people.recordMilestone({
        externalID: 'gone-new',
        runId: 'run-b',
        kind: 'deleted',
        at: '2026-11-20T12:00:00.000Z',
      });
      // Outcome only (no milestone row): erased by the outcome of its closed latest run.
      await store.people.upsertPerson(offboarded('gone-outcome', 'run-c', '2026-10-01T12:00:00.000Z'));
      // Deleted long ago, then rehired: the newer run's names stay.
      await store.people.recordMilestone({
        externalID: 'rehired',
        runId: 'run-d',
        kind: 'deleted',
        at: '2026-09-01T00:00:00.000Z',
      });
      await store.people.upsertPerson(
        write({
          externalID: 'rehired',
          firstName: 'Rita',
          runId: 'run-e',
          runStartedAt: '2026-11-25T00:00:00.000Z',
          at: '2026-11-25T00:00:00.000Z',
        }),
      );
      // Still employed.
      await store.people.upsertPerson(write({ externalID: 'staying', firstName: 'Stan' }));

      const cutoff = { deletedBefore: '2026-11-10T00:00:00.000Z' };
      assert.deepEqual(await store.people.eraseDeletedPeople(cutoff), { erased: 2 });
      assert.deepEqual(await store.people.eraseDeletedPeople(cutoff), { erased: 0 }, 'idempotent');
      const old = await store.people.person('gone-old');
      assert.deepEqual(
        [old?.firstName, old?.lastName, old?.email, old?.name, old?.outcome, old?.latestRunId],
        [null, null, null, null, 'deleted', 'run-a'],
      );
      assert.equal((await store.people.person('gone-outcome'))?.email, null);
      assert.deepEqual(await store.people.milestones('gone-old'), [
        { runId: 'run-a', kind: 'deleted', at: '2026-11-01T12:00:00.000Z' },
      ]);
      assert.equal((await store.people.person('gone-new'))?.lastName, 'Äsk');
      assert.equal((await store.people.person('rehired'))?.firstName, 'Rita');
      assert.equal((await store.people.person('staying'))?.firstName, 'Stan');
      // Not findable by name any more; still by externalID.
      const found = await store.people.findPeople({ q: 'ask', limit: 100 });
      assert.deepEqual(ids(found.people), ['gone-new']);
      assert.deepEqual(ids((await store.people.findPeople({ q: 'gone-old' })).people), ['gone-old']);
      assert.equal(
        (await refusal(store.people.eraseDeletedPeople({ deletedBefore: '30 days' }))).field,
        'deletedBefore',
      );
    });

    describe('audit trail', () => {
      it('appends hash-chained rows that verify; erasing a reason keeps the chain intact', async () => {
        const { store } = await databases.freshStore();
        for (let index = 1; index <= 5; index += 1) {
          await store.audit.append({
            actor: { kind: 'admin-key', user: 'hr.operator' },
            action: 'delete-now',
            externalID: `emp-${index}`,
            runId: `run-${index}`,
            outcome: 'accepted',
            reason: `ticket HR-${index}`,
          });
        }
        const rows = await store.audit.rows();
        assert.deepEqual(
          rows.map((row) => row.seq),
          [1, 2, 3, 4, 5],
        );
        assert.equal(rows[1]?.prevHash, rows[0]?.hash);
        assert.deepEqual(await store.audit.verify(), { ok: true, rows: 5 });
        assert.equal(await store.audit.eraseReason(2), true);
        assert.equal((await store.audit.rows())[1]?.reason, null);
        assert.deepEqual(await store.audit.verify(), { ok: true, rows: 5 });
      });

      async function chainOfFive() {
        const { config, store } = await databases.freshStore();
        for (let index = 1; index <= 5; index += 1) {
          await store.audit.append({
            actor: { kind: 'cli' },
            action: 'offboarding-start',
            externalID: `e-${index}`,
          });
        }
        return { config, store, raw: await databases.connect(config) };
      }

      it('names a changed row', async () => {
        const { store, raw } = await chainOfFive();
        await raw.db.updateTable('audit_trail').set({ action: 'cancel' }).where('seq', '=', 3).execute();
        const result = await store.audit.verify();
        assert.ok(!result.ok);
        assert.deepEqual([result.badSeq, result.problem, result.rows], [3, 'changed', 2]);
      });

      it('names a changed reason, and a row rewritten with a fresh hash', async () => {
        const { store, raw } = await chainOfFive();
        await raw.db.updateTable('audit_trail').set({ reason: 'made up' }).where('seq', '=', 4).execute();
        const reason = await store.audit.verify();
        assert.ok(!reason.ok && reason.badSeq === 4 && reason.problem === 'changed');
        await raw.db.updateTable('audit_trail').set({ reason: null }).where('seq', '=', 4).execute();
        // Rewritten with a matching hash of its own: the next row's link gives it away.
        const row = (await store.audit.rows()).find((candidate) => candidate.seq === 2);
        assert.ok(row);
        const forged = { ...row, action: 'forged', actorKind: row.actor.kind, actorUser: row.actor.user };
        await raw.db
          .updateTable('audit_trail')
          .set({ action: 'forged', hash: chainHash(row.prevHash, forged) })
          .where('seq', '=', 2)
          .execute();
        const rewritten = await store.audit.verify();
        assert.ok(!rewritten.ok);
        assert.deepEqual([rewritten.badSeq, rewritten.problem], [2, 'changed']);
      });

      it('names a hand-deleted row, in the middle and at the end', async () => {
        const { store, raw } = await chainOfFive();
        await raw.db.deleteFrom('audit_trail').where('seq', '=', 5).execute();
        const atEnd = await store.audit.verify();
        assert.ok(!atEnd.ok);
        assert.deepEqual([atEnd.badSeq, atEnd.problem], [5, 'removed']);
        await raw.db.deleteFrom('audit_trail').where('seq', '=', 2).execute();
        const inMiddle = await store.audit.verify();
        assert.ok(!inMiddle.ok);
        assert.deepEqual([inMiddle.badSeq, inMiddle.problem, inMiddle.rows], [2, 'removed', 1]);
      });

      it('finds rows by person, action and time, a page at a time by seq, and refuses bad filters', async () => {
        const { store } = await databases.freshStore();
        for (let index = 1; index <= 12; index += 1) {
          await store.audit.append({
            at: `2026-11-${String(index).padStart(2, '0')}T10:00:00.000Z`,
            actor: { kind: index % 2 === 0 ? 'admin-key' : 'worker', user: index % 2 === 0 ? 'hr.op' : null },
            action: index % 3 === 0 ? 'account-deleted' : 'offboarding-started',
            externalID: `emp-${index % 4}`,
          });
        }
        const seqs = (page: { rows: { seq: number }[] }) => page.rows.map((row) => row.seq);
        assert.deepEqual(seqs(await store.audit.find({ externalID: 'emp-1' })), [1, 5, 9]);
        assert.deepEqual(seqs(await store.audit.find({ action: 'account-deleted' })), [3, 6, 9, 12]);
        // Dates are inclusive whole days; times are inclusive moments.
        assert.deepEqual(seqs(await store.audit.find({ from: '2026-11-04', to: '2026-11-06' })), [4, 5, 6]);
        assert.deepEqual(
          seqs(await store.audit.find({ from: '2026-11-04T10:00:00.001Z', to: '2026-11-06T10:00:00.000Z' })),
          [5, 6],
        );
        assert.deepEqual(
          seqs(await store.audit.find({ action: 'account-deleted', externalID: 'emp-0', to: '2026-11-10' })),
          [],
        );
        assert.deepEqual(
          seqs(await store.audit.find({ action: 'account-deleted', externalID: 'emp-0' })),
          [12],
        );
        const seen: number[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.audit.find({
            action: 'offboarding-started',
            limit: 3,
            ...(cursor && { cursor }),
          });
          seen.push(...seqs(page));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor !== undefined);
        assert.deepEqual(seen, [1, 2, 4, 5, 7, 8, 10, 11]);
        assert.equal(pages, 3);
        const first = (await store.audit.find({ limit: 1 })).rows[0];
        assert.deepEqual(first?.actor, { kind: 'worker', user: null });
        assert.equal((await refusal(store.audit.find({ limit: 0 }))).field, 'limit');
        assert.equal((await refusal(store.audit.find({ limit: 1001 }))).field, 'limit');
        assert.equal((await refusal(store.audit.find({ cursor: 'nope' }))).field, 'cursor');
        assert.equal((await refusal(store.audit.find({ from: '2026-02-30' }))).field, 'from');
        assert.equal((await refusal(store.audit.find({ to: 'yesterday' }))).field, 'to');
        assert.equal((await refusal(store.audit.find({ from: '2026-11-05', to: '2026-11-04' }))).field, 'to');
      });

      it('keeps one valid chain with 20 appends in parallel from two connections', async () => {
        const { config, store } = await databases.freshStore();
        const other = await openStore(config, { migrate: false });
        try {
          const appended = await Promise.all(
            Array.from({ length: 20 }, (_, index) =>
              (index % 2 === 0 ? store : other).audit.append({
                actor: { kind: 'worker' },
                action: 'stage-change',
                externalID: `p-${index}`,
              }),
            ),
          );
          assert.deepEqual(
            appended.map((row) => row.seq).sort((a, b) => a - b),
            Array.from({ length: 20 }, (_, index) => index + 1),
          );
          assert.deepEqual(await store.audit.verify(), { ok: true, rows: 20 });
        } finally {
          await other.close();
        }
      });
    });
  });
}

repositoryCases('sqlite');
repositoryCases('postgres');
