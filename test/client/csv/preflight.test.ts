import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { formatRejectedRow, parseImportFile } from '../../../client/csv/parse-import';
import { describePreflightNote } from '../../../client/csv/preflight';
import { directoryKeysOf, runPreflight } from '../../../client/csv/run-preflight';
import { priorityLanes } from '../../../lifecycle/priority-lanes';
import { taskQueues } from '../../../lifecycle/task-queues';
import { type SimulatorControl } from '../../../simulator/control-client';
import type { directoryLookup } from '../../../workflows/directory-lookup';
import {
  type DirectoryLookupProgress,
  directoryLookupProgressQuery,
} from '../../../workflows/directory-lookup-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { waitFor } from '../../helpers/waiting';

const header = 'Employee ID;User Name;First Name;Last Name;Work Email';

async function seedAccounts(control: SimulatorControl): Promise<void> {
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
}

/**
 * The import preflight as the CLI runs it: workflow `directoryLookup` on a dev server, the worker's
 * activities against the simulator, the CLI's module starting it and following its progress.
 */
describe('CSV import preflight against Staffbase (through the worker, simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'dev-server', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );
  const client = () => stack.env.client;

  it('rejects names held by another account, and says which accounts will be adopted or reactivated', async () => {
    await seedAccounts(stack.control);
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
    const checked = await runPreflight(client(), parsed, { rehirePolicy: 'reactivate' });
    assert.equal(checked.accountsRead, 4);
    assert.deepEqual(
      checked.parsed.valid.map((row) => row.externalID),
      ['emp-new', 'emp-adopt', 'emp-rehire'],
    );
    assert.deepEqual(checked.parsed.rejected.map(formatRejectedRow), [
      'row 3 (emp-clash-user): userName: "ADA.TAKEN" belongs to another Staffbase account (externalID someone-else, activated)',
      expectedLegacyLine(await legacyId(stack.control)),
    ]);
    assert.deepEqual(
      [...checked.notes].map(([row, note]) => [row, describePreflightNote(note)]),
      [
        [5, 'will adopt the existing Staffbase account (pending)'],
        [6, 'will reactivate (rehire) the deactivated Staffbase account'],
      ],
    );

    const stopping = await runPreflight(client(), parsed, { rehirePolicy: 'stop' });
    assert.equal(stopping.notes.get(6)?.kind, 'rehire-refused');
  });

  it('passes over deleted accounts and names accounts in statuses the project does not manage', async () => {
    await seedAccounts(stack.control);
    await stack.control.setShapes('unmanaged-users');
    const parsed = parseImportFile(
      [
        header,
        'sim-contact-1;contact.one;Con;Tact;contact.one@example.test',
        'emp-reuse;reuse;Re;Use;sim-deleted-1@contacts.example',
        'emp-clash;clash;Cl;Ash;SIM-CONTACT-1@contacts.example',
      ].join('\n'),
      'onboarding',
    );
    const checked = await runPreflight(client(), parsed, { rehirePolicy: 'reactivate' });
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
    await seedAccounts(stack.control);
    const parsed = parseImportFile(
      'Employee ID;Termination Date\nemp-rehire;2027-03-31\nemp-ghost;2027-03-31\n',
      'offboarding',
    );
    assert.deepEqual(directoryKeysOf(parsed), {
      externalIDs: ['emp-rehire', 'emp-ghost'],
      userNames: [],
      emails: [],
    });
    const checked = await runPreflight(client(), parsed, { rehirePolicy: 'reactivate' });
    assert.equal(checked.parsed.valid.length, 2);
    assert.deepEqual([...checked.notes.entries()], [[3, { kind: 'no-account' }]]);
  });

  it('reads every page of every status, one request per activity, in the bulk lane of the Staffbase queue, with progress', async () => {
    await seedAccounts(stack.control);
    const parsed = parseImportFile(
      [header, 'emp-adopt;adopt;Ad;Opt;adopt@example.test'].join('\n'),
      'onboarding',
    );
    const progress: DirectoryLookupProgress[] = [];
    let workflowId: string | undefined;
    const checked = await runPreflight(
      client(),
      parsed,
      { rehirePolicy: 'reactivate' },
      {
        pageSize: 1,
        pollIntervalMs: 10,
        onProgress: (step) => progress.push(step),
        onStarted: (id) => (workflowId = id),
      },
    );
    assert.equal(checked.notes.get(2)?.kind, 'will-adopt');
    // Four accounts, one a page: the fifth request would be an empty page; the total stops it first.
    assert.ok(progress.length > 0, 'progress was reported');
    assert.deepEqual(progress.at(-1), { pagesRead: 4, pagesTotal: 4, accountsRead: 4, done: true });
    for (const [index, step] of progress.entries()) {
      assert.ok(
        step.pagesRead <= step.pagesTotal,
        `pages read never above the total: ${JSON.stringify(step)}`,
      );
      if (index > 0) assert.ok(step.pagesRead >= progress[index - 1]!.pagesRead, 'progress never goes back');
    }
    const calls = (await stack.control.log()).filter((call) => call.routeKey === 'GET /users');
    assert.equal(calls.length, 4);
    for (const call of calls) {
      assert.match(new URLSearchParams(call.query).get('filter') ?? '', /staffbase\.status eq "deactivated"/);
    }

    assert.ok(workflowId, 'the look-up ran as a workflow');
    const history = await client().workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) =>
      event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes] : [],
    );
    assert.ok(scheduled.length > 0, 'the look-up scheduled activities');
    for (const activity of scheduled) {
      assert.equal(activity.activityType?.name, 'readDirectoryPage');
      assert.equal(activity.taskQueue?.name, taskQueues.staffbaseApi);
      assert.equal(activity.priority?.priorityKey, priorityLanes.bulk);
    }
    // The file's names and the accounts found travel only encrypted (the payload codec).
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    assert.ok(raw.includes('readDirectoryPage'), 'the raw history is searched as stored');
    for (const name of ['adopt@example.test', 'emp-adopt', '"adopt"']) {
      assert.equal(raw.includes(name), false, `${name} in plain text in the history`);
    }
  });

  it('answers progress by query while a page waits out a 429 (Retry-After)', async () => {
    await seedAccounts(stack.control);
    // Two requests in the bucket, then a 429 asking to come back in 100 s.
    await stack.control.setRateLimit({ requestsPerSecond: 0.01, burst: 2, retryAfter: 'seconds' });
    const handle = await client().workflow.start<typeof directoryLookup>('directoryLookup', {
      taskQueue: taskQueues.lifecycle,
      workflowId: `directory-lookup-test-${process.pid}-${Date.now()}`,
      args: [{ keys: { externalIDs: ['emp-rehire'], userNames: [], emails: [] }, pageSize: 1 }],
    });
    stack.track(handle);
    await waitFor(
      async () => (await stack.control.log()).filter((call) => call.status === 429).length,
      (rejected) => rejected > 0,
      { what: 'a page refused with 429' },
    );
    const progress = await waitFor(
      () => handle.query(directoryLookupProgressQuery),
      (answer) => answer.pagesRead === 2,
      { what: 'two pages read' },
    );
    assert.deepEqual(progress, { pagesRead: 2, pagesTotal: 4, accountsRead: 2, done: false });
    await handle.terminate('test done');
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
