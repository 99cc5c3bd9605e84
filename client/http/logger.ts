/**
 * The HR API's log: one JSON object per line in production, one readable line in development, at
 * LOG_LEVEL. Fastify's own logger is off; the API writes one line per request itself, from the
 * method, the path, the status and the duration — never a header, never a body. Every line is
 * also scrubbed of the configured secret values (the API key among them) before it is written.
 */
import { redactSecrets } from '../../config/config-error';
import { logCapture } from '../../config/log-capture';
import { type LogFormat, type LogLevelName } from '../../config/logging';

export type LogFields = Record<string, unknown>;

export interface ApiLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface ApiLoggerOptions {
  format: LogFormat;
  level: LogLevelName;
  /** Values (keys, tokens) that must never appear in a log line. */
  secrets?: readonly string[];
  /** Where finished lines go; default stdout (errors and warnings: stderr). */
  write?: (line: string, level: LogLevelName) => void;
}

const rank: Record<LogLevelName, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

function jsonSafe(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(value.stack && { stack: value.stack }) };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function formatJson(level: LogLevelName, message: string, fields: LogFields): string {
  const safe = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, jsonSafe(value)]));
  return JSON.stringify({
    time: new Date().toISOString(),
    level: level.toLowerCase(),
    msg: message,
    ...safe,
  });
}

function formatPretty(level: LogLevelName, message: string, fields: LogFields): string {
  const parts: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Error) {
      parts.push(`${key}=${JSON.stringify(`${value.name}: ${value.message}`)}`);
      if (value.stack) stack += `\n${value.stack}`;
    } else if (typeof value === 'string') {
      parts.push(`${key}=${/\s|=|"/.test(value) ? JSON.stringify(value) : value}`);
    } else {
      parts.push(`${key}=${JSON.stringify(jsonSafe(value))}`);
    }
  }
  const time = new Date().toISOString().slice(11, 23);
  return `${time} ${level.padEnd(5)} ${message}${parts.length > 0 ? `  ${parts.join(' ')}` : ''}${stack}`;
}

const defaultWrite = (line: string, level: LogLevelName): void => {
  (rank[level] >= rank.WARN ? process.stderr : process.stdout).write(`${line}\n`);
};

export function createApiLogger(options: ApiLoggerOptions): ApiLogger {
  const format = options.format === 'json' ? formatJson : formatPretty;
  const secrets = options.secrets ?? [];
  const write = options.write ?? defaultWrite;
  // The test suite's personal-data check (config/log-capture.ts): every line, down to debug.
  const capture = logCapture('hr-api');
  const log =
    (level: LogLevelName) =>
    (message: string, fields: LogFields = {}): void => {
      const shown = rank[level] >= rank[options.level];
      if (!shown && !capture) return;
      const line = redactSecrets(format(level, message, fields), secrets);
      capture?.(line);
      if (shown) write(line, level);
    };
  return { debug: log('DEBUG'), info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}

/** A logger that drops everything (the default of `buildHttpApi` when none is given). */
export const silentLogger: ApiLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
