/**
 * How a process logs: structured JSON lines in production (one object per line, for a log shipper),
 * readable lines in development. Shared by the worker, the HR API and `npm start`.
 */
import { z } from 'zod';
import { parseEnv } from './config-error';
import { DEFAULT_LOG_LEVEL } from './defaults';

export const LOGGING_ENV_VARS = ['LOG_FORMAT', 'LOG_LEVEL', 'NODE_ENV'] as const;

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

export interface LoggingConfig {
  format: LogFormat;
  level: LogLevelName;
}

const loggingEnvSchema = z.object({
  LOG_FORMAT: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['json', 'pretty'], { error: 'must be json or pretty' }))
    .optional(),
  LOG_LEVEL: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(LOG_LEVELS, { error: 'must be one of trace, debug, info, warn, error' }))
    .default(DEFAULT_LOG_LEVEL),
  NODE_ENV: z.string().optional(),
});

/** LOG_FORMAT defaults to json when NODE_ENV=production, pretty otherwise; LOG_LEVEL to info. */
export function loggingConfigFromEnv(env: NodeJS.ProcessEnv): LoggingConfig {
  const parsed = parseEnv(loggingEnvSchema, env, LOGGING_ENV_VARS);
  return {
    format: parsed.LOG_FORMAT ?? (parsed.NODE_ENV === 'production' ? 'json' : 'pretty'),
    level: parsed.LOG_LEVEL,
  };
}
