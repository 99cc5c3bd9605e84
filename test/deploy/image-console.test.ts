/**
 * The HR console as the image serves it (issue 25: the image answered 503 at `/`). Without Docker:
 * the build context after .dockerignore, the build stage's compile and console steps read from the
 * Dockerfile and run there, dist/ copied into an `/app`-like folder as the runtime stage does, and
 * compose's hr-api command run with node from that folder. tsc copies package.json into dist/ (a
 * source file imports it), which is what made the old lookup take dist/ for the project root.
 * The workflow bundle step is left out: the HR API does not read it. (The cluster test replays every
 * step of the Dockerfile, npm ci included.)
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { parseDockerfile } from '../helpers/cluster/dockerfile-build';
import { copyBuildContext } from '../helpers/cluster/dockerignore';
import { composeService, projectRoot, readComposeFile } from '../helpers/cluster/compose-file';
import { testEncryptionEnv } from '../helpers/encryption';
import { startDevServerEnvironment } from '../helpers/temporal';
import { waitFor } from '../helpers/waiting';

/** The build stage's RUN commands that write dist/ (tsc) and dist/console, as the Dockerfile spells them. */
function compileAndConsoleCommands(): string[] {
  const steps = parseDockerfile(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8'));
  const commands = steps
    .filter((step) => step.instruction === 'RUN')
    .flatMap((step) => step.argument.split('&&').map((part) => part.trim()))
    .filter((command) =>
      /^npx tsc -p tsconfig\.build\.json\b|^npx tsx tooling\/build-console\.ts\b/.test(command),
    );
  assert.equal(
    commands.length,
    2,
    `expected the tsc and the console step in the Dockerfile, found ${commands.join(' | ')}`,
  );
  return commands;
}

/** The runtime stage's copy of the build output (`COPY --from=build /app/dist ./dist`). */
function runtimeCopiesDist(): boolean {
  const steps = parseDockerfile(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8'));
  return steps.some(
    (step) => step.instruction === 'COPY' && /^--from=build\s+\/app\/dist\s+\.\/dist$/.test(step.argument),
  );
}

describe('the image-built HR API serves the HR console', () => {
  let workDir: string;
  let app: string;
  let env: TestWorkflowEnvironment;
  let api: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';

  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'image-console-'));
    const context = path.join(workDir, 'context');
    copyBuildContext(projectRoot, context);
    // The build stage's `npm ci`: the project's own dependencies stand in for it.
    symlinkSync(path.join(projectRoot, 'node_modules'), path.join(context, 'node_modules'), 'dir');
    for (const command of compileAndConsoleCommands()) {
      execFileSync('/bin/sh', ['-c', command], { cwd: context, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    }
    assert.ok(runtimeCopiesDist(), 'the runtime stage copies /app/dist from the build stage');
    app = path.join(workDir, 'app');
    mkdirSync(app);
    cpSync(path.join(context, 'package.json'), path.join(app, 'package.json'));
    symlinkSync(path.join(projectRoot, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    cpSync(path.join(context, 'dist'), path.join(app, 'dist'), { recursive: true });
    env = await startDevServerEnvironment();
  });

  after(async () => {
    api?.kill('SIGKILL');
    await env?.teardown();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('answers `/` with the console page and serves the script that page loads', async () => {
    // The layout that hid the console: a package.json inside dist/ as well as in /app.
    assert.ok(
      existsSync(path.join(app, 'dist', 'package.json')),
      'tsc no longer copies package.json into dist/',
    );
    assert.ok(existsSync(path.join(app, 'dist', 'console', 'index.html')));
    const command = composeService(readComposeFile(), 'hr-api').command;
    assert.ok(Array.isArray(command) && command[0] === 'node');
    api = spawn('node', command.slice(1), {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ...testEncryptionEnv,
        TEMPORAL_ADDRESS: env.address,
        LIFECYCLE_API_KEY: `image-${randomBytes(24).toString('hex')}`,
        LIFECYCLE_API_HOST: '127.0.0.1',
        LIFECYCLE_API_PORT: '0',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    api.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await waitFor(
      () => Promise.resolve(stdout.split('\n').find((text) => text.includes('HR API listening'))),
      (found) => found !== undefined,
      { what: `"HR API listening" (stderr: ${stderr})`, timeoutMs: 60_000 },
    );
    const url = (JSON.parse(line ?? '{}') as { url: string }).url;

    const page = await fetch(`${url}/`);
    const html = await page.text();
    assert.equal(page.status, 200, html.slice(0, 300));
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const script = /<script[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
    assert.ok(script, 'the console page loads a script');
    const scriptResponse = await fetch(new URL(script, `${url}/`));
    assert.equal(scriptResponse.status, 200);
    assert.match(scriptResponse.headers.get('content-type') ?? '', /^text\/javascript/);
    const body = await scriptResponse.text();
    assert.equal(body, readFileSync(path.join(app, 'dist', 'console', 'app.js'), 'utf8'));
  });
});
