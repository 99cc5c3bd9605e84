/**
 * Workflow bundles shared by every test process of one `npm test` run. Bundling workflows/ runs
 * webpack for seconds of CPU, and node:test runs each test file in a process of its own: some thirty
 * files would bundle the same code side by side on a two-core machine. tooling/run-tests.ts creates a
 * directory for the run and names it in SHARED_BUNDLE_DIR_ENV; the first process that needs a bundle
 * builds it and writes it there, the others wait for the file and read it. The sources do not change
 * during a run, so the bundle's key is what it is built from (entry file and interceptor modules).
 * Without the variable (a test file run by hand) every process bundles for itself, as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SHARED_BUNDLE_DIR_ENV = 'LIFECYCLE_TEST_BUNDLE_DIR';

/** A builder that takes longer than this is taken for dead (its process crashed): bundle here instead. */
const BUILDER_PATIENCE_MS = 180_000;
const POLL_MS = 100;

/**
 * The bundle's code for `key`, built by `build` in this process or in another one of the run.
 * A failed build is not shared: the next process to ask tries again (and reports its own error).
 */
export async function sharedBundleCode(
  key: string,
  build: () => Promise<string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const dir = env[SHARED_BUNDLE_DIR_ENV]?.trim();
  if (!dir) return build();
  const { file, lock } = bundleFiles(dir, key);
  for (;;) {
    if (existsSync(file)) return readFileSync(file, 'utf8');
    if (claim(lock)) {
      try {
        const code = await build();
        // Written beside and renamed: a reader never sees half a bundle.
        const partial = `${file}.${process.pid}.partial`;
        writeFileSync(partial, code);
        renameSync(partial, file);
        return code;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (ageMs(lock) > BUILDER_PATIENCE_MS) return build();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Where the bundle of `key` is kept, and the lock its builder holds meanwhile (a directory). */
export function bundleFiles(dir: string, key: string): { file: string; lock: string } {
  const name = createHash('sha256').update(key).digest('hex').slice(0, 24);
  return { file: path.join(dir, `${name}.js`), lock: path.join(dir, `${name}.building`) };
}

/** mkdir is atomic: exactly one process of the run creates the lock. */
function claim(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** How long the lock has been held; 0 when it is gone (the builder finished or gave up: look again). */
function ageMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}
