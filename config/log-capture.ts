/**
 * For the test suite's personal-data check (tooling/log-check.ts): when LIFECYCLE_LOG_CAPTURE_DIR is
 * set, every logger of the project (the worker's and `npm start`'s, the HR API's, the tests' own
 * Temporal runtime) also appends each line it writes — after secrets are redacted, at every level
 * down to debug — to `<dir>/<source>-<pid>.log`. `npm test` sets it for every test process; child
 * processes started by tests get it through `logCaptureEnv()`. Unset (production), nothing happens.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';

export const LOG_CAPTURE_DIR_ENV = 'LIFECYCLE_LOG_CAPTURE_DIR';

export type LogLineSink = (line: string) => void;

/** Where this process's lines from `source` go, or undefined when capture is off. */
export function logCapture(source: string, env: NodeJS.ProcessEnv = process.env): LogLineSink | undefined {
  const dir = env[LOG_CAPTURE_DIR_ENV]?.trim();
  if (!dir) return undefined;
  const file = path.join(dir, `${source.replace(/[^\w.-]/g, '_')}-${process.pid}.log`);
  return (line) => {
    try {
      appendFileSync(file, `${line}\n`);
    } catch {
      // The directory went away (the test run is over): a log line must never fail the process.
    }
  };
}

/** The variable for a child process's environment, when this process captures (tests spawn with a clean env). */
export function logCaptureEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const dir = env[LOG_CAPTURE_DIR_ENV]?.trim();
  return dir ? { [LOG_CAPTURE_DIR_ENV]: dir } : {};
}
