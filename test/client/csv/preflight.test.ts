import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { StaffbaseClient } from '../../../activities/staffbase/client';
import { formatRejectedRow, parseImportFile } from '../../../client/csv/parse-import';
import { describePreflightNote } from '../../../client/csv/preflight';
import { createRequestPacer } from '../../../client/csv/request-pacer';
import { runPreflight } from '../../../client/csv/run-preflight';
import { readStaffbaseDirectory } from '../../../client/csv/staffbase-directory';
import { type SimulatorControl } from '../../../simulator/control-client';
import { type RunningSimulator } from '../../../simulator/server';
import { startTestSimulator } from '../../helpers/simulator';

const header = 'Employee ID;User Name;First Name;Last Name;Work Email';

describe('CSV import preflight against Staffbase (simulator)', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let token: string;
  const target = () => ({
    connection: { baseUrl: simulator.apiUrl, token },
    requestsPerSecond: 1000,
    requestTimeoutMs: 5000,
  });

  before(async () => {
    ({ simulator, control, token } = await startTestSimulator());
  });
  after(async () => {
    await simulator?.close();
  });
  beforeEach(async () => {
    await control.reset();
    await control.seedUser({
      externalID: 'someone-else',
      userName: 'ada.taken',
      emails: [{ value: 'ada.other@example.test', primary: true }],
      status: 'activated',
    });
    await control.seedUser({
      externalID: null,
      userName: 'legacy',
      emails: [{ value: 'Legacy@Example.test', primary: true }],
      status: 'pending',
    });
    await control.seedUser({
      externalID: 'emp-adopt',
      userName: 'adopt',
      emails: [{ value: 'adopt@example.test', primary: true }],
      status: 'pending',
    });
    await control.seedUser({
      externalID: 'emp-rehire',
      userName: 'rehire',
      emails: [{ value: 'rehire@example.test', primary: true }],
      status: 'deactivated',
    });
  });

  it('rejects names held by another account, and says which accounts will be adopted or reactivated', async () => {
    const parsed = parseImportFile(
      [
        header,
        'emp-new;new.hire;New;Hire;new@example.test',
        'emp-clash-user;ADA.TAKEN;Ada;Clash;ada.clash@example.test',
        'emp-clash-mail;fresh;Fresh;Mail;legacy@example.test',
        'emp-adopt;adopt;Ad;Opt;adopt@example.test',
        'emp-rehire;rehire;Re;Hire;rehire@example.test',
      ].join('\n'),
      'onboarding',
    );
    const checked = await runPreflight(parsed, target(), { rehirePolicy: 'reactivate' });
    assert.equal(checked.accountsRead, 4);
    assert.deepEqual(
      checked.parsed.valid.map((row) => row.externalID),
      ['emp-new', 'emp-adopt', 'emp-rehire'],
    );
    assert.deepEqual(checked.parsed.rejected.map(formatRejectedRow), [
      'row 3 (emp-clash-user): userName: "ADA.TAKEN" belongs to another Staffbase account (externalID someone-else, activated)',
      expectedLegacyLine(await legacyId(control)),
    ]);
    assert.deepEqual(
      [...checked.notes].map(([row, note]) => [row, describePreflightNote(note)]),
      [
        [5, 'will adopt the existing Staffbase account (pending)'],
        [6, 'will reactivate (rehire) the deactivated Staffbase account'],
      ],
    );

    const stopping = await runPreflight(parsed, target(), { rehirePolicy: 'stop' });
    assert.equal(stopping.notes.get(6)?.kind, 'rehire-refused');
  });

  it('passes over deleted accounts and names accounts in statuses the project does not manage', async () => {
    await control.setShapes('unmanaged-users');
    const parsed = parseImportFile(
      [
        header,
        'sim-contact-1;contact.one;Con;Tact;contact.one@example.test',
        'emp-reuse;reuse;Re;Use;sim-deleted-1@contacts.example',
        'emp-clash;clash;Cl;Ash;SIM-CONTACT-1@contacts.example',
      ].join('\n'),
      'onboarding',
    );
    const checked = await runPreflight(parsed, target(), { rehirePolicy: 'reactivate' });
    assert.deepEqual(
      checked.parsed.valid.map((row) => row.externalID),
      ['sim-contact-1', 'emp-reuse'],
    );
    assert.equal(
      describePreflightNote(checked.notes.get(2) ?? { kind: 'no-account' }),
      'the Staffbase account with this externalID has status "contact", which this project does not manage: check it before the start',
    );
    assert.deepEqual(checked.parsed.rejected.map(formatRejectedRow), [
      'row 4 (emp-clash): email: "SIM-CONTACT-1@contacts.example" belongs to another Staffbase account (externalID sim-contact-1, contact)',
    ]);
  });

  it('tells which leavers have no account', async () => {
    const parsed = parseImportFile(
      'Employee ID;Termination Date\nemp-rehire;2027-03-31\nemp-ghost;2027-03-31\n',
      'offboarding',
    );
    const checked = await runPreflight(parsed, target(), { rehirePolicy: 'reactivate' });
    assert.equal(checked.parsed.valid.length, 2);
    assert.deepEqual([...checked.notes.entries()], [[3, { kind: 'no-account' }]]);
  });

  it('reads every page of every status at the configured rate, with progress', async () => {
    const client = new StaffbaseClient({ baseUrl: simulator.apiUrl, token });
    try {
      const progress: [number, number][] = [];
      const started = Date.now();
      const directory = await readStaffbaseDirectory(client, {
        pacer: createRequestPacer(20),
        pageSize: 1,
        onPage: (read, total) => progress.push([read, total]),
      });
      // Four accounts, one a page: the fifth request would be an empty page; the total stops it first.
      assert.deepEqual(progress, [
        [1, 4],
        [2, 4],
        [3, 4],
        [4, 4],
      ]);
      assert.ok(Date.now() - started >= 3 * 50 - 5, 'four requests at 20/s take at least 150 ms');
      assert.equal(directory.byUserName('ADOPT')?.externalID, 'emp-adopt');
      assert.equal(directory.byEmail('legacy@example.TEST')?.userName, 'legacy');
      assert.equal(directory.byExternalID('emp-rehire')?.status, 'deactivated');
      assert.equal(directory.byExternalID('EMP-REHIRE'), undefined, 'externalIDs compare exactly');
      const calls = (await control.log()).filter((call) => call.routeKey === 'GET /users');
      assert.equal(calls.length, 4);
      for (const call of calls)
        assert.match(
          new URLSearchParams(call.query).get('filter') ?? '',
          /staffbase\.status eq "deactivated"/,
        );
    } finally {
      await client.close();
    }
  });

  it('spaces requests evenly', async () => {
    let now = 1000;
    const slept: number[] = [];
    const pacer = createRequestPacer(10, {
      now: () => now,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    });
    await pacer.next();
    await pacer.next();
    await pacer.next();
    now += 1000;
    await pacer.next();
    assert.deepEqual(slept, [100, 200]);
    assert.throws(() => createRequestPacer(0), /must be > 0/);
  });
});

async function legacyId(control: SimulatorControl): Promise<string> {
  const legacy = (await control.users()).find((user) => user.userName === 'legacy');
  assert.ok(legacy);
  return legacy.id;
}

function expectedLegacyLine(id: string): string {
  return `row 4 (emp-clash-mail): email: "legacy@example.test" belongs to another Staffbase account (no externalID, id ${id}, pending)`;
}
