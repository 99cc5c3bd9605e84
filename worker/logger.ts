/**
 * The process logger, also installed as the Temporal runtime's logger (SDK, workflow and activity
 * logs all pass through it): one JSON object per line in production, one readable line in dev.
 * Every line is scrubbed of the configured secret values before it is written.
 */
import { DefaultLogger, type LogEntry, type Logger } from '@temporalio/worker';
import { redactSecrets } from '../config/config-error';
import { logCapture } from '../config/log-capture';
import { type LogFormat, type LogLevelName } from '../config/logging';

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevelName;
  /** Values (tokens, passwords) that must never appear in a log line. */
  secrets?: readonly string[];
  /** Where finished lines go; default stdout. */
  write?: (line: string) => void;
  /** Which process writes, for the test suite's log capture (config/log-capture.ts); default `worker`. */
  source?: string;
}

const levelRank: Record<LogLevelName, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** Errors, bigints and cycles made JSON-safe; errors keep name, message, stack and cause. */
function jsonSafe(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(value.stack && { stack: value.stack }),
      ...(value.cause !== undefined && { cause: jsonSafe(value.cause, seen) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, seen));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonSafe(item, seen)]));
}

function isoTime(entry: LogEntry): string {
  return new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
}

export function formatJson(entry: LogEntry): string {
  const meta = entry.meta ? (jsonSafe(entry.meta) as Record<string, unknown>) : {};
  return JSON.stringify({
    time: isoTime(entry),
    level: entry.level.toLowerCase(),
    msg: entry.message,
    ...meta,
  });
}

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /\s|=|"/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(jsonSafe(value));
}

export function formatPretty(entry: LogEntry): string {
  const time = isoTime(entry).slice(11, 23);
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(entry.meta ?? {})) {
    if (value instanceof Error) {
      fields.push(`${key}=${prettyValue(`${value.name}: ${value.message}`)}`);
      if (value.stack) stack += `\n${value.stack}`;
    } else if (value !== undefined) {
      fields.push(`${key}=${prettyValue(value)}`);
    }
  }
  const tail = fields.length > 0 ? `  ${fields.join(' ')}` : '';
  return `${time} ${entry.level.padEnd(5)} ${entry.message}${tail}${stack}`;
}

export function createLogger(options: LoggerOptions): Logger {
  const format = options.format === 'json' ? formatJson : formatPretty;
  const secrets = options.secrets ?? [];
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const capture = logCapture(options.source ?? 'worker');
  if (!capture) {
    return new DefaultLogger(options.level, (entry) => write(redactSecrets(format(entry), secrets)));
  }
  // Capturing (tests): debug lines too, so the check sees what a LOG_LEVEL=debug deployment would write.
  const captureLevel = levelRank[options.level] < levelRank.DEBUG ? options.level : 'DEBUG';
  return new DefaultLogger(captureLevel, (entry) => {
    const line = redactSecrets(format(entry), secrets);
    capture(line);
    if (levelRank[entry.level] >= levelRank[options.level]) write(line);
  });
}
