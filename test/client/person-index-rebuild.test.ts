/**
 * `staffbase-lifecycle store rebuild` (client/person-index-rebuild.ts): real onboardings and
 * offboardings on the dev server write the live index through their workers; the CLI then rebuilds the
 * index from Temporal into a fresh SQLite store, and both must show the same people, lifecycle, stage,
 * outcome, dates, attention code and runs. A second rebuild changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cancelOnboarding, deleteNow } from '../../client/lifecycle-actions';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { type LifecycleStore, type PersonRecord, openStore } from '../../store';
import { onboardingActivatedSignal } from '../../workflows/onboarding-messages';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { seedLeaver } from '../helpers/offboarding-runs';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { type StoreDatabases, startStoreDatabases } from '../helpers/store-databases';
import { waitFor, waitForVisibleCount } from '../helpers/waiting';
import { cli } from './cli/run-cli';

const day = 86_400_000;
const isoDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/** What the rebuild must reproduce (updatedAt is the write's moment: the run's or the close's). */
const compared = ({ updatedAt: _updatedAt, ...row }: PersonRecord) => row;

describe('store rebuild: the index recomputed from Temporal equals the live one (dev server)', () => {
  let databases: StoreDatabases;
  let live: LifecycleStore;
  let stack: LifecycleTestStack;
  const dir = mkdtempSync(path.join(tmpdir(), 'store-rebuild-'));

  before(async () => {
    databases = await startStoreDatabases('sqlite');
    ({ store: live } = await databases.freshStore());
    stack = await startLifecycleTestStack({ server: 'dev-server', store: live });
    await stack.startWorkers();
  });
  after(async () => {
    await stack.terminateLeftoverRuns();
    await stack.close();
    await databases.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => stack.env.client;
  const liveRow = (externalID: string, what: string, wanted: (person: PersonRecord) => boolean) =>
    waitFor(
      () => live.people.person(externalID),
      (person) => person !== undefined && wanted(person),
      { what: `${externalID}: ${what}`, timeoutMs: 30_000 },
    );

  it('rebuilds open and closed runs of both lifecycles as the runs wrote them, idempotently', async () => {
    // Activated, then leaving: an onboarding closed, an offboarding in retention (names carried).
    const ann = newHire();
    const annOnboarding = stack.track(await startOnboarding(client(), ann, onboardingPolicy()));
    await liveRow(ann.externalID, 'invited', (p) => p.stage === 'awaiting-activation');
    await stack.control.activate(ann.externalID);
    await client().workflow.getHandle(annOnboarding.workflowId).signal(onboardingActivatedSignal, {});
    await client().workflow.getHandle(annOnboarding.workflowId).result();
    const lastWorkingDay = isoDate(Date.now() - day);
    stack.track(
      await startOffboarding(
        client(),
        { externalID: ann.externalID, lastWorkingDay, retentionDays: 30 },
        offboardingPolicy(),
      ),
    );
    // Scheduled for a start in ten days: open.
    const ben = newHire({ startDate: isoDate(Date.now() + 10 * day) });
    stack.track(await startOnboarding(client(), ben, onboardingPolicy()));
    // Cancelled after the invitation: closed.
    const cai = newHire();
    const caiRun = stack.track(await startOnboarding(client(), cai, onboardingPolicy()));
    await liveRow(cai.externalID, 'invited', (p) => p.stage === 'awaiting-activation');
    await cancelOnboarding(client(), cai.externalID, 'offer withdrawn');
    await client().workflow.getHandle(caiRun.workflowId).result();
    // A leaver deleted now: closed.
    const dee = await seedLeaver(stack.control, { sessions: 1 });
    const deeRun = stack.track(
      await startOffboarding(
        client(),
        { externalID: dee.externalID, retentionDays: 30 },
        offboardingPolicy(),
      ),
    );
    await liveRow(dee.externalID, 'retention', (p) => p.stage === 'retention');
    await deleteNow(client(), dee.externalID);
    await client().workflow.getHandle(deeRun.workflowId).result();
    // Parked in needs-attention (a taken userName): open, with its attention code.
    const id = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `someone-else-${id}`,
      userName: `taken.${id}`,
      emails: [{ value: `other.${id}@example.test`, primary: true }],
    });
    const eve = newHire({ userName: `taken.${id}` });
    stack.track(await startOnboarding(client(), eve, onboardingPolicy()));

    await liveRow(
      ann.externalID,
      'retention',
      (p) => p.lifecycle === 'offboarding' && p.stage === 'retention',
    );
    await liveRow(ben.externalID, 'scheduled', (p) => p.stage === 'scheduled');
    await liveRow(eve.externalID, 'needs-attention', (p) => p.stage === 'needs-attention');
    const people = [ann.externalID, ben.externalID, cai.externalID, dee.externalID, eve.externalID];
    // Visibility indexes a moment after the runs say so: all six runs, three of them closed.
    await waitForVisibleCount(client(), `WorkflowType IN ('onboarding', 'offboarding')`, 6);
    await waitForVisibleCount(
      client(),
      `WorkflowType IN ('onboarding', 'offboarding') AND ExecutionStatus = 'Completed'`,
      3,
    );

    const file = path.join(dir, 'rebuilt.sqlite');
    const run = (args: string[]) =>
      cli(['store', 'rebuild', ...args], {
        address: stack.env.address,
        env: { LIFECYCLE_STORE_URL: `sqlite:${file}` },
      });
    const first = await run(['--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), {
      store: `sqlite:${file}`,
      runs: 6,
      applied: 6,
      skipped: 0,
      people: 5,
    });

    const rebuilt = await openStore({ kind: 'sqlite', file });
    try {
      for (const externalID of people) {
        const liveRecord = await live.people.person(externalID);
        const rebuiltRecord = await rebuilt.people.person(externalID);
        assert.ok(liveRecord && rebuiltRecord, `${externalID} in both`);
        assert.deepEqual(compared(rebuiltRecord), compared(liveRecord), externalID);
      }
      const annRow = await rebuilt.people.person(ann.externalID);
      assert.equal(
        annRow?.name,
        `${ann.firstName} ${ann.lastName}`,
        'the offboarding keeps the onboarding’s name',
      );
      assert.equal(annRow?.lastWorkingDay, lastWorkingDay);
      assert.equal((await rebuilt.people.person(dee.externalID))?.outcome, 'deleted');
      assert.equal((await rebuilt.people.person(eve.externalID))?.attentionCode, 'conflict');
      assert.deepEqual(
        (await rebuilt.people.milestones(dee.externalID)).map((milestone) => milestone.kind),
        ['started', 'deleted'],
      );
      const everyone = await rebuilt.people.findPeople({ limit: 100 });
      assert.equal(everyone.total, 5);
    } finally {
      await rebuilt.close();
    }

    const again = await run(['--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      (JSON.parse(again.stdout) as { applied: number }).applied,
      0,
      'a second rebuild changes no row',
    );
    const human = await run([]);
    assert.match(human.stdout, /rebuilt the person index from 6 run\(s\) of 5 people/);
  });
});
