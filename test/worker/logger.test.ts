import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../worker/logger';

const SECRET = 'c2VjcmV0LXRva2VuLXZhbHVl';

function capture(format: 'json' | 'pretty', level: 'INFO' | 'DEBUG' = 'INFO') {
  const lines: string[] = [];
  const logger = createLogger({ format, level, secrets: [SECRET], write: (line) => lines.push(line) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and metadata', () => {
    const { logger, lines } = capture('json');
    logger.info('Worker started', { taskQueue: 'staffbase-api', count: 2n });
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(entry.level, 'info');
    assert.equal(entry.msg, 'Worker started');
    assert.equal(entry.taskQueue, 'staffbase-api');
    assert.equal(entry.count, '2');
    assert.ok(!Number.isNaN(Date.parse(String(entry.time))));
  });

  it('serialises errors with their message and stack', () => {
    const { logger, lines } = capture('json');
    logger.error('Failed', { error: new Error('boom', { cause: new Error('root') }) });
    const entry = JSON.parse(lines[0] ?? '') as {
      error: { message: string; stack: string; cause: { message: string } };
    };
    assert.equal(entry.error.message, 'boom');
    assert.match(entry.error.stack, /boom/);
    assert.equal(entry.error.cause.message, 'root');
  });

  it('writes readable lines in pretty format', () => {
    const { logger, lines } = capture('pretty');
    logger.warn('Reminders are not delivered', { notifier: 'log only', port: 9464 });
    assert.match(
      lines[0] ?? '',
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}Reminders are not delivered {2}notifier="log only" port=9464$/,
    );
  });

  it('drops lines below the level', () => {
    const { logger, lines } = capture('json', 'INFO');
    logger.debug('noise');
    logger.trace('more noise');
    assert.equal(lines.length, 0);
  });

  it('scrubs secret values from every line, message and metadata alike', () => {
    for (const format of ['json', 'pretty'] as const) {
      const { logger, lines } = capture(format);
      logger.info(`calling with ${SECRET}`, {
        header: `Basic ${SECRET}`,
        error: new Error(`token ${SECRET}`),
      });
      assert.ok(!lines.join('\n').includes(SECRET), `${format}: the secret was logged`);
      assert.match(lines.join('\n'), /\[redacted\]/);
    }
  });
});
