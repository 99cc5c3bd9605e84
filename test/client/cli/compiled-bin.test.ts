/**
 * The `staffbase-lifecycle` bin runs compiled JavaScript (client/cli/compiled-cli.mjs) and never stale
 * code: these start it as a person would and check what it runs, not how fast (that is
 * `npm run bench -- cli-start`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..', '..');
// An ES module (it runs before anything compiles TypeScript): this CommonJS test loads it by import().
const compiledCli = () => import('../../../client/cli/compiled-cli.mjs');
const bin = path.join(root, 'client', 'cli', 'bin.mjs');

/** The bin in a child process with only PATH and HOME: no key, no Temporal. */
function startBin(args: string[]) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
}

/** Every .js file under a folder, recursively. */
function compiledFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) return compiledFiles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

/** How Node finds a relative require(): the path itself, with .js or .json, or its index.js. */
function requireTarget(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

describe('the compiled staffbase-lifecycle bin', () => {
  it('prints the help from the compiled build, and status loads its lazy modules up to the connection', async () => {
    const { compileCli, freshCompiledCli } = await compiledCli();
    await compileCli();
    const compiled = freshCompiledCli();
    assert.ok(compiled, 'a build just made is fresh');
    assert.ok(compiled.startsWith(path.join(root, '.cache', 'cli')), compiled);

    const help = startBin(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: staffbase-lifecycle/);
    assert.match(help.stdout, / status <externalID> /);
    assert.equal(help.stderr, '', 'no fallback note: the compiled build ran');

    // Loads the Temporal client, the codec and the configuration (lazy imports in compiled form), then
    // stops with the configuration error where it would connect.
    const status = startBin(['status', 'emp-42']);
    assert.equal(status.status, 2, status.stderr);
    assert.match(status.stderr, /LIFECYCLE_ENCRYPTION_KEY is required/);
  });

  it('holds every file a compiled module requires or imports by a relative path', async () => {
    const { compileCli } = await compiledCli();
    const main = await compileCli();
    const build = path.resolve(path.dirname(main), '..', '..');
    const missing: string[] = [];
    let checked = 0;
    for (const file of compiledFiles(build)) {
      const code = readFileSync(file, 'utf8');
      for (const [, specifier] of code.matchAll(/\brequire\("(\.{1,2}\/[^"]+)"\)/g)) {
        checked += 1;
        if (specifier && !requireTarget(file, specifier))
          missing.push(`${path.relative(build, file)}: require("${specifier}")`);
      }
      // A dynamic import() is resolved as an ES module: the exact file, extension included.
      for (const [, specifier] of code.matchAll(/\bimport\("(\.{1,2}\/[^"]+)"\)/g)) {
        checked += 1;
        if (specifier && !existsSync(path.resolve(path.dirname(file), specifier))) {
          missing.push(`${path.relative(build, file)}: import("${specifier}")`);
        }
      }
    }
    assert.ok(checked > 100, `only ${checked} relative imports found: is the build complete?`);
    assert.deepEqual(missing, [], 'compiled modules point at files the build does not hold');
  });

  it('rebuilds when a source changed since the build, instead of running stale code', async () => {
    const { compileCli, freshCompiledCli } = await compiledCli();
    await compileCli();
    const before = freshCompiledCli();
    assert.ok(before);
    const source = path.join(root, 'client', 'cli', 'format.ts');
    const { atime, mtime } = statSync(source);
    try {
      // As an edit would: a newer modification time on one source the CLI is made of.
      utimesSync(source, atime, new Date(mtime.getTime() + 5_000));
      assert.equal(freshCompiledCli(), undefined, 'a changed source makes the build stale');

      const help = startBin(['--help']);
      assert.equal(help.status, 0, help.stderr);
      const after = freshCompiledCli();
      assert.ok(after, 'the start rebuilt the CLI');
      assert.notEqual(after, before, 'a new build, not the stale one');
    } finally {
      utimesSync(source, atime, mtime);
    }
  });

  it("compiles a source added, then edited, into the next start's build", async () => {
    const { freshCompiledCli } = await compiledCli();
    // A file of its own (no other source changes): nothing imports it, so only the build shows it.
    const probe = path.join(root, 'client', 'cli', 'zz-compiled-bin-probe.ts');
    const builtProbe = () => {
      const main = freshCompiledCli();
      assert.ok(main, 'the start left a fresh build');
      return readFileSync(path.join(path.dirname(main), 'zz-compiled-bin-probe.js'), 'utf8');
    };
    try {
      writeFileSync(probe, "export const probe: string = 'first';\n");
      const first = startBin(['--help']);
      assert.equal(first.status, 0, first.stderr);
      assert.match(builtProbe(), /probe = "first"/);

      writeFileSync(probe, "export const probe: string = 'second edit';\n");
      const second = startBin(['--help']);
      assert.equal(second.status, 0, second.stderr);
      assert.match(builtProbe(), /probe = "second edit"/);
    } finally {
      rmSync(probe, { force: true });
    }
  });
});
