import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../simulator/server';
import { type ApiUser } from '../../simulator/types';
import { apiCaller, startTestSimulator, TEST_TOKEN } from '../helpers/simulator';

describe('data file persistence (SIMULATOR_DATA_FILE)', () => {
  let directory: string;
  before(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'simulator-data-'));
  });
  after(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps users, their state and counters across a restart', async () => {
    const dataFile = path.join(directory, 'nested', 'users.json');
    const first = await startTestSimulator({ dataFile });
    let id: string;
    try {
      const api = apiCaller(first.simulator, first.token);
      const created = await api<ApiUser>('POST', '/users', {
        body: { externalID: 'keep-me', firstName: 'K', lastName: 'M', emails: [{ value: 'k@example.com' }] },
      });
      id = created.body.id;
      await api('POST', '/users', {
        body: { externalID: 'drop-me', firstName: 'D', lastName: 'M', emails: [{ value: 'd@example.com' }] },
      });
      await first.control.login('keep-me');
      await api('DELETE', '/users/drop-me');
    } finally {
      await first.simulator.close();
    }
    assert.deepEqual(readdirSync(path.dirname(dataFile)), ['users.json'], 'no temp file left behind');
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as { version: number; users: unknown[] };
    assert.equal(saved.version, 1);
    assert.equal(saved.users.length, 1);

    const second = await startTestSimulator({ dataFile });
    try {
      const api = apiCaller(second.simulator, second.token);
      const reloaded = await api<ApiUser>('GET', '/users/keep-me');
      assert.equal(reloaded.status, 200);
      assert.equal(reloaded.body.id, id);
      assert.equal(reloaded.body.status, 'activated');
      assert.equal((await second.control.user('keep-me'))?.sessions, 1);
      assert.equal((await api('GET', '/users/drop-me')).status, 404, 'deleted stays deleted');
      assert.equal(
        (
          await api('POST', '/users', {
            body: { externalID: 'keep-me', firstName: 'X', lastName: 'Y', userName: 'x' },
          })
        ).status,
        409,
        'uniqueness covers reloaded users',
      );
    } finally {
      await second.simulator.close();
    }
  });

  it('refuses to start on a file that is not a simulator data file, naming it', async () => {
    const dataFile = path.join(directory, 'broken.json');
    writeFileSync(dataFile, '{"users": "nope"}');
    await assert.rejects(startSimulator({ token: TEST_TOKEN, port: 0, dataFile }), (error: Error) =>
      error.message.includes(dataFile),
    );
    writeFileSync(dataFile, '{not json');
    await assert.rejects(startSimulator({ token: TEST_TOKEN, port: 0, dataFile }), /not valid JSON/);
  });
});
