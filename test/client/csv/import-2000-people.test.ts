/**
 * Issue 29's proof at the scale HR works at: 2,000 hires imported by `staffbase-lifecycle import` (a
 * CSV, a spawned CLI, real workers on the dev server writing the person index into an embedded SQLite
 * store), then one of them found by last name — typed without its accents — through `GET /v1/people`
 * (what the console's people page asks) and `list --search`, with the exact total and counts.
 * The hires start in 60 days: the runs wait for their invitation day, so no Staffbase call is made.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildHttpApi } from '../../../client/http/app';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { type TempStore, openTempStore } from '../../helpers/temp-store';
import { waitFor } from '../../helpers/waiting';
import { cli, jsonOf } from '../cli/run-cli';

const KEY = 'hr-key-'.padEnd(32, 'x');
const HIRES = 2_000;
const firstNames = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Frances'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Knuth', 'Allen'];

interface PeopleAnswer {
  people: { externalID: string; name: string; lifecycle: string; stage: string; startDate: string }[];
  total: number;
  counts?: Record<string, Record<string, number>>;
}

describe('2,000 imported hires, one found by last name (dev server, CLI import, SQLite store)', () => {
  let store: TempStore;
  let stack: LifecycleTestStack;
  let dir: string;
  const prefix = `imp-${process.pid}`;
  const startDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const people = (query: string) =>
    buildHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
    })
      .inject({ method: 'GET', url: `/v1/people${query}`, headers: { authorization: `Bearer ${KEY}` } })
      .then((answer) => {
        assert.equal(answer.statusCode, 200, answer.body);
        return answer.json<PeopleAnswer>();
      });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'import-2000-'));
    store = await openTempStore(path.join(dir, 'store'));
    stack = await startLifecycleTestStack({ server: 'dev-server', store });
    await stack.startWorkers();
  });
  after(async () => {
    await stack?.terminateLeftoverRuns();
    await stack?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports 2,000 hires; the index counts them exactly and finds Zoë Kovačević as "kovacevic"', async () => {
    const hires = Array.from({ length: HIRES - 1 }, (_unused, n) => ({
      id: `${prefix}-${String(n).padStart(4, '0')}`,
      first: firstNames[n % firstNames.length] ?? 'Ada',
      last: lastNames[Math.floor(n / firstNames.length) % lastNames.length] ?? 'Lovelace',
    }));
    const found = `${prefix}-zk`;
    hires.splice(1_234, 0, { id: found, first: 'Zoë', last: 'Kovačević' });
    const rows = hires.map(
      ({ id, first, last }) => `${id},${id},${first},${last},${id}@example.test,${startDate}`,
    );
    const csv = path.join(dir, 'hires.csv');
    writeFileSync(csv, `externalID,userName,firstName,lastName,email,startDate\n${rows.join('\n')}\n`);
    const storeEnv = { LIFECYCLE_STORE_URL: `sqlite:${store.file}` };

    const imported = await cli(['import', csv, '--kind', 'onboarding'], {
      address: stack.env.address,
      env: storeEnv,
    });
    assert.equal(imported.code, 0, imported.stderr.slice(-2000));
    assert.match(imported.stdout, /started 2000, already running 0, already completed 0, rejected 0/);

    // Every run writes its first stage (scheduled) a moment after it starts.
    const everyone = await waitFor(
      () => people('?counts=true&limit=1'),
      (answer) => answer.total === HIRES,
      { what: 'all 2,000 imported hires in the person index', timeoutMs: 180_000, intervalMs: 1_000 },
    );
    assert.deepEqual(everyone.counts, { onboarding: { scheduled: HIRES } });

    const byLastName = await people('?q=KOVACEVIC');
    assert.equal(byLastName.total, 1);
    assert.deepEqual(
      byLastName.people.map((person) => [person.externalID, person.name, person.stage, person.startDate]),
      [[found, 'Zoë Kovačević', 'scheduled', startDate]],
    );
    const lovelaces = await people('?q=lovelace&limit=1');
    assert.equal(lovelaces.total, hires.filter((hire) => hire.last === 'Lovelace').length);

    const listed = await cli(['--json', 'list', '--search', 'kovacevic'], { env: storeEnv });
    assert.equal(listed.code, 0, listed.stderr);
    const page = jsonOf<{ people: { externalID: string }[]; total: number }>(listed);
    assert.deepEqual([page.total, page.people.map((person) => person.externalID)], [1, [found]]);
  });
});
