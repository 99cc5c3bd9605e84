/**
 * The workflow bundles shared by the test processes of one run (test/helpers/shared-bundles.ts): built
 * once per key, read by everyone else, never half-read, a failed or abandoned build not shared. Several
 * callers in one process stand for several processes: they meet only through the directory.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SHARED_BUNDLE_DIR_ENV, bundleFiles, sharedBundleCode } from '../helpers/shared-bundles';

describe('shared workflow bundles', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'shared-bundles-test-'));
    env = { [SHARED_BUNDLE_DIR_ENV]: dir };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A build that counts its calls and finishes when told to. */
  function slowBuild(code: string) {
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const build = {
      calls: 0,
      finish: () => finish(),
      run: async () => {
        build.calls += 1;
        await finished;
        return code;
      },
    };
    return build;
  }

  it('builds a bundle once for callers that ask at the same time, and once more for none', async () => {
    const build = slowBuild('bundle-a');
    const first = sharedBundleCode('key-a', build.run, env);
    const second = sharedBundleCode('key-a', build.run, env);
    // Let the second caller poll a few times: it must keep waiting, not build.
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(build.calls, 1, 'the second caller waits for the first one’s build');
    build.finish();
    assert.deepEqual(await Promise.all([first, second]), ['bundle-a', 'bundle-a']);
    assert.equal(await sharedBundleCode('key-a', build.run, env), 'bundle-a');
    assert.equal(build.calls, 1, 'a later caller reads the file');
    assert.deepEqual(
      readdirSync(dir).filter((name) => !name.endsWith('.js')),
      [],
      'no lock or partial left',
    );
  });

  it('keeps bundles of different keys apart', async () => {
    assert.equal(await sharedBundleCode('key-a', () => Promise.resolve('bundle-a'), env), 'bundle-a');
    assert.equal(await sharedBundleCode('key-b', () => Promise.resolve('bundle-b'), env), 'bundle-b');
    assert.equal(await sharedBundleCode('key-a', () => Promise.resolve('wrong'), env), 'bundle-a');
  });

  it('does not share a failed build: the next caller builds again', async () => {
    await assert.rejects(
      sharedBundleCode('key-a', () => Promise.reject(new Error('webpack failed')), env),
      /webpack failed/,
    );
    assert.equal(await sharedBundleCode('key-a', () => Promise.resolve('bundle-a'), env), 'bundle-a');
  });

  it('builds for itself when the builder of the run is gone (its lock left behind)', async () => {
    const { lock } = bundleFiles(dir, 'key-a');
    mkdirSync(lock);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(lock, longAgo, longAgo);
    assert.equal(await sharedBundleCode('key-a', () => Promise.resolve('bundle-a'), env), 'bundle-a');
    assert.ok(existsSync(lock), 'the abandoned lock is not taken over: this build is not shared');
  });

  it('builds in every process when the runner shares nothing', async () => {
    let calls = 0;
    const build = () => Promise.resolve(`bundle-${++calls}`);
    assert.equal(await sharedBundleCode('key-a', build, {}), 'bundle-1');
    assert.equal(await sharedBundleCode('key-a', build, {}), 'bundle-2');
  });
});
