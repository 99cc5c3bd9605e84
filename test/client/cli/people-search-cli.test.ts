/**
 * `staffbase-lifecycle list --search`: the person index read straight from an embedded SQLite store
 * (seeded through the repository's write path), no Temporal — accent-insensitive search, the filters,
 * the exact total, paging by --cursor, --json, and bad flags refused (exit 2) naming the flag.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PersonWrite } from '../../../store';
import { accentedPerson, seedPeople } from '../../helpers/people-index';
import { type TempStore, openTempStore } from '../../helpers/temp-store';
import { cli, cliInProcess, jsonOf } from './run-cli';

interface SearchJson {
  store: string;
  people: { externalID: string; name: string | null; lifecycle: string; stage: string }[];
  total: number;
  nextCursor: string | null;
}

describe('staffbase-lifecycle list --search (person index)', () => {
  let store: TempStore;
  let people: PersonWrite[];
  let env: Record<string, string>;
  const search = (args: string[]) => cliInProcess(['list', '--search', ...args], env);

  before(async () => {
    store = await openTempStore();
    people = await seedPeople(store, 'emp', 60, [accentedPerson('zk-1')]);
    env = { LIFECYCLE_STORE_URL: `sqlite:${store.file}` };
  });
  after(() => store.close());

  it('finds a person by last name without its accents, as a table with the exact total', async () => {
    // As a person runs it: the bin in a process of its own.
    const result = await cli(['list', '--search', 'kovacevic'], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^EXTERNAL ID +NAME +LIFECYCLE +STAGE/m);
    assert.match(result.stdout, /^zk-1 +Zoë Kovačević +onboarding +awaiting-activation +2027-03-15/m);
    assert.match(result.stdout, /1 shown of 1 matching \(person index, sqlite:/);
    assert.doesNotMatch(result.stdout, /next page/);
  });

  it('pages through everyone with --json and --cursor: no one skipped, no one twice', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result = await search(['', '--limit', '25', '--json', ...(cursor ? ['--cursor', cursor] : [])]);
      assert.equal(result.code, 0, result.stderr);
      const page = jsonOf<SearchJson>(result);
      assert.equal(page.total, people.length);
      seen.push(...page.people.map((person) => person.externalID));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 5);
    assert.equal(pages, 3);
    assert.deepEqual(seen, people.map((person) => person.externalID).sort());

    const text = await search(['', '--limit', '25']);
    assert.match(text.stdout, /25 shown of 61 matching/);
    assert.match(text.stdout, /^next page: --cursor [A-Za-z0-9_-]+$/m);
  });

  it('filters by --lifecycle, --stage and --from/--to with the search text', async () => {
    const expected = people
      .filter((p) => p.lastName === 'Lovelace' && p.lifecycle === 'onboarding' && p.stage === 'completed')
      .map((p) => p.externalID);
    assert.ok(expected.length > 0);
    const result = await search([
      'lovelace',
      '--lifecycle',
      'onboarding',
      '--stage',
      'completed',
      '--limit',
      '100',
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const page = jsonOf<SearchJson>(result);
    assert.equal(page.total, expected.length);
    assert.deepEqual(
      page.people.map((p) => p.externalID),
      expected,
    );

    const dated = people.filter((p) => (p.startDate ?? p.lastWorkingDay ?? '') === '2027-01-05');
    const byDate = jsonOf<SearchJson>(
      await search(['', '--from', '2027-01-05', '--to', '2027-01-05', '--json']),
    );
    assert.equal(byDate.total, dated.length);
  });

  it('refuses bad flags with exit 2 naming the flag, before reading anything', async () => {
    const refused = async (args: string[], flag: RegExp) => {
      const result = await cliInProcess(['list', ...args], env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, flag);
    };
    await refused(['--search', 'x', '--limit', '101'], /--limit/);
    await refused(['--search', 'x', '--cursor', 'bm90LWEtY3Vyc29y'], /--cursor/);
    await refused(['--search', 'x', '--from', '2027-02-30'], /--from/);
    await refused(['--search', 'x', '--from', '2027-02-01', '--to', '2027-01-01'], /--to/);
    await refused(['--search', 'x', '--all'], /--all/);
    await refused(['--cursor', 'abc'], /--cursor: only with --search/);
  });
});
