/**
 * The CLI (spawned, as a user runs it) finds its Temporal dev server through a profile of Temporal's
 * TOML config file: named by TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE or at the default location, with
 * the environment overriding the file. The file's API key is sent but never printed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServerEnvironment } from '../../helpers/temporal';
import { type CliRun, cli } from './run-cli';

const API_KEY = 'tmprl-profile-cli-key-0123456789abcdef';
const nowhere = '127.0.0.1:1';

describe('CLI with a Temporal config file profile (spawned, against the dev server)', () => {
  let env: TestWorkflowEnvironment;
  let address: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'temporal-profile-cli-'));
  let configFile: string;
  const noSecret = (run: CliRun) => {
    assert.ok(!run.stdout.includes(API_KEY) && !run.stderr.includes(API_KEY), 'the API key is never printed');
  };
  /** No default file of the machine running the tests is read: HOME and XDG_CONFIG_HOME point here. */
  const isolated = { HOME: path.join(dir, 'home'), XDG_CONFIG_HOME: path.join(dir, 'xdg') };

  before(async () => {
    env = await startDevServerEnvironment();
    address = (env as unknown as { address: string }).address;
    configFile = path.join(dir, 'temporal.toml');
    // `default` points nowhere; `dev` at the dev server, with an API key over plain TCP (the dev server ignores it).
    writeFileSync(
      configFile,
      `[profile.default]\naddress = "${nowhere}"\n\n[profile.dev]\naddress = "${address}"\nnamespace = "default"\napi_key = "${API_KEY}"\n[profile.dev.tls]\ndisabled = true\n`,
    );
  });
  after(async () => {
    await env?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects by the named profile, and the environment overrides the file', async () => {
    const [byProfile, overridden, defaultProfile] = await Promise.all([
      cli(['--json', 'list'], {
        env: { ...isolated, TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'dev' },
      }),
      // The default profile points nowhere; TEMPORAL_ADDRESS wins over it.
      cli(['--json', 'list'], {
        env: { ...isolated, TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_ADDRESS: address },
      }),
      // Without the override the default profile's address is the one dialled: unreachable, exit 5.
      cli(['--json', 'list', '--connect-timeout', '1'], {
        env: { ...isolated, TEMPORAL_CONFIG_FILE: configFile },
      }),
    ]);
    assert.equal(byProfile.code, 0, byProfile.stderr);
    noSecret(byProfile);
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.equal(defaultProfile.code, 5, defaultProfile.stderr);
    assert.match(defaultProfile.stdout, /config file profile/, 'the hint names the profile as a place to look');
  });

  it('reads the default file ($XDG_CONFIG_HOME/temporalio/temporal.toml) without TEMPORAL_CONFIG_FILE', async () => {
    const defaultFile = path.join(isolated.XDG_CONFIG_HOME, 'temporalio', 'temporal.toml');
    mkdirSync(path.dirname(defaultFile), { recursive: true });
    writeFileSync(defaultFile, `[profile.default]\naddress = "${address}"\n`);
    try {
      const run = await cli(['--json', 'list'], { env: isolated });
      assert.equal(run.code, 0, run.stderr);
    } finally {
      rmSync(defaultFile);
    }
  });

  it('stops before connecting, naming the profile and the file, when the profile is absent', async () => {
    const run = await cli(['status', 'emp-x'], {
      env: { ...isolated, TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'prod' },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.ok(
      run.stderr.includes(`TEMPORAL_PROFILE is "prod", but ${configFile} has no [profile.prod]`),
      run.stderr,
    );
    noSecret(run);
  });
});
