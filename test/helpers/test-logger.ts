/**
 * The Temporal runtime logger of test processes: errors on stderr as before (worker chatter is noise
 * in test output), and — when `npm test` captures logs for its personal-data check
 * (config/log-capture.ts) — every line down to debug into the capture, as JSON like production.
 */
import { DefaultLogger, type Logger } from '@temporalio/worker';
import { logCapture } from '../../config/log-capture';
import { formatJson, formatPretty } from '../../worker/logger';

export function testRuntimeLogger(source = 'test-process'): Logger {
  const capture = logCapture(source);
  if (!capture) return new DefaultLogger('ERROR');
  return new DefaultLogger('DEBUG', (entry) => {
    capture(formatJson(entry));
    if (entry.level === 'ERROR') process.stderr.write(`${formatPretty(entry)}\n`);
  });
}
