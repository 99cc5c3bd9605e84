import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  TemporalBinaryNotFoundError,
  resolveTemporalBinary,
  temporalExecutable,
} from '../../tooling/temporal-binaries';

describe('Temporal binary resolver', () => {
  it('finds both project-installed binaries, and they run', () => {
    const cli = resolveTemporalBinary('cli');
    const version = spawnSync(cli, ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0);
    assert.match(version.stdout, /temporal version \d+\.\d+\.\d+/);
    assert.ok(resolveTemporalBinary('test-server').endsWith('temporal-test-server'));
  });

  it('fails with the install command named when an override points nowhere', () => {
    const env = { TEMPORAL_CLI_PATH: '/nonexistent/temporal', PATH: '' };
    assert.throws(
      () => resolveTemporalBinary('cli', env),
      (error: unknown) => {
        assert.ok(error instanceof TemporalBinaryNotFoundError);
        assert.match(error.message, /TEMPORAL_CLI_PATH points to \/nonexistent\/temporal/);
        assert.match(error.message, /npm run install:temporal/);
        return true;
      },
    );
  });

  it('falls back to the SDK download only when explicitly allowed', () => {
    const nowhere = '/nonexistent/.tools/bin';
    assert.throws(
      () => temporalExecutable('test-server', { PATH: '' }, nowhere),
      TemporalBinaryNotFoundError,
    );
    assert.deepEqual(
      temporalExecutable('test-server', { PATH: '', TEMPORAL_ALLOW_SDK_DOWNLOAD: '1' }, nowhere),
      {
        type: 'cached-download',
      },
    );
    // An explicit but wrong override is a mistake to report, never silently replaced by a download.
    const badOverride = {
      PATH: '',
      TEMPORAL_TEST_SERVER_PATH: '/nonexistent/ts',
      TEMPORAL_ALLOW_SDK_DOWNLOAD: '1',
    };
    assert.throws(() => temporalExecutable('test-server', badOverride, nowhere), TemporalBinaryNotFoundError);
  });

  it('makes a smoke test fail with a clear error and non-zero exit when the server binary is missing', () => {
    const smoke = path.join(__dirname, 'temporal-servers.test.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter', 'tap', smoke], {
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_TEST_CONTEXT: undefined, // run as a top-level test run, not as a child of this one
        TEMPORAL_TEST_SERVER_PATH: '/nonexistent/temporal-test-server',
        TEMPORAL_CLI_PATH: '/nonexistent/temporal',
      },
      timeout: 120_000,
    });
    assert.notEqual(run.status, 0);
    assert.match(
      run.stdout + run.stderr,
      /TEMPORAL_TEST_SERVER_PATH points to \/nonexistent\/temporal-test-server/,
    );
  });
});
